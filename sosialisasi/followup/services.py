"""Follow-up rules: bands, frameworks, assessments, plans and tasks, and the task workflow.

Services take models and values and the acting user explicitly; they flush, never commit.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from urllib.parse import urlparse

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record
from ..auth.models import Role, User
from ..common.errors import DomainError, InvalidTransition, NotAllowed
from ..common.types import utcnow
from ..common.wib import to_wib
from ..events.models import Event, Invitation
from ..extensions import db
from ..registration.models import Person, Registration, RegistrationRole, RegistrationStatus
from ..units.models import Unit, UnitKind
from . import files
from .models import (
    Assessment,
    Dimension,
    DistrictResult,
    Evidence,
    EvidenceKind,
    FollowUpPlan,
    FollowUpTask,
    Framework,
    FrameworkKind,
    Indicator,
    IndicatorScore,
    PlanTemplate,
    ScoreBand,
    TaskEvent,
    TaskOrigin,
    TaskStatus,
)

STEP = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0")


def today_wib(now: datetime | None = None) -> date:
    return to_wib(now or utcnow()).date()


# --- scores and bands ----------------------------------------------------------------------


def to_score(value: object, *, field_name: str = "score", upper: Decimal = HUNDRED) -> Decimal:
    """A score as an exact Decimal with two places (``87.99``), within 0..upper."""
    try:
        number = Decimal(str(value).strip().replace(",", ".")) if value is not None else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise DomainError(_("Nilai harus berupa angka, mis. 82,70."), field=field_name)
    number = number.quantize(STEP, rounding=ROUND_HALF_UP)
    if number < ZERO or number > upper:
        raise DomainError(
            _("Nilai harus antara 0 dan %(upper)s.", upper=str(upper)), field=field_name
        )
    return number


def band_for(framework: Framework, score: Decimal | None) -> ScoreBand | None:
    """The band whose closed range [min, max] holds the score (scores have two places)."""
    if score is None:
        return None
    score = Decimal(score).quantize(STEP, rounding=ROUND_HALF_UP)
    for band in framework.bands:
        if band.min_score <= score <= band.max_score:
            return band
    return None


@dataclass
class BandData:
    category: str
    min_score: object
    max_score: object
    zone: str
    opinion: str = ""


def check_bands(rows: list[BandData]) -> list[tuple[str, Decimal, Decimal, str, str]]:
    """Bands must tile 0.00-100.00 exactly: no gap, no overlap (steps of 0.01)."""
    clean = []
    seen = set()
    for row in rows:
        category = (row.category or "").strip()
        if not category:
            raise DomainError(_("Setiap pita harus punya kategori."), field="bands")
        if category.upper() in seen:
            raise DomainError(
                _("Kategori %(category)s tercantum dua kali.", category=category), field="bands"
            )
        seen.add(category.upper())
        low = to_score(row.min_score, field_name="bands")
        high = to_score(row.max_score, field_name="bands")
        if low > high:
            raise DomainError(
                _(
                    "Pita %(category)s: batas bawah %(low)s lebih besar dari batas atas %(high)s.",
                    category=category,
                    low=str(low),
                    high=str(high),
                ),
                field="bands",
            )
        zone = (row.zone or "").strip()
        if not zone:
            raise DomainError(
                _("Pita %(category)s: zona wajib diisi.", category=category), field="bands"
            )
        clean.append((category, low, high, zone, (row.opinion or "").strip()))
    if not clean:
        return clean
    clean.sort(key=lambda b: b[1])
    if clean[0][1] != ZERO:
        raise DomainError(
            _(
                "Ada celah: nilai 0,00 sampai %(upto)s tidak masuk pita mana pun.",
                upto=str(clean[0][1] - STEP),
            ),
            field="bands",
        )
    for prev, nxt in zip(clean, clean[1:], strict=False):
        if nxt[1] <= prev[2]:
            raise DomainError(
                _(
                    "Pita %(a)s (%(a_min)s-%(a_max)s) dan %(b)s (%(b_min)s-%(b_max)s) "
                    "tumpang tindih.",
                    a=prev[0],
                    a_min=str(prev[1]),
                    a_max=str(prev[2]),
                    b=nxt[0],
                    b_min=str(nxt[1]),
                    b_max=str(nxt[2]),
                ),
                field="bands",
            )
        if nxt[1] != prev[2] + STEP:
            raise DomainError(
                _(
                    "Ada celah antara pita %(a)s (sampai %(a_max)s) dan %(b)s (mulai %(b_min)s).",
                    a=prev[0],
                    a_max=str(prev[2]),
                    b=nxt[0],
                    b_min=str(nxt[1]),
                ),
                field="bands",
            )
    if clean[-1][2] != HUNDRED:
        raise DomainError(
            _(
                "Ada celah: nilai di atas %(above)s sampai 100,00 tidak masuk pita mana pun.",
                above=str(clean[-1][2]),
            ),
            field="bands",
        )
    return clean


def save_bands(framework: Framework, rows: list[BandData], *, actor: User) -> Framework:
    clean = check_bands(rows)
    by_category = {b.category.upper(): b for b in framework.bands}
    keep = set()
    for category, low, high, zone, opinion in clean:
        band = by_category.get(category.upper())
        if band is None:
            band = ScoreBand(category=category)
            framework.bands.append(band)
        band.category, band.min_score, band.max_score = category, low, high
        band.zone, band.opinion = zone, opinion
        keep.add(category.upper())
    for key, band in by_category.items():
        if key not in keep:
            framework.bands.remove(band)
    db.session.flush()
    record("followup.bands", actor=actor, obj=framework, summary=f"pita nilai {framework.code}")
    return framework


# --- frameworks ----------------------------------------------------------------------------


def save_framework(
    framework: Framework | None,
    *,
    code: str,
    name: str,
    kind: FrameworkKind,
    year_from: int,
    year_to: int | None,
    description: str = "",
    active: bool = True,
) -> Framework:
    code = (code or "").strip().upper()
    if not code:
        raise DomainError(_("Kode wajib diisi."), field="code")
    clash = db.session.scalar(select(Framework).where(Framework.code == code))
    if clash is not None and clash is not framework:
        raise DomainError(_("Kode %(code)s sudah dipakai kerangka lain.", code=code), field="code")
    if year_to is not None and year_to < year_from:
        raise DomainError(_("Tahun akhir tidak boleh sebelum tahun awal."), field="year_to")
    if framework is None:
        framework = Framework()
        db.session.add(framework)
    framework.code, framework.name, framework.kind = code, name.strip(), kind
    framework.year_from, framework.year_to = year_from, year_to
    framework.description, framework.active = description.strip(), active
    db.session.flush()
    return framework


def save_dimension(
    framework: Framework,
    dimension: Dimension | None,
    *,
    code: str,
    name: str,
    weight: object,
    position: int = 0,
) -> Dimension:
    code = (code or "").strip().upper()
    if not code:
        raise DomainError(_("Kode dimensi wajib diisi."), field="code")
    weight_value = to_score(weight, field_name="weight")
    for other in framework.dimensions:
        if other is not dimension and other.code == code:
            raise DomainError(_("Dimensi %(code)s sudah ada.", code=code), field="code")
    others = sum((d.weight for d in framework.dimensions if d is not dimension), ZERO)
    if others + weight_value > HUNDRED:
        raise DomainError(
            _(
                "Jumlah bobot menjadi %(total)s, lebih dari 100.",
                total=str(others + weight_value),
            ),
            field="weight",
        )
    if dimension is None:
        dimension = Dimension()
        framework.dimensions.append(dimension)
    dimension.code, dimension.name, dimension.weight = code, name.strip(), weight_value
    dimension.position = position
    db.session.flush()
    return dimension


def save_indicator(
    framework: Framework,
    indicator: Indicator | None,
    *,
    dimension: Dimension,
    code: str,
    name: str,
    evidence_hint: str = "",
    unit_kinds: list[str] = (),
    position: int = 0,
    active: bool = True,
) -> Indicator:
    code = (code or "").strip().upper()
    if not code:
        raise DomainError(_("Kode indikator wajib diisi."), field="code")
    if dimension.framework_id != framework.id:
        raise DomainError(_("Dimensi bukan bagian kerangka ini."), field="dimension_id")
    clash = db.session.scalar(
        select(Indicator).where(Indicator.framework_id == framework.id, Indicator.code == code)
    )
    if clash is not None and clash is not indicator:
        raise DomainError(_("Indikator %(code)s sudah ada.", code=code), field="code")
    valid_kinds = {k.value for k in UnitKind}
    bad = [k for k in unit_kinds if k not in valid_kinds]
    if bad:
        raise DomainError(
            _("Jenis unit tidak dikenal: %(kinds)s.", kinds=", ".join(bad)), field="unit_kinds"
        )
    if indicator is None:
        indicator = Indicator(framework=framework)
        db.session.add(indicator)
    indicator.dimension = dimension
    indicator.code, indicator.name = code, name.strip()
    indicator.evidence_hint = (evidence_hint or "").strip()
    indicator.unit_kinds = sorted(set(unit_kinds))
    indicator.position, indicator.active = position, active
    db.session.flush()
    return indicator


def current_framework(kind: FrameworkKind = FrameworkKind.ASSESSMENT) -> Framework | None:
    """The active framework of this kind that starts latest."""
    return db.session.scalar(
        select(Framework)
        .where(Framework.kind == kind, Framework.active)
        .order_by(Framework.year_from.desc(), Framework.id.desc())
        .limit(1)
    )


def framework_for_year(year: int) -> Framework | None:
    candidates = db.session.scalars(
        select(Framework)
        .where(Framework.kind == FrameworkKind.ASSESSMENT, Framework.year_from <= year)
        .order_by(Framework.year_from.desc())
    ).all()
    return next((f for f in candidates if f.covers(year)), None)


# --- XLSX export / import of a framework ---------------------------------------------------

SHEETS = {
    "Kerangka": ["kode", "nama", "jenis", "tahun_awal", "tahun_akhir", "keterangan"],
    "Dimensi": ["kode", "nama", "bobot", "urutan"],
    "Indikator": ["kode", "dimensi", "nama", "petunjuk_bukti", "jenis_unit", "urutan", "aktif"],
    "Pita": ["kategori", "min", "max", "zona", "opini"],
}


def export_framework_xlsx(framework: Framework) -> bytes:
    from openpyxl import Workbook

    from ..common.text import safe_cell

    wb = Workbook()
    wb.remove(wb.active)
    rows = {
        "Kerangka": [
            [
                framework.code,
                framework.name,
                framework.kind.value,
                framework.year_from,
                framework.year_to,
                framework.description,
            ]
        ],
        "Dimensi": [[d.code, d.name, str(d.weight), d.position] for d in framework.dimensions],
        "Indikator": [
            [
                i.code,
                i.dimension.code,
                i.name,
                i.evidence_hint,
                ",".join(i.unit_kinds),
                i.position,
                "ya" if i.active else "tidak",
            ]
            for i in framework.indicators
        ],
        "Pita": [
            [b.category, str(b.min_score), str(b.max_score), b.zone, b.opinion]
            for b in framework.bands
        ],
    }
    for title, header in SHEETS.items():
        ws = wb.create_sheet(title)
        ws.append(header)
        for row in rows[title]:
            ws.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text[1:] if text.startswith("'") else text


def import_framework_xlsx(data: bytes, *, actor: User) -> Framework:
    """Create or update a framework (matched by code) from a workbook made by the export."""
    from openpyxl import load_workbook

    from ..common.tabular import TableError, _xlsx_rows  # size guard against zip bombs

    try:
        list(_xlsx_rows(data))
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except TableError as err:
        raise DomainError(str(err), field="file") from None
    except Exception:
        raise DomainError(_("Berkas bukan XLSX yang dapat dibaca."), field="file") from None
    sheets = {}
    for title, header in SHEETS.items():
        if title not in wb.sheetnames:
            raise DomainError(
                _("Lembar '%(sheet)s' tidak ada di berkas.", sheet=title), field="file"
            )
        values = list(wb[title].iter_rows(values_only=True))
        head = [_text(v).lower() for v in (values[0] if values else [])]
        missing = [h for h in header if h not in head]
        if missing:
            raise DomainError(
                _(
                    "Lembar '%(sheet)s': kolom %(columns)s tidak ditemukan.",
                    sheet=title,
                    columns=", ".join(missing),
                ),
                field="file",
            )
        sheets[title] = [
            (n, {h: row[head.index(h)] if head.index(h) < len(row) else None for h in header})
            for n, row in enumerate(values[1:], start=2)
            if any(c not in (None, "") for c in row)
        ]
    wb.close()
    if len(sheets["Kerangka"]) != 1:
        raise DomainError(_("Lembar 'Kerangka' harus berisi tepat satu baris."), field="file")

    def fail(sheet: str, row: int, err: DomainError) -> DomainError:
        return DomainError(
            _(
                "Lembar '%(sheet)s' baris %(row)s: %(message)s",
                sheet=sheet,
                row=row,
                message=err.message,
            ),
            field="file",
        )

    _row, head = sheets["Kerangka"][0]
    code = _text(head["kode"]).upper()
    framework = db.session.scalar(select(Framework).where(Framework.code == code))
    try:
        kind = FrameworkKind(_text(head["jenis"]) or "assessment")
        year_from = int(_text(head["tahun_awal"]))
        year_to = int(_text(head["tahun_akhir"])) if _text(head["tahun_akhir"]) else None
    except ValueError:
        raise DomainError(
            _("Lembar 'Kerangka' baris 2: jenis atau tahun tidak valid."), field="file"
        ) from None
    try:
        framework = save_framework(
            framework,
            code=code,
            name=_text(head["nama"]) or code,
            kind=kind,
            year_from=year_from,
            year_to=year_to,
            description=_text(head["keterangan"]),
        )
    except DomainError as err:
        raise fail("Kerangka", 2, err) from None
    dims = {d.code: d for d in framework.dimensions}
    # Weights are replaced wholesale: zero them first so that the total check sees the new set.
    for d in framework.dimensions:
        d.weight = ZERO
    for n, row in sheets["Dimensi"]:
        try:
            dcode = _text(row["kode"]).upper()
            dims[dcode] = save_dimension(
                framework,
                dims.get(dcode),
                code=dcode,
                name=_text(row["nama"]),
                weight=_text(row["bobot"]),
                position=int(_text(row["urutan"]) or 0),
            )
        except (DomainError, ValueError) as err:
            raise fail(
                "Dimensi",
                n,
                err if isinstance(err, DomainError) else DomainError(_("urutan harus angka")),
            ) from None
    existing = {i.code: i for i in framework.indicators}
    for n, row in sheets["Indikator"]:
        dcode = _text(row["dimensi"]).upper()
        if dcode not in dims:
            raise fail("Indikator", n, DomainError(_("dimensi %(code)s tidak ada", code=dcode)))
        icode = _text(row["kode"]).upper()
        try:
            save_indicator(
                framework,
                existing.get(icode),
                dimension=dims[dcode],
                code=icode,
                name=_text(row["nama"]),
                evidence_hint=_text(row["petunjuk_bukti"]),
                unit_kinds=[k.strip() for k in _text(row["jenis_unit"]).split(",") if k.strip()],
                position=int(_text(row["urutan"]) or 0),
                active=_text(row["aktif"]).lower() not in ("tidak", "0", "false", "no"),
            )
        except DomainError as err:
            raise fail("Indikator", n, err) from None
        except ValueError:
            raise fail("Indikator", n, DomainError(_("urutan harus angka"))) from None
    bands = [
        BandData(
            _text(r["kategori"]),
            _text(r["min"]),
            _text(r["max"]),
            _text(r["zona"]),
            _text(r["opini"]),
        )
        for _row, r in sheets["Pita"]
    ]
    try:
        save_bands(framework, bands, actor=actor)
    except DomainError as err:
        raise DomainError(
            _("Lembar 'Pita': %(message)s", message=err.message), field="file"
        ) from None
    record("followup.framework_import", actor=actor, obj=framework, summary=framework.code)
    return framework


# --- assessments ---------------------------------------------------------------------------


def record_assessment(
    unit: Unit,
    framework: Framework,
    *,
    year: int,
    score: object | None,
    dimension_points: dict[str, object] | None = None,
    indicator_scores: dict[int, int] | None = None,
    notes: str = "",
    actor: User | None,
) -> Assessment:
    """Record (or correct) the official result of a unit for a year."""
    if not framework.covers(year):
        raise DomainError(
            _(
                "Kerangka %(code)s berlaku %(years)s, bukan untuk tahun %(year)s.",
                code=framework.code,
                years=framework.years,
                year=year,
            ),
            field="year",
        )
    points: dict[str, str] = {}
    weights = {d.code: d.weight for d in framework.dimensions}
    for code, value in (dimension_points or {}).items():
        if value in (None, ""):
            continue
        if code not in weights:
            raise DomainError(
                _("Dimensi %(code)s tidak ada di kerangka.", code=code), field="score"
            )
        points[code] = str(to_score(value, field_name=f"dim_{code}", upper=weights[code]))
    if score in (None, ""):
        if not points:
            raise DomainError(_("Isi nilai total atau nilai per dimensi."), field="score")
        total = sum((Decimal(p) for p in points.values()), ZERO)
    else:
        total = to_score(score)
        if points and len(points) == len(weights):
            summed = sum((Decimal(p) for p in points.values()), ZERO)
            if abs(summed - total) > Decimal("0.05"):
                raise DomainError(
                    _(
                        "Jumlah nilai dimensi (%(summed)s) tidak sama dengan nilai total "
                        "(%(total)s).",
                        summed=str(summed),
                        total=str(total),
                    ),
                    field="score",
                )
    indicators = {i.id: i for i in framework.indicators}
    for indicator_id, value in (indicator_scores or {}).items():
        if indicator_id not in indicators:
            raise DomainError(_("Indikator bukan bagian kerangka ini."), field="score")
        if value not in (0, 1, 2, 3):
            raise DomainError(
                _("Nilai indikator %(code)s harus 0-3.", code=indicators[indicator_id].code),
                field="score",
            )
    assessment = db.session.scalar(
        select(Assessment).where(Assessment.unit_id == unit.id, Assessment.year == year)
    )
    if assessment is None:
        assessment = Assessment(unit=unit, year=year, created_by_id=actor.id if actor else None)
        db.session.add(assessment)
    assessment.framework = framework
    assessment.score = total
    assessment.dimension_points = points
    assessment.notes = (notes or "").strip()
    if indicator_scores is not None:
        current = {s.indicator_id: s for s in assessment.scores}
        for indicator_id, value in indicator_scores.items():
            if indicator_id in current:
                current[indicator_id].score = value
            else:
                assessment.scores.append(IndicatorScore(indicator_id=indicator_id, score=value))
    db.session.flush()
    if actor is not None:
        record(
            "followup.assessment",
            actor=actor,
            obj=assessment,
            summary=f"{unit.name} {year}: {total}",
        )
    return assessment


def record_district_result(
    root: Unit, framework: Framework, *, year: int, score: object, notes: str = ""
) -> DistrictResult:
    value = to_score(score)
    row = db.session.scalar(
        select(DistrictResult).where(
            DistrictResult.root_unit_id == root.id, DistrictResult.year == year
        )
    )
    if row is None:
        row = DistrictResult(root_unit_id=root.id, year=year)
        db.session.add(row)
    row.framework, row.score, row.notes = framework, value, notes
    db.session.flush()
    return row


def district_average(scores: list[Decimal]) -> Decimal | None:
    """The pemda's score: the plain average of its assessed units, to two places."""
    if not scores:
        return None
    return (sum(scores, ZERO) / len(scores)).quantize(STEP, rounding=ROUND_HALF_UP)


# --- tasks: creation -----------------------------------------------------------------------


def _log(task: FollowUpTask, action: str, actor: User | None, note: str = "", *, old=None):
    task.history.append(
        TaskEvent(
            action=action,
            from_status=old,
            to_status=task.status,
            actor_id=actor.id if actor else None,
            at=utcnow(),
            note=note[:2000],
        )
    )


def _check_due(due_date: date | None) -> date:
    if due_date is None:
        raise DomainError(_("Tenggat wajib diisi."), field="due_date")
    return due_date


def _new_task(**kw) -> FollowUpTask:
    actor = kw.pop("actor")
    task = FollowUpTask(status=TaskStatus.OPEN, created_by_id=actor.id if actor else None, **kw)
    db.session.add(task)
    with force_locale("id"):  # the history note is stored: always Indonesian
        note = task.origin.label
    _log(task, "created", actor, note)
    return task


def create_task(
    unit: Unit,
    *,
    title: str,
    due_date: date | None,
    indicator: Indicator | None = None,
    description: str = "",
    assignee: Person | None = None,
    actor: User,
) -> FollowUpTask:
    title = (title or "").strip() or (indicator.name if indicator else "")
    if not title:
        raise DomainError(_("Judul tugas wajib diisi."), field="title")
    if indicator is not None and not indicator.applies_to(unit.kind.value):
        raise DomainError(
            _(
                "Indikator %(code)s tidak berlaku untuk %(kind)s.",
                code=indicator.code,
                kind=unit.kind.label,
            ),
            field="indicator_id",
        )
    if assignee is not None and assignee.unit_id != unit.id:
        raise DomainError(_("Penanggung jawab harus pegawai unit ini."), field="assignee_id")
    task = _new_task(
        unit=unit,
        indicator=indicator,
        origin=TaskOrigin.MANUAL,
        title=title[:300],
        description=description.strip(),
        due_date=_check_due(due_date),
        assignee=assignee,
        actor=actor,
    )
    db.session.flush()
    return task


@dataclass
class GenerationResult:
    created: int = 0
    existing: int = 0
    not_applicable: int = 0
    absent_units: list[str] = field(default_factory=list)
    present_units: list[str] = field(default_factory=list)


def unit_attendance(event: Event) -> dict[int, list[Registration]]:
    """unit id -> the unit's registrations that checked in to the event (one query each)."""
    from ..attendance.queries import sessions_attended

    attended = sessions_attended(event)
    if not attended:
        return {}
    regs = db.session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.id.in_(list(attended)),
            Registration.status == RegistrationStatus.REGISTERED,
        )
        .options(db.joinedload(Registration.person))
        .order_by(Registration.id)
    ).all()
    by_unit: dict[int, list[Registration]] = defaultdict(list)
    for reg in regs:
        if reg.unit_id is not None:
            by_unit[reg.unit_id].append(reg)
    # Participants first: the natural person in charge is who sat in the room, not the panitia.
    for unit_regs in by_unit.values():
        unit_regs.sort(key=lambda r: (r.role is not RegistrationRole.PESERTA, r.id))
    return by_unit


def save_plan(
    event: Event,
    framework: Framework,
    *,
    indicators: list[Indicator],
    due_date: date | None,
    actor: User,
    template_name: str | None = None,
    now: datetime | None = None,
) -> tuple[FollowUpPlan, GenerationResult]:
    """Save the event's follow-up plan and create the missing tasks (idempotent)."""
    now = now or utcnow()
    if event.starts_at > now:
        raise DomainError(
            _(
                "Rencana tindak lanjut dibuat setelah acara dimulai, "
                "agar kehadiran dapat dikaitkan."
            ),
            field="due_date",
        )
    if not indicators:
        raise DomainError(_("Pilih minimal satu indikator."), field="indicators")
    if any(i.framework_id != framework.id for i in indicators):
        raise DomainError(_("Indikator harus dari kerangka yang dipilih."), field="indicators")
    due_date = _check_due(due_date)
    if due_date < to_wib(event.starts_at).date():
        raise DomainError(_("Tenggat tidak boleh sebelum tanggal acara."), field="due_date")
    plan = db.session.scalar(select(FollowUpPlan).where(FollowUpPlan.event_id == event.id))
    if plan is None:
        plan = FollowUpPlan(event=event, created_by_id=actor.id)
        db.session.add(plan)
    ids = (
        sorted({*plan.indicator_ids, *(i.id for i in indicators)})
        if plan.id
        else sorted({i.id for i in indicators})
    )
    if plan.id and plan.framework_id != framework.id:
        ids = sorted({i.id for i in indicators})
    plan.framework, plan.indicator_ids, plan.due_date = framework, ids, due_date
    db.session.flush()
    if template_name and template_name.strip():
        name = template_name.strip()[:150]
        template = db.session.scalar(select(PlanTemplate).where(PlanTemplate.name == name))
        if template is None:
            template = PlanTemplate(name=name)
            db.session.add(template)
        template.framework, template.indicator_ids = framework, [i.id for i in indicators]
    result = generate_plan_tasks(plan, actor=actor)
    record(
        "followup.plan",
        actor=actor,
        obj=plan,
        summary=f"{event.title}: {result.created} tugas baru",
    )
    return plan, result


def generate_plan_tasks(plan: FollowUpPlan, *, actor: User | None) -> GenerationResult:
    """A task per invited unit and indicator, plus a catch-up task per absent unit."""
    event = plan.event
    result = GenerationResult()
    indicators = db.session.scalars(
        select(Indicator)
        .where(Indicator.id.in_(plan.indicator_ids))
        .order_by(Indicator.position, Indicator.id)
    ).all()
    invitations = db.session.scalars(
        select(Invitation)
        .where(Invitation.event_id == event.id)
        .options(db.joinedload(Invitation.unit))
    ).all()
    attendance = unit_attendance(event)
    existing = {
        t.dedupe_key: t
        for t in db.session.scalars(select(FollowUpTask).where(FollowUpTask.plan_id == plan.id))
    }
    for invitation in sorted(invitations, key=lambda i: i.unit.name):
        unit = invitation.unit
        regs = attendance.get(unit.id, [])
        absent = not regs
        lead = regs[0] if regs else None
        (result.absent_units if absent else result.present_units).append(unit.name)
        wanted = [(i, f"p{plan.id}-u{unit.id}-i{i.id}") for i in indicators]
        if absent:
            wanted.append((None, f"p{plan.id}-u{unit.id}-susulan"))
        for indicator, key in wanted:
            if indicator is not None and not indicator.applies_to(unit.kind.value):
                result.not_applicable += 1
                continue
            task = existing.get(key)
            if task is not None:
                result.existing += 1
                if task.status is not TaskStatus.VERIFIED:
                    # Late check-ins (or corrections) update who is in charge.
                    task.absent = absent
                    task.source_registration_id = lead.id if lead else None
                    task.assignee_person_id = lead.person_id if lead else None
                continue
            if indicator is None:
                title = f"Susulan: pelajari materi \u201c{event.title}\u201d"
                description = (
                    "Unit diundang tetapi tidak hadir. Pelajari materi dan rekaman acara, "
                    "lalu unggah ringkasan atau notulen internal sebagai bukti."
                )
                origin = TaskOrigin.CATCH_UP
            else:
                title = indicator.name
                description = indicator.evidence_hint
                origin = TaskOrigin.PLAN
            _new_task(
                unit=unit,
                indicator=indicator,
                origin=origin,
                plan=plan,
                source_event=event,
                source_registration_id=lead.id if lead else None,
                assignee_person_id=lead.person_id if lead else None,
                absent=absent,
                title=title[:300],
                description=description,
                due_date=plan.due_date,
                dedupe_key=key,
                actor=actor,
            )
            result.created += 1
    db.session.flush()
    return result


def tasks_from_assessment(
    assessment: Assessment, *, threshold: int, due_date: date | None, actor: User
) -> GenerationResult:
    """A task for each indicator scored below ``threshold`` (0-3); idempotent."""
    if threshold not in (1, 2, 3):
        raise DomainError(_("Ambang harus 1, 2 atau 3."), field="threshold")
    due_date = _check_due(due_date)
    result = GenerationResult()
    weak = [s for s in assessment.scores if s.score < threshold]
    if not assessment.scores:
        raise DomainError(
            _("Penilaian ini belum punya nilai per indikator; isi nilai indikator dahulu."),
            field="threshold",
        )
    keys = {f"a{assessment.id}-i{s.indicator_id}" for s in weak}
    existing = set(
        db.session.scalars(select(FollowUpTask.dedupe_key).where(FollowUpTask.dedupe_key.in_(keys)))
    )
    for s in sorted(weak, key=lambda s: (s.indicator.position, s.indicator_id)):
        key = f"a{assessment.id}-i{s.indicator_id}"
        if key in existing:
            result.existing += 1
            continue
        if not s.indicator.applies_to(assessment.unit.kind.value):
            result.not_applicable += 1
            continue
        _new_task(
            unit=assessment.unit,
            indicator=s.indicator,
            origin=TaskOrigin.ASSESSMENT,
            source_assessment=assessment,
            title=s.indicator.name[:300],
            description=(
                f"Nilai {assessment.year}: {s.score} dari 3. {s.indicator.evidence_hint}"
            ).strip(),
            due_date=due_date,
            dedupe_key=key,
            actor=actor,
        )
        result.created += 1
    db.session.flush()
    return result


# --- tasks: workflow -----------------------------------------------------------------------

T = TaskStatus


def can_work(user: User, task: FollowUpTask) -> bool:
    """The unit's own operators (and admins) do the work."""
    if user.role is Role.ADMIN:
        return True
    return user.role is Role.UNIT_OPERATOR and user.unit_id == task.unit_id


def can_verify(user: User) -> bool:
    return user.role in (Role.ADMIN, Role.VERIFIER)


def can_see_task(user: User, task: FollowUpTask) -> bool:
    if user.role in (Role.ADMIN, Role.VERIFIER, Role.ORGANIZER):
        return True
    return user.role is Role.UNIT_OPERATOR and user.unit_id == task.unit_id


def can_download(user: User, task: FollowUpTask) -> bool:
    """Evidence files: the unit itself, the verifiers and admins."""
    if user.role in (Role.ADMIN, Role.VERIFIER):
        return True
    return user.role is Role.UNIT_OPERATOR and user.unit_id == task.unit_id


def _require_worker(task: FollowUpTask, actor: User) -> None:
    if not can_work(actor, task):
        raise NotAllowed(
            _("Hanya operator perangkat daerah pemilik tugas yang dapat mengerjakannya."),
            field="file",
        )


def _move(task: FollowUpTask, target: TaskStatus, actor: User, note: str = "") -> None:
    allowed = {
        T.OPEN: {T.IN_PROGRESS},
        T.IN_PROGRESS: {T.SUBMITTED},
        T.SUBMITTED: {T.VERIFIED, T.REJECTED},
        T.REJECTED: {T.IN_PROGRESS},
        T.VERIFIED: set(),
    }
    if target not in allowed[task.status]:
        raise InvalidTransition(
            _(
                "Tugas berstatus %(status)s tidak dapat menjadi %(target)s.",
                status=task.status.label,
                target=target.label,
            ),
            field="note",
        )
    old = task.status
    task.status = target
    _log(task, "status", actor, note, old=old)


def _ensure_working(task: FollowUpTask, actor: User) -> None:
    if task.status in (T.SUBMITTED, T.VERIFIED):
        raise InvalidTransition(
            _("Tugas sudah diajukan atau terverifikasi; bukti tidak dapat diubah."), field="file"
        )
    if task.status in (T.OPEN, T.REJECTED):
        _move(task, T.IN_PROGRESS, actor)


def start_task(task: FollowUpTask, *, actor: User) -> FollowUpTask:
    _require_worker(task, actor)
    _move(task, T.IN_PROGRESS, actor)
    db.session.flush()
    return task


def add_evidence_file(
    task: FollowUpTask,
    *,
    filename: str | None,
    data: bytes,
    upload_folder: str,
    description: str = "",
    actor: User,
) -> Evidence:
    _require_worker(task, actor)
    if task.status in (T.SUBMITTED, T.VERIFIED):
        _ensure_working(task, actor)
    checked = files.check_upload(filename, data)
    _ensure_working(task, actor)
    stored = files.store(upload_folder, checked)
    evidence = Evidence(
        kind=EvidenceKind.FILE,
        original_name=checked.original_name,
        stored_name=stored,
        content_type=checked.content_type,
        size=len(checked.data),
        description=(description or "").strip()[:300],
        uploaded_by_id=actor.id,
        at=utcnow(),
    )
    task.evidence.append(evidence)
    _log(task, "evidence", actor, checked.original_name)
    db.session.flush()
    return evidence


def add_evidence_link(
    task: FollowUpTask, *, url: str, description: str = "", actor: User
) -> Evidence:
    _require_worker(task, actor)
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in url:
        raise DomainError(
            _("Tautan harus alamat web lengkap, mis. https://dinkes.bekasikab.go.id/standar."),
            field="url",
        )
    if len(url) > 500:
        raise DomainError(_("Tautan terlalu panjang (maks. 500 karakter)."), field="url")
    _ensure_working(task, actor)
    evidence = Evidence(
        kind=EvidenceKind.LINK,
        url=url,
        description=(description or "").strip()[:300],
        uploaded_by_id=actor.id,
        at=utcnow(),
    )
    task.evidence.append(evidence)
    _log(task, "evidence", actor, url)
    db.session.flush()
    return evidence


def remove_evidence(evidence: Evidence, *, upload_folder: str, actor: User) -> None:
    task = evidence.task
    _require_worker(task, actor)
    if task.status in (T.SUBMITTED, T.VERIFIED):
        raise InvalidTransition(
            _("Tugas sudah diajukan atau terverifikasi; bukti tidak dapat dihapus."), field="file"
        )
    name = evidence.original_name or evidence.url or ""
    stored = evidence.stored_name
    task.evidence.remove(evidence)
    _log(task, "evidence_removed", actor, name)
    db.session.flush()
    if stored:
        files.remove(upload_folder, stored)


def submit_task(task: FollowUpTask, *, note: str = "", actor: User) -> FollowUpTask:
    _require_worker(task, actor)
    if not task.evidence:
        raise DomainError(
            _("Unggah minimal satu bukti (berkas atau tautan) sebelum mengajukan."), field="note"
        )
    if task.status in (T.OPEN, T.REJECTED):
        _move(task, T.IN_PROGRESS, actor)
    task.note = (note or "").strip()
    _move(task, T.SUBMITTED, actor, task.note)
    task.submitted_at = utcnow()
    db.session.flush()
    return task


def verify_task(task: FollowUpTask, *, note: str = "", actor: User) -> FollowUpTask:
    if not can_verify(actor):
        raise NotAllowed(_("Hanya verifikator Bagian Organisasi yang dapat memverifikasi."))
    _move(task, T.VERIFIED, actor, (note or "").strip())
    task.verifier_id, task.verified_at = actor.id, utcnow()
    task.rejection_reason = None
    db.session.flush()
    record("followup.verify", actor=actor, obj=task, summary=f"{task.unit.name}: {task.title}")
    return task


def reject_task(task: FollowUpTask, *, reason: str, actor: User) -> FollowUpTask:
    if not can_verify(actor):
        raise NotAllowed(_("Hanya verifikator Bagian Organisasi yang dapat menolak."))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError(
            _("Tuliskan alasan penolakan agar unit dapat memperbaiki."), field="reason"
        )
    _move(task, T.REJECTED, actor, reason)
    task.rejection_reason = reason
    task.verifier_id = actor.id
    db.session.flush()
    record("followup.reject", actor=actor, obj=task, summary=f"{task.unit.name}: {task.title}")
    return task
