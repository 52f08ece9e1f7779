"""Check-in API: answers and codes, bad input, who may call it, and the OpenAPI document."""

from __future__ import annotations

import json
import re
import threading
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import func, select
from werkzeug.serving import make_server

from sosialisasi.api.openapi import document
from sosialisasi.audit.models import AuditEntry
from sosialisasi.auth import services as auth_services
from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.common.types import utcnow
from sosialisasi.events.models import EventStatus, Invitation
from sosialisasi.registration.models import RegistrationStatus

DOC = document()


def conforms(path: str, method: str, response) -> dict:
    """The answer's body validates against the document's schema for that status."""
    op = DOC["paths"][path][method]
    spec = op["responses"][str(response.status_code)]
    schema = spec["content"]["application/json"]["schema"]
    body = response.get_json()
    Draft202012Validator({**schema, "components": DOC["components"]}).validate(body)
    return body


CHECKINS = "/events/{event_id}/checkins"


def count(db) -> int:
    return db.session.scalar(select(func.count(CheckIn.id)))


@pytest.fixture()
def event(make_event, make_unit):
    # Started ten minutes ago: the door is open.
    starts = utcnow().replace(microsecond=0) - timedelta(minutes=10)
    return make_event(starts_at=starts, hours=4, status=EventStatus.RUNNING)


@pytest.fixture()
def reg(make_registration, make_person, make_unit, event):
    unit = make_unit("Dinas Kependudukan dan Pencatatan Sipil")
    return make_registration(event, make_person("Budi Santoso, S.Sos.", unit=unit))


@pytest.fixture()
def staff(db, make_user, event):
    user = make_user("checkin_staff", name="Petugas Pintu")
    event.staff = [user]
    db.session.commit()
    return user


@pytest.fixture()
def token(db, staff):
    plain, _ = auth_services.create_token(staff, "hp-pintu-1")
    db.session.commit()
    return plain


def post(client, event_id, body, token=None, headers=None):
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return client.post(f"/api/v1/events/{event_id}/checkins", json=body, headers=headers)


def test_scan_with_bearer_token_checks_in_then_says_already(client, db, event, reg, staff, token):
    r = post(client, event.id, {"code": reg.ticket_code, "nonce": "a1"}, token)
    assert r.status_code == 201
    body = conforms(CHECKINS, "post", r)
    assert body["result"] == "ok"
    assert body["message"] == "Selamat datang, Budi Santoso, S.Sos."
    assert body["registration"] == {
        "name": "Budi Santoso, S.Sos.",
        "unit": "Dinas Kependudukan dan Pencatatan Sipil",
        "role": "peserta",
    }
    assert body["session"]["id"] == event.sessions[0].id
    row = db.session.scalar(select(CheckIn))
    assert row.operator_id == staff.id
    assert row.method is CheckInMethod.QR
    assert body["checked_in_at"] == row.at.isoformat().replace("+00:00", "Z")

    r = post(client, event.id, {"code": f"https://sos.example/t/{reg.ticket_code}"}, token)
    assert r.status_code == 200
    body = conforms(CHECKINS, "post", r)
    assert body["result"] == "already"
    assert re.fullmatch(
        r"Budi Santoso, S\.Sos\. sudah registrasi ulang pukul \d\d\.\d\d\.", body["message"]
    )
    assert count(db) == 1


def test_retry_with_the_same_nonce_gives_201_again_and_one_row(client, db, event, reg, token):
    for _ in range(3):
        r = post(client, event.id, {"code": reg.ticket_code, "nonce": "retry-1"}, token)
        assert r.status_code == 201
    assert count(db) == 1


def test_unknown_and_foreign_codes_answer_404_and_write_nothing(client, db, event, token):
    for code in ["https://example.com/promo", "WIFI:S:Hotel;;", "zz", "A" * 22]:
        r = post(client, event.id, {"code": code}, token)
        assert r.status_code == 404, code
        body = conforms(CHECKINS, "post", r)
        assert body["result"] == "unknown"
        assert body["registration"] is None
    assert count(db) == 0


def test_conflicts_answer_409_with_reason(
    client, db, make_event, make_registration, event, reg, token
):
    other = make_registration(make_event("Rakor SKM"))
    r = post(client, event.id, {"code": other.ticket_code}, token)
    assert (r.status_code, r.get_json()["result"]) == (409, "wrong_event")
    conforms(CHECKINS, "post", r)

    cancelled = make_registration(event, status=RegistrationStatus.CANCELLED)
    r = post(client, event.id, {"code": cancelled.ticket_code}, token)
    assert (r.status_code, r.get_json()["result"]) == (409, "cancelled")

    event.sessions[0].starts_at = utcnow() + timedelta(hours=3)
    event.sessions[0].ends_at = utcnow() + timedelta(hours=5)
    db.session.commit()
    r = post(client, event.id, {"code": reg.ticket_code}, token)
    assert (r.status_code, r.get_json()["result"]) == (409, "not_open")
    assert "baru dibuka pukul" in r.get_json()["message"]
    assert count(db) == 0


def test_offline_scan_keeps_its_time_and_method(client, db, event, reg, token):
    scanned = (utcnow() - timedelta(minutes=5)).replace(microsecond=0)
    r = post(
        client,
        event.id,
        {
            "code": reg.ticket_code,
            "nonce": "off-1",
            "scanned_at": scanned.isoformat().replace("+00:00", "Z"),
            "method": "offline",
            "session_id": event.sessions[0].id,
            "device": "HP Pintu 2",
        },
        token,
    )
    assert r.status_code == 201
    row = db.session.scalar(select(CheckIn))
    assert (row.at, row.method, row.device) == (scanned, CheckInMethod.OFFLINE, "HP Pintu 2")


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"data": "code=abc", "content_type": "application/x-www-form-urlencoded"}, "not_json"),
        ({"data": "{not json", "content_type": "application/json"}, "not_json"),
        ({"json": ["abc"]}, "invalid_body"),
        ({"json": {}}, "missing_code"),
        ({"json": {"code": ""}}, "missing_code"),
        ({"json": {"code": 123}}, "invalid_code"),
        ({"json": {"code": "x" * 501}}, "invalid_code"),
        ({"json": {"code": "abc", "session_id": "1"}}, "invalid_session"),
        ({"json": {"code": "abc", "session_id": True}}, "invalid_session"),
        ({"json": {"code": "abc", "session_id": 999999}}, "invalid_session"),
        ({"json": {"code": "abc", "nonce": "with space"}}, "invalid_nonce"),
        ({"json": {"code": "abc", "nonce": "n" * 65}}, "invalid_nonce"),
        ({"json": {"code": "abc", "scanned_at": "kemarin"}}, "invalid_scanned_at"),
        ({"json": {"code": "abc", "scanned_at": "2025-02-14T08:00:00"}}, "invalid_scanned_at"),
        ({"json": {"code": "abc", "method": "self"}}, "invalid_method"),
        ({"json": {"code": "abc", "device": 5}}, "invalid_device"),
        ({"json": {"code": "abc", "extra": 1}}, "unknown_field"),
    ],
)
def test_bad_bodies_answer_400_with_a_reason(client, db, event, token, kwargs, reason):
    r = client.post(
        f"/api/v1/events/{event.id}/checkins",
        headers={"Authorization": f"Bearer {token}"},
        **kwargs,
    )
    assert r.status_code == 400
    body = conforms(CHECKINS, "post", r)
    assert body["reason"] == reason
    assert body["message"]
    assert count(db) == 0


def test_anonymous_gets_json_401(client, event, reg):
    r = post(client, event.id, {"code": reg.ticket_code})
    assert r.status_code == 401
    conforms(CHECKINS, "post", r)


def test_wrong_token_gets_401_even_with_csrf_checks_on(app, client, db, event, reg):
    app.config["WTF_CSRF_ENABLED"] = True
    r = post(client, event.id, {"code": reg.ticket_code}, token="sos_revoked-or-made-up")
    assert r.status_code == 401
    assert r.get_json()["message"] == "Perlu token API atau sesi masuk."
    assert count(db) == 0


def test_roles_and_assignment(client, db, login_as, make_user, make_event, event, reg, staff):
    login_as(make_user("unit_operator"))
    r = post(client, event.id, {"code": reg.ticket_code})
    assert r.status_code == 403
    conforms(CHECKINS, "post", r)

    other_staff = make_user("checkin_staff")
    login_as(other_staff)
    r = post(client, event.id, {"code": reg.ticket_code})
    assert r.status_code == 404  # not assigned: the event does not exist for them
    conforms(CHECKINS, "post", r)
    assert client.get(f"/api/v1/events/{event.id}/roster").status_code == 404

    login_as(make_user("organizer"))
    r = post(client, event.id, {"code": reg.ticket_code})
    assert r.status_code == 201
    assert post(client, 987654, {"code": reg.ticket_code}).status_code == 404


def test_session_cookie_needs_the_csrf_header(app, client, db, login_as, event, reg, staff):
    app.config["WTF_CSRF_ENABLED"] = True
    login_as(staff)
    page = client.get(f"/registrasi-ulang/{event.id}")
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.get_data(as_text=True))[1]
    r = post(client, event.id, {"code": reg.ticket_code})
    assert r.status_code == 400
    assert r.is_json
    assert count(db) == 0
    r = post(client, event.id, {"code": reg.ticket_code}, headers={"X-CSRFToken": csrf})
    assert r.status_code == 201


def test_bearer_token_needs_no_csrf_header(app, client, db, event, reg, token):
    app.config["WTF_CSRF_ENABLED"] = True
    assert post(client, event.id, {"code": reg.ticket_code}, token).status_code == 201


def test_roster_has_codes_status_and_checkins_for_offline_use(
    client, db, event, reg, make_registration, token
):
    pending = make_registration(event, status=RegistrationStatus.PENDING)
    post(client, event.id, {"code": reg.ticket_code}, token)
    r = client.get(
        f"/api/v1/events/{event.id}/roster", headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 200
    body = conforms("/events/{event_id}/roster", "get", r)
    assert body["current_session_id"] == event.sessions[0].id
    people = {p["code"]: p for p in body["registrations"]}
    assert people[reg.ticket_code]["name"] == "Budi Santoso, S.Sos."
    assert list(people[reg.ticket_code]["checkins"]) == [str(event.sessions[0].id)]
    assert people[pending.ticket_code]["status"] == "pending"
    assert people[pending.ticket_code]["checkins"] == {}


def test_roster_queries_do_not_grow_with_registrations(client, db, event, token, make_registration):
    from sqlalchemy import event as sa_event

    event_id = event.id

    def queries_for_roster() -> int:
        statements = []

        def log(*args):
            statements.append(args[2])

        sa_event.listen(db.engine, "before_cursor_execute", log)
        try:
            r = client.get(
                f"/api/v1/events/{event_id}/roster", headers={"Authorization": f"Bearer {token}"}
            )
            assert r.status_code == 200
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", log)
        # Token bookkeeping (last use, written at most once a minute) is not the roster's cost.
        return len([s for s in statements if s.lstrip().upper().startswith("SELECT")])

    make_registration(event)
    queries_for_roster()  # warm-up
    small = queries_for_roster()
    for _ in range(15):
        make_registration(event)
    assert queries_for_roster() == small


def test_scan_is_lean(client, db, event, reg, token):
    """One scan: a handful of reads, one insert, one commit."""
    from sqlalchemy import event as sa_event

    event_id, code = event.id, reg.ticket_code
    statements: list[str] = []

    def log(conn, cursor, statement, *args):
        statements.append(statement)

    sa_event.listen(db.engine, "before_cursor_execute", log)
    try:
        r = post(client, event_id, {"code": code, "nonce": "lean-1"}, token)
    finally:
        sa_event.remove(db.engine, "before_cursor_execute", log)
    assert r.status_code == 201
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # token + user; event + agenda + ticket (person, unit) in one; the staff assignment. The nonce
    # is looked up only when the scan is refused or conflicts (a retry).
    assert len(selects) == 3, selects
    # ...and the token's first use is recorded (at most once a minute).
    others = [s for s in statements if s not in selects and s not in inserts]
    assert [s.split(" SET ")[0] for s in others] == ["UPDATE api_tokens"], others


def test_token_records_its_last_use_at_most_once_a_minute(client, db, event, token, reg):
    from sosialisasi.auth.models import ApiToken

    def last_used():
        db.session.expire_all()
        return db.session.scalar(select(ApiToken.last_used_at))

    assert last_used() is None
    post(client, event.id, {"code": reg.ticket_code}, token)
    first = last_used()
    assert first is not None and utcnow() - first < timedelta(seconds=5)
    post(client, event.id, {"code": reg.ticket_code}, token)
    assert last_used() == first  # no write on every scan
    db.session.execute(db.update(ApiToken).values(last_used_at=first - timedelta(minutes=2)))
    db.session.commit()
    post(client, event.id, {"code": reg.ticket_code}, token)
    assert last_used() > first


def test_search_returns_matches_only(client, db, event, reg, make_registration, token):
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(5):
        make_registration(event)
    url = f"/api/v1/events/{event.id}/search"
    assert client.get(url, headers=headers).get_json() == {"results": []}
    assert client.get(f"{url}?q=bu", headers=headers).get_json() == {"results": []}
    r = client.get(f"{url}?q=santoso", headers=headers)
    body = conforms("/events/{event_id}/search", "get", r)
    assert [x["name"] for x in body["results"]] == ["Budi Santoso, S.Sos."]
    assert body["results"][0]["code"] == reg.ticket_code
    nip = reg.person.nip
    r = client.get(f"{url}?q={nip[:8]} {nip[8:14]}", headers=headers)
    assert reg.ticket_code in [x["code"] for x in r.get_json()["results"]]
    r = client.get(f"{url}?q=" + "x" * 101, headers=headers)
    assert r.status_code == 400
    conforms("/events/{event_id}/search", "get", r)


def test_attendance_counts_per_session_and_unit(client, db, event, reg, token):
    headers = {"Authorization": f"Bearer {token}"}
    post(client, event.id, {"code": reg.ticket_code}, token)
    r = client.get(f"/api/v1/events/{event.id}/attendance", headers=headers)
    body = conforms("/events/{event_id}/attendance", "get", r)
    assert body["registered"] == 1
    assert body["sessions"][0]["present"] == 1
    assert [u["present"] for u in body["units"] if u["name"].startswith("Dinas Kepend")] == [1]
    r = client.get(
        f"/api/v1/events/{event.id}/attendance?session_id={event.sessions[0].id}", headers=headers
    )
    assert conforms("/events/{event_id}/attendance", "get", r)["session"]["present"] == 1
    r = client.get(f"/api/v1/events/{event.id}/attendance?session_id=abc", headers=headers)
    assert r.status_code == 400
    conforms("/events/{event_id}/attendance", "get", r)


def test_openapi_describes_every_api_route_and_nothing_else(app, client, login_as, token):
    r = client.get("/api/v1/openapi.json", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    doc = r.get_json()
    assert doc["openapi"].startswith("3.1")
    described = {(path, method.upper()) for path, ops in doc["paths"].items() for method in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            path = re.sub(r"<(?:int:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1") :])
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                served.add((path, method))
    assert described == served
    Draft202012Validator.check_schema({"components": doc["components"]})
    for name, schema in doc["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema), name
    assert client.get("/api/v1/openapi.json").status_code == 401


def _serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def test_parallel_requests_from_several_devices_make_one_row(app, db, event, reg, staff, token):
    server, thread = _serve(app)
    url = f"http://127.0.0.1:{server.server_port}/api/v1/events/{event.id}/checkins"
    code = reg.ticket_code
    barrier = threading.Barrier(5)
    statuses: list[int] = []

    def device(i: int) -> None:
        req = urllib.request.Request(
            url,
            data=json.dumps({"code": code, "nonce": f"device-{i}"}).encode(),
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            method="POST",
        )
        barrier.wait(timeout=30)
        with urllib.request.urlopen(req, timeout=30) as res:  # noqa: S310 - local test server
            statuses.append(res.status)

    try:
        threads = [threading.Thread(target=device, args=(i,)) for i in range(5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert sorted(statuses) == [200, 200, 200, 200, 201]
    db.session.expire_all()
    assert count(db) == 1


def test_scanned_at_in_the_future_is_clamped_to_now(client, db, event, reg, token):
    future = datetime.now(UTC) + timedelta(days=2)
    r = post(client, event.id, {"code": reg.ticket_code, "scanned_at": future.isoformat()}, token)
    assert r.status_code == 201
    assert db.session.scalar(select(CheckIn.at)) <= utcnow()


def test_nul_characters_never_reach_the_database(client, db, event, reg, token):
    """PostgreSQL refuses NUL in text: such input is refused or cleaned, never a 500."""
    headers = {"Authorization": f"Bearer {token}"}
    r = post(client, event.id, {"code": reg.ticket_code, "device": "HP\x00Pintu"}, token)
    assert r.status_code == 400
    assert r.get_json()["reason"] == "invalid_device"
    r = post(client, event.id, {"code": reg.ticket_code + "\x00"}, token)
    assert r.status_code == 404
    r = client.get(f"/api/v1/events/{event.id}/search?q=Budi%00Santoso", headers=headers)
    assert r.status_code == 200
    assert count(db) == 0


def test_huge_ids_are_not_found_rather_than_a_crash(client, db, event, reg, token):
    headers = {"Authorization": f"Bearer {token}"}
    huge = 10**20
    r = post(client, huge, {"code": reg.ticket_code}, token)
    assert r.status_code == 404
    r = post(client, event.id, {"code": reg.ticket_code, "session_id": huge}, token)
    assert (r.status_code, r.get_json()["reason"]) == (400, "invalid_session")
    r = client.get(f"/api/v1/events/{event.id}/attendance?session_id={huge}", headers=headers)
    assert r.status_code == 400
    for path in ("roster", "search", "attendance"):
        assert client.get(f"/api/v1/events/{huge}/{path}", headers=headers).status_code == 404


def test_attendance_for_a_unit_operator_shows_only_their_unit(
    client, db, login_as, make_user, make_unit, make_person, make_registration, event, reg, token
):
    post(client, event.id, {"code": reg.ticket_code}, token)
    dinkes = make_unit("Dinas Kesehatan")
    event.invitations.append(Invitation(unit=dinkes, quota=2))
    event.invitations.append(Invitation(unit=reg.unit, quota=2))
    make_registration(event, make_person(unit=dinkes))
    db.session.commit()
    login_as(make_user("unit_operator", unit=dinkes))
    body = conforms(
        "/events/{event_id}/attendance", "get", client.get(f"/api/v1/events/{event.id}/attendance")
    )
    assert [u["name"] for u in body["units"]] == ["Dinas Kesehatan"]
    assert body["registered"] == 1
    assert body["sessions"][0]["present"] == 0  # Disdukcapil's check-in is not theirs to see

    login_as(make_user("unit_operator"))  # a unit that was not invited
    assert client.get(f"/api/v1/events/{event.id}/attendance").status_code == 404
    login_as(make_user("verifier"))
    r = client.get(f"/api/v1/events/{event.id}/attendance")
    assert r.status_code == 200 and r.get_json()["registered"] == 2
    assert post(client, event.id, {"code": reg.ticket_code}).status_code == 403


UNDO = "/events/{event_id}/checkins/{checkin_id}"


def test_organizer_undoes_a_scan_through_the_api(
    client, db, login_as, make_user, event, reg, staff, token
):
    first = post(client, event.id, {"code": reg.ticket_code}, token).get_json()
    assert first["checkin_id"] == db.session.scalar(select(CheckIn.id))
    url = f"/api/v1/events/{event.id}/checkins/{first['checkin_id']}"

    r = client.delete(
        url, json={"reason": "salah pindai"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 403  # door staff scan, organizers undo
    conforms(UNDO, "delete", r)

    organizer = login_as(make_user("organizer"))
    for body, reason in [
        (None, "invalid_body"),
        ({"reason": " "}, "invalid_reason"),
        ({"reason": "ok", "x": 1}, "invalid_body"),
    ]:
        r = client.delete(url, json=body)
        assert (r.status_code, r.get_json()["reason"]) == (400, reason)
        conforms(UNDO, "delete", r)
    assert count(db) == 1

    r = client.delete(url, json={"reason": "Salah orang dipindai"})
    assert r.status_code == 200
    assert conforms(UNDO, "delete", r)["message"].startswith(
        "Registrasi ulang Budi Santoso, S.Sos. dibatalkan"
    )
    assert count(db) == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "checkin.undo"))
    assert entry.actor_id == organizer.id and entry.data["operator_id"] == staff.id
    r = client.delete(url, json={"reason": "lagi"})
    assert r.status_code == 404
    conforms(UNDO, "delete", r)
    # The ticket scans again.
    assert post(client, event.id, {"code": reg.ticket_code}, token).status_code == 201


def test_undo_is_scoped_to_the_event(
    client, db, login_as, make_event, make_registration, event, reg, token
):
    row_id = post(client, event.id, {"code": reg.ticket_code}, token).get_json()["checkin_id"]
    other = make_event("Rakor")
    login_as("organizer")
    r = client.delete(f"/api/v1/events/{other.id}/checkins/{row_id}", json={"reason": "uji coba"})
    assert r.status_code == 404
    assert count(db) == 1


UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def test_every_api_answer_spells_utc_with_z(client, db, event, reg, token):
    """One spelling of UTC in the API (issue 12): the check-in, roster and attendance answers."""
    headers = {"Authorization": f"Bearer {token}"}
    stamps = [post(client, event.id, {"code": reg.ticket_code}, token).get_json()["checked_in_at"]]
    roster = client.get(f"/api/v1/events/{event.id}/roster", headers=headers).get_json()
    stamps += [roster["generated_at"], roster["sessions"][0]["starts_at"]]
    stamps += list(roster["registrations"][0]["checkins"].values())
    summary = client.get(f"/api/v1/events/{event.id}/attendance", headers=headers).get_json()
    stamps += [summary["generated_at"], summary["sessions"][0]["starts_at"]]
    stamps += [summary["sessions"][0]["ends_at"], summary["sessions"][0]["late_after"]]
    assert stamps and all(UTC_Z.match(s) for s in stamps), stamps


def test_the_answer_gives_organizers_the_undo_url_of_that_checkin(
    client, db, login_as, make_user, event, reg, make_registration, token
):
    """The scanner's undo link comes from the server (it was built by rewriting '/1$' in JS)."""
    staff_answer = post(client, event.id, {"code": reg.ticket_code}, token).get_json()
    assert staff_answer["undo_url"] is None  # door staff cannot undo
    login_as(make_user("organizer"))
    other = make_registration(event)
    answer = client.post(
        f"/api/v1/events/{event.id}/checkins", json={"code": other.ticket_code}
    ).get_json()
    row_id = db.session.scalar(select(CheckIn.id).where(CheckIn.registration_id == other.id))
    assert answer["undo_url"] == f"/api/v1/events/{event.id}/checkins/{row_id}"
    again = client.post(f"/api/v1/events/{event.id}/checkins", json={"code": other.ticket_code})
    assert again.get_json()["undo_url"] is None  # "already": nothing this scan could undo
    r = client.delete(answer["undo_url"], json={"reason": "salah pindai"})
    assert r.status_code == 200


def _offline(client, event, reg, token, scanned, nonce, device):
    return post(
        client,
        event.id,
        {
            "code": reg.ticket_code,
            "nonce": nonce,
            "scanned_at": scanned.isoformat().replace("+00:00", "Z"),
            "method": "offline",
            "session_id": event.sessions[0].id,
            "device": device,
        },
        token,
    )


def test_two_offline_phones_keep_the_earliest_scan_whichever_syncs_first(
    client, db, event, reg, token
):
    """Scanned 11.11 on phone A and 11.13 on phone B, B syncs first: 11.11 is kept (issue 13)."""
    earlier = (utcnow() - timedelta(minutes=7)).replace(microsecond=0)
    later = earlier + timedelta(minutes=2)
    assert _offline(client, event, reg, token, later, "phone-b-1", "HP B").status_code == 201
    r = _offline(client, event, reg, token, earlier, "phone-a-1", "HP A")
    assert (r.status_code, r.get_json()["result"]) == (200, "already")
    assert r.get_json()["checked_in_at"] == earlier.isoformat().replace("+00:00", "Z")
    db.session.expire_all()
    row = db.session.scalar(select(CheckIn))
    assert (row.at, row.device, row.method) == (earlier, "HP A", CheckInMethod.OFFLINE)
    assert count(db) == 1
    # A later scan never moves the time forward, and a retry of B changes nothing.
    assert _offline(client, event, reg, token, later, "phone-b-1", "HP B").status_code == 201
    assert _offline(client, event, reg, token, later, "phone-c-1", "HP C").status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(CheckIn.at)) == earlier


def test_the_earliest_scan_is_bounded_by_the_session_window(client, db, event, reg, token):
    """A phone whose clock says the scan came before check-in opened cannot move the time."""
    assert post(client, event.id, {"code": reg.ticket_code}, token).status_code == 201
    first = db.session.scalar(select(CheckIn.at))
    before_opening = event.sessions[0].starts_at - timedelta(hours=2)
    r = _offline(client, event, reg, token, before_opening, "phone-x", "HP X")
    assert (r.status_code, r.get_json()["result"]) == (409, "not_open")
    db.session.expire_all()
    assert db.session.scalar(select(CheckIn.at)) == first


def test_wrong_event_answer_names_no_one_to_staff_without_access(
    client, db, login_as, make_user, make_event, make_registration, event, token
):
    """Door staff of event A scanning a ticket of event B learn nothing about B's participant."""
    other_event = make_event("Rakor SKM")
    other = make_registration(other_event)
    r = post(client, event.id, {"code": other.ticket_code}, token)
    body = r.get_json()
    assert (r.status_code, body["result"], body["registration"]) == (409, "wrong_event", None)
    assert other.person.name not in r.get_data(as_text=True)
    assert other.unit.name not in r.get_data(as_text=True)
    # An organizer, who may see every event, is told whose ticket it is.
    login_as(make_user("organizer"))
    r = client.post(f"/api/v1/events/{event.id}/checkins", json={"code": other.ticket_code})
    assert r.get_json()["registration"]["name"] == other.person.name
