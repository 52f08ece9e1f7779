"""People (participant identities reused across events) and their registrations."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import pgettext
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, event, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..common.text import fold
from ..common.types import UTCDateTime, enum_column, utcnow
from ..extensions import Model
from . import people_fts

if TYPE_CHECKING:
    from ..auth.models import User
    from ..events.models import Event
    from ..units.models import Unit


class EmployeeKind(enum.Enum):
    PNS = "pns"
    PPPK = "pppk"
    NON_ASN = "non_asn"
    EXTERNAL = "external"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "pns": "PNS",
            "pppk": "PPPK",
            "non_asn": _("Non-ASN"),
            "external": _("Pihak luar"),
        }
        return labels[self.value]


class RegistrationRole(enum.Enum):
    PESERTA = "peserta"
    NARASUMBER = "narasumber"
    PANITIA = "panitia"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            # One person's role: "Participant", where page headings say "Participants".
            "peserta": pgettext("peran", "Peserta"),
            "narasumber": pgettext("peran", "Narasumber"),
            "panitia": pgettext("peran", "Panitia"),
        }
        return labels[self.value]


class RegistrationStatus(enum.Enum):
    PENDING = "pending"  # waits for the organizer's approval
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "pending": _("Menunggu persetujuan"),
            "registered": _("Terdaftar"),
            "waitlisted": _("Daftar tunggu"),
            "rejected": _("Ditolak"),
            "cancelled": _("Dibatalkan"),
        }
        return labels[self.value]

    @property
    def badge(self) -> str:
        return {
            "pending": "warning",
            "registered": "success",
            "waitlisted": "info",
            "rejected": "danger",
            "cancelled": "secondary",
        }[self.value]


class RegistrationSource(enum.Enum):
    OPERATOR = "operator"
    ORGANIZER = "organizer"
    PUBLIC = "public"
    IMPORT = "import"
    WALKIN = "walkin"
    UNIT_LINK = "unit_link"  # a unit's own registration link (``unit_links``)

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "operator": _("Operator unit"),
            "organizer": _("Panitia"),
            "public": _("Tautan publik"),
            "import": _("Impor"),
            "walkin": _("Datang langsung"),
            "unit_link": _("Tautan unit"),
        }
        return labels[self.value]


def new_ticket_code() -> str:
    """128 random bits, URL-safe: unguessable, never derived from the id."""
    return secrets.token_urlsafe(16)


class Person(Model):
    __tablename__ = "people"
    __table_args__ = (
        # The NIP's last three digits (the sequence number): "000" marks a NIP damaged by
        # Excel (``common.nip.parse_nip`` refuses them); the review page finds them through it.
        Index("ix_people_nip_sequence", func.substr(text("nip"), 16)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(150), index=True)  # with gelar
    nip: Mapped[str | None] = mapped_column(String(18), unique=True)
    # NIK of people without a NIP (THL, BLUD staff, PPPK paruh waktu, guests); common.nik
    nik: Mapped[str | None] = mapped_column(String(16), unique=True)
    # where someone from outside the Pemkab works (kind EXTERNAL, no unit): free text
    instansi: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[EmployeeKind] = mapped_column(enum_column(EmployeeKind), default=EmployeeKind.PNS)
    gender: Mapped[str | None] = mapped_column(String(1))  # L / P
    position: Mapped[str] = mapped_column(String(200), default="")  # jabatan
    rank: Mapped[str] = mapped_column(String(80), default="")  # pangkat/golongan
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164
    email: Mapped[str | None] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(150), default="", index=True)  # fold(name)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    anonymized_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[Unit | None] = relationship()
    registrations: Mapped[list[Registration]] = relationship(
        back_populates="person", foreign_keys="Registration.person_id"
    )

    @property
    def affiliation(self) -> str:
        """The unit's name, else the free-text instansi (people from outside the Pemkab)."""
        if self.unit is not None:
            return self.unit.name
        return self.instansi or ""

    @property
    def id_number(self) -> str | None:
        """What a "NIP/NIK" field shows: the NIP, else the NIK."""
        return self.nip or self.nik

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = fold(name)[:150]
        return name


# The name search's index on SQLite (FTS5 table and triggers) for a schema made by
# ``db.create_all()``; the migration 0013_search makes it on real databases (``people_fts``).
event.listen(Person.__table__, "after_create", people_fts.after_create)
event.listen(Person.__table__, "before_drop", people_fts.before_drop)


class Registration(Model):
    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("event_id", "person_id"),
        # "This event's registered people": without it SQLite picks the status index (nearly
        # every row of a district's five years says "registered") and reads them all; with the
        # unit, the attendance dashboard counts per unit from the index alone.
        Index("ix_registrations_event_id_status_unit_id", "event_id", "status", "unit_id"),
        # "This unit's people at this event" (unit pages over hundreds of events).
        Index("ix_registrations_unit_id_event_id", "unit_id", "event_id"),
        # "These people's (registered) registrations" (a person's history, a unit's JP of a
        # year): status and event are read from the index, not from 300,000 scattered rows;
        # status second, so that "person and status" beats the status index alone.
        Index("ix_registrations_person_id_status_event_id", "person_id", "status", "event_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))  # indexed above
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    role: Mapped[RegistrationRole] = mapped_column(
        enum_column(RegistrationRole), default=RegistrationRole.PESERTA
    )
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus), default=RegistrationStatus.REGISTERED, index=True
    )
    source: Mapped[RegistrationSource] = mapped_column(
        enum_column(RegistrationSource), default=RegistrationSource.ORGANIZER
    )
    ticket_code: Mapped[str] = mapped_column(String(32), unique=True, default=new_ticket_code)
    # "diwakilkan": the invited official this person came for
    # indexed: the privacy page and export look a person up through it (OR person_id)
    substitute_for_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    over_quota_reason: Mapped[str | None] = mapped_column(String(300))
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    # approval (pending -> registered | rejected), by whom and when
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision_note: Mapped[str | None] = mapped_column(String(300))
    ticket_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Who attended, as they were then (issue 15): frozen at the first check-in, or when the
    # event ends (``registration.snapshots``); documents of a past event print these, so a later
    # promotion or correction of the person does not rewrite them.
    snap_name: Mapped[str | None] = mapped_column(String(150))
    snap_position: Mapped[str | None] = mapped_column(String(200))
    snap_rank: Mapped[str | None] = mapped_column(String(80))
    snap_unit: Mapped[str | None] = mapped_column(String(200))
    snap_institution: Mapped[str | None] = mapped_column(String(200))
    snapshot_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    person: Mapped[Person] = relationship(back_populates="registrations", foreign_keys=[person_id])
    unit: Mapped[Unit | None] = relationship()
    substitute_for: Mapped[Person | None] = relationship(foreign_keys=[substitute_for_id])
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def holds_seat(self) -> bool:
        """Counts against the unit's quota and the event's capacity."""
        return self.status in (RegistrationStatus.REGISTERED, RegistrationStatus.PENDING)


class IdentityRequest(Model):
    """A unit operator typed the NIP/NIK of another unit's person and was refused: the request
    goes to the organizers, who move the person or register them (:mod:`.identity_requests`).
    The operator is never told whose number it is; the organizers see the person found."""

    __tablename__ = "identity_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # the unit that asks
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))  # the person found
    number: Mapped[str] = mapped_column(String(18))  # the NIP or NIK typed (normalised)
    typed_name: Mapped[str] = mapped_column(String(150), default="")  # what the operator typed
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution: Mapped[str | None] = mapped_column(String(20))  # moved / registered / dismissed

    event: Mapped[Event] = relationship()
    unit: Mapped[Unit] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    person: Mapped[Person | None] = relationship()
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])


class UnitLink(Model):
    """A registration link for one invited unit (issue 16): whoever holds it registers for that
    unit only, within its quota, until ``expires_at`` or until an organizer revokes it. The URL
    carries the id and ``nonce`` signed with the app's secret (:mod:`..unit_links`)."""

    __tablename__ = "unit_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    nonce: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(8))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    uses: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()
    unit: Mapped[Unit] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class MessageKind(enum.Enum):
    """The saved messages an organizer edits (``message_templates``)."""

    UNDANGAN = "undangan"
    PENGINGAT = "pengingat"
    TIKET = "tiket"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "undangan": _("Undangan"),
            "pengingat": _("Pengingat H-1"),
            "tiket": _("Tiket"),
        }
        return labels[self.value]


class MessageTemplate(Model):
    """A saved message text: ``event_id`` NULL is the default for every event, a row with an
    event overrides it for that event only."""

    __tablename__ = "message_templates"
    __table_args__ = (UniqueConstraint("event_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind))
    body: Mapped[str] = mapped_column(String(4000))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
