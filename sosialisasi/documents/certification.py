"""Sertifikat: who may get one, issuing, revoking, finding and rendering them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..attendance.queries import eligible_registration_ids
from ..audit.services import record as audit
from ..auth.models import User
from ..common.errors import DomainError, NotAllowed
from ..common.locking import lock_row
from ..common.types import utcnow
from ..events.models import Event, EventStatus
from ..extensions import db
from ..registration.models import Registration, RegistrationStatus
from ..registration.snapshots import freeze_event, printed
from ..training.exams import blocked_for_certificate
from ..units.models import Unit
from .letterhead import get_letterhead, logo_bytes
from .missing import missing_for_certificate
from .models import (
    Certificate,
    Letterhead,
)
from .numbering import certificate_number

CERTIFIABLE = (EventStatus.FINISHED, EventStatus.REPORTED)


def _eligible_ids(event: Event) -> set[int]:
    # An event may require its pre-test and post-test for the certificate (training area).
    return eligible_registration_ids(event) - blocked_for_certificate(event)


def certificates_open(event: Event) -> bool:
    return event.status in CERTIFIABLE


def _check_certifiable(event: Event) -> None:
    if not certificates_open(event):
        raise DomainError(
            _(
                "Sertifikat diterbitkan setelah acara selesai (status sekarang: %(status)s).",
                status=event.status.label,
            )
        )


def _new_certificate(
    event: Event,
    registration: Registration,
    sequence: int,
    actor: User | None,
    letterhead: Letterhead | None = None,
) -> Certificate:
    """The certificate keeps the person as they attended (the registration's snapshot)."""
    who = printed(registration)
    unit = registration.unit or registration.person.unit
    with force_locale("id"):  # kept as printed on the certificate, in Indonesian
        role_label = registration.role.label
    number = certificate_number(
        event, sequence, unit_code=unit.code if unit else "", letterhead=letterhead
    )
    taken = db.session.scalar(
        select(Certificate.event_id).where(Certificate.number == number).limit(1)
    )
    if taken is not None:
        raise DomainError(
            _(
                "Nomor sertifikat %(number)s sudah dipakai acara lain: beri acara ini kode "
                "acara sendiri atau ubah pola nomornya.",
                number=number,
            )
        )
    cert = Certificate(
        event_id=event.id,
        registration_id=registration.id,
        sequence=sequence,
        number=number,
        name=who.name,
        nip=who.nip,
        unit_name=who.unit or who.institution,
        role_label=role_label,
        issued_by_id=actor.id if actor else None,
    )
    db.session.add(cert)
    return cert


def _next_sequence(event: Event) -> int:
    current = db.session.scalar(
        select(func.max(Certificate.sequence)).where(Certificate.event_id == event.id)
    )
    return (current or 0) + 1


def issue_certificates(event: Event, *, actor: User) -> list[Certificate]:
    """Certificates for every eligible registration that has none yet (revoked ones stay so)."""
    _check_certifiable(event)
    lock_row(Event, event.id)
    freeze_event(event)  # the certificates print who attended as they were then
    eligible = _eligible_ids(event)
    have = set(
        db.session.scalars(
            select(Certificate.registration_id).where(Certificate.event_id == event.id)
        )
    )
    todo = sorted(eligible - have)
    if not todo:
        audit("documents.certificates", actor=actor, obj=event, count=0)
        return []
    registrations = db.session.scalars(
        select(Registration)
        .options(joinedload(Registration.person), joinedload(Registration.unit))
        .where(Registration.id.in_(todo))
    ).all()
    registrations = sorted(registrations, key=lambda r: (r.role.value, r.person.name.lower()))
    sequence = _next_sequence(event)
    letterhead = get_letterhead()
    issued = []
    for offset, registration in enumerate(registrations):
        issued.append(_new_certificate(event, registration, sequence + offset, actor, letterhead))
    db.session.flush()
    audit("documents.certificates", actor=actor, obj=event, count=len(issued))
    return issued


def certificate_of(registration: Registration) -> Certificate | None:
    return db.session.scalar(
        select(Certificate).where(Certificate.registration_id == registration.id)
    )


def is_eligible(registration: Registration) -> bool:
    return (
        registration.status is RegistrationStatus.REGISTERED
        and certificates_open(registration.event)
        and registration.id in _eligible_ids(registration.event)
    )


def why_not_eligible(registration: Registration) -> str:
    """Why this registration gets no certificate: the attendance rule, or, when the person
    attended but the event requires both tests, the pre-test and post-test still to finish."""
    event = registration.event
    if registration.status is RegistrationStatus.REGISTERED and registration.id in (
        eligible_registration_ids(event) & blocked_for_certificate(event)
    ):
        return _(
            "Sertifikat acara ini hanya untuk peserta yang sudah mengerjakan kedua tes, pre-test "
            "dan post-test. Selesaikan kedua tes tersebut untuk mendapatkan sertifikat."
        )
    return _(
        "Sertifikat hanya untuk peserta yang memenuhi syarat kehadiran (%(rule)s).",
        rule=event.attendance_rule.label.lower(),
    )


def certificate_for_participant(registration: Registration) -> Certificate:
    """The participant's own certificate, issued on first request when they are eligible."""
    existing = certificate_of(registration)
    if existing is not None:
        if existing.revoked:
            raise NotAllowed(_("Sertifikat ini telah dicabut."))
        return existing
    event = registration.event
    _check_certifiable(event)
    if not is_eligible(registration):
        raise NotAllowed(why_not_eligible(registration))
    lock_row(Event, event.id)
    existing = certificate_of(registration)  # a concurrent request may have issued it
    if existing is not None:
        return existing
    cert = _new_certificate(event, registration, _next_sequence(event), None, get_letterhead())
    db.session.flush()
    return cert


def revoke_certificate(
    cert: Certificate, *, reason: str, actor: User, now: datetime | None = None
) -> None:
    if cert.revoked:
        raise DomainError(_("Sertifikat ini sudah dicabut."))
    if not (reason or "").strip():
        raise DomainError(_("Tuliskan alasan pencabutan."), field="reason")
    cert.revoked_at = now or utcnow()
    cert.revoked_by_id = actor.id
    cert.revoke_reason = reason.strip()[:300]
    db.session.flush()
    audit(
        "documents.revoke",
        actor=actor,
        obj=cert,
        summary=cert.number,
        reason=cert.revoke_reason,
    )


def find_certificate(code: str) -> Certificate | None:
    if not code or len(code) > 43:
        return None
    return db.session.scalar(
        select(Certificate).options(selectinload(Certificate.event)).where(Certificate.code == code)
    )


def event_certificates(
    event: Event, *, unit_id: int | None = None, valid_only: bool = False
) -> list[Certificate]:
    stmt = (
        select(Certificate).where(Certificate.event_id == event.id).order_by(Certificate.sequence)
    )
    if unit_id is not None:
        stmt = stmt.join(Registration, Registration.id == Certificate.registration_id).where(
            Registration.unit_id == unit_id
        )
    if valid_only:
        stmt = stmt.where(Certificate.revoked_at.is_(None))
    return list(db.session.scalars(stmt))


def certificates_per_unit(event: Event) -> list[tuple[int, str, int]]:
    """(unit id, unit name, valid certificates) for printing the batch one unit at a time."""
    rows = db.session.execute(
        select(Unit.id, Unit.name, func.count(Certificate.id))
        .join(Registration, Registration.id == Certificate.registration_id)
        .join(Unit, Unit.id == Registration.unit_id)
        .where(Certificate.event_id == event.id, Certificate.revoked_at.is_(None))
        .group_by(Unit.id, Unit.name)
        .order_by(Unit.name)
    )
    return [(uid, name, count) for uid, name, count in rows]


def render_certificates_pdf(
    event: Event, certificates: list[Certificate], *, verify_url: Callable[[str], str]
) -> bytes:
    letterhead = get_letterhead()
    missing = missing_for_certificate(event, letterhead)
    if missing:
        raise DomainError(
            _("Lengkapi dulu: %(fields)s.", fields=", ".join(m.label for m in missing))
        )
    if not certificates:
        raise DomainError(_("Belum ada sertifikat yang diterbitkan."))
    assert letterhead is not None  # else it is listed as missing
    from .certificates import render_certificates

    with force_locale("id"):  # an official document: Indonesian whatever the user's language
        return render_certificates(
            event, certificates, letterhead, logo_bytes(letterhead), verify_url
        )
