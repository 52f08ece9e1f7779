"""Where documents are reached from: the event page and the menu."""

from __future__ import annotations

from sosialisasi.auth.models import Role
from sosialisasi.events.models import EventStatus


def test_event_page_links_documents_by_role_and_status(client, login_as, ready_event, make_user):
    event = ready_event(1)
    login_as(Role.ORGANIZER)
    page = client.get(f"/acara/{event.id}").text
    for link in ("surat-undangan", "dokumen/laporan", "dokumen/sertifikat", f"{event.id}/dokumen"):
        assert link in page, link

    login_as(make_user(Role.UNIT_OPERATOR, unit=event.invitations[0].unit))
    page = client.get(f"/acara/{event.id}").text
    assert f"/acara/{event.id}/dokumen" in page  # notulen, photos and materials
    assert "surat-undangan" not in page and "dokumen/sertifikat" not in page


def test_before_the_event_only_the_invitation_letter_is_offered(client, login_as, ready_event):
    event = ready_event(1, status=EventStatus.OPEN)
    login_as(Role.ORGANIZER)
    page = client.get(f"/acara/{event.id}").text
    assert "surat-undangan" in page
    assert "dokumen/laporan" not in page and "dokumen/sertifikat" not in page


def test_letterhead_menu_item_for_admins_only(client, login_as):
    login_as(Role.ADMIN)
    assert "/pengaturan/kop-surat" in client.get("/beranda").text
    login_as(Role.ORGANIZER)
    assert "/pengaturan/kop-surat" not in client.get("/beranda").text
