"""Event documents: letterhead, invitation letter, report with its files, certificates."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.types import UTCDateTime, enum_column, utcnow
from ..extensions import Model
from ..units.models import UnitKind

if TYPE_CHECKING:
    from ..auth.models import User
    from ..events.models import Event
    from ..registration.models import Registration


class Letterhead(Model):
    """The kop surat, configured once by an administrator (one row per pemda root unit).

    ``unit_id`` is the pemda the letterhead belongs to; with one pemda it is the only row.
    """

    __tablename__ = "letterheads"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), unique=True)
    government_name: Mapped[str] = mapped_column(String(150), default="")
    secretariat: Mapped[str] = mapped_column(String(150), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    city: Mapped[str] = mapped_column(String(80), default="")  # where letters are dated
    phone: Mapped[str] = mapped_column(String(80), default="")
    website: Mapped[str] = mapped_column(String(150), default="")
    email: Mapped[str] = mapped_column(String(150), default="")
    logo_path: Mapped[str | None] = mapped_column(String(200))  # relative to UPLOAD_FOLDER
    logo_mime: Mapped[str | None] = mapped_column(String(40))
    # Default certificate number for events that set none; placeholders {seq}, {event_code},
    # {unit_code}, {year}, {klasifikasi} (``documents.numbering``).
    certificate_pattern: Mapped[str | None] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class InvitationLetter(Model):
    """What the surat undangan says beyond the event itself (number and signatory live on Event)."""

    __tablename__ = "invitation_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    nature: Mapped[str] = mapped_column(String(40), default="Penting")  # sifat
    subject: Mapped[str] = mapped_column(String(250), default="")  # perihal
    attachment: Mapped[str] = mapped_column(String(80), default="")  # lampiran; blank = computed
    opening: Mapped[str] = mapped_column(Text, default="")  # first paragraph, blank = standard
    note: Mapped[str] = mapped_column(Text, default="")  # e.g. dress code, contact person
    copies: Mapped[str] = mapped_column(Text, default="", server_default="")  # tembusan, per line
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()


class EventReport(Model):
    """Notulen and the texts of the laporan kegiatan; the produced PDF is kept as a file."""

    __tablename__ = "event_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    background: Mapped[str] = mapped_column(Text, default="")  # latar belakang
    legal_basis: Mapped[str] = mapped_column(Text, default="")  # dasar hukum
    purpose: Mapped[str] = mapped_column(Text, default="")  # maksud dan tujuan
    minutes: Mapped[str] = mapped_column(Text, default="")  # notulen (small markup)
    conclusions: Mapped[str] = mapped_column(Text, default="")
    followup_plan: Mapped[str] = mapped_column(Text, default="")
    number: Mapped[str | None] = mapped_column(String(100))  # nomor of the laporan
    report_date: Mapped[date | None] = mapped_column(Date)  # blank: the event's last day
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    produced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    produced_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    pdf_path: Mapped[str | None] = mapped_column(String(200))  # relative to UPLOAD_FOLDER

    event: Mapped[Event] = relationship()
    produced_by: Mapped[User | None] = relationship(foreign_keys=[produced_by_id])

    @property
    def is_stale(self) -> bool:
        """The texts changed after the PDF was produced."""
        return self.produced_at is not None and self.updated_at > self.produced_at


class FileKind(enum.Enum):
    PHOTO = "photo"
    MATERIAL = "material"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {"photo": _("Foto kegiatan"), "material": _("Materi narasumber")}
        return labels[self.value]


class EventFile(Model):
    """A photo or a speaker's material, stored under UPLOAD_FOLDER (never in static/)."""

    __tablename__ = "event_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FileKind] = mapped_column(enum_column(FileKind))
    filename: Mapped[str] = mapped_column(String(200))  # as uploaded, for downloads
    path: Mapped[str] = mapped_column(String(200))  # relative to UPLOAD_FOLDER, random name
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    caption: Mapped[str] = mapped_column(String(250), default="")
    width: Mapped[int | None] = mapped_column()
    height: Mapped[int | None] = mapped_column()
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()


def new_certificate_code() -> str:
    """128 random bits: the verification QR cannot be guessed from a number or an id."""
    return secrets.token_urlsafe(16)


class Certificate(Model):
    """A sertifikat issued to one registration; the name and unit are kept as printed."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    sequence: Mapped[int] = mapped_column()
    number: Mapped[str] = mapped_column(String(80), unique=True)
    code: Mapped[str] = mapped_column(String(43), unique=True, default=new_certificate_code)
    name: Mapped[str] = mapped_column(String(150))
    nip: Mapped[str | None] = mapped_column(String(18))
    unit_name: Mapped[str] = mapped_column(String(200), default="")
    role_label: Mapped[str] = mapped_column(String(40), default="Peserta")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoke_reason: Mapped[str | None] = mapped_column(String(300))

    event: Mapped[Event] = relationship()
    registration: Mapped[Registration] = relationship()

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class UnitAddressing(Model):
    """How letters address one unit, where its kind's rule is wrong: the title of its head
    ("Inspektur", "Direktur RSUD Cabangbungin") and its place in the protocol order."""

    __tablename__ = "unit_addressing"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str | None] = mapped_column(String(200))
    protocol_rank: Mapped[int | None] = mapped_column()


class ProtocolPlace(Model):
    """The place of one unit kind in the protocol order of a letter's addressees, edited as a
    whole list (``invitations.save_protocol_order``); with no rows the built-in order applies."""

    __tablename__ = "protocol_places"

    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind), primary_key=True)
    position: Mapped[int] = mapped_column()
