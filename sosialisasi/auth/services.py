"""Accounts: authentication, passwords, users and API tokens."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from flask_babel import gettext as _
from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.engine import CursorResult
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit.services import record
from ..common import hotpath
from ..common.errors import DomainError
from ..common.mail import MailError, build_message, mail_configured, send_messages
from ..common.phone import PhoneError, normalize_phone
from ..common.types import utcnow
from ..extensions import db
from ..units.models import Unit
from .models import ApiToken, Role, User

if TYPE_CHECKING:
    from ..events.models import Event

MIN_PASSWORD_LENGTH = 10
TOKEN_USE_RESOLUTION = timedelta(minutes=1)  # how fresh ApiToken.last_used_at is kept


class PasswordPolicyError(DomainError):
    code = "weak_password"
    status = 400


def check_password_policy(password: str, *, username: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordPolicyError(
            _("Kata sandi minimal %(count)d karakter.", count=MIN_PASSWORD_LENGTH), field="password"
        )
    if password.isdigit() or password.isalpha():
        raise PasswordPolicyError(
            _("Kata sandi harus memuat huruf dan angka atau simbol."), field="password"
        )
    if username and username.lower() in password.lower():
        raise PasswordPolicyError(
            _("Kata sandi tidak boleh memuat nama pengguna."), field="password"
        )


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


_DUMMY_HASH: list[str] = []


def _dummy_check(password: str) -> None:
    """Spend the time a real password check takes (unknown and inactive users alike), so the
    answer's timing does not tell which account names exist."""
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(generate_password_hash(secrets.token_urlsafe(16)))
    check_password_hash(_DUMMY_HASH[0], password)


def authenticate(
    username: str, password: str, *, ip: str | None = None, device: str | None = None
) -> User | None:
    """The active user with these credentials, or None (same answer for every failure). Both
    outcomes are audited (``login`` / ``login.failed``) with the client's address and device."""
    user = find_user(username.strip())
    if user is None or not user.active:
        _dummy_check(password)
        record("login.failed", actor=None, summary=username[:60], ip=ip)
        return None
    if not user.check_password(password):
        record("login.failed", actor=None, summary=username[:60], ip=ip)
        return None
    user.last_login_at = utcnow()
    record("login", actor=user, obj=user, ip=ip, device=device)
    return user


def create_user(
    *,
    username: str,
    name: str,
    role: Role,
    password: str,
    email: str | None = None,
    phone: str | None = None,
    unit: Unit | None = None,
    check_policy: bool = True,
    actor: User | None = None,
    audit: bool = True,
) -> User:
    """A new account, audited as ``user.create`` (``audit=False``: the caller audits it as part
    of a larger change, e.g. the operators created in bulk)."""
    username = username.strip()
    if find_user(username) is not None:
        raise DomainError(
            _("Nama pengguna '%(username)s' sudah dipakai.", username=username), field="username"
        )
    _check_unit(role, unit)
    if check_policy:
        check_password_policy(password, username=username)
    user = User(username=username, name=name.strip(), role=role, email=email or None, unit=unit)
    user.phone = _phone(phone)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    if audit:
        record("user.create", actor=actor, obj=user, summary=user.username, role=user.role.value)
    return user


def update_user(
    user: User,
    *,
    name: str,
    email: str | None,
    role: Role,
    unit: Unit | None,
    active: bool,
    actor: User,
    phone: str | None = None,
) -> User:
    _check_unit(role, unit)
    if phone is not None:  # None: unchanged; "": removed
        user.phone = _phone(phone)
    if user.id == actor.id and (not active or role is not Role.ADMIN) and actor.is_admin:
        raise DomainError(_("Anda tidak dapat menonaktifkan atau menurunkan peran akun sendiri."))
    old_role = user.role
    if not active and user.active:
        user.session_version += 1  # end the user's open sessions
        revoke_tokens(user)  # for good: re-activating the account does not bring them back
    user.name, user.email, user.role, user.active = name.strip(), email or None, role, active
    user.unit = unit if role is Role.UNIT_OPERATOR else None
    record(
        "user.update",
        actor=actor,
        obj=user,
        summary=user.username,
        old_role=old_role.value,
        role=user.role.value,
        active=user.active,
    )
    return user


def _phone(raw: str | None) -> str | None:
    """A WhatsApp number as +62..., or None; a number that is not Indonesian is refused."""
    if not (raw or "").strip():
        return None
    try:
        return normalize_phone(raw)
    except PhoneError as err:
        raise DomainError(_("Nomor HP tidak valid: %(error)s.", error=err), field="phone") from None


def _check_unit(role: Role, unit: Unit | None) -> None:
    if role is Role.UNIT_OPERATOR and unit is None:
        raise DomainError(
            _("Operator perangkat daerah harus terikat pada satu unit."), field="unit"
        )


def change_password(user: User, *, current: str, new: str, ip: str | None = None) -> None:
    """The user changes their own password (audited as ``password.change``)."""
    if not user.check_password(current):
        raise DomainError(_("Kata sandi saat ini salah."), field="current_password")
    set_password(user, new)
    record("password.change", actor=user, obj=user, ip=ip)


def set_password(user: User, new: str) -> None:
    check_password_policy(new, username=user.username)
    user.set_password(new)
    user.must_change_password = False
    user.session_version += 1  # every other session of this user ends
    revoke_tokens(user)  # and every API token: a stolen password may have minted one


def generate_password() -> str:
    """16 random URL-safe characters that also satisfy the password policy."""
    while True:
        candidate = secrets.token_urlsafe(12)
        try:
            check_password_policy(candidate)
        except PasswordPolicyError:
            continue
        return candidate


def create_token(
    user: User, name: str = "api", *, actor: User | None = None
) -> tuple[str, ApiToken]:
    """Return the plain token (shown once) and its stored, hashed record."""
    plain = "sos_" + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name, token_hash=ApiToken.hash(plain))
    db.session.add(token)
    db.session.flush()
    record("token.create", actor=actor, obj=token, summary=f"{user.username}: {name}")
    return plain, token


# Built once (every API request runs it): the user and the token's id and last use in one row.
_TOKEN = (
    select(User, ApiToken.id, ApiToken.last_used_at)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None))
)
_TOKEN_USED = (
    update(cast(Table, ApiToken.__table__))
    .where(ApiToken.__table__.c.id == bindparam("token_id"))
    .values(last_used_at=bindparam("now"))
)


def user_for_token(plain: str) -> User | None:
    row = db.session.execute(_TOKEN, {"token_hash": ApiToken.hash(plain)}).first()
    if row is None or not row[0].active:
        return None
    user, token_id, last_used_at = row
    now = utcnow()
    # Written at most once a minute: an UPDATE on every request would make each check-in a writer
    # from its first statement and serialise the workers on SQLite (see docs/performance.md). It
    # lands with the request's commit (a request that commits nothing leaves it unwritten).
    if last_used_at is None or now - last_used_at > TOKEN_USE_RESOLUTION:
        hotpath.execute(_TOKEN_USED, {"token_id": token_id, "now": now})
    return user


def revoke_token(token: ApiToken, *, actor: User | None = None) -> None:
    token.revoked_at = token.revoked_at or utcnow()
    record("token.revoke", actor=actor, obj=token, summary=token.name)


def revoke_tokens(user: User) -> int:
    """Revoke every live token of ``user``; the number revoked."""
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    # Session.execute is typed as a plain Result; an UPDATE gives a CursorResult.
    return cast(CursorResult[Any], result).rowcount or 0


# --- operator accounts for invited units ----------------------------------------------------


def _operator_username(unit: Unit) -> str:
    """``op-<unit code>`` in lower case, numbered when taken (op-dinkes, op-dinkes-2, ...)."""
    base = "op-" + "".join(c if c.isalnum() else "-" for c in (unit.code or str(unit.id)).lower())
    base = base.strip("-")[:56]
    candidate, n = base, 1
    while find_user(candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


class OperatorRow(NamedTuple):
    """One operator account to create: its unit, and what is known of the person."""

    unit: Unit
    name: str | None = None
    email: str | None = None
    phone: str | None = None  # E.164, already normalised


def active_operator_counts(unit_ids: Iterable[int]) -> dict[int, int]:
    """unit id -> how many active unit operator accounts it has (one query)."""
    ids = list(unit_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(User.unit_id, func.count(User.id))
        .where(User.unit_id.in_(ids), User.role == Role.UNIT_OPERATOR, User.active)
        .group_by(User.unit_id)
    ).all()
    return {unit_id: int(n) for unit_id, n in rows if unit_id is not None}


def operator_exists_message(unit: Unit) -> str:
    return str(_("%(unit)s sudah punya akun operator aktif.", unit=unit.name))


def create_operators(
    rows: Sequence[OperatorRow],
    *,
    actor: User | None = None,
    event: Event | None = None,
) -> list[tuple[User, str]]:
    """One unit operator account per unit that has none (``rows``: unit, name, e-mail, phone),
    with a generated initial password that must be changed at the first login. A unit that
    already has an active operator, or appears twice, is refused (the whole call). Returns the
    users with their passwords (to be handed over once; only the hash is stored)."""
    have = active_operator_counts(r.unit.id for r in rows)
    seen: set[int] = set()
    for row in rows:
        if have.get(row.unit.id) or row.unit.id in seen:
            raise DomainError(operator_exists_message(row.unit), field="unit")
        seen.add(row.unit.id)
    created = []
    for row in rows:
        unit = row.unit
        password = generate_password()
        user = create_user(
            username=_operator_username(unit),
            name=(row.name or "").strip()
            or str(_("Operator %(unit)s", unit=unit.short_name or unit.name)),
            role=Role.UNIT_OPERATOR,
            password=password,
            email=(row.email or "").strip() or None,
            unit=unit,
            check_policy=False,
            audit=False,
        )
        user.phone = row.phone or None  # normalised by the caller (the file's preview)
        user.must_change_password = True
        created.append((user, password))
    db.session.flush()
    record(
        "user.bulk_operators",
        actor=actor,
        obj=event,
        summary=event.title if event is not None else "",
        users=[u.id for u, _p in created],
    )
    return created


# --- initial passwords by e-mail -----------------------------------------------------------

MAIL_NOW_MAX = 3  # more new accounts than this are mailed by a job


@dataclass
class Handover:
    """How the initial passwords of new accounts reach their holders: ``sheet`` (user and
    password, printed once), ``mailed`` (sent now), ``queued`` (left to a job: more than
    :data:`MAIL_NOW_MAX`), ``failed`` (the server refused: those are on the sheet)."""

    sheet: list[tuple[User, str]] = field(default_factory=list)
    mailed: list[User] = field(default_factory=list)
    queued: list[User] = field(default_factory=list)
    failed: int = 0


def initial_password_mail(
    config: Mapping[str, Any], user: User, password: str, login_url: str
) -> EmailMessage:
    """The message that carries an initial password (always Indonesian: sent to a person)."""
    unit = user.unit.name if user.unit is not None else ""
    body = (
        f"Yth. {user.name},\n\n"
        f"Akun operator {unit} pada aplikasi Sosialisasi telah dibuat.\n"
        f"Alamat masuk: {login_url}\n"
        f"Nama pengguna: {user.username}\n"
        f"Kata sandi awal: {password}\n\n"
        "Kata sandi awal ini wajib diganti saat pertama kali masuk. Jangan bagikan pesan ini "
        "kepada siapa pun.\n"
    )
    return build_message(config, user.email or "", "Akun operator Sosialisasi", body)


def mail_initial_password(user: User, *, config: Mapping[str, Any], login_url: str) -> bool:
    """Give ``user`` a fresh initial password and e-mail it; the hash is set only once the
    server took the message (a refused message changes nothing). The password is never logged:
    without a mail server nothing is sent (``False``) rather than written to the log."""
    if not user.email or not mail_configured(config):
        return False
    password = generate_password()
    send_messages(config, [initial_password_mail(config, user, password, login_url)])
    user.set_password(password)
    user.must_change_password = True
    record("user.initial_password_mail", actor=None, obj=user, summary=user.username)
    return True


def hand_over(
    created: Sequence[tuple[User, str]],
    *,
    by_email: bool,
    config: Mapping[str, Any],
    login_url: str,
) -> Handover:
    """Split new accounts between the printed sheet and e-mail. Accounts without an address,
    and all of them when no mail server is configured, stay on the sheet; a few are mailed now,
    more are left to a job (``queued``) by the caller."""
    out = Handover()
    mailable = [(u, p) for u, p in created if by_email and u.email and mail_configured(config)]
    out.sheet = [(u, p) for u, p in created if (u, p) not in mailable]
    if len(mailable) > MAIL_NOW_MAX:
        out.queued = [u for u, _p in mailable]
        return out
    for user, password in mailable:
        try:
            mail_initial_password(user, config=config, login_url=login_url)
        except MailError:
            out.failed += 1
            out.sheet.append((user, password))
        else:
            out.mailed.append(user)
    return out
