"""Accounts, roles and API tokens."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..common.types import UTCDateTime, enum_column, utcnow
from ..extensions import Model

if TYPE_CHECKING:
    from ..units.models import Unit


class Role(enum.Enum):
    ADMIN = "admin"
    ORGANIZER = "organizer"
    VERIFIER = "verifier"
    UNIT_OPERATOR = "unit_operator"
    CHECKIN_STAFF = "checkin_staff"

    @property
    def label(self) -> str:
        return role_labels()[self]


def role_labels() -> dict[Role, str]:
    """Each role's name in the user's language (built per call, so pages follow the locale)."""
    return {
        Role.ADMIN: _("Administrator"),
        Role.ORGANIZER: _("Panitia"),
        Role.VERIFIER: _("Verifikator (Bagian Organisasi)"),
        Role.UNIT_OPERATOR: _("Operator Perangkat Daerah"),
        Role.CHECKIN_STAFF: _("Petugas Registrasi Ulang"),
    }


class User(UserMixin, Model):  # type: ignore[misc]  # Flask-Login has no type hints
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164 (+62...), for WhatsApp
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    # Bumped when the password changes, which ends every other session of the user.
    session_version: Mapped[int] = mapped_column(default=1)
    # Set for accounts created with an initial password (bulk operators): the next login must
    # choose a new password before anything else.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[Unit | None] = relationship()

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: Role | str) -> bool:
        if self.role is Role.ADMIN:
            return True
        values = {r.value if isinstance(r, Role) else r for r in roles}
        return self.role.value in values

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role.value}>"


class ApiToken(Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
