"""Documents of an event: letterhead, surat undangan, notulen and files, laporan, sertifikat.

Services take models, values and the acting user; they flush and never commit. Before a document is
produced, ``missing_*`` names every field it still needs so that nobody gets a half-empty PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ..attendance.queries import eligible_registration_ids
from ..audit.services import record as audit
from ..auth.models import User
from ..common.errors import DomainError, NotAllowed
from ..common.locking import lock_row
from ..common.types import utcnow
from ..events.models import Event, EventStatus, Invitation, SignatoryCapacity
from ..extensions import db
from ..registration.models import Registration, RegistrationStatus
from ..registration.snapshots import freeze_event, printed
from ..training.exams import blocked_for_certificate
from ..units.models import Unit, UnitKind
from . import files
from .models import (
    Certificate,
    EventFile,
    EventReport,
    FileKind,
    InvitationLetter,
    Letterhead,
    UnitAddressing,
)
from .numbering import certificate_number, check_pattern
from .report import render_report

APPENDIX_AFTER = 5  # more invited units than this: the addressees go to an appendix
MAX_PHOTOS = 60

# --- what is missing --------------------------------------------------------------------------


@dataclass(frozen=True)
class Missing:
    label: str
    where: str  # "letterhead", "event", "letter", "report", "agenda", "invitations"


# Labels are lazy (translated when shown); ``Missing.label`` always holds the translated ``str``.
LETTERHEAD_FIELDS = (
    ("government_name", _l("Nama pemerintah daerah pada kop surat")),
    ("secretariat", _l("Nama perangkat daerah (sekretariat) pada kop surat")),
    ("address", _l("Alamat pada kop surat")),
    ("city", _l("Tempat penandatanganan (kota) pada kop surat")),
)
SIGNATORY_FIELDS = (
    ("signatory_name", _l("Nama penanda tangan")),
    ("signatory_position", _l("Jabatan penanda tangan")),
    ("signatory_nip", _l("NIP penanda tangan")),
)
REPORT_SIGNATORY_FIELDS = (
    (
        "report_signatory_name",
        _l("Nama penanggung jawab (penanda tangan daftar hadir dan laporan)"),
    ),
    ("report_signatory_position", _l("Jabatan penanggung jawab")),
    ("report_signatory_nip", _l("NIP penanggung jawab")),
)
REPORT_FIELDS = (
    ("background", _l("Latar belakang")),
    ("legal_basis", _l("Dasar hukum")),
    ("purpose", _l("Maksud dan tujuan")),
    ("minutes", _l("Notulen")),
    ("conclusions", _l("Kesimpulan")),
)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def missing_letterhead(letterhead: Letterhead | None) -> list[Missing]:
    if letterhead is None:
        return [Missing(str(label), "letterhead") for _f, label in LETTERHEAD_FIELDS] + [
            Missing(_("Logo pada kop surat"), "letterhead")
        ]
    out = [
        Missing(str(label), "letterhead")
        for f, label in LETTERHEAD_FIELDS
        if _blank(getattr(letterhead, f))
    ]
    if not letterhead.logo_path or not files.exists(letterhead.logo_path):
        out.append(Missing(_("Logo pada kop surat"), "letterhead"))
    return out


def missing_signatory(event: Event) -> list[Missing]:
    return [
        Missing(str(label), "event") for f, label in SIGNATORY_FIELDS if _blank(getattr(event, f))
    ]


def missing_report_signatory(event: Event) -> list[Missing]:
    return [
        Missing(str(label), "signatories")
        for f, label in REPORT_SIGNATORY_FIELDS
        if _blank(getattr(event, f))
    ]


def setup_checklist(event: Event | None = None) -> list[Missing]:
    """What the documents still need, for the admin's first screen (the letterhead) and each
    event page (the letterhead, the inviting official and the penanggung jawab, with NIP)."""
    out = missing_letterhead(get_letterhead())
    if event is not None:
        out += missing_signatory(event) + missing_report_signatory(event)
    return out


def missing_for_letter(event: Event, letterhead: Letterhead | None) -> list[Missing]:
    out = missing_letterhead(letterhead)
    if _blank(event.letter_number):
        out.append(Missing(_("Nomor surat undangan"), "event"))
    if event.letter_date is None:
        out.append(Missing(_("Tanggal surat undangan"), "event"))
    out += missing_signatory(event)
    if not event.invitations:
        out.append(Missing(_("Perangkat daerah yang diundang"), "invitations"))
    return out


def missing_for_report(
    event: Event, report: EventReport | None, letterhead: Letterhead | None
) -> list[Missing]:
    out = missing_letterhead(letterhead) + missing_report_signatory(event)
    for f, label in REPORT_FIELDS:
        if report is None or _blank(getattr(report, f)):
            out.append(Missing(str(label), "report"))
    return out


def missing_for_certificate(event: Event, letterhead: Letterhead | None) -> list[Missing]:
    return missing_letterhead(letterhead) + missing_signatory(event)


# --- letterhead -------------------------------------------------------------------------------


@dataclass
class LetterheadData:
    government_name: str
    secretariat: str
    address: str
    city: str
    phone: str = ""
    website: str = ""
    email: str = ""
    certificate_pattern: str = ""


def get_letterhead() -> Letterhead | None:
    return db.session.scalar(select(Letterhead).order_by(Letterhead.id).limit(1))


def logo_bytes(letterhead: Letterhead | None) -> bytes | None:
    if letterhead is None or not letterhead.logo_path:
        return None
    try:
        return files.absolute(letterhead.logo_path).read_bytes()
    except OSError:
        return None


def save_letterhead(
    data: LetterheadData, *, logo: bytes | None = None, remove_logo: bool = False, actor: User
) -> Letterhead:
    letterhead = get_letterhead()
    if letterhead is None:
        letterhead = Letterhead()
        db.session.add(letterhead)
    data.certificate_pattern = check_pattern(data.certificate_pattern)
    for name, value in vars(data).items():
        setattr(letterhead, name, (value or "").strip())
    letterhead.certificate_pattern = letterhead.certificate_pattern or None
    old_logo = None
    if logo:
        image = files.process_logo(logo, field="logo")
        old_logo = letterhead.logo_path
        letterhead.logo_path = files.save("letterhead", image.data, image.ext)
        letterhead.logo_mime = image.mime
    elif remove_logo:
        old_logo, letterhead.logo_path, letterhead.logo_mime = letterhead.logo_path, None, None
    letterhead.updated_by_id = actor.id
    letterhead.updated_at = utcnow()
    db.session.flush()
    files.remove(old_logo)
    audit("documents.letterhead", actor=actor, summary="Kop surat diperbarui")
    return letterhead


def seed_letterhead() -> str:
    """Seeder (``flask seed``): the names of the kop surat; the address and logo are left for the
    administrator, and the documents name them as missing until they are filled in."""
    if get_letterhead() is not None:
        return "letterhead: already configured"
    db.session.add(
        Letterhead(
            government_name="PEMERINTAH KABUPATEN BEKASI",
            secretariat="SEKRETARIAT DAERAH",
            city="Cikarang Pusat",
        )
    )
    db.session.flush()
    return "letterhead: created (address and logo still to be filled in by an administrator)"


# --- signatories and numbering --------------------------------------------------------------


@dataclass
class SignatoriesData:
    signatory_rank: str = ""
    signatory_capacity: str = ""
    signatory_for: str = ""
    report_signatory_name: str = ""
    report_signatory_position: str = ""
    report_signatory_rank: str = ""
    report_signatory_nip: str | None = None
    document_code: str = ""
    classification_code: str = ""
    certificate_pattern: str = ""


def save_signatories(event: Event, data: SignatoriesData, *, actor: User | None = None) -> Event:
    """Who signs what for this event (the NIP already went through the NIP parser in the
    form) and how its certificates are numbered."""
    if data.signatory_capacity not in {c.value for c in SignatoryCapacity}:
        raise DomainError(_("Pilihan tidak dikenal."), field="signatory_capacity")
    if data.signatory_capacity == "a.n." and not (data.signatory_for or "").strip():
        raise DomainError(
            _("Untuk a.n. tuliskan jabatan yang diwakili, mis. BUPATI BEKASI."),
            field="signatory_for",
        )
    pattern = check_pattern(data.certificate_pattern)
    for name, value in vars(data).items():
        text = (value or "").strip() if isinstance(value, str) or value is None else value
        setattr(event, name, text or (None if name != "signatory_capacity" else ""))
    event.certificate_pattern = pattern or None
    db.session.flush()
    audit("documents.signatories", actor=actor, obj=event, summary=event.title)
    return event


# --- surat undangan ---------------------------------------------------------------------------


@dataclass
class LetterData:
    nature: str
    subject: str
    attachment: str = ""
    opening: str = ""
    note: str = ""
    copies: str = ""  # tembusan, one per line


def default_subject(event: Event) -> str:
    """The perihal of the surat undangan: Indonesian, whatever the user's language."""
    with force_locale("id"):
        return f"Undangan {event.kind.label}"


def get_letter(event: Event) -> InvitationLetter:
    """The saved letter texts, or unsaved defaults."""
    letter = db.session.scalar(
        select(InvitationLetter).where(InvitationLetter.event_id == event.id)
    )
    return letter or InvitationLetter(
        event_id=event.id, nature="Penting", subject=default_subject(event)
    )


def save_letter(event: Event, data: LetterData, *, actor: User) -> InvitationLetter:
    if not data.subject.strip():
        raise DomainError(_("Perihal surat wajib diisi."), field="subject")
    if not data.nature.strip():
        raise DomainError(_("Sifat surat wajib diisi."), field="nature")
    letter = db.session.scalar(
        select(InvitationLetter).where(InvitationLetter.event_id == event.id)
    )
    if letter is None:
        letter = InvitationLetter(event_id=event.id)
        db.session.add(letter)
    for name, value in vars(data).items():
        setattr(letter, name, (value or "").strip())
    letter.updated_at = utcnow()
    db.session.flush()
    return letter


# Addressee titles per unit kind (Permendagri 1/2023 addresses the office, not the person);
# one unit's title is overridden in ``UnitAddressing`` ("Inspektur", "Direktur RSUD ...").
_TITLE = {
    UnitKind.PEMDA: "Bupati",
    UnitKind.SETDA: "Sekretaris Daerah",
    UnitKind.SETWAN: "Sekretaris DPRD",
    UnitKind.INSPEKTORAT: "Inspektur",
    UnitKind.SATPOL: "Kepala Satuan Polisi Pamong Praja",
    UnitKind.KECAMATAN: "Camat",
    UnitKind.KELURAHAN: "Lurah",
    UnitKind.RSUD: "Direktur",
    UnitKind.EXTERNAL: "Pimpinan",
}
# Protocol order of an address list (DOMAIN.md 4): Sekretariat Daerah and its bagian, Sekretariat
# DPRD, Inspektorat, dinas, badan, RSUD, kecamatan, kelurahan, puskesmas. A unit may carry its own
# place in ``UnitAddressing.protocol_rank``.
PROTOCOL_ORDER = (
    UnitKind.PEMDA,
    UnitKind.SETDA,
    UnitKind.BAGIAN,
    UnitKind.SETWAN,
    UnitKind.INSPEKTORAT,
    UnitKind.DINAS,
    UnitKind.SATPOL,
    UnitKind.BADAN,
    UnitKind.RSUD,
    UnitKind.KECAMATAN,
    UnitKind.KELURAHAN,
    UnitKind.PUSKESMAS,
    UnitKind.UPTD,
    UnitKind.EXTERNAL,
)


def _strip_prefix(name: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if name.lower().startswith(prefix.lower() + " "):
            return name[len(prefix) + 1 :]
    return name


def head_of(unit: Unit, override: str | None = None) -> str:
    """Whom a letter to the unit is addressed to: ``Kepala Dinas Kesehatan``, ``Camat Setu``,
    ``Inspektur``, ``Direktur RSUD Kabupaten Bekasi``, ``Kepala UPTD Puskesmas Cibatu``."""
    if override:
        return override
    kind, name = unit.kind, unit.name
    if kind in (UnitKind.SETDA, UnitKind.SETWAN, UnitKind.INSPEKTORAT, UnitKind.SATPOL):
        return _TITLE[kind]
    if kind is UnitKind.KECAMATAN:
        return f"Camat {_strip_prefix(name, ('Kecamatan', 'Kec.'))}"
    if kind is UnitKind.KELURAHAN:
        return f"Lurah {_strip_prefix(name, ('Kelurahan', 'Kel.'))}"
    if kind is UnitKind.PUSKESMAS:
        bare = _strip_prefix(name, ("UPTD Puskesmas", "UPTD", "Puskesmas", "PKM"))
        return f"Kepala UPTD Puskesmas {bare}"
    if kind in _TITLE:
        return f"{_TITLE[kind]} {name}"
    return f"Kepala {name}"


def addressing_overrides() -> list[tuple[UnitAddressing, Unit]]:
    return list(
        db.session.execute(
            select(UnitAddressing, Unit)
            .join(Unit, Unit.id == UnitAddressing.unit_id)
            .order_by(Unit.name)
        ).tuples()
    )


def save_addressing(
    unit: Unit, *, title: str, protocol_rank: int | None, actor: User | None = None
) -> None:
    """Set (or, both blank, remove) how letters address ``unit``."""
    audit("documents.addressing", actor=actor, summary=unit.name)
    current = db.session.get(UnitAddressing, unit.id)
    title = (title or "").strip()
    if not title and protocol_rank is None:
        if current is not None:
            db.session.delete(current)
        db.session.flush()
        return
    if current is None:
        current = UnitAddressing(unit_id=unit.id)
        db.session.add(current)
    current.title = title or None
    current.protocol_rank = protocol_rank
    db.session.flush()


def protocol_key(unit: Unit, rank: int | None = None) -> tuple[int, str]:
    try:
        place = PROTOCOL_ORDER.index(unit.kind) * 1000
    except ValueError:
        place = len(PROTOCOL_ORDER) * 1000
    return (rank if rank is not None else place, unit.name.lower())


@dataclass
class Addressee:
    unit: Unit
    head: str
    quota: int


def addressees(event: Event) -> list[Addressee]:
    """The invited units in protocol order, each titled as a letter addresses its head; the
    signatory's own office is not invited by its own letter."""
    invitations = db.session.scalars(
        select(Invitation)
        .options(joinedload(Invitation.unit))
        .where(Invitation.event_id == event.id)
    ).all()
    overrides = {
        a.unit_id: a
        for a in db.session.scalars(
            select(UnitAddressing).where(
                UnitAddressing.unit_id.in_([inv.unit_id for inv in invitations])
            )
        )
    }
    signer = " ".join((event.signatory_position or "").lower().split())
    rows = []
    for inv in invitations:
        extra = overrides.get(inv.unit_id)
        head = head_of(inv.unit, extra.title if extra else None)
        if signer and head.lower() in signer and inv.unit.kind is UnitKind.SETDA:
            continue  # "Pj. Sekretaris Daerah" does not invite the Sekretaris Daerah
        rank = extra.protocol_rank if extra else None
        rows.append((protocol_key(inv.unit, rank), Addressee(inv.unit, head, inv.quota)))
    rows.sort(key=lambda r: r[0])
    return [a for _key, a in rows]


def attachment_text(letter: InvitationLetter, n_addressees: int) -> str:
    if letter.attachment:
        return letter.attachment
    return "1 (satu) berkas" if n_addressees > APPENDIX_AFTER else "-"


# --- notulen, photos and materials ------------------------------------------------------------

EDITABLE = (EventStatus.RUNNING, EventStatus.FINISHED)


@dataclass
class ReportData:
    number: str = ""
    report_date: date | None = None
    background: str = ""
    legal_basis: str = ""
    purpose: str = ""
    minutes: str = ""
    conclusions: str = ""
    followup_plan: str = ""


def get_report(event: Event) -> EventReport | None:
    return db.session.scalar(select(EventReport).where(EventReport.event_id == event.id))


def previous_report(event: Event) -> EventReport | None:
    """Where to take the background, legal basis and purpose from for a new report: the report
    of the event this one was copied from, else the latest report written."""
    if event.cloned_from_id:
        source = db.session.scalar(
            select(EventReport).where(EventReport.event_id == event.cloned_from_id)
        )
        if source is not None:
            return source
    return db.session.scalar(
        select(EventReport)
        .options(joinedload(EventReport.event))
        .where(EventReport.event_id != event.id, EventReport.legal_basis != "")
        .order_by(EventReport.updated_at.desc(), EventReport.id.desc())
        .limit(1)
    )


def _check_editable(event: Event) -> None:
    if event.status not in EDITABLE:
        if event.status is EventStatus.REPORTED:
            raise DomainError(
                _("Acara sudah dilaporkan; notulen dan dokumentasi tidak dapat diubah.")
            )
        raise DomainError(
            _(
                "Notulen dan dokumentasi diisi setelah acara berlangsung "
                "(status sekarang: %(status)s).",
                status=event.status.label,
            )
        )


def save_report(
    event: Event, data: ReportData, *, actor: User, now: datetime | None = None
) -> EventReport:
    _check_editable(event)
    report = get_report(event)
    if report is None:
        report = EventReport(event_id=event.id)
        db.session.add(report)
    for name, value in vars(data).items():
        if name == "report_date":
            report.report_date = value
            continue
        setattr(report, name, (value or "").replace("\r\n", "\n").strip())
    report.number = report.number or None
    report.updated_at = now or utcnow()
    report.updated_by_id = actor.id
    db.session.flush()
    audit("documents.minutes", actor=actor, obj=event, summary=event.title)
    return report


def add_file(
    event: Event,
    kind: FileKind,
    *,
    filename: str,
    data: bytes,
    caption: str = "",
    actor: User,
) -> EventFile:
    _check_editable(event)
    name = files.safe_filename(filename)
    if kind is FileKind.PHOTO:
        count = db.session.execute(
            select(func.count(EventFile.id)).where(
                EventFile.event_id == event.id, EventFile.kind == FileKind.PHOTO
            )
        ).scalar_one()
        if count >= MAX_PHOTOS:
            raise DomainError(
                _("Maksimal %(count)d foto per acara.", count=MAX_PHOTOS), field="file"
            )
        image = files.process_photo(data)
        stored, mime, size = image.data, image.mime, len(image.data)
        width, height = image.width, image.height
        ext = "jpg"
        name = name.rsplit(".", 1)[0] + ".jpg"
    else:
        ext, mime = files.sniff_material(data, name)
        stored, size, width, height = data, len(data), None, None
    record = EventFile(
        event_id=event.id,
        kind=kind,
        filename=name,
        path=files.save(f"events/{event.id}/{kind.value}", stored, ext),
        mime=mime,
        size=size,
        caption=(caption or "").strip()[:250],
        width=width,
        height=height,
        uploaded_by_id=actor.id,
    )
    db.session.add(record)
    _touch_report(event)
    db.session.flush()
    audit("documents.upload", actor=actor, obj=event, summary=record.filename)
    return record


def _touch_report(event: Event) -> None:
    report = get_report(event)
    if report is not None:
        report.updated_at = utcnow()


def delete_file(event_file: EventFile, event: Event, *, actor: User | None = None) -> None:
    _check_editable(event)
    path, name = event_file.path, event_file.filename
    db.session.delete(event_file)
    _touch_report(event)
    db.session.flush()
    files.remove(path)
    audit("documents.delete", actor=actor, obj=event, summary=name)


# --- laporan kegiatan -------------------------------------------------------------------------


def produce_report(event: Event, *, actor: User, now: datetime | None = None) -> EventReport:
    """Render the laporan kegiatan and keep the PDF; the event may then be marked reported."""
    if event.status is not EventStatus.FINISHED:
        raise DomainError(
            _(
                "Laporan kegiatan dibuat setelah acara berstatus 'Selesai' "
                "(status sekarang: %(status)s).",
                status=event.status.label,
            )
        )
    letterhead = get_letterhead()
    report = get_report(event)
    missing = missing_for_report(event, report, letterhead)
    if missing:
        raise DomainError(
            _("Lengkapi dulu: %(fields)s.", fields=", ".join(m.label for m in missing))
        )
    assert report is not None and letterhead is not None  # else both are listed as missing
    now = now or utcnow()
    with force_locale("id"):  # an official document: Indonesian whatever the user's language
        pdf = render_report(event, report, letterhead, logo_bytes(letterhead), at=now)
    old = report.pdf_path
    report.pdf_path = files.save(f"events/{event.id}/laporan", pdf, "pdf")
    report.produced_at = now
    report.produced_by_id = actor.id
    # The produced PDF reflects the texts as they are now.
    report.updated_at = now
    db.session.flush()
    files.remove(old)
    audit("documents.report", actor=actor, obj=event, summary=event.title)
    return report


def require_report_for_reported(event: Event, *, target: EventStatus, **extra: object) -> None:
    """Receiver of ``events.signals.status_changing`` (connected in ``create_app``): an event
    is marked reported only with a produced, up-to-date laporan kegiatan."""
    if target is not EventStatus.REPORTED:
        return
    report = get_report(event)
    if report is None or report.produced_at is None or not report.pdf_path:
        raise DomainError(
            _(
                "Status 'Dilaporkan' memerlukan laporan kegiatan: lengkapi notulen lalu buat "
                "laporan kegiatan terlebih dahulu."
            )
        )
    if report.is_stale:
        raise DomainError(
            _(
                "Notulen atau dokumentasi berubah setelah laporan kegiatan dibuat; "
                "buat ulang laporan kegiatan terlebih dahulu."
            )
        )


# --- sertifikat -------------------------------------------------------------------------------

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
        raise NotAllowed(
            _(
                "Sertifikat hanya untuk peserta yang memenuhi syarat kehadiran (%(rule)s).",
                rule=event.attendance_rule.label.lower(),
            )
        )
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
