"""Quotas and capacity hold under parallel requests (SQLite here; PostgreSQL with
TEST_DATABASE_URL): each thread is a separate client with its own session and transaction."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from sosialisasi.auth.models import Role
from sosialisasi.registration.models import Registration, RegistrationStatus

RS = RegistrationStatus
THREADS = 12


def _run_parallel(app, user, posts: list[tuple[str, dict]]) -> list[int]:
    """POST every (url, data) at once from its own client; returns the status codes."""
    barrier = threading.Barrier(len(posts))

    def one(item):
        url, data = item
        with app.app_context():
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True
            barrier.wait(timeout=30)
            return client.post(url, data=data).status_code

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        return list(pool.map(one, posts))


def _counts(db, event) -> dict[RS, int]:
    db.session.expire_all()
    rows = db.session.execute(
        select(Registration.status, func.count(Registration.id))
        .where(Registration.event_id == event.id)
        .group_by(Registration.status)
    ).all()
    return dict(rows)


def test_parallel_operator_registrations_never_exceed_the_unit_quota(
    app, db, make_unit, make_event, make_user
):
    unit = make_unit("Dinas Kesehatan")
    event = make_event(invite=[unit], quota=3)
    operator = make_user(Role.UNIT_OPERATOR, unit=unit)
    url = f"/acara/{event.id}/delegasi"
    posts = [
        (url, {"person_id": 0, "name": f"Delegasi {i}", "kind": "non_asn"}) for i in range(THREADS)
    ]
    codes = _run_parallel(app, operator, posts)
    assert codes.count(302) == 3, codes
    assert codes.count(422) == THREADS - 3
    assert _counts(db, event) == {RS.REGISTERED: 3}


def test_parallel_registrations_never_exceed_capacity_and_the_rest_wait(
    app, db, make_unit, make_event, make_user
):
    units = [make_unit(f"Kecamatan {i}") for i in range(THREADS)]
    event = make_event(invite=units, quota=5, capacity=4)
    organizer = make_user(Role.ORGANIZER)
    url = f"/acara/{event.id}/pendaftaran/baru"
    posts = [
        (
            url,
            {
                "unit_id": u.id,
                "role": "peserta",
                "person_id": 0,
                "name": f"Camat {i}",
                "kind": "non_asn",
            },
        )
        for i, u in enumerate(units)
    ]
    codes = _run_parallel(app, organizer, posts)
    assert codes == [302] * THREADS
    assert _counts(db, event) == {RS.REGISTERED: 4, RS.WAITLISTED: THREADS - 4}
    # the waiting list is in order of arrival
    waiting = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RS.WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
    ).all()
    first = db.session.scalars(
        select(Registration).where(
            Registration.event_id == event.id, Registration.status == RS.REGISTERED
        )
    ).first()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = organizer.get_id()
    client.post(f"/pendaftaran/{first.id}/batal")
    db.session.expire_all()
    assert waiting[0].status is RS.REGISTERED
    assert all(r.status is RS.WAITLISTED for r in waiting[1:])


def test_parallel_cancellations_promote_exactly_as_many_as_were_freed(
    app, db, make_unit, make_event, make_user, make_person
):
    from sosialisasi.registration import services
    from sosialisasi.registration.models import RegistrationSource

    unit = make_unit("Dinas Sosial")
    event = make_event(invite=[unit], quota=50, capacity=3)
    organizer = make_user(Role.ORGANIZER)
    regs = []
    for i in range(9):
        regs.append(
            services.register(
                event,
                person=make_person(f"P{i}", unit=unit),
                unit=unit,
                actor=organizer,
                source=RegistrationSource.ORGANIZER,
            )
        )
    db.session.commit()
    assert _counts(db, event) == {RS.REGISTERED: 3, RS.WAITLISTED: 6}
    posts = [(f"/pendaftaran/{r.id}/batal", {}) for r in regs[:3]]
    codes = _run_parallel(app, organizer, posts)
    assert codes == [302, 302, 302]
    assert _counts(db, event) == {RS.CANCELLED: 3, RS.REGISTERED: 3, RS.WAITLISTED: 3}


def test_a_burst_on_the_public_link_never_overfills_and_waits_in_order(
    app, db, make_unit, make_event
):
    """The public form (anonymous, as when the link is shared in a WhatsApp group): a capacity
    of 6, a unit with a quota of 8 and one with 3. 12 at once: the small unit's fourth is refused
    by its quota, 6 hold a seat, 5 wait. After the burst the big unit is refused (its quota counts
    those waiting) and a third unit's late-comer waits behind all five."""
    big, small = make_unit("Dinas Pendidikan"), make_unit("Kecamatan Cibitung")
    third = make_unit("Sekretariat DPRD")
    event = make_event(invite=[big, small, third], quota=8, capacity=6, public_registration=True)
    next(i for i in event.invitations if i.unit_id == small.id).quota = 3
    db.session.commit()
    url = f"/daftar/{event.id}"

    def person(n: int, unit) -> dict:
        return {
            "unit_id": unit.id,
            "kind": "pns",
            "nip": f"19850917201009{1 + n % 2}{n + 1:03d}",
            "name": f"Pendaftar {n}",
        }

    posts = [person(n, big if n < 8 else small) for n in range(THREADS)]
    barrier = threading.Barrier(THREADS)

    def one(data: dict) -> int:
        with app.app_context():
            client = app.test_client()
            barrier.wait(timeout=30)
            return client.post(url, data=data).status_code

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        codes = list(pool.map(one, posts))
    assert sorted(codes) == [302] * 11 + [422], codes
    assert _counts(db, event) == {RS.REGISTERED: 6, RS.WAITLISTED: 5}
    per_unit = dict(
        db.session.execute(
            select(Registration.unit_id, func.count(Registration.id))
            .where(Registration.event_id == event.id)
            .group_by(Registration.unit_id)
        ).all()
    )
    assert per_unit == {big.id: 8, small.id: 3}

    refused = app.test_client().post(url, data=person(20, big))
    assert refused.status_code == 422
    assert "Kuota Dinas Pendidikan sudah penuh" in refused.get_data(as_text=True)
    assert app.test_client().post(url, data=person(21, third)).status_code == 302
    assert _counts(db, event) == {RS.REGISTERED: 6, RS.WAITLISTED: 6}
    waiting = db.session.scalars(
        select(Registration.unit_id)
        .where(Registration.event_id == event.id, Registration.status == RS.WAITLISTED)
        .order_by(Registration.created_at, Registration.id)
    ).all()
    assert waiting[-1] == third.id and third.id not in waiting[:-1]
