"""Events, their agenda (sessions), speakers, invited units and door staff."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.types import UTCDateTime, enum_column, utcnow
from ..extensions import Model

if TYPE_CHECKING:
    from ..auth.models import User
    from ..units.models import Unit


class EventKind(enum.Enum):
    SOSIALISASI = "sosialisasi"
    BIMTEK = "bimtek"
    RAKOR = "rakor"
    FGD = "fgd"
    WORKSHOP = "workshop"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "sosialisasi": _("Sosialisasi"),
            "bimtek": _("Bimbingan Teknis"),
            "rakor": _("Rapat Koordinasi"),
            "fgd": _("Diskusi Kelompok Terpumpun (FGD)"),
            "workshop": _("Lokakarya"),
        }
        return labels[self.value]


class EventStatus(enum.Enum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    RUNNING = "running"
    FINISHED = "finished"
    REPORTED = "reported"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "draft": _("Draf"),
            "open": _("Pendaftaran dibuka"),
            "closed": _("Pendaftaran ditutup"),
            "running": _("Berlangsung"),
            "finished": _("Selesai"),
            "reported": _("Dilaporkan"),
            "cancelled": _("Dibatalkan"),
        }
        return labels[self.value]

    @property
    def badge(self) -> str:
        return {
            "draft": "secondary",
            "open": "success",
            "closed": "warning",
            "running": "primary",
            "finished": "dark",
            "reported": "info",
            "cancelled": "danger",
        }[self.value]


class AttendanceRule(enum.Enum):
    """Who "memenuhi syarat" (e.g. for a certificate).

    ``ANY_SESSION`` is one scan for the whole event (what a single door can give, the default);
    ``PER_DAY`` one scan on every day of the event; ``ALL_MANDATORY`` a scan in every session
    marked wajib; ``ALL_SESSIONS`` a scan in every session. The rule is applied in
    ``attendance.rules``.
    """

    ANY_SESSION = "any_session"
    PER_DAY = "per_day"
    ALL_MANDATORY = "all_mandatory"
    ALL_SESSIONS = "all_sessions"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "any_session": _("Satu kali pindai untuk seluruh acara"),
            "per_day": _("Satu kali pindai setiap hari acara"),
            "all_mandatory": _("Pindai di setiap sesi wajib"),
            "all_sessions": _("Pindai di setiap sesi"),
        }
        return labels[self.value]

    @property
    def per_session(self) -> bool:
        return self in (AttendanceRule.ALL_MANDATORY, AttendanceRule.ALL_SESSIONS)


class SignatoryCapacity(enum.Enum):
    """How the official signs (Permendagri 1/2023): in their own office, or for another."""

    DEFINITIVE = ""
    AN = "a.n."  # atas nama: signs for the holder of another office
    PLT = "Plt."  # pelaksana tugas
    PLH = "Plh."  # pelaksana harian

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "": _("Pejabat definitif"),
            "a.n.": _("a.n. (atas nama)"),
            "Plt.": _("Plt. (pelaksana tugas)"),
            "Plh.": _("Plh. (pelaksana harian)"),
        }
        return labels[self.value]


def _secret() -> str:
    return secrets.token_urlsafe(32)


class Event(Model):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(250))
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind), default=EventKind.SOSIALISASI)
    description: Mapped[str] = mapped_column(Text, default="")
    venue: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus), default=EventStatus.DRAFT, index=True
    )
    organizer_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    # Surat undangan
    letter_number: Mapped[str | None] = mapped_column(String(100))
    letter_date: Mapped[date | None] = mapped_column(Date)
    signatory_name: Mapped[str | None] = mapped_column(String(150))
    signatory_position: Mapped[str | None] = mapped_column(String(200))
    signatory_nip: Mapped[str | None] = mapped_column(String(18))
    # The rest of the signature block (issue 15): pangkat, and a.n./Plt./Plh. with the office
    # signed for ("BUPATI BEKASI" under "a.n."; "SEKRETARIS DAERAH" under "Plh.").
    signatory_rank: Mapped[str | None] = mapped_column(String(80))
    signatory_capacity: Mapped[str] = mapped_column(String(10), default="", server_default="")
    signatory_for: Mapped[str | None] = mapped_column(String(200))
    # Daftar hadir and laporan kegiatan are signed by the penanggung jawab (Kabag Organisasi),
    # not the official who signed the invitation.
    report_signatory_name: Mapped[str | None] = mapped_column(String(150))
    report_signatory_position: Mapped[str | None] = mapped_column(String(200))
    report_signatory_rank: Mapped[str | None] = mapped_column(String(80))
    report_signatory_nip: Mapped[str | None] = mapped_column(String(18))
    # Certificate numbers: "{seq}/{klasifikasi}/SERT/{event_code}/{year}" etc.
    document_code: Mapped[str | None] = mapped_column(String(40))  # {event_code}
    classification_code: Mapped[str | None] = mapped_column(String(40))  # {klasifikasi}
    certificate_pattern: Mapped[str | None] = mapped_column(String(120))
    # Registration rules
    default_quota: Mapped[int] = mapped_column(default=2)
    capacity: Mapped[int | None] = mapped_column()
    requires_approval: Mapped[bool] = mapped_column(default=False)
    public_registration: Mapped[bool] = mapped_column(default=False)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Check-in rules
    checkin_opens_minutes: Mapped[int] = mapped_column(default=60)
    late_tolerance_minutes: Mapped[int] = mapped_column(default=15)
    self_checkin_enabled: Mapped[bool] = mapped_column(default=False)
    secret: Mapped[str] = mapped_column(String(64), default=_secret)
    attendance_rule: Mapped[AttendanceRule] = mapped_column(
        enum_column(AttendanceRule), default=AttendanceRule.ANY_SESSION
    )
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    cloned_from_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organizer_unit: Mapped[Unit | None] = relationship()
    sessions: Mapped[list[EventSession]] = relationship(
        back_populates="event", order_by="EventSession.starts_at", cascade="all, delete-orphan"
    )
    speakers: Mapped[list[Speaker]] = relationship(
        back_populates="event", order_by="Speaker.position", cascade="all, delete-orphan"
    )
    invitations: Mapped[list[Invitation]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )
    staff: Mapped[list[User]] = relationship(secondary="event_staff")

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"


class EventSession(Model):
    """One item of the agenda; check-in happens per session."""

    __tablename__ = "event_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(250))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"))
    mandatory: Mapped[bool] = mapped_column(default=True)

    event: Mapped[Event] = relationship(back_populates="sessions")
    # The first speaker (what letters, tickets and reports print) ...
    speaker: Mapped[Speaker | None] = relationship()
    # ... and every speaker of the session, in the event's speaker order.
    speakers: Mapped[list[Speaker]] = relationship(
        secondary="session_speakers", order_by="Speaker.position"
    )

    @property
    def speaker_names(self) -> str:
        people = self.speakers or ([self.speaker] if self.speaker else [])
        return ", ".join(p.name for p in people)


class SessionSpeaker(Model):
    """Several speakers per session (a panel)."""

    __tablename__ = "session_speakers"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("event_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), primary_key=True
    )


class Speaker(Model):
    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(150))
    title: Mapped[str] = mapped_column(String(200), default="")  # jabatan
    institution: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(default=0)

    event: Mapped[Event] = relationship(back_populates="speakers")

    @property
    def label(self) -> str:
        return ", ".join(p for p in (self.name, self.title, self.institution) if p)


class Invitation(Model):
    """A unit invited to an event, with how many people it may send."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("event_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    quota: Mapped[int] = mapped_column(default=2)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(back_populates="invitations")
    unit: Mapped[Unit] = relationship()


class EventStaff(Model):
    """Check-in staff assigned to an event's door."""

    __tablename__ = "event_staff"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
