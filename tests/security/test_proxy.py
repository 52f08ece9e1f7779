"""Behind nginx (docs/deploy.md): every request reaches the app from 127.0.0.1. With
``TRUSTED_PROXIES`` the client's own address (X-Forwarded-For) is what limits and the audit see,
so one client guessing passwords does not lock everybody out (issue 13, found at 893d9ec: a
correct password got 429 after ~10 wrong logins from anyone)."""

from __future__ import annotations

from sqlalchemy import select

from sosialisasi.audit.models import AuditEntry
from tests.conftest import PASSWORD

NGINX = "127.0.0.1"


def _post_login(client, username: str, password: str, client_ip: str):
    return client.post(
        "/masuk",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": NGINX},
        headers={"X-Forwarded-For": client_ip, "X-Forwarded-Proto": "https"},
    )


def test_wrong_logins_from_one_client_do_not_lock_out_another(app, client, make_user):
    app.config.update(
        TRUSTED_PROXIES=1,
        LOGIN_RATE_LIMIT="10 per 5 minutes",
        LOGIN_USERNAME_RATE_LIMIT="30 per 15 minutes",
    )
    siti = make_user("organizer", username="siti")
    attacker = [_post_login(client, "siti", f"tebakan-{i}x", "203.0.113.9") for i in range(11)]
    assert [r.status_code for r in attacker] == [200] * 10 + [429]
    ok = _post_login(client, siti.username, PASSWORD, "198.51.100.7")
    assert ok.status_code == 302, "the owner, from her own address, still gets in"


def test_the_audit_log_keeps_the_clients_address(app, db, client, make_user):
    app.config["TRUSTED_PROXIES"] = 1
    user = make_user("organizer")
    _post_login(client, user.username, PASSWORD, "198.51.100.23")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login"))
    assert entry.ip == "198.51.100.23"


def test_a_client_cannot_choose_its_address_by_sending_the_header_itself(
    app, db, client, make_user
):
    """nginx appends the real peer to X-Forwarded-For; with one trusted hop only that last
    value counts, whatever the client wrote before it."""
    app.config.update(TRUSTED_PROXIES=1, LOGIN_RATE_LIMIT="2 per minute")
    codes = [
        _post_login(client, "siapa", "salah-123456", f"10.0.0.{i}, 203.0.113.50").status_code
        for i in range(3)
    ]
    assert codes == [200, 200, 429]


def test_without_trusted_proxies_the_header_is_ignored(app, db, client, make_user):
    app.config["TRUSTED_PROXIES"] = 0
    user = make_user("organizer")
    _post_login(client, user.username, PASSWORD, "198.51.100.23")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "login"))
    assert entry.ip == NGINX


def test_failed_logins_are_limited_per_username_from_many_addresses(app, client, make_user):
    """Distributed guessing of one account: counted per account name too."""
    app.config.update(
        TRUSTED_PROXIES=1,
        LOGIN_RATE_LIMIT="100 per minute",
        LOGIN_USERNAME_RATE_LIMIT="3 per minute",
    )
    make_user("organizer", username="budi")
    codes = [
        _post_login(client, "Budi", "salah-123456", f"192.0.2.{i}").status_code for i in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    other = _post_login(client, "orang-lain", "salah-123456", "192.0.2.200")
    assert other.status_code == 200  # another account name is not affected


def test_public_registration_counts_failures_only(app, db, client, make_event, make_unit):
    """An office behind one NAT registers many people; only failed posts count."""
    app.config.update(TRUSTED_PROXIES=1, PUBLIC_REGISTRATION_RATE_LIMIT="3 per minute")
    unit = make_unit()
    event = make_event(public_registration=True, invite=[unit], quota=50)
    codes = []
    for i in range(5):
        response = client.post(
            f"/daftar/{event.id}",
            data={
                "name": f"Peserta Umum {i}",
                "kind": "non_asn",
                "unit_id": unit.id,
                "position": "Staf",
                "phone": f"08123456{i:04d}",
            },
            environ_base={"REMOTE_ADDR": NGINX},
            headers={"X-Forwarded-For": "203.0.113.77"},
        )
        codes.append(response.status_code)
    assert codes == [302] * 5, codes
