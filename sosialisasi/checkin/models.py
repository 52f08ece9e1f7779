"""Check-ins: one row per registration and session, decided by the database."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..common.types import UTCDateTime, enum_column, utcnow
from ..extensions import Model

if TYPE_CHECKING:
    from ..auth.models import User
    from ..events.models import EventSession
    from ..registration.models import Registration


class CheckInMethod(enum.Enum):
    QR = "qr"
    MANUAL = "manual"
    SELF = "self"
    OFFLINE = "offline"
    WALKIN = "walkin"

    @property
    def label(self) -> str:
        labels: dict[str, str] = {
            "qr": _("Pindai QR"),
            "manual": _("Manual"),
            "self": _("Mandiri"),
            "offline": _("Pemindai tidak tersambung (disinkronkan)"),
            "walkin": _("Datang langsung"),
        }
        return labels[self.value]


class CheckIn(Model):
    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("registration_id", "session_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No index of its own: UNIQUE(registration_id, session_id) starts with it and serves lookups
    # by registration; a second index only cost every check-in's INSERT an extra write.
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(
        ForeignKey("event_sessions.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    method: Mapped[CheckInMethod] = mapped_column(enum_column(CheckInMethod))
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    device: Mapped[str | None] = mapped_column(String(120))
    nonce: Mapped[str | None] = mapped_column(String(64), unique=True)

    registration: Mapped[Registration] = relationship()
    session: Mapped[EventSession] = relationship()
    operator: Mapped[User | None] = relationship()
