"""A certificate batch over the threshold is made by a job; its PDF (with the verification QR
codes) downloads from the job's page."""

from __future__ import annotations

from sosialisasi.auth.models import Role
from sosialisasi.documents.models import Certificate
from tests.documents.conftest import check_in_all, letterhead, pdf_pages, ready_event  # noqa: F401
from tests.documents.test_certificates import attendees, qr_texts  # noqa: F401


def test_a_big_certificate_batch_is_a_job_with_the_same_pdf(app, client, login_as, attendees, db):  # noqa: F811
    event, *_ = attendees
    login_as(Role.ORGANIZER)
    client.post(f"/acara/{event.id}/dokumen/sertifikat/terbitkan")
    app.config["PDF_JOB_MIN_ROWS"] = 1
    answer = client.get(f"/acara/{event.id}/dokumen/sertifikat.pdf")
    assert answer.status_code == 303 and "/tugas/" in answer.location
    assert "Unduh hasil" in client.get(answer.location).get_data(as_text=True)
    pdf = client.get(answer.location + "/berkas")
    assert pdf.status_code == 200 and len(pdf_pages(pdf.data)) == 2
    assert f"sertifikat-{event.id}.pdf" in pdf.headers["Content-Disposition"]
    codes = {c.code for c in db.session.query(Certificate)}
    assert {url.rsplit("/", 1)[1] for url in qr_texts(pdf.data)} == codes
    assert all(url.startswith("http://localhost/") for url in qr_texts(pdf.data))
