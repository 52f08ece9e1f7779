"""Operator accounts from a spreadsheet (issue 16): columns nama, unit (name or code), e-mail,
telepon. :func:`plan` reads the file and checks every row (by its row number in the sheet);
good rows stay importable while the bad ones say why. :func:`apply` checks the rows again (the
world may have changed since the preview) and creates the good ones through
:func:`.services.create_operators`, the one rule for operator accounts.

Between the preview and the confirmation the good rows travel in the page, signed with the
app's secret (nothing is stored): a tampered or stale form is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select

from ..common.errors import DomainError
from ..common.phone import PhoneError, normalize_phone
from ..common.tabular import TableError, as_text, read_table
from ..extensions import db
from ..units.models import Unit
from ..units.services import UnitIndex
from . import services
from .models import User

ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("nama", "nama operator", "nama lengkap", "nama petugas"),
    "unit": ("unit", "unit kerja", "perangkat daerah", "kode unit", "opd", "skpd"),
    "email": ("e-mail", "email", "surel", "alamat email", "alamat e-mail"),
    "phone": ("telepon", "telp", "no hp", "nomor hp", "hp", "whatsapp", "wa", "no telepon"),
}
REQUIRED = ("name", "unit")
SALT = "operator-import"
MAX_AGE = 6 * 3600  # a preview left open longer is refused: upload again


@dataclass
class Row:
    number: int  # as the user sees it in the sheet
    name: str
    unit_text: str
    email: str
    phone_text: str
    unit: Unit | None = None
    phone: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def raw(self) -> list[Any]:
        return [self.number, self.name, self.unit_text, self.email, self.phone_text]


@dataclass
class Plan:
    rows: list[Row]
    unknown_headers: list[str] = field(default_factory=list)

    @property
    def good(self) -> list[Row]:
        return [r for r in self.rows if r.ok]

    @property
    def bad(self) -> list[Row]:
        return [r for r in self.rows if not r.ok]


def _email_ok(text: str) -> str | None:
    """The normalised address, or None when it is not an e-mail address."""
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def check_rows(raw_rows: Sequence[Sequence[Any]]) -> Plan:
    """Check ``[number, name, unit, e-mail, phone]`` rows (texts) in a constant number of
    queries: the unit is known, has no active operator and is not repeated; the e-mail address
    is valid and not used by another account or an earlier row; the phone is Indonesian."""
    index = UnitIndex.active()
    rows = [
        Row(int(n), as_text(name), as_text(unit), as_text(email), as_text(phone))
        for n, name, unit, email, phone in raw_rows
    ]
    for row in rows:
        row.unit = index.find(row.unit_text)
    have = services.active_operator_counts({r.unit.id for r in rows if r.unit is not None})
    addresses = {r.email.lower() for r in rows if r.email}
    taken = set(
        db.session.scalars(
            select(func.lower(User.email)).where(
                func.lower(User.email).in_(addresses or {""}), User.active
            )
        )
    )
    unit_row: dict[int, int] = {}
    email_row: dict[str, int] = {}
    for row in rows:
        if not row.name:
            row.errors.append(_("nama kosong"))
        if not row.unit_text:
            row.errors.append(_("unit kosong"))
        elif row.unit is None:
            row.errors.append(_("unit '%(unit)s' tidak dikenal", unit=row.unit_text))
        elif have.get(row.unit.id):
            row.errors.append(_("%(unit)s sudah punya akun operator aktif", unit=row.unit.name))
        elif row.unit.id in unit_row:
            row.errors.append(
                _(
                    "%(unit)s sudah ada di baris %(row)d (satu akun per unit)",
                    unit=row.unit.name,
                    row=unit_row[row.unit.id],
                )
            )
        else:
            unit_row[row.unit.id] = row.number
        if row.email:
            normal = _email_ok(row.email)
            key = row.email.lower()
            if normal is None:
                row.errors.append(_("alamat e-mail '%(email)s' tidak valid", email=row.email))
            elif key in taken:
                row.errors.append(_("e-mail %(email)s sudah dipakai akun lain", email=row.email))
            elif key in email_row:
                row.errors.append(
                    _(
                        "e-mail %(email)s sudah dipakai di baris %(row)d",
                        email=row.email,
                        row=email_row[key],
                    )
                )
            else:
                email_row[key] = row.number
                row.email = normal
        if row.phone_text:
            try:
                row.phone = normalize_phone(row.phone_text)
            except PhoneError as err:
                row.errors.append(str(err))
    return Plan(rows)


def plan(data: bytes, filename: str) -> Plan:
    """Read an uploaded CSV/XLSX and check its rows. Phone numbers Excel turned into numbers
    (``6281234567890.0``) are read as the digits they were."""
    try:
        table = read_table(data, filename, ALIASES, REQUIRED)
    except TableError as err:
        raise DomainError(
            _("Berkas tidak dapat dibaca: %(error)s.", error=err), field="file"
        ) from None
    raw = [
        [number, v.get("name"), v.get("unit"), v.get("email"), v.get("phone")]
        for number, v in table.rows
    ]
    if not raw:
        raise DomainError(_("Berkas tidak berisi baris data."), field="file")
    result = check_rows(raw)
    result.unknown_headers = table.unknown_headers
    return result


def sign(rows: Sequence[Row], secret: str | bytes) -> str:
    """The good rows for the confirmation form (signed, so the page cannot change them)."""
    return URLSafeTimedSerializer(secret, salt=SALT).dumps([r.raw() for r in rows])


def unsign(token: str, secret: str | bytes) -> list[list[Any]]:
    try:
        rows = URLSafeTimedSerializer(secret, salt=SALT).loads(token, max_age=MAX_AGE)
    except BadSignature:
        raise DomainError(
            _("Pratinjau sudah kedaluwarsa atau tidak sah; unggah berkasnya lagi."), field="file"
        ) from None
    return list(rows)


def apply(
    raw_rows: Sequence[Sequence[Any]], *, actor: User, event: Any = None
) -> tuple[list[tuple[User, str]], list[Row]]:
    """Create an account for every row that is still good; the rows refused now (another
    organizer was quicker) are returned to be shown."""
    checked = check_rows(raw_rows)
    good = checked.good
    if not good:
        raise DomainError(_("Tidak ada baris yang dapat dibuat akunnya."), field="file")
    created = services.create_operators(
        [
            services.OperatorRow(r.unit, r.name, r.email or None, r.phone)
            for r in good
            if r.unit is not None
        ],
        actor=actor,
        event=event,
    )
    return created, checked.bad


def summary(plan: Plan) -> Mapping[str, int]:
    return {"rows": len(plan.rows), "good": len(plan.good), "bad": len(plan.bad)}
