"""After ``flask seed`` + ``flask demo`` every demo document prints (no 409), as a Bekasi
reviewer would see it."""

from __future__ import annotations

from sqlalchemy import select

from sosialisasi.auth.models import Role
from sosialisasi.cli import run_seed
from sosialisasi.common.nip import parse_nip
from sosialisasi.demo import load_demo
from sosialisasi.events.holidays import holiday_on
from sosialisasi.events.models import Event, EventKind
from sosialisasi.registration.models import Person
from sosialisasi.units.models import UnitKind

from .test_signed_documents import pages_of


def _demo(db):
    run_seed()
    load_demo()
    db.session.commit()
    past = db.session.scalar(select(Event).where(Event.kind == EventKind.SOSIALISASI))
    upcoming = db.session.scalar(select(Event).where(Event.kind == EventKind.BIMTEK))
    return past, upcoming


def test_every_demo_document_prints_without_a_409(client, login_as, db):
    past, upcoming = _demo(db)
    login_as(Role.ADMIN)
    home = client.get("/beranda")
    assert 'data-testid="document-setup"' not in home.text  # nothing left to set up
    for event in (past, upcoming):
        page = client.get(f"/acara/{event.id}")
        assert 'data-testid="document-setup"' not in page.text
        letter = client.get(f"/acara/{event.id}/dokumen/surat-undangan.pdf")
        assert letter.status_code == 200, letter.text
    assert client.get(f"/acara/{past.id}/daftar-hadir.pdf").status_code == 200
    assert client.post(f"/acara/{past.id}/dokumen/laporan").status_code == 302
    assert client.get(f"/acara/{past.id}/dokumen/laporan.pdf").status_code == 200
    client.post(f"/acara/{past.id}/dokumen/sertifikat/terbitkan")
    certificates = client.get(f"/acara/{past.id}/dokumen/sertifikat.pdf")
    assert certificates.status_code == 200, certificates.text


def test_primebiz_daftar_hadir_has_the_ombudsman_speaker_and_cikarang_pusat(client, login_as, db):
    past, _upcoming = _demo(db)
    login_as(Role.ORGANIZER)
    pages = pages_of(client.get(f"/acara/{past.id}/daftar-hadir.pdf").data)
    assert "Bekasi, 14" not in " ".join(pages)
    speakers = next(p for p in pages if "DAFTAR HADIR NARASUMBER" in p)
    assert "Cikarang Pusat, 14 Februari 2025" in speakers
    assert "Perwakilan Ombudsman RI Jakarta Raya" in speakers
    assert "1. ........" in speakers and "Tidak hadir" not in speakers
    # The puskesmas were invited (and attended, as the news item says).
    invited = {inv.unit.kind for inv in past.invitations}
    assert UnitKind.PUSKESMAS in invited


def test_demo_people_are_believable(db):
    past, upcoming = _demo(db)
    for person in db.session.scalars(select(Person).where(Person.nip.is_not(None))):
        nip = parse_nip(person.nip)  # valid, never sequence 000
        assert nip.pns_warnings() == [], (person.name, person.nip)  # no CPNS before 18
        assert nip.gender == person.gender, (person.name, person.nip)
    for nip in (past.signatory_nip, past.report_signatory_nip):
        parse_nip(nip)
    for event in (past, upcoming):
        assert holiday_on(event.starts_at.date()) is None
        assert holiday_on(event.ends_at.date()) is None
    assert "Kompleks" in upcoming.address
