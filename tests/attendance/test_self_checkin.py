"""Self check-in: the rotating projector QR, the public page, stale codes and the rate limit."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import zxingcpp
from freezegun import freeze_time
from PIL import Image
from sqlalchemy import select

from sosialisasi.attendance import services
from sosialisasi.audit.models import AuditEntry
from sosialisasi.auth.models import Role
from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.common.errors import DomainError
from sosialisasi.common.types import utcnow

from .conftest import START

DURING = START + timedelta(minutes=10)  # 08.10 WIB, session 1 is running
W = services.WINDOW_SECONDS


@pytest.fixture()
def ready(two_session_event, make_unit, make_person, make_registration):
    unit = make_unit("Dinas Kesehatan")
    event = two_session_event(invite=[unit], self_checkin_enabled=True)
    person = make_person(
        "Siti Aminah, S.Kep.", unit=unit, nip="198609262015052001", phone="+6281234567890"
    )
    reg = make_registration(event, person)
    return event, reg


def _pass_from(html: str) -> str:
    return re.search(r'name="k" type="hidden" value="([^"]+)"', html).group(1)


def test_token_of_current_and_previous_window_accepted_older_refused(ready):
    event, _ = ready
    now = DURING
    window = services.window_number(now)
    assert services.verify_token(event, services.token(event, window), now) == window
    assert services.verify_token(event, services.token(event, window - 1), now) == window - 1
    with pytest.raises(services.StaleCode, match="kedaluwarsa"):
        services.verify_token(event, services.token(event, window - 2), now)
    with pytest.raises(services.StaleCode):
        services.verify_token(event, "0123456789", now)
    # The code really changes from one window to the next, and differs between events.
    assert services.token(event, window) != services.token(event, window + 1)


def test_pass_lasts_a_few_minutes_only_and_only_in_the_browser_it_was_issued_to(ready):
    event, _ = ready
    window = services.window_number(DURING)
    device = services.new_device_id()
    issued = services.issue_pass(event, window, device)
    assert services.verify_pass(event, issued, device, DURING + timedelta(minutes=2))
    with pytest.raises(services.StaleCode):
        services.verify_pass(
            event, issued, device, DURING + timedelta(seconds=W * (services.PASS_WINDOWS + 1))
        )
    with pytest.raises(services.StaleCode):
        services.verify_pass(event, f"{window}.forged", device, DURING)
    with pytest.raises(services.StaleCode):  # the same pass copied into another browser
        services.verify_pass(event, issued, services.new_device_id(), DURING)
    with pytest.raises(services.StaleCode):
        services.verify_pass(event, issued, None, DURING)


def test_identity_accepts_grouped_nip_with_phone_digits_or_ticket_link():
    identity = services.parse_identity("19860926 201505 2 001", "7890")
    assert (identity.nip, identity.phone_digits, identity.named) == (
        "198609262015052001",
        "7890",
        False,
    )
    with pytest.raises(DomainError, match="angka terakhir nomor HP"):
        services.parse_identity("19860926 201505 2 001")
    code = "AbCdEfGhIjKlMnOpQrStUv"
    assert services.parse_identity(f"https://acara.bekasikab.go.id/t/{code}").code == code
    with pytest.raises(DomainError, match="18 digit"):
        services.parse_identity("1986")
    with pytest.raises(DomainError):
        services.parse_identity("https://example.com/random")


def test_participant_checks_in_with_nip_from_a_fresh_qr(client, ready, db):
    event, reg = ready
    with freeze_time(DURING):
        fresh = services.current_token(event)[0]
        page = client.get(f"/hadir/{event.id}?k={fresh}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert "NIP atau tautan/kode tiket" in html
        answer = client.post(
            f"/hadir/{event.id}",
            data={
                "k": _pass_from(html),
                "identity": "19860926 201505 2 001",
                "phone_digits": "7890",
            },
        )
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200
    # A typed NIP gets a thank-you that names no one (issue 13).
    assert 'data-result="ok"' in text and "kehadiran Anda tercatat" in text
    assert "Siti Aminah" not in text and "Dinas Kesehatan" not in text
    row = db.session.scalar(select(CheckIn).where(CheckIn.registration_id == reg.id))
    assert row.method is CheckInMethod.SELF and row.session_id == event.sessions[0].id
    assert row.at == DURING
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "checkin.self"))
    assert audit is not None and "Siti Aminah" in audit.summary

    # Scanning again gives the yellow "already" answer with the first time.
    with freeze_time(DURING + timedelta(minutes=5)):
        html = client.get(f"/hadir/{event.id}?k={services.current_token(event)[0]}").get_data(
            as_text=True
        )
        again = client.post(
            f"/hadir/{event.id}",
            data={"k": _pass_from(html), "identity": f"/t/{reg.ticket_code}"},
        )
    # The participant's own ticket link: the answer may name them.
    assert 'data-result="already"' in again.get_data(as_text=True)
    assert "Siti Aminah, S.Kep. sudah registrasi ulang pukul 08.10" in again.get_data(as_text=True)


def test_photo_of_an_old_qr_is_refused(client, ready, db):
    event, _ = ready
    with freeze_time(DURING):
        old = services.current_token(event)[0]
    with freeze_time(DURING + timedelta(seconds=2 * W + 1)):
        page = client.get(f"/hadir/{event.id}?k={old}")
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "Kode QR sudah kedaluwarsa" in html and 'name="identity"' not in html
    assert db.session.scalar(select(CheckIn)) is None


def test_form_left_open_too_long_is_refused(client, ready, db):
    event, _ = ready
    with freeze_time(DURING):
        html = client.get(f"/hadir/{event.id}?k={services.current_token(event)[0]}").get_data(
            as_text=True
        )
    with freeze_time(DURING + timedelta(minutes=10)):
        answer = client.post(
            f"/hadir/{event.id}",
            data={"k": _pass_from(html), "identity": "198609262015052001", "phone_digits": "7890"},
        )
    assert answer.status_code == 403
    assert "Pindai ulang QR" in answer.get_data(as_text=True)
    assert db.session.scalar(select(CheckIn)) is None


def test_page_says_so_when_self_checkin_is_off(client, ready, db):
    event, _ = ready
    with freeze_time(DURING):
        fresh = services.current_token(event)[0]
        event.self_checkin_enabled = False
        db.session.commit()
        page = client.get(f"/hadir/{event.id}?k={fresh}")
    assert page.status_code == 409
    assert "Registrasi ulang mandiri tidak aktif" in page.get_data(as_text=True)


def test_failed_attempts_are_rate_limited(client, ready, app, monkeypatch):
    # Real time here: the limiter's storage expires keys from a thread that freezegun ignores.
    event, _ = ready
    monkeypatch.setitem(app.config, "SELF_CHECKIN_RATE_LIMIT", "2 per minute")
    html = client.get(f"/hadir/{event.id}?k={services.current_token(event)[0]}").get_data(
        as_text=True
    )
    k = _pass_from(html)
    statuses = []
    for _ in range(3):
        answer = client.post(
            f"/hadir/{event.id}",
            data={"k": k, "identity": "199001012020121001", "phone_digits": "1234"},
        )
        statuses.append(answer.status_code)
    assert statuses == [404, 404, 429]
    assert "Terlalu banyak" in answer.get_data(as_text=True)


def test_unknown_nip_and_wrong_phone_digits_get_the_same_answer(client, ready, make_person):
    """No oracle: an unknown NIP, a wrong phone and a person without a phone read alike."""
    event, _ = ready
    make_person("Tanpa Telepon", nip="199203152019031004")
    answers = []
    with freeze_time(DURING):
        for nip, digits in [
            ("199001012020121001", "7890"),  # not registered
            ("198609262015052001", "1111"),  # registered, wrong digits
            ("199203152019031004", "0000"),  # not registered, no phone on file
        ]:
            html = client.get(f"/hadir/{event.id}?k={services.current_token(event)[0]}").get_data(
                as_text=True
            )
            answer = client.post(
                f"/hadir/{event.id}",
                data={"k": _pass_from(html), "identity": nip, "phone_digits": digits},
            )
            assert answer.status_code == 404
            text = answer.get_data(as_text=True)
            answers.append(re.search(r'id="self-checkin-answer".*?</div>\s*</div>', text, re.S)[0])
            assert "Siti" not in text and "Tanpa Telepon" not in text
    assert len(set(answers)) == 1
    assert "NIP dan nomor HP tidak cocok" in answers[0]


def test_display_qr_leads_to_the_public_page_and_changes_each_window(client, login_as, ready):
    event, _ = ready
    with freeze_time(DURING):
        login_as(Role.ORGANIZER)
        display = client.get(f"/acara/{event.id}/hadir-mandiri/layar").get_data(as_text=True)
        assert 'id="self-checkin-qr"' in display and "selfcheckin-display.js" in display
        first = client.get(f"/acara/{event.id}/hadir-mandiri/kode").get_json()
        png = client.get(first["qr"])
        assert png.mimetype == "image/png"
        decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)))[0].text
        assert decoded == first["url"]
        assert f"/hadir/{event.id}?k={services.current_token(event)[0]}" in decoded
    with freeze_time(DURING + timedelta(seconds=W)):
        second = client.get(f"/acara/{event.id}/hadir-mandiri/kode").get_json()
    assert second["window"] == first["window"] + 1 and second["url"] != first["url"]


def test_only_organizers_see_the_display_and_toggle_it(client, login_as, ready, db):
    event, _ = ready
    login_as(Role.VERIFIER)
    assert client.get(f"/acara/{event.id}/hadir-mandiri/qr.png").status_code == 403
    login_as(Role.ORGANIZER)
    answer = client.post(f"/acara/{event.id}/hadir-mandiri", data={})
    assert answer.status_code == 302
    db.session.refresh(event)
    assert event.self_checkin_enabled is False
    assert client.get(f"/acara/{event.id}/hadir-mandiri/qr.png").status_code == 404
    client.post(f"/acara/{event.id}/hadir-mandiri", data={"enabled": "y"})
    db.session.refresh(event)
    assert event.self_checkin_enabled is True
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "event.self_checkin")
    ).all()
    assert len(actions) == 2


def test_one_pass_checks_in_one_person_only(client, ready, db, make_person, make_registration):
    """The reproduction: one pass from the projector checked in three NIPs within 40 ms."""
    event, reg = ready
    others = [
        make_registration(
            event,
            make_person(f"Rekan {n}", nip=f"19900101202012100{n}", phone=f"+62812000011{n}2"),
        )
        for n in (1, 2)
    ]
    with freeze_time(DURING):
        html = client.get(f"/hadir/{event.id}?k={services.current_token(event)[0]}").get_data(
            as_text=True
        )
        k = _pass_from(html)
        answers = [
            client.post(
                f"/hadir/{event.id}", data={"k": k, "identity": nip, "phone_digits": digits}
            )
            for nip, digits in [
                ("198609262015052001", "7890"),
                ("199001012020121001", "1112"),
                ("199001012020121002", "1122"),
            ]
        ]
    assert [a.status_code for a in answers] == [200, 403, 403]
    assert "sudah dipakai" in answers[1].get_data(as_text=True)
    assert "Rekan" not in answers[1].get_data(as_text=True)
    assert "Siti" not in answers[2].get_data(as_text=True)
    rows = db.session.scalars(select(CheckIn.registration_id)).all()
    assert rows == [reg.id]
    assert all(o.id not in rows for o in others)


def test_a_pass_copied_to_another_browser_is_refused(app, client, ready, db):
    event, _ = ready
    with freeze_time(DURING):
        html = client.get(f"/hadir/{event.id}?k={services.current_token(event)[0]}").get_data(
            as_text=True
        )
        other_browser = app.test_client()
        answer = other_browser.post(
            f"/hadir/{event.id}",
            data={"k": _pass_from(html), "identity": "198609262015052001", "phone_digits": "7890"},
        )
    assert answer.status_code == 403
    assert db.session.scalar(select(CheckIn)) is None


def test_successes_are_rate_limited_per_device(
    client, ready, db, app, monkeypatch, make_person, make_registration
):
    # Real time here: the limiter's storage expires keys from a thread that freezegun ignores.
    event, reg = ready
    for s in event.sessions:
        s.starts_at, s.ends_at = utcnow() - timedelta(minutes=5), utcnow() + timedelta(hours=1)
    db.session.commit()
    monkeypatch.setitem(app.config, "SELF_CHECKIN_DEVICE_LIMIT", "1 per 10 minutes")
    other = make_registration(event, make_person("Rekan", phone="+6281200001234"))
    statuses = []
    for target in (reg, other):
        html = client.get(f"/hadir/{event.id}?k={services.current_token(event)[0]}").get_data(
            as_text=True
        )
        answer = client.post(
            f"/hadir/{event.id}",
            data={"k": _pass_from(html), "identity": f"/t/{target.ticket_code}"},
        )
        statuses.append(answer.status_code)
    assert statuses == [200, 429]
    rows = db.session.scalars(select(CheckIn.registration_id)).all()
    assert rows == [reg.id]
