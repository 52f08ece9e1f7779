"""The rule "a PNS or PPPK gives a NIP" holds on every door that creates a person: the unit
operator's delegate form, the organizer's form, the public link, the import (page and command
line), the walk-in at the door and correcting a person. The JSON API creates no person.

Also: services audit what they change, so the command-line import leaves the same trail as the
page."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sosialisasi.audit.models import AuditEntry
from sosialisasi.auth.models import Role
from sosialisasi.checkin import walkin as checkin_walkin
from sosialisasi.common.errors import DomainError
from sosialisasi.events.models import EventStatus
from sosialisasi.registration import imports
from sosialisasi.registration.models import EmployeeKind, Person, Registration

MESSAGE = "NIP wajib diisi untuk PNS dan PPPK."


@pytest.fixture()
def world(db, make_unit, make_event, make_user):
    dinkes = make_unit("Dinas Kesehatan", code="DINKES", short_name="Dinkes")
    event = make_event(invite=[dinkes], quota=5, public_registration=True)
    operator = make_user(Role.UNIT_OPERATOR, unit=dinkes)
    return event, dinkes, operator


def _count(db, model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def _person_form(**kw) -> dict:
    data = {"person_id": 0, "name": "Rudi Hartono", "kind": "pns", "nip": "", "phone": ""}
    data.update(kw)
    return data


def test_operator_delegate_form_refuses_a_pns_without_nip(db, client, login_as, world):
    event, _dinkes, operator = world
    login_as(operator)
    r = client.post(f"/acara/{event.id}/delegasi", data=_person_form())
    assert r.status_code == 422
    assert MESSAGE in r.get_data(as_text=True)
    assert _count(db, Registration) == 0 and _count(db, Person) == 0
    pppk = client.post(f"/acara/{event.id}/delegasi", data=_person_form(kind="pppk"))
    assert MESSAGE in pppk.get_data(as_text=True)
    # a non-ASN without a NIP is welcome
    ok = client.post(f"/acara/{event.id}/delegasi", data=_person_form(kind="non_asn"))
    assert ok.status_code == 302 and _count(db, Registration) == 1


def test_organizer_form_refuses_a_pns_without_nip(db, client, login_as, world):
    event, dinkes, _operator = world
    login_as("organizer")
    data = _person_form(unit_id=dinkes.id, role="peserta")
    r = client.post(f"/acara/{event.id}/pendaftaran/baru", data=data)
    assert MESSAGE in r.get_data(as_text=True)
    assert _count(db, Registration) == 0 and _count(db, Person) == 0


def test_public_form_refuses_a_pns_without_nip(db, client, world):
    event, dinkes, _operator = world
    data = {
        "unit_id": dinkes.id,
        "kind": "pns",
        "nip": "",
        "name": "Ani Suryani",
        "phone": "081234567890",
    }
    r = client.post(f"/daftar/{event.id}", data=data)
    assert r.status_code == 422 and MESSAGE in r.get_data(as_text=True)
    assert _count(db, Registration) == 0


CSV = (
    b"Nama;NIP;Unit Kerja;Jenis Pegawai\n"
    b"Rudi Hartono;;Dinkes;PNS\n"
    b"Sri Wahyuni;;Dinkes;PPPK\n"
    b"Tono;;Dinkes;Non-ASN\n"
    b"Ani Suryani;19860926 201505 2 001;Dinkes;PNS\n"
)


def test_import_refuses_rows_of_pns_and_pppk_without_nip(db, world):
    event, _dinkes, _operator = world
    plan = imports.plan_import(event, CSV, "peserta.csv")
    fates = {r.name: (r.fate, r.reason) for r in plan.rows}
    assert fates["Rudi Hartono"] == (imports.Fate.ERROR, MESSAGE)
    assert fates["Sri Wahyuni"] == (imports.Fate.ERROR, MESSAGE)
    assert fates["Tono"][0] is imports.Fate.NEW and fates["Ani Suryani"][0] is imports.Fate.NEW


def test_command_line_import_refuses_them_too_and_is_audited(db, runner, world, tmp_path):
    event, _dinkes, _operator = world
    path = tmp_path / "peserta.csv"
    path.write_bytes(CSV)
    result = runner.invoke(args=["registrations", "import", str(event.id), str(path)])
    assert result.exit_code == 0, result.output
    assert f"baris 2: kesalahan: {MESSAGE}" in result.output
    assert result.output.strip().splitlines()[-1] == "imported=2 updated=0 skipped=0 errors=2"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "registration.import"))
    assert entry is not None and entry.summary.startswith("peserta.csv: imported=2")


def test_walk_in_refuses_a_pns_without_nip_and_records_others_as_non_asn(db, make_user, world):
    event, dinkes, _operator = world
    event.status = EventStatus.RUNNING
    db.session.commit()
    organizer = make_user(Role.ORGANIZER)
    data = checkin_walkin.WalkIn(name="Rudi Hartono", unit=dinkes)
    data.kind = EmployeeKind.PNS  # the door said "PNS" (see the report: WalkIn.kind)
    with pytest.raises(DomainError) as err:
        checkin_walkin.walk_in(
            event, data, actor=organizer, session=event.sessions[0], now=event.starts_at
        )
    assert err.value.message == MESSAGE and err.value.field == "nip"
    db.session.rollback()
    # The walk-in form says "NIP (kosongkan bila non-ASN)": without a NIP the person is non-ASN,
    # never a PNS without a NIP (the old code stored kind=PNS, nip=None).
    outcome = checkin_walkin.walk_in(
        event,
        checkin_walkin.WalkIn(name="Tono", unit=dinkes),
        actor=organizer,
        session=event.sessions[0],
        now=event.starts_at,
    )
    db.session.commit()
    person = db.session.scalar(select(Person).where(Person.name == "Tono"))
    assert outcome.ticket is not None
    assert person.kind is EmployeeKind.NON_ASN and person.nip is None


def test_correcting_a_person_to_pns_without_nip_is_refused(db, client, login_as, world):
    _event, dinkes, operator = world
    person = Person(name="Tono", name_key="tono", unit=dinkes, kind=EmployeeKind.NON_ASN)
    db.session.add(person)
    db.session.commit()
    login_as(operator)
    r = client.post(f"/peserta/{person.id}/ubah", data={"name": "Tono", "kind": "pns", "nip": ""})
    assert r.status_code == 422 and MESSAGE in r.get_data(as_text=True)
    db.session.expire_all()
    assert person.kind is EmployeeKind.NON_ASN
