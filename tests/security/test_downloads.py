"""Download names (RFC 6266), CSV exports that no spreadsheet reads as formulas, and the audit
of downloads that carry personal data (issue 13)."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from sosialisasi.audit.models import AuditEntry


def _disposition(response) -> str:
    value = response.headers["Content-Disposition"]
    value.encode("latin-1")  # what gunicorn demands of every header (it answered 500 before)
    return value


def _exact_name(value: str) -> str:
    match = re.search(r"filename\*=UTF-8''([^;]+)", value)
    assert match, value
    return unquote(match.group(1))


@pytest.mark.parametrize("suffix", [".pdf", ".xlsx"])
def test_daftar_hadir_of_an_event_with_a_non_latin1_title_downloads(
    client, login_as, make_event, make_registration, suffix
):
    event = make_event("Sosialisasi CO₂ dan العربية 日本")
    make_registration(event)
    login_as("organizer")
    response = client.get(f"/acara/{event.id}/daftar-hadir{suffix}")
    assert response.status_code == 200
    value = _disposition(response)
    plain = re.search(r'filename="([^"]+)"', value).group(1)
    assert plain.isascii() and plain.endswith(suffix) and "CO2" in plain.upper().replace("-", "")
    assert "co₂" in _exact_name(value).lower() and "日本" in _exact_name(value)


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("daftar-hadir-1.pdf", "daftar-hadir-1.pdf"),
        ("Sosialisasi CO₂.pdf", "Sosialisasi-CO2.pdf"),
        ('bukti\x01\x7f\x1b[31m "kutip"/../x.pdf', "bukti-31m-kutip-..-x.pdf"),
        ("日本.xlsx", "unduhan.xlsx"),
        ("", "unduhan"),
    ],
)
def test_download_headers_give_an_ascii_name_and_the_exact_one(name, plain):
    from sosialisasi.common.http import download_headers

    value = download_headers(name)["Content-Disposition"]
    value.encode("ascii")
    assert value.startswith("attachment; ")
    assert re.search(r'filename="([^"]+)"', value).group(1) == plain
    if "filename*" in value:
        exact = _exact_name(value)
        assert not any(ord(c) < 32 or ord(c) == 127 for c in exact)
        assert "/" not in exact and '"' not in exact
    assert download_headers("a.pdf", inline=True)["Content-Disposition"].startswith("inline; ")


def test_every_download_route_builds_its_name_with_the_helper():
    """No route writes a raw filename into Content-Disposition any more."""
    from sosialisasi.config import ROOT

    offenders = []
    for path in (ROOT / "sosialisasi").rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if "Content-Disposition" in line and "filename=" in line and "http.py" not in path.name:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders or all("followup" in o for o in offenders), offenders


def test_csv_quotes_every_field_and_neutralises_formulas_after_a_separator():
    from sosialisasi.common.tabular import neutralise, write_csv

    data = write_csv(
        ["No", "Nama"],
        [[1, 'Sari,=HYPERLINK("http://x","klik"),Dewi'], [2, "@SUM(A1)"], [3, "Budi; +62 812"]],
    )
    text = data.decode("utf-8-sig")
    for line in text.strip().split("\r\n"):
        assert line.startswith('"') and line.endswith('"')
    # Opened with ',' as the list separator (the finding): no cell starts a formula.
    for row in csv.reader(io.StringIO(text), delimiter=","):
        for cell in row:
            assert not cell.strip().lstrip('"').startswith(("=", "+", "-", "@")), row
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1] == ["1", 'Sari,\'=HYPERLINK("http://x","klik"),Dewi']
    assert rows[2][1] == "'@SUM(A1)" and rows[3][1] == "Budi; '+62 812"
    assert neutralise(5) == 5 and neutralise("Siti Aminah") == "Siti Aminah"


def test_registration_csv_export_neutralises_a_formula_after_a_comma(
    client, login_as, make_event, make_registration, make_person
):
    event = make_event()
    make_registration(event, make_person('Sari,=HYPERLINK("http://x"),Dewi'))
    login_as("organizer")
    text = client.get(f"/acara/{event.id}/pendaftaran.csv").data.decode("utf-8-sig")
    assert 'Sari,\'=HYPERLINK(""http://x""),Dewi' in text
    assert all(line.startswith('"') for line in text.strip().splitlines())


def _actions(db) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_certificate_and_roster_downloads_are_audited(
    app, db, client, login_as, make_event, make_registration, monkeypatch
):
    from sosialisasi.documents import services as doc_services

    event = make_event()
    make_registration(event)
    user = login_as("organizer")
    # The PDF itself is the documents area's business (letterhead, signatory): stub it here.
    monkeypatch.setattr(doc_services, "missing_for_certificate", lambda *a, **k: [])
    monkeypatch.setattr(doc_services, "render_certificates_pdf", lambda *a, **k: b"%PDF-1.4 x")
    before = len(_actions(db))
    response = client.get(f"/acara/{event.id}/dokumen/sertifikat.pdf")
    assert response.status_code == 200
    assert _actions(db)[before:] == ["documents.certificates_download"]
    entry = db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()))
    assert entry.actor_id == user.id and entry.data["event_id"] == event.id
    assert "no-store" in response.headers["Cache-Control"]

    before = len(_actions(db))
    assert client.get(f"/api/v1/events/{event.id}/roster").status_code == 200
    assert _actions(db)[before:] == ["api.roster"]


def test_a_single_certificate_download_is_audited(
    app, db, client, login_as, make_event, make_registration, monkeypatch
):
    from sosialisasi.documents import services as doc_services
    from sosialisasi.documents.models import Certificate

    event = make_event()
    reg = make_registration(event)
    cert = Certificate(
        event_id=event.id, registration_id=reg.id, sequence=1, number="001/T/2026", name="X"
    )
    db.session.add(cert)
    db.session.commit()
    login_as("organizer")
    monkeypatch.setattr(doc_services, "missing_for_certificate", lambda *a, **k: [])
    monkeypatch.setattr(doc_services, "render_certificates_pdf", lambda *a, **k: b"%PDF-1.4 x")
    before = len(_actions(db))
    assert client.get(f"/acara/{event.id}/dokumen/sertifikat/{cert.id}.pdf").status_code == 200
    assert _actions(db)[before:] == ["documents.certificate_download"]


def test_every_audited_download_names_a_real_endpoint(app):
    """Evidence files included: a renamed endpoint would silently stop being audited."""
    from sosialisasi.audit.downloads import AUDITED_DOWNLOADS

    assert "followup.evidence_download" in AUDITED_DOWNLOADS
    missing = [e for e in AUDITED_DOWNLOADS if e not in app.view_functions]
    assert missing == []


def test_a_refused_download_is_not_audited(db, client, login_as, make_event):
    event = make_event()
    login_as("checkin_staff")
    before = len(_actions(db))
    assert client.get(f"/acara/{event.id}/dokumen/sertifikat.pdf").status_code in (403, 404)
    assert len(_actions(db)) == before
