"""Reaching every invited unit (issue 16 item 2, issue 18): a registration link per unit,
saved message templates, and "kirim ke semua" as a job."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from freezegun import freeze_time

from sosialisasi.auth.models import Role
from sosialisasi.common.types import utcnow
from sosialisasi.common.wib import to_wib
from sosialisasi.jobs.models import Job
from sosialisasi.registration import delivery, message_templates
from sosialisasi.registration.models import (
    MessageKind,
    Registration,
    RegistrationSource,
    UnitLink,
)


def _person(**kw):
    data = {
        "kind": "pns",
        "nip": "198609262015052001",
        "name": "Ani Suryani",
        "position": "Staf",
        "phone": "081234567890",
        "email": "",
    }
    data.update(kw)
    return data


@pytest.fixture()
def world(make_unit, make_event):
    dinkes = make_unit("Dinas Kesehatan", short_name="Dinkes")
    dinsos = make_unit("Dinas Sosial")
    event = make_event(invite=[dinkes, dinsos], quota=1)
    return event, dinkes, dinsos


def _links_page(client, event):
    return client.get(f"/acara/{event.id}/tautan-unit").text


def _make_link(client, event, unit, **data):
    client.post(f"/acara/{event.id}/tautan-unit", data={"unit_id": unit.id, **data})
    page = _links_page(client, event)
    return re.search(r'id="tautan-\d+" value="([^"]+)"', page).group(1), page


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_unit_link_registers_for_its_unit_only_within_the_quota(
    db, client, login_as, world, make_registration, make_person
):
    event, dinkes, dinsos = world
    login_as(Role.ORGANIZER)
    url, page = _make_link(client, event, dinkes)
    assert "Dinas Kesehatan" in page and "https://wa.me/?text=" in page
    assert 'data-copy="#tautan-' in page and "Cabut" in page
    # Whoever registers through the link registers for Dinas Kesehatan, even if the request
    # names another unit; the event's public link is closed and does not matter.
    client.post("/keluar")
    form = client.get(_path(url)).text
    assert "Dinas Kesehatan" in form and "Dinas Sosial" not in form
    response = client.post(_path(url), data=_person(unit_id=dinsos.id))
    assert response.status_code == 302
    reg = db.session.query(Registration).filter_by(event_id=event.id).one()
    assert reg.unit_id == dinkes.id and reg.source is RegistrationSource.UNIT_LINK
    assert db.session.query(UnitLink).one().uses == 1
    # The quota (1) is the public form's rule: the form says the quota is full.
    full = client.post(_path(url), data=_person(nip="198709092010011001", name="Budi"))
    assert "Pendaftaran ditutup: kuota penuh" in full.text
    assert db.session.query(Registration).filter_by(event_id=event.id).count() == 1


def test_changed_revoked_and_expired_links_answer_a_clear_page(db, client, login_as, world):
    event, dinkes, dinsos = world
    login_as(Role.ORGANIZER)
    url, _page = _make_link(client, event, dinkes)
    path = _path(url)
    forged = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    bad = client.get(forged)
    assert bad.status_code == 404 and "Tautan pendaftaran ini tidak dikenal" in bad.text
    link = db.session.query(UnitLink).one()
    with freeze_time(link.expires_at + timedelta(minutes=1)):
        late = client.get(path)
    assert late.status_code == 410 and "sudah kedaluwarsa" in late.text
    client.post(f"/acara/{event.id}/tautan-unit/{link.id}/cabut")
    page = _links_page(client, event)
    assert "Dicabut" in page
    gone = client.get(path)
    assert gone.status_code == 410 and "sudah dicabut oleh panitia" in gone.text
    posted = client.post(path, data=_person())
    assert posted.status_code == 410
    assert db.session.query(Registration).count() == 0


def test_default_expiry_is_registration_close_and_a_picked_date_is_end_of_day(
    db, client, login_as, world
):
    event, dinkes, dinsos = world
    event.registration_closes_at = event.starts_at - timedelta(days=1)
    db.session.commit()
    login_as(Role.ORGANIZER)
    _make_link(client, event, dinkes)
    assert db.session.query(UnitLink).one().expires_at == event.registration_closes_at
    day = (utcnow() + timedelta(days=3)).date()
    client.post(
        f"/acara/{event.id}/tautan-unit", data={"unit_id": dinsos.id, "expires": day.isoformat()}
    )
    link = db.session.query(UnitLink).filter_by(unit_id=dinsos.id).one()
    assert to_wib(link.expires_at).strftime("%Y-%m-%d %H:%M") == f"{day.isoformat()} 23:59"
    past = client.post(
        f"/acara/{event.id}/tautan-unit",
        data={"unit_id": dinsos.id, "expires": "2020-01-01"},
        follow_redirects=True,
    )
    assert "Tanggal berlaku tautan sudah lewat" in past.text


def test_one_click_makes_links_for_every_invited_unit_without_an_operator(
    db, client, login_as, world, make_user
):
    event, dinkes, dinsos = world
    make_user(Role.UNIT_OPERATOR, unit=dinkes)
    login_as(Role.ORGANIZER)
    page = _links_page(client, event)
    assert "Buat untuk 1 unit tanpa operator" in page
    client.post(f"/acara/{event.id}/tautan-unit", data={"semua": "1"})
    assert [link.unit_id for link in db.session.query(UnitLink)] == [dinsos.id]
    again = client.post(
        f"/acara/{event.id}/tautan-unit", data={"semua": "1"}, follow_redirects=True
    )
    assert "sudah punya tautan aktif" in again.text
    assert db.session.query(UnitLink).count() == 1


def test_only_organizers_manage_unit_links(client, login_as, world):
    event, dinkes, _dinsos = world
    login_as(Role.UNIT_OPERATOR, unit=dinkes)
    assert client.get(f"/acara/{event.id}/tautan-unit").status_code == 403
    assert client.post(f"/acara/{event.id}/tautan-unit", data={"semua": "1"}).status_code == 403


# --- message templates -------------------------------------------------------------------------


def test_templates_preview_refuse_unknown_placeholders_and_override_per_event(
    db, client, login_as, world, make_event
):
    event, dinkes, _dinsos = world
    other = make_event(title="Acara Lain")
    login_as(Role.ORGANIZER)
    url = f"/acara/{event.id}/templat-pesan"
    bad = client.post(
        url, data={"jenis": "undangan", "template": "Halo {unit} {jam}", "aksi": "simpan"}
    )
    assert bad.status_code == 422
    assert "Isian tidak dikenal: {jam}. Yang tersedia: {nama_acara}" in bad.text
    assert (
        "Isian tidak dikenal: {unit.__class__}"
        in client.post(
            url, data={"jenis": "undangan", "template": "{unit.__class__}", "aksi": "pratinjau"}
        ).text
    )
    assert (
        "Tanda kurung kurawal tidak seimbang"
        in client.post(
            url, data={"jenis": "undangan", "template": "Halo {unit", "aksi": "pratinjau"}
        ).text
    )
    preview = client.post(
        url,
        data={"jenis": "undangan", "template": "{unit}: {nama_acara} kuota {kuota}", "aksi": "x"},
    ).text
    assert f"Dinas Kesehatan: {event.title} kuota 1" in preview

    # A default for every event, then this event's own text.
    client.post(
        "/templat-pesan",
        data={"jenis": "undangan", "template": "UMUM {unit} {tautan}", "aksi": "simpan"},
    )
    client.post(url, data={"jenis": "undangan", "template": "KHUSUS {unit}", "aksi": "simpan"})
    assert message_templates.text_for(MessageKind.UNDANGAN, event) == "KHUSUS {unit}"
    assert message_templates.text_for(MessageKind.UNDANGAN, other) == "UMUM {unit} {tautan}"
    assert "khusus acara ini" in client.get(url).text
    notice = client.get(f"/acara/{event.id}/undangan/pemberitahuan").text
    assert "KHUSUS {unit}" in notice
    client.post(url, data={"jenis": "undangan", "template": "", "aksi": "kembalikan"})
    assert message_templates.text_for(MessageKind.UNDANGAN, event) == "UMUM {unit} {tautan}"


def test_the_ticket_mail_uses_the_saved_ticket_text(
    app, db, client, login_as, world, make_registration, make_person
):
    event, dinkes, _dinsos = world
    reg = make_registration(event, make_person("Sari Wulandari", unit=dinkes))
    with app.test_request_context("/"):
        default = delivery.ticket_message(reg)
        assert default.startswith("Yth. Sari Wulandari,\nAnda terdaftar sebagai peserta")
        assert delivery.ticket_url(reg) in default
    login_as(Role.ORGANIZER)
    client.post(
        f"/acara/{event.id}/templat-pesan",
        data={"jenis": "tiket", "template": "Halo {nama} ({unit}): {tautan}", "aksi": "simpan"},
    )
    with app.test_request_context("/"):
        assert delivery.ticket_message(reg) == (
            f"Halo Sari Wulandari (Dinas Kesehatan): {delivery.ticket_url(reg)}"
        )
    refused = client.post(
        f"/acara/{event.id}/templat-pesan",
        data={"jenis": "undangan", "template": "{nama}", "aksi": "simpan"},
    )
    assert "Isian tidak dikenal: {nama}" in refused.text  # {nama} is the ticket's only


# --- "kirim ke semua" as a job -----------------------------------------------------------------


def test_notice_to_all_runs_as_a_job_with_each_units_link(
    app, db, client, login_as, world, make_user, request
):
    event, dinkes, dinsos = world
    op = make_user(Role.UNIT_OPERATOR, unit=dinkes, email="op@dinkes.example")
    op.phone = "+6281211112222"
    db.session.commit()
    login_as(Role.ORGANIZER)
    url, _page = _make_link(client, event, dinsos)  # Dinas Sosial has no operator
    preview = client.post(
        f"/acara/{event.id}/undangan/pemberitahuan",
        data={"template": "Yth. {unit}: {tautan}", "kirim": "pratinjau"},
    ).text
    assert f"Yth. Dinas Sosial: {url}" in preview  # its own link, to send by WhatsApp
    assert f"/acara/{event.id}/delegasi" in preview  # the operator's page for Dinkes
    assert "Server e-mail belum diatur" in preview
    assert "https://wa.me/6281211112222?text=" in preview  # straight to Dinkes' operator

    sent = request.getfixturevalue("mail_outbox")  # now a mail server is configured
    response = client.post(
        f"/acara/{event.id}/undangan/pemberitahuan",
        data={"template": "Yth. {unit}: {nama_acara}", "kirim": "email", "jenis": "pengingat"},
    )
    assert response.status_code == 303 and "/tugas/" in response.headers["Location"]
    job = db.session.query(Job).filter_by(kind="registration.notices").one()
    assert job.status == "done" and job.result == {"units": 2, "sent": 1, "without_email": 1}
    assert [(m["To"], m["Subject"]) for m in sent] == [
        ("op@dinkes.example", f"Pengingat: {event.title}")
    ]
    assert sent[0].get_content().strip() == f"Yth. Dinas Kesehatan: {event.title}"
    status = client.get(f"/tugas/{job.id}/status.json").get_json()
    assert status["percent"] == 100 and status["total"] == 2
