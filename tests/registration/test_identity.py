"""Identity belongs to someone (issue 13): no door rewrites or reveals another unit's person, a
NIP match needs agreeing names, a NIP damaged by Excel (sequence 000) is refused, and the one NIP
parser takes what people paste from a signature block."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sosialisasi.auth.models import Role
from sosialisasi.common.nip import NIPError, parse_nip
from sosialisasi.registration import imports
from sosialisasi.registration.models import Person, Registration

OTHER_UNIT = "NIP ini terdaftar di unit lain; hubungi panitia."
NIP_DINSOS = "198503152010012005"


@pytest.fixture()
def world(db, make_unit, make_event, make_user, make_person):
    dinkes = make_unit("Dinas Kesehatan", code="DINKES", short_name="Dinkes")
    dinsos = make_unit("Dinas Sosial", code="DINSOS", short_name="Dinsos")
    event = make_event(invite=[dinkes, dinsos], quota=3, public_registration=True)
    op_dinkes = make_user(Role.UNIT_OPERATOR, unit=dinkes)
    sari = make_person(
        "Sari Wulandari, S.Sos.",
        unit=dinsos,
        nip=NIP_DINSOS,
        phone="+6281200000001",
        email=None,
        position="Kepala Seksi Rehabilitasi",
        rank="Penata Tk. I, III/d",
    )
    return event, dinkes, dinsos, op_dinkes, sari


def _regs(db) -> int:
    return db.session.scalar(select(func.count(Registration.id)))


def _unchanged(db, person, dinsos) -> None:
    db.session.expire_all()
    assert person.name == "Sari Wulandari, S.Sos." and person.unit_id == dinsos.id
    assert person.phone == "+6281200000001" and person.email is None


# --- the Delegasi takeover -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Operator Dinkes", "Sari Wulandari"])
def test_operator_typing_another_units_nip_is_refused_neutrally(db, client, login_as, world, name):
    event, _dinkes, dinsos, op_dinkes, sari = world
    login_as(op_dinkes)
    r = client.post(
        f"/acara/{event.id}/delegasi",
        data={
            "person_id": 0,
            "name": name,
            "nip": "19850315 201001 2 005",
            "kind": "pns",
            "phone": "0859-1111-2926",
            "email": "op@dinkes.example",
        },
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and OTHER_UNIT in html
    assert "Wulandari" not in html.replace(f'value="{name}"', "")  # names nobody
    _unchanged(db, sari, dinsos)
    assert _regs(db) == 0
    assert client.get(f"/peserta/{sari.id}/ubah").status_code == 404


def test_organizer_typing_a_known_nip_with_another_name_overwrites_nothing(
    db, client, login_as, world
):
    event, dinkes, dinsos, _op, sari = world
    login_as("organizer")
    r = client.post(
        f"/acara/{event.id}/pendaftaran/baru",
        data={
            "unit_id": dinkes.id,
            "role": "peserta",
            "person_id": 0,
            "name": "Dedi Sutrisno",
            "nip": NIP_DINSOS,
            "kind": "pns",
            "email": "dedi@example.go.id",
        },
    )
    html = r.get_data(as_text=True)
    assert "Sari Wulandari, S.Sos." in html and "Dedi Sutrisno" in html  # both names, organizer
    _unchanged(db, sari, dinsos)
    assert _regs(db) == 0


def test_organizer_may_still_register_and_update_a_known_person_with_agreeing_name(
    db, client, login_as, world
):
    event, _dinkes, dinsos, _op, sari = world
    login_as("organizer")
    r = client.post(
        f"/acara/{event.id}/pendaftaran/baru",
        data={
            "unit_id": dinsos.id,
            "role": "peserta",
            "person_id": 0,
            "name": "Sari Wulandari, S.Sos., M.Si.",
            "nip": NIP_DINSOS,
            "kind": "pns",
            "email": "sari@dinsos.example",
        },
    )
    assert r.status_code == 302
    db.session.expire_all()
    assert sari.email == "sari@dinsos.example" and _regs(db) == 1


# --- the public form ------------------------------------------------------------------------


def _public(unit, **kw):
    data = {
        "unit_id": unit.id,
        "kind": "pns",
        "nip": NIP_DINSOS,
        "name": "Siapa Saja",
        "phone": "0859-1111-2926",
        "email": "p@evil.example",
    }
    data.update(kw)
    return data


def _answer(client, event, data) -> str:
    return client.post(f"/daftar/{event.id}", data=data, follow_redirects=True).get_data(
        as_text=True
    )


def _alert(html: str) -> str:
    start = html.index('class="alert')
    return html[start : html.index("</div>", start)]


def test_public_form_neither_shows_nor_overwrites_a_known_person(db, client, world):
    event, dinkes, dinsos, _op, sari = world
    known = _answer(client, event, _public(dinkes))
    for stored in ("Wulandari", "Rehabilitasi", "III/d", "Dinas Sosial, ", "0000001"):
        assert stored not in known.split("<form")[0]
    _unchanged(db, sari, dinsos)
    assert _regs(db) == 0  # not on the Dinkes quota
    # the same answer as for a NIP nobody has
    unknown = _answer(client, event, _public(dinkes, nip="199001012015031002", name="Baru"))
    assert _alert(known) == _alert(unknown)
    # a second try is no membership oracle and claims nothing was sent
    again = _answer(client, event, _public(dinkes, name="Sari Wulandari"))
    assert _alert(again) == _alert(unknown)
    assert "sudah mendaftar" not in again and "dikirim ke" not in again
    _unchanged(db, sari, dinsos)


def test_public_form_links_the_right_person_without_changing_contacts(db, client, world):
    event, _dinkes, dinsos, _op, sari = world
    html = _answer(client, event, _public(dinsos, name="Sari Wulandari"))
    assert "data Anda sudah kami terima" in html and "mintalah tautan tiket" in html
    _unchanged(db, sari, dinsos)  # the typed e-mail and phone were not written
    reg = db.session.scalar(select(Registration))
    assert reg.person_id == sari.id and reg.unit_id == dinsos.id


def test_public_form_sends_the_ticket_to_the_address_on_file_only(
    db, app, client, world, monkeypatch
):
    event, _dinkes, dinsos, _op, sari = world
    sari.email = "sari@dinsos.example"
    db.session.commit()
    sent = []
    monkeypatch.setattr(
        "sosialisasi.registration.delivery.send_mail",
        lambda config, to, subject, body: sent.append(to) or True,
    )
    app.config["MAIL_SERVER"] = "smtp.example.go.id"
    html = _answer(client, event, _public(dinsos, name="Sari Wulandari"))
    assert sent == ["sari@dinsos.example"]
    assert "telah dikirim ke alamat email yang tercatat" in html and "sari@" not in html


# --- matching never merges two people -------------------------------------------------------


def test_nip_with_sequence_000_is_refused_naming_excel(app):
    with pytest.raises(NIPError, match="Excel"):
        parse_nip("198503152010012000")


def test_import_never_merges_on_a_000_nip_or_a_disagreeing_name(db, world):
    event, _dinkes, dinsos, _op, sari = world
    damaged = Person(
        name="Rina Marlina", name_key="rina marlina", unit=dinsos, nip="198609262015052000"
    )
    db.session.add(damaged)
    db.session.commit()
    csv = (
        "Nama;NIP;Unit Kerja\n"
        "Dewi Lestari;198609262015052000;Dinkes\n"
        f"Dedi Sutrisno;{NIP_DINSOS};Dinsos\n"
        f"Sari Wulandari;{NIP_DINSOS};Dinsos\n"
    ).encode()
    plan = imports.apply_import(event, csv, "peserta.csv", actor=None)
    db.session.commit()
    rows = {r.name: r for r in plan.rows}
    assert rows["Dewi Lestari"].fate is imports.Fate.ERROR
    assert "Excel" in rows["Dewi Lestari"].reason
    conflict = rows["Dedi Sutrisno"]
    assert conflict.fate is imports.Fate.ERROR
    assert "Sari Wulandari, S.Sos." in conflict.reason and "Dedi Sutrisno" in conflict.reason
    assert rows["Sari Wulandari"].fate is imports.Fate.UPDATE
    db.session.expire_all()
    assert damaged.name == "Rina Marlina" and damaged.unit_id == dinsos.id
    assert sari.name == "Sari Wulandari" and sari.unit_id == dinsos.id  # the agreeing row


# --- the person-edit oracle -----------------------------------------------------------------


def test_editing_a_person_with_another_units_nip_names_nobody(
    db, client, login_as, world, make_person
):
    _event, dinkes, _dinsos, op_dinkes, _sari = world
    own = make_person("Budi Santoso", unit=dinkes, nip="198701012010011002")
    login_as(op_dinkes)
    r = client.post(
        f"/peserta/{own.id}/ubah", data={"name": "Budi Santoso", "kind": "pns", "nip": NIP_DINSOS}
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and OTHER_UNIT in html and "Wulandari" not in html


# --- one parser, what people paste ----------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "NIP. 19850315 201001 2 005",
        "NIP: 19850315 201001 2 005",
        "nip 19850315.201001.2.005",
        "19850315-201001-2-005",
    ],
)
def test_nip_pasted_from_a_signature_block_is_accepted(app, raw):
    assert parse_nip(raw).value == NIP_DINSOS


def test_existing_nips_ending_in_000_are_listed_for_review(db, client, login_as, world):
    _event, _dinkes, dinsos, op_dinkes, _sari = world
    db.session.add(
        Person(name="Rina Marlina", name_key="rina marlina", unit=dinsos, nip="198609262015052000")
    )
    db.session.commit()
    login_as(op_dinkes)
    assert client.get("/peserta/nip-000").status_code == 403
    login_as("organizer")
    html = client.get("/peserta/nip-000").get_data(as_text=True)
    assert "Rina Marlina" in html and "198609262015052000" in html and "Excel" in html
    assert "Wulandari" not in html


def test_damaged_nip_review_reads_the_sequence_number_on_its_index(
    db, client, login_as, world, app
):
    """The review lists NIPs whose sequence number (the last three digits, as parse_nip reads
    them) is 000, through an index on that expression: no scan of a district's 100,000 people
    (SQLite's plan names the index)."""
    from sqlalchemy import select, text

    from sosialisasi.registration import queries

    _event, _dinkes, dinsos, *_ = world
    db.session.add_all(
        [
            Person(
                name="Rusak Excel", name_key="rusak excel", unit=dinsos, nip="198609262015052000"
            ),
            # 000 elsewhere in the NIP is a real one (born on the 10th, TMT in 2000)
            Person(name="Nip Utuh", name_key="nip utuh", unit=dinsos, nip="198610002000012001"),
        ]
    )
    db.session.commit()
    login_as("organizer")
    html = client.get("/peserta/nip-000").get_data(as_text=True)
    assert "Rusak Excel" in html and "Nip Utuh" not in html
    assert [p.name for p in queries.damaged_nip_people()] == ["Rusak Excel"]
    if db.engine.dialect.name == "sqlite":
        from sqlalchemy import func, literal_column

        from sosialisasi.registration.models import Person as P

        stmt = select(P.id).where(func.substr(P.nip, literal_column("16")) == "000")
        compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = " ".join(
            str(row[-1]) for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
        )
        assert "ix_people_nip_sequence" in plan


def test_implausible_pns_dates_are_warnings_in_the_import_not_errors(db, world):
    event, *_ = world
    csv = (
        b"Nama;NIP;Unit Kerja;Jenis Pegawai\n"
        b"Tono;198503152010132005;Dinkes;PNS\n"  # TMT month 13
        b"Tini;200501012020012001;Dinkes;PNS\n"  # CPNS at 15
        b"Tina;199001012021212001;Dinkes;PPPK\n"  # PPPK: digits 13-14 are no month
    )
    rows = {r.name: r for r in imports.plan_import(event, csv, "p.csv").rows}
    assert rows["Tono"].fate is imports.Fate.NEW and "bulan TMT CPNS" in rows["Tono"].reason
    assert rows["Tini"].fate is imports.Fate.NEW and "usia 15 tahun" in rows["Tini"].reason
    assert rows["Tina"].fate is imports.Fate.NEW and "periksa" not in rows["Tina"].reason
