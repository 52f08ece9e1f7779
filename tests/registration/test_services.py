"""The registration service: quotas, capacity and waiting list, approval, closing, duplicates."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sosialisasi.auth.models import Role
from sosialisasi.common.errors import DomainError, NotAllowed
from sosialisasi.common.types import utcnow
from sosialisasi.events.models import EventStatus, Invitation
from sosialisasi.registration import services
from sosialisasi.registration.models import (
    EmployeeKind,
    RegistrationRole,
    RegistrationSource,
    RegistrationStatus,
)

RS = RegistrationStatus
OP = RegistrationSource.OPERATOR
ORG = RegistrationSource.ORGANIZER


@pytest.fixture()
def setup(db, make_unit, make_user, make_event):
    unit = make_unit("Dinas Kesehatan", short_name="Dinkes")
    other = make_unit("Dinas Sosial")
    event = make_event(invite=[unit, other], quota=2)
    operator = make_user(Role.UNIT_OPERATOR, unit=unit)
    organizer = make_user(Role.ORGANIZER)
    return event, unit, other, operator, organizer


def _person(name, unit, nip=None):
    return services.find_or_create_person(name=name, nip=nip, unit=unit)


def test_operator_registers_up_to_quota_then_gets_a_specific_message(db, setup):
    event, unit, _other, operator, _org = setup
    for name in ("Ani", "Budi"):
        reg = services.register(
            event, person=_person(name, unit), unit=unit, actor=operator, source=OP
        )
        assert reg.status is RS.REGISTERED
    with pytest.raises(services.QuotaExceeded) as err:
        services.register(
            event, person=_person("Citra", unit), unit=unit, actor=operator, source=OP
        )
    assert "Kuota Dinas Kesehatan sudah penuh (2 dari 2 orang)" in err.value.message
    inv = db.session.scalar(db.select(Invitation).filter_by(event_id=event.id, unit_id=unit.id))
    assert inv.responded_at is not None


def test_operator_cannot_register_for_another_unit(db, setup):
    event, _unit, other, operator, _org = setup
    with pytest.raises(NotAllowed):
        services.register(
            event, person=_person("Dedi", other), unit=other, actor=operator, source=OP
        )


def test_organizer_exceeds_quota_only_with_a_reason_which_is_recorded(db, setup):
    event, unit, _o, operator, organizer = setup
    for name in ("Ani", "Budi"):
        services.register(event, person=_person(name, unit), unit=unit, actor=operator, source=OP)
    citra = _person("Citra", unit)
    with pytest.raises(services.QuotaExceeded, match="Tuliskan alasan"):
        services.register(event, person=citra, unit=unit, actor=organizer, source=ORG)
    reg = services.register(
        event,
        person=citra,
        unit=unit,
        actor=organizer,
        source=ORG,
        over_quota_reason="Kepala dinas meminta tambahan",
    )
    assert reg.status is RS.REGISTERED
    assert reg.over_quota_reason == "Kepala dinas meminta tambahan"


def test_uninvited_unit_is_refused_for_operator_and_public(db, setup, make_unit, make_user):
    event = setup[0]
    stranger = make_unit("Kecamatan Setu")
    op = make_user(Role.UNIT_OPERATOR, unit=stranger)
    with pytest.raises(services.NotInvited, match="tidak termasuk unit yang diundang"):
        services.register(
            event, person=_person("Eko", stranger), unit=stranger, actor=op, source=OP
        )


def test_same_person_twice_is_refused_with_where_the_ticket_is(db, setup):
    event, unit, _o, operator, _org = setup
    ani = _person("Ani", unit, nip="198609262015052001")
    services.register(event, person=ani, unit=unit, actor=operator, source=OP)
    with pytest.raises(services.AlreadyRegistered) as err:
        services.register(event, person=ani, unit=unit, actor=operator, source=OP)
    assert "sudah mendaftar" in err.value.message and "tiket" in err.value.message.lower()


def test_capacity_waitlist_moves_up_in_order_when_someone_cancels(db, client, setup):
    event, unit, other, operator, organizer = setup
    event.capacity = 2
    db.session.commit()
    a = services.register(event, person=_person("A", unit), unit=unit, actor=operator, source=OP)
    b = services.register(event, person=_person("B", unit), unit=unit, actor=operator, source=OP)
    c = services.register(
        event, person=_person("C", other), unit=other, actor=organizer, source=ORG
    )
    d = services.register(
        event, person=_person("D", other), unit=other, actor=organizer, source=ORG
    )
    assert [r.status for r in (a, b, c, d)] == [
        RS.REGISTERED,
        RS.REGISTERED,
        RS.WAITLISTED,
        RS.WAITLISTED,
    ]
    db.session.commit()
    html = client.get(f"/t/{d.ticket_code}").get_data(as_text=True)
    assert "Urutan Anda: ke-2." in html
    promoted = services.cancel(a, actor=operator, reason="sakit")
    assert promoted == [c]
    assert c.status is RS.REGISTERED and d.status is RS.WAITLISTED
    assert a.status is RS.CANCELLED and a.cancel_reason == "sakit"


def test_cancelled_person_can_register_again(db, setup):
    event, unit, _o, operator, _org = setup
    ani = _person("Ani", unit)
    reg = services.register(event, person=ani, unit=unit, actor=operator, source=OP)
    code = reg.ticket_code
    services.cancel(reg, actor=operator)
    again = services.register(event, person=ani, unit=unit, actor=operator, source=OP)
    assert again.id == reg.id and again.status is RS.REGISTERED and again.ticket_code == code


def test_operator_cannot_cancel_another_units_registration(db, setup, make_user):
    event, unit, other, operator, organizer = setup
    reg = services.register(
        event, person=_person("Z", other), unit=other, actor=organizer, source=ORG
    )
    with pytest.raises(NotAllowed):
        services.cancel(reg, actor=operator)
    assert reg.status is RS.REGISTERED


def test_approval_flow(db, setup):
    event, unit, _o, operator, organizer = setup
    event.requires_approval = True
    db.session.commit()
    reg = services.register(event, person=_person("A", unit), unit=unit, actor=operator, source=OP)
    assert reg.status is RS.PENDING
    by_org = services.register(
        event, person=_person("B", unit), unit=unit, actor=organizer, source=ORG
    )
    assert by_org.status is RS.REGISTERED
    with pytest.raises(DomainError, match="alasan"):
        services.decide(reg, approve=False, actor=organizer)
    services.decide(reg, approve=True, actor=organizer)
    assert reg.status is RS.REGISTERED and reg.decided_by_id == organizer.id
    with pytest.raises(NotAllowed):
        services.decide(reg, approve=True, actor=operator)


def test_closing_time_and_status_refuse_with_specific_messages(db, setup):
    event, unit, _o, operator, organizer = setup
    event.registration_closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(services.RegistrationClosed, match="sudah ditutup pada"):
        services.register(event, person=_person("A", unit), unit=unit, actor=operator, source=OP)
    # the organizer may still add people after the public closing time
    reg = services.register(
        event, person=_person("A", unit), unit=unit, actor=organizer, source=ORG
    )
    assert reg.status is RS.REGISTERED
    event.status = EventStatus.CANCELLED
    db.session.commit()
    with pytest.raises(services.EventCancelled, match="dibatalkan"):
        services.register(event, person=_person("B", unit), unit=unit, actor=organizer, source=ORG)


def test_speakers_and_committee_only_by_organizer_and_outside_quota(db, setup):
    event, unit, _o, operator, organizer = setup
    with pytest.raises(NotAllowed):
        services.register(
            event,
            person=_person("N", unit),
            unit=unit,
            role=RegistrationRole.NARASUMBER,
            actor=operator,
            source=OP,
        )
    for name in ("P1", "P2", "P3"):
        reg = services.register(
            event,
            person=_person(name, unit),
            unit=unit,
            role=RegistrationRole.PANITIA,
            actor=organizer,
            source=ORG,
        )
        assert reg.status is RS.REGISTERED
    # panitia do not use the unit's quota
    services.register(event, person=_person("A", unit), unit=unit, actor=operator, source=OP)
    services.register(event, person=_person("B", unit), unit=unit, actor=operator, source=OP)


def test_walkin_follows_the_quota_rule_with_a_reason_and_is_refused_when_full(db, setup):
    # Was "walk-in by door staff skips quota": register() skipped the quota for walk-ins while
    # checkin.walk_in re-implemented it; now one rule (rules.check_quota) serves both.
    event, unit, _o, _op, organizer = setup
    event.capacity = 3
    event.status = EventStatus.RUNNING
    db.session.commit()
    walk = RegistrationSource.WALKIN
    for name in ("A", "B"):
        services.register(
            event, person=_person(name, unit), unit=unit, actor=organizer, source=walk
        )
    with pytest.raises(services.QuotaExceeded) as err:
        services.register(event, person=_person("C", unit), unit=unit, actor=organizer, source=walk)
    assert "Tuliskan alasan untuk melebihi kuota" in err.value.message
    reg = services.register(
        event,
        person=_person("C", unit),
        unit=unit,
        actor=organizer,
        source=walk,
        over_quota_reason="Ditugaskan kepala dinas",
    )
    assert reg.status is RS.REGISTERED and reg.over_quota_reason == "Ditugaskan kepala dinas"
    with pytest.raises(services.CapacityFull):
        services.register(
            event,
            person=_person("D", unit),
            unit=unit,
            actor=organizer,
            source=walk,
            over_quota_reason="Ditugaskan kepala dinas",
        )


def test_find_or_create_person_validates_and_normalises(db, make_unit):
    unit = make_unit()
    p = services.find_or_create_person(
        name="  Dr.  Siti Aminah, M.Kes ",
        nip="19860926 201505 2 001",
        unit=unit,
        phone="0812-3456-7890",
        email="Siti@Example.go.id",
    )
    assert p.nip == "198609262015052001" and p.gender == "P"
    assert p.phone == "+6281234567890" and p.name == "Dr. Siti Aminah, M.Kes"
    assert p.name_key == "dr siti aminah m kes"
    again = services.find_or_create_person(name="Siti Aminah", nip="198609262015052001", unit=unit)
    assert again.id == p.id
    no_nip = services.find_or_create_person(name="Joko", unit=unit, kind=EmployeeKind.NON_ASN)
    assert (
        services.find_or_create_person(name="JOKO", unit=unit, kind=EmployeeKind.NON_ASN).id
        == no_nip.id
    )
    with pytest.raises(DomainError) as err:
        services.find_or_create_person(name="X", nip="12345", unit=unit)
    assert err.value.field == "nip" and "18 digit" in err.value.message
    with pytest.raises(DomainError) as err:
        services.find_or_create_person(name="X", unit=unit, phone="12345")
    assert err.value.field == "phone"
    with pytest.raises(DomainError) as err:
        services.find_or_create_person(name="X", unit=unit, nip=198609262015052001.0)
    assert "angka" in err.value.message


def test_email_is_checked_and_its_domain_lowercased():
    assert services.clean_email(" Siti.Aminah@Dinkes.BekasiKab.go.id ") == (
        "Siti.Aminah@dinkes.bekasikab.go.id"
    )
    for bad in ("ani@@x.id", "ani..b@x.id", "ani@x", "ani budi@x.id", "@x.id"):
        with pytest.raises(DomainError, match="Alamat email tidak valid"):
            services.clean_email(bad)
