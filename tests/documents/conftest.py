"""Fixtures for the documents tests: a complete letterhead, a finished event, check-ins, images."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from PIL import Image
from pypdf import PdfReader

from sosialisasi.auth.models import Role
from sosialisasi.checkin.models import CheckIn, CheckInMethod
from sosialisasi.documents import services
from sosialisasi.events.models import EventStatus, Speaker
from sosialisasi.units.models import UnitKind

EVENT_START = datetime(2025, 2, 14, 1, 0, tzinfo=UTC)  # Jumat, 14 Februari 2025, 08.00 WIB


def image_bytes(fmt: str = "PNG", size=(120, 120), color=(0, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format=fmt)
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    """All text of the PDF with line breaks folded to spaces (wrapping does not matter)."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_pages(data: bytes) -> list:
    return list(PdfReader(io.BytesIO(data)).pages)


@pytest.fixture()
def letterhead(db, make_user):
    admin = make_user(Role.ADMIN)
    lh = services.save_letterhead(
        services.LetterheadData(
            government_name="Pemerintah Kabupaten Bekasi",
            secretariat="Sekretariat Daerah",
            address="Jl. Deltamas Boulevard, Cikarang Pusat, Kabupaten Bekasi 17530",
            city="Cikarang Pusat",
            phone="(021) 89970000",
            website="bekasikab.go.id",
            email="setda@bekasikab.go.id",
        ),
        logo=image_bytes(),
        actor=admin,
    )
    db.session.commit()
    return lh


@pytest.fixture()
def ready_event(db, make_event, make_unit):
    """A finished event with everything a document needs, three invited units and a speaker."""

    def make(n_units: int = 3, **kw):
        units = [
            make_unit("Dinas Kesehatan", kind=UnitKind.DINAS),
            make_unit("Kecamatan Cikarang Selatan", kind=UnitKind.KECAMATAN),
            make_unit("RSUD Kabupaten Bekasi", kind=UnitKind.RSUD),
        ][:n_units]
        units += [make_unit(f"Dinas Contoh {i}") for i in range(max(0, n_units - 3))]
        event = make_event(
            "Sosialisasi Penilaian Kepatuhan Pelayanan Publik 2025",
            starts_at=EVENT_START,
            hours=4,
            status=kw.pop("status", EventStatus.FINISHED),
            invite=units,
            quota=2,
            address="Cikarang Selatan",
            letter_number="005/123/Org",
            letter_date=date(2025, 2, 7),
            signatory_name="Dr. H. Dedy Supriyadi, M.Si.",
            signatory_position="Sekretaris Daerah Kabupaten Bekasi",
            signatory_nip="197001011990031005",
            **kw,
        )
        # The penanggung jawab signs the daftar hadir and the laporan (issue 15).
        event.report_signatory_name = "Rina Kurniasih, S.Sos., M.Si."
        event.report_signatory_position = "Kepala Bagian Organisasi"
        event.report_signatory_rank = "Pembina (IV/a)"
        event.report_signatory_nip = "197803152005012003"
        event.speakers.append(
            Speaker(
                name="Dedy Irsan",
                title="Kepala Perwakilan",
                institution="Ombudsman RI Jakarta Raya",
            )
        )
        db.session.commit()
        return event

    return make


@pytest.fixture()
def check_in_all(db):
    """Check a registration in to every session of its event."""

    def check(registration, sessions=None):
        for s in sessions or registration.event.sessions:
            db.session.add(
                CheckIn(
                    registration_id=registration.id,
                    session_id=s.id,
                    at=s.starts_at,
                    method=CheckInMethod.MANUAL,
                )
            )
        db.session.commit()

    return check
