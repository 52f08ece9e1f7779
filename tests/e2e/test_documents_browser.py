"""Documents in a browser: photos uploaded and shown (CSP, login cookie), and a participant's
certificate whose QR opens the public verification page."""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp

from sosialisasi.auth.models import Role
from tests.conftest import PASSWORD
from tests.documents.conftest import (  # noqa: F401 - fixtures
    check_in_all,
    image_bytes,
    letterhead,
    pdf_pages,
    ready_event,
)

pytestmark = pytest.mark.e2e


def test_organizer_uploads_a_photo_and_participant_verifies_certificate(
    page,
    launch_browser,
    live_server,
    browser_login,
    make_user,
    make_person,
    make_registration,
    letterhead,  # noqa: F811
    ready_event,  # noqa: F811
    check_in_all,  # noqa: F811
    tmp_path,
):
    event = ready_event(1)
    participant = make_registration(
        event, make_person("dr. Siti Aminah, M.Kes.", unit=event.invitations[0].unit)
    )
    check_in_all(participant)

    browser_login(make_user(Role.ORGANIZER), PASSWORD)
    page.goto(f"{live_server}/acara/{event.id}")
    page.get_by_role("link", name="Notulen & dokumentasi").click()
    photo = tmp_path / "pembukaan.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(1200, 800)))
    page.get_by_label("Jenis berkas").select_option("photo")
    page.get_by_label("Berkas", exact=True).set_input_files(str(photo))
    page.get_by_label("Keterangan").fill("Pembukaan oleh Sekda")
    page.get_by_role("button", name="Unggah", exact=True).click()
    page.get_by_text("Foto kegiatan diunggah: pembukaan.jpg.").wait_for()
    image = page.get_by_role("img", name="Pembukaan oleh Sekda")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )

    # The participant, not logged in, opens the ticket and downloads the certificate.
    visitor = launch_browser().new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    phone = visitor.new_page()
    phone.goto(f"{live_server}/t/{participant.ticket_code}")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Unduh sertifikat (PDF)").click()
    data = Path(download.value.path()).read_bytes()
    urls = [
        result.text
        for p in pdf_pages(data)
        for img in p.images
        for result in zxingcpp.read_barcodes(img.image.convert("L"))
    ]
    assert len(urls) == 1 and urls[0].startswith(live_server + "/verifikasi/")
    phone.goto(urls[0])
    assert phone.get_by_role("heading", name="Sertifikat asli dan berlaku").is_visible()
    assert phone.get_by_text("dr. Siti Aminah, M.Kes.").is_visible()
    visitor.close()
