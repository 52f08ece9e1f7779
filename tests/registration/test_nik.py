"""NIK for people without a NIP (issue 13): THL, BLUD staff, PPPK paruh waktu and guests are
registered with their 16-digit NIK through every door (import, operator, organizer, public form,
walk-in), matched like a NIP (the name must agree, another unit's person is never changed), and
people from outside the Pemkab carry a free-text instansi. When a unit operator is refused on
another unit's NIP/NIK, the request goes to the organizers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sosialisasi.auth.models import Role
from sosialisasi.checkin import walkin as checkin_walkin
from sosialisasi.common.nik import NIKError, parse_id_number, parse_nik
from sosialisasi.common.nip import NIP, NIPError
from sosialisasi.events.models import EventStatus
from sosialisasi.registration import imports
from sosialisasi.registration.models import (
    EmployeeKind,
    IdentityRequest,
    Person,
    Registration,
    RegistrationStatus,
)

OTHER_UNIT = "NIP ini terdaftar di unit lain; hubungi panitia."
SENT = "Permintaan Anda sudah diteruskan ke panitia"
NIK_WOMAN = "3204105201900003"  # Jawa Barat, 12 January 1990 (+40: a woman), sequence 0003
NIK_MAN = "3204101508850012"  # 15 August 1985, a man
NIK_DINSOS = "3204106703920001"  # 27 March 1992, a woman: Rina, THL at Dinas Sosial


@pytest.fixture()
def world(db, make_unit, make_event, make_user):
    dinkes = make_unit("Dinas Kesehatan", code="DINKES", short_name="Dinkes")
    dinsos = make_unit("Dinas Sosial", code="DINSOS", short_name="Dinsos")
    event = make_event(invite=[dinkes, dinsos], quota=3, public_registration=True)
    op_dinkes = make_user(Role.UNIT_OPERATOR, unit=dinkes)
    rina = Person(
        name="Rina Marlina",
        unit=dinsos,
        nik=NIK_DINSOS,
        kind=EmployeeKind.NON_ASN,
        phone="+6281200000009",
        position="Tenaga Harian Lepas",
    )
    db.session.add(rina)
    db.session.commit()
    return event, dinkes, dinsos, op_dinkes, rina


def _regs(db) -> int:
    return db.session.scalar(select(func.count(Registration.id)))


def _person(db, **where) -> Person | None:
    stmt = select(Person)
    for key, value in where.items():
        stmt = stmt.where(getattr(Person, key) == value)
    return db.session.scalar(stmt)


# --- the parser ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        NIK_WOMAN,
        "3204 1052 0190 0003",
        "3204.10.520190.0003",
        "NIK. 3204105201900003",
        "nik: 3204-1052-0190-0003",
    ],
)
def test_nik_is_read_with_spaces_dots_and_a_prefix(app, raw):
    nik = parse_nik(raw)
    assert nik.value == NIK_WOMAN and nik.gender == "P"
    assert parse_id_number(raw).value == NIK_WOMAN  # one "NIP/NIK" field: 16 digits are a NIK


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1004105201900003", "provinsi"),  # province 10 does not exist
        ("9904105201900003", "provinsi"),  # nor 99
        ("4504105201900003", "provinsi"),  # nor anything in the 40s
        ("3204103201900003", "tanggal lahir"),  # day 32 (a man)
        ("3204107201900003", "tanggal lahir"),  # day 72 - 40 = 32 (a woman)
        ("3204101513900003", "tanggal lahir"),  # month 13
        ("3204102902010003", "tanggal lahir"),  # 29 February 2001 (nor 1901)
        ("3204105201900000", "0000"),  # sequence 0000: Excel took the last digit
        ("320410520190003", "16 digit"),
        ("32041052019000A3", "angka"),
    ],
)
def test_nik_checks_province_birth_date_and_sequence(app, raw, reason):
    with pytest.raises(NIKError, match=reason):
        parse_nik(raw)


def test_a_nik_stored_as_an_excel_number_is_refused(app):
    with pytest.raises(NIKError, match="Excel"):
        parse_nik(3204105201900003.0)
    with pytest.raises(NIKError, match="Excel"):
        parse_id_number(3204105201900003)


def test_a_nip_in_the_same_field_is_still_a_nip(app):
    assert isinstance(parse_id_number("NIP. 19850315 201001 2 005"), NIP)
    # a NIP with two digits missing is told as a NIP, not as a strange NIK
    with pytest.raises(NIPError, match="NIP harus 18 digit"):
        parse_id_number("19850315 201001 2 0")


# --- the import ------------------------------------------------------------------------------


def test_a_nik_row_imports_as_non_asn(db, world):
    event, dinkes, *_ = world
    csv = (
        "Nama;NIP/NIK;Unit Kerja\n"
        f"Dewi Lestari;'{NIK_WOMAN};Dinkes\n"
        "Budi Santoso;19850315 201001 1 005;Dinkes\n"
    ).encode()
    plan = imports.apply_import(event, csv, "peserta.csv", actor=None)
    db.session.commit()
    assert plan.counts == {"imported": 2, "updated": 0, "skipped": 0, "errors": 0}, [
        r.reason for r in plan.rows
    ]
    dewi = _person(db, name="Dewi Lestari")
    assert dewi.nik == NIK_WOMAN and dewi.nip is None
    assert dewi.kind is EmployeeKind.NON_ASN and dewi.gender == "P" and dewi.unit_id == dinkes.id
    budi = _person(db, name="Budi Santoso")
    assert budi.kind is EmployeeKind.PNS and budi.nip == "198503152010011005" and budi.nik is None
    assert _regs(db) == 2


def test_a_nik_column_imports_too_and_a_pns_with_only_a_nik_is_refused(db, world):
    event, *_ = world
    csv = (
        "Nama;NIP;NIK;Unit Kerja;Jenis Pegawai\n"
        f"Joko Susilo;;{NIK_MAN};Dinkes;Non-ASN\n"
        f"Tono;;{NIK_WOMAN};Dinkes;PNS\n"
    ).encode()
    rows = {r.name: r for r in imports.plan_import(event, csv, "p.csv").rows}
    assert rows["Joko Susilo"].fate is imports.Fate.NEW and rows["Joko Susilo"].nik == NIK_MAN
    assert rows["Tono"].fate is imports.Fate.ERROR
    assert "NIK (16 digit) hanya untuk non-ASN" in rows["Tono"].reason


def test_a_nik_match_needs_the_name_to_agree_and_never_overwrites(db, world):
    event, _dinkes, dinsos, _op, rina = world
    csv = (
        "Nama;NIP/NIK;Unit Kerja\n"
        f"Dedi Sutrisno;{NIK_DINSOS};Dinkes\n"
        f"Rina Marlina, A.Md.;{NIK_DINSOS};Dinsos\n"
        f"Rina M.;{NIK_DINSOS};Dinsos\n"
    ).encode()
    plan = imports.apply_import(event, csv, "peserta.csv", actor=None)
    db.session.commit()
    rows = {r.name: r for r in plan.rows}
    conflict = rows["Dedi Sutrisno"]
    assert conflict.fate is imports.Fate.ERROR
    assert "Rina Marlina" in conflict.reason and "Dedi Sutrisno" in conflict.reason
    assert rows["Rina Marlina, A.Md."].fate is imports.Fate.UPDATE
    assert rows["Rina M."].fate is imports.Fate.DUPLICATE  # the same NIK twice in the file
    db.session.expire_all()
    assert rina.unit_id == dinsos.id and rina.name == "Rina Marlina, A.Md."
    assert db.session.scalar(select(func.count(Person.id)).where(Person.nik == NIK_DINSOS)) == 1


# --- the forms -------------------------------------------------------------------------------


def test_operator_delegate_form_accepts_a_nik_for_a_non_asn(db, client, login_as, world):
    event, dinkes, _dinsos, op_dinkes, _rina = world
    login_as(op_dinkes)
    r = client.post(
        f"/acara/{event.id}/delegasi",
        data={"person_id": 0, "name": "Joko Susilo", "kind": "non_asn", "nip": "NIK. " + NIK_MAN},
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    joko = _person(db, nik=NIK_MAN)
    assert joko.name == "Joko Susilo" and joko.unit_id == dinkes.id and joko.nip is None
    assert joko.kind is EmployeeKind.NON_ASN and joko.gender == "L"
    assert _regs(db) == 1
    # the form's default kind is PNS: a NIK typed for a PNS says what to do
    r = client.post(
        f"/acara/{event.id}/delegasi",
        data={"person_id": 0, "name": "Tono", "kind": "pns", "nip": NIK_WOMAN},
    )
    assert r.status_code == 422 and "pilih jenis pegawai Non-ASN" in r.get_data(as_text=True)


def test_public_form_accepts_a_nik(db, client, world):
    event, dinkes, *_ = world
    r = client.post(
        f"/daftar/{event.id}",
        data={
            "unit_id": dinkes.id,
            "kind": "non_asn",
            "nip": "3204 1052 0190 0003",
            "name": "Dewi Lestari",
            "phone": "0812-3456-7890",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200
    dewi = _person(db, nik=NIK_WOMAN)
    assert dewi is not None and dewi.unit_id == dinkes.id and dewi.kind is EmployeeKind.NON_ASN
    assert _regs(db) == 1


def test_public_form_with_another_units_nik_neither_shows_nor_changes_the_person(db, client, world):
    event, dinkes, dinsos, _op, rina = world
    html = client.post(
        f"/daftar/{event.id}",
        data={"unit_id": dinkes.id, "kind": "non_asn", "nip": NIK_DINSOS, "name": "Siapa Saja"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Rina" not in html.split("<form")[0] and "Tenaga Harian" not in html
    db.session.expire_all()
    assert rina.unit_id == dinsos.id and rina.name == "Rina Marlina" and _regs(db) == 0


def test_organizer_registers_a_guest_from_outside_the_pemkab_with_an_instansi(
    db, client, login_as, world
):
    event, *_ = world
    login_as("organizer")
    r = client.post(
        f"/acara/{event.id}/pendaftaran/baru",
        data={
            "unit_id": 0,
            "role": "narasumber",
            "person_id": 0,
            "name": "Dr. Andi Wijaya, M.Kes.",
            "nip": NIK_MAN,
            "kind": "external",
            "instansi": "Universitas Padjadjaran",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    andi = _person(db, nik=NIK_MAN)
    assert andi.kind is EmployeeKind.EXTERNAL and andi.unit_id is None
    assert andi.instansi == "Universitas Padjadjaran"
    # shown where the unit is shown
    assert "Universitas Padjadjaran" in client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Universitas Padjadjaran" in client.get(f"/peserta/{andi.id}").get_data(as_text=True)
    assert "Universitas Padjadjaran" in client.get(f"/acara/{event.id}/pendaftaran").get_data(
        as_text=True
    )
    assert "Universitas Padjadjaran" in client.get("/peserta").get_data(as_text=True)


def test_editing_a_person_sets_a_nik_and_another_units_nik_names_nobody(
    db, client, login_as, world
):
    _event, dinkes, _dinsos, op_dinkes, _rina = world
    tono = Person(name="Tono", unit=dinkes, kind=EmployeeKind.NON_ASN)
    db.session.add(tono)
    db.session.commit()
    login_as(op_dinkes)
    form = {"name": "Tono", "kind": "non_asn", "nip": NIK_DINSOS}
    r = client.post(f"/peserta/{tono.id}/ubah", data=form)
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and OTHER_UNIT in html and "Rina" not in html
    r = client.post(f"/peserta/{tono.id}/ubah", data=form | {"nip": NIK_MAN})
    assert r.status_code == 302
    db.session.expire_all()
    assert tono.nik == NIK_MAN and tono.nip is None
    # the edit form shows the NIK in the NIP/NIK field
    assert NIK_MAN in client.get(f"/peserta/{tono.id}/ubah").get_data(as_text=True)


def test_walk_in_accepts_a_nik(db, make_user, world):
    event, dinkes, *_ = world
    event.status = EventStatus.RUNNING
    db.session.commit()
    organizer = make_user(Role.ORGANIZER)
    outcome = checkin_walkin.walk_in(
        event,
        checkin_walkin.WalkIn(name="Dewi Lestari", unit=dinkes, nip=NIK_WOMAN),
        actor=organizer,
        session=event.sessions[0],
        now=event.starts_at,
    )
    db.session.commit()
    dewi = _person(db, nik=NIK_WOMAN)
    assert outcome.ticket is not None and dewi.kind is EmployeeKind.NON_ASN and dewi.nip is None


# --- the request to the organizers ---------------------------------------------------------


def _ask(client, event, number=NIK_DINSOS, name="Rina Marlina"):
    return client.post(
        f"/acara/{event.id}/delegasi",
        data={"person_id": 0, "name": name, "kind": "non_asn", "nip": number},
    )


def test_operator_refused_on_another_units_nik_is_told_the_request_went_to_the_panitia(
    db, client, login_as, world
):
    event, dinkes, dinsos, op_dinkes, rina = world
    login_as(op_dinkes)
    r = _ask(client, event)
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and OTHER_UNIT in html and SENT in html
    assert "Tenaga Harian" not in html and "Dinas Sosial" not in html  # names nobody's data
    request = db.session.scalar(select(IdentityRequest))
    assert request.event_id == event.id and request.unit_id == dinkes.id
    assert request.number == NIK_DINSOS and request.requested_by_id == op_dinkes.id
    assert request.person_id == rina.id
    db.session.expire_all()
    assert rina.unit_id == dinsos.id and _regs(db) == 0  # nothing else changed
    _ask(client, event)  # asking twice keeps one open request
    assert db.session.scalar(select(func.count(IdentityRequest.id))) == 1


def test_operator_refused_on_another_units_nip_sends_a_request_too(
    db, client, login_as, world, make_person
):
    event, _dinkes, dinsos, op_dinkes, _rina = world
    make_person("Sari Wulandari", unit=dinsos, nip="198503152010012005")
    login_as(op_dinkes)
    r = _ask(client, event, number="19850315 201001 2 005", name="Sari Wulandari")
    assert r.status_code == 422 and SENT in r.get_data(as_text=True)
    assert db.session.scalar(select(IdentityRequest.number)) == "198503152010012005"


def test_organizers_see_the_request_and_move_the_person(db, client, login_as, world):
    event, dinkes, _dinsos, op_dinkes, rina = world
    login_as(op_dinkes)
    _ask(client, event)
    assert client.get("/peserta/permintaan").status_code == 403
    login_as("organizer")
    html = client.get("/peserta/permintaan").get_data(as_text=True)
    assert "Rina Marlina" in html and "Dinas Kesehatan" in html and NIK_DINSOS in html
    request = db.session.scalar(select(IdentityRequest))
    r = client.post(f"/peserta/permintaan/{request.id}", data={"action": "move"})
    assert r.status_code == 302
    db.session.expire_all()
    assert rina.unit_id == dinkes.id and request.resolution == "moved"
    html = client.get("/peserta/permintaan").get_data(as_text=True)  # the flash names her
    assert "Rina Marlina dipindahkan ke Dinas Kesehatan" in html
    assert "Tidak ada permintaan yang menunggu." in html
    # now the Dinkes operator registers her
    login_as(op_dinkes)
    assert _ask(client, event).status_code == 302
    assert _regs(db) == 1


def test_organizers_may_register_the_person_for_the_asking_unit(db, client, login_as, world):
    event, dinkes, dinsos, op_dinkes, rina = world
    login_as(op_dinkes)
    _ask(client, event)
    request = db.session.scalar(select(IdentityRequest))
    login_as("organizer")
    r = client.post(f"/peserta/permintaan/{request.id}", data={"action": "register"})
    assert r.status_code == 302
    reg = db.session.scalar(select(Registration))
    assert reg.person_id == rina.id and reg.unit_id == dinkes.id
    assert reg.status is RegistrationStatus.REGISTERED
    db.session.expire_all()
    assert rina.unit_id == dinsos.id and request.resolution == "registered"


# --- erasure ---------------------------------------------------------------------------------


def test_anonymising_or_purging_a_person_erases_their_nik_instansi_and_requests(
    db, world, make_user
):
    from datetime import timedelta

    from sosialisasi.ops import services as ops_services

    event, dinkes, _dinsos, op_dinkes, rina = world
    rina.instansi = "BLUD RSUD"
    db.session.add(
        IdentityRequest(event=event, unit=dinkes, number=NIK_DINSOS, person=rina, typed_name="Rina")
    )
    guest = Person(name="Andi Wijaya", nik=NIK_MAN, instansi="Universitas Padjadjaran")
    db.session.add(guest)
    db.session.commit()
    ops_services.anonymize_person(rina)
    ops_services.purge_people(
        older_than_years=1, now=guest.created_at + timedelta(days=800)
    )  # the guest never registered: purged
    db.session.commit()
    db.session.expire_all()
    assert (rina.nik, rina.instansi) == (None, None)
    assert db.session.scalar(select(func.count(IdentityRequest.id))) == 0
    assert (guest.nik, guest.instansi, guest.anonymized_at is not None) == (None, None, True)


def test_self_check_in_accepts_a_nik_with_the_phone_digits(db, make_unit, make_event):
    from datetime import timedelta

    from sosialisasi.attendance import services as attendance
    from sosialisasi.checkin.models import CheckIn
    from sosialisasi.registration.models import Registration as Reg

    unit = make_unit("Dinas Kesehatan")
    event = make_event(invite=[unit], self_checkin_enabled=True)
    dewi = Person(
        name="Dewi Lestari",
        unit=unit,
        nik=NIK_WOMAN,
        kind=EmployeeKind.NON_ASN,
        phone="+6281234567890",
    )
    db.session.add(Reg(event=event, person=dewi, unit=unit))
    db.session.commit()
    identity = attendance.parse_identity("3204 1052 0190 0003", "7890")
    assert (identity.nik, identity.nip, identity.named) == (NIK_WOMAN, None, False)
    now = event.starts_at + timedelta(minutes=10)
    wrong = attendance.self_check_in(
        event, attendance.parse_identity(NIK_WOMAN, "0000"), pass_id="p0", now=now
    )
    assert wrong.result is attendance.Result.UNKNOWN
    outcome = attendance.self_check_in(event, identity, pass_id="p1", now=now)
    assert outcome.ticket is not None and "Dewi" not in outcome.message
    assert db.session.scalar(select(func.count(CheckIn.id))) == 1
