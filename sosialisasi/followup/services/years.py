"""Bagian Organisasi's compliance year: the district's target, the supervision cut-off, and the
lokus (the units and service products the Ombudsman assesses that year)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import delete, select

from ...audit.services import record
from ...auth.models import User
from ...common.errors import DomainError
from ...extensions import db
from ...units.models import ServiceProduct, Unit
from ..models import ComplianceYear, Framework, LokusEntry, Milestone, MilestoneKind
from .scores import STEP, to_score


def year_settings(year: int) -> ComplianceYear | None:
    return db.session.scalar(select(ComplianceYear).where(ComplianceYear.year == year))


def save_year(
    year: int,
    *,
    target_category: str = "",
    target_score: object | None = None,
    cutoff_date: date | None = None,
    notes: str = "",
    framework: Framework | None = None,
    actor: User | None,
) -> ComplianceYear:
    """Set the year's target (a category, a score, or both) and the cut-off date."""
    if not 2000 <= year <= 2100:
        raise DomainError(_("Tahun tidak valid."), field="year")
    category = (target_category or "").strip().upper()
    if category and framework is not None:
        known = {b.category.upper() for b in framework.bands}
        if known and category not in known:
            raise DomainError(
                _(
                    "Kategori %(category)s tidak ada di kerangka %(code)s.",
                    category=category,
                    code=framework.code,
                ),
                field="target_category",
            )
    score = None
    if target_score not in (None, ""):
        score = to_score(target_score, field_name="target_score")
    if cutoff_date is not None and cutoff_date.year not in (year, year + 1):
        raise DomainError(
            _("Batas waktu harus pada tahun %(year)s atau awal tahun berikutnya.", year=year),
            field="cutoff_date",
        )
    row = year_settings(year)
    if row is None:
        row = ComplianceYear(year=year)
        db.session.add(row)
    row.target_category, row.target_score = category, score
    row.cutoff_date, row.notes = cutoff_date, (notes or "").strip()
    db.session.flush()
    record("followup.year", actor=actor, obj=row, summary=f"target {year}: {category} {score}")
    return row


def target_score(settings: ComplianceYear | None, framework: Framework | None) -> Decimal | None:
    """The score to reach: the one set, else the floor of the target category's band."""
    if settings is None:
        return None
    if settings.target_score is not None:
        return settings.target_score
    if settings.target_category and framework is not None:
        for band in framework.bands:
            if band.category.upper() == settings.target_category.upper():
                return band.min_score
    return None


@dataclass
class Gap:
    target: Decimal
    score: Decimal

    @property
    def points(self) -> Decimal:
        """Points still missing (0 when reached), exact to 0.01."""
        return max(self.target - self.score, Decimal(0)).quantize(STEP)

    @property
    def reached(self) -> bool:
        return self.score >= self.target


def gap_to(target: Decimal | None, score: Decimal | None) -> Gap | None:
    if target is None or score is None:
        return None
    return Gap(Decimal(target).quantize(STEP), Decimal(score).quantize(STEP))


# --- lokus -----------------------------------------------------------------------------------


def lokus(year: int) -> list[LokusEntry]:
    return list(
        db.session.scalars(
            select(LokusEntry)
            .where(LokusEntry.year == year)
            .options(db.joinedload(LokusEntry.unit), db.joinedload(LokusEntry.service_product))
            .join(Unit, Unit.id == LokusEntry.unit_id)
            .order_by(Unit.name, LokusEntry.id)
        ).unique()
    )


def lokus_units(year: int) -> list[Unit]:
    seen: dict[int, Unit] = {}
    for entry in lokus(year):
        seen.setdefault(entry.unit_id, entry.unit)
    return list(seen.values())


def set_lokus(
    year: int, entries: list[tuple[Unit, ServiceProduct | None]], *, actor: User | None
) -> int:
    """Replace the year's lokus with ``entries`` (unit, product or None); returns the count."""
    db.session.execute(delete(LokusEntry).where(LokusEntry.year == year))
    seen = set()
    for unit, product in entries:
        if product is not None and product.unit_id != unit.id:
            raise DomainError(
                _(
                    "Produk %(product)s bukan milik %(unit)s.",
                    product=product.name,
                    unit=unit.name,
                ),
                field="lokus",
            )
        key = (unit.id, product.id if product else None)
        if key in seen:
            continue
        seen.add(key)
        db.session.add(LokusEntry(year=year, unit_id=unit.id, service_product_id=key[1]))
    db.session.flush()
    record("followup.lokus", actor=actor, obj=None, summary=f"lokus {year}: {len(seen)} baris")
    return len(seen)


def parse_lokus(text: str) -> list[tuple[Unit, ServiceProduct | None]]:
    """Lines "unit" or "unit; product" (a tab or a bar also separates, as pasted from a
    spreadsheet); an unknown unit or product is refused naming its line."""
    rows = []
    for n, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        for sep in (";", "\t", "|"):
            if sep in line:
                name, _sep, product_name = line.partition(sep)
                break
        else:
            name, product_name = line, ""
        rows.append((n, name.strip(), product_name.strip()))
    return _lokus_entries(rows)


LOKUS_COLUMNS = {
    "unit": ("unit", "perangkat daerah", "nama unit", "unit layanan", "instansi", "opd"),
    "produk": ("produk", "produk layanan", "layanan", "jenis layanan"),
}


def parse_lokus_file(data: bytes, filename: str) -> list[tuple[Unit, ServiceProduct | None]]:
    """A CSV or XLSX list with a "Unit" column (and optionally "Produk layanan"); an unknown
    unit is refused naming its row in the spreadsheet."""
    from ...common.tabular import TableError, as_text, read_table

    try:
        table = read_table(data, filename or "", LOKUS_COLUMNS, ("unit",))
    except TableError as err:
        raise DomainError(str(err), field="file") from None
    rows = [
        (n, as_text(values.get("unit")), as_text(values.get("produk")))
        for n, values in table.rows
        if as_text(values.get("unit"))
    ]
    return _lokus_entries(rows)


def _lokus_entries(rows: list[tuple[int, str, str]]) -> list[tuple[Unit, ServiceProduct | None]]:
    from ...units.services import find_unit

    entries = []
    for n, name, product_name in rows:
        unit = find_unit(name)
        if unit is None:
            raise DomainError(
                _("Baris %(n)s: unit \u201c%(name)s\u201d tidak dikenal.", n=n, name=name),
                field="lokus",
            )
        product = None
        if product_name:
            wanted = " ".join(product_name.split()).lower()
            product = next(
                (p for p in unit.products if p.active and p.name.lower() == wanted), None
            )
            if product is None:
                raise DomainError(
                    _(
                        "Baris %(n)s: %(unit)s tidak punya produk layanan \u201c%(product)s\u201d.",
                        n=n,
                        unit=unit.name,
                        product=product_name,
                    ),
                    field="lokus",
                )
        entries.append((unit, product))
    if not entries:
        raise DomainError(_("Daftar lokus kosong."), field="lokus")
    return entries


def lokus_text(year: int) -> str:
    """The lokus as the text the import reads back."""
    lines = []
    for e in lokus(year):
        name = e.unit.name
        lines.append(f"{name}; {e.service_product.name}" if e.service_product else name)
    return "\n".join(lines)


# --- calendar ------------------------------------------------------------------------------


def save_milestone(
    year: int,
    *,
    kind: MilestoneKind,
    on_date: date | None,
    title: str = "",
    remind_days: int = 7,
    actor: User | None,
) -> Milestone:
    """Add a date of the assessment calendar; reminders start ``remind_days`` before it."""
    if on_date is None:
        raise DomainError(_("Tanggal wajib diisi."), field="on_date")
    if not 0 <= remind_days <= 90:
        raise DomainError(_("Pengingat antara 0 dan 90 hari sebelumnya."), field="remind_days")
    milestone = Milestone(
        year=year, kind=kind, on_date=on_date, title=(title or "").strip()[:200],
        remind_days=remind_days,
    )  # fmt: skip
    db.session.add(milestone)
    db.session.flush()
    record("followup.milestone", actor=actor, obj=milestone, summary=f"{kind.value} {on_date}")
    return milestone


def delete_milestone(milestone: Milestone, *, actor: User | None) -> None:
    record("followup.milestone_delete", actor=actor, obj=milestone, summary=str(milestone.on_date))
    db.session.delete(milestone)
    db.session.flush()


def milestones(year: int) -> list[Milestone]:
    return list(
        db.session.scalars(
            select(Milestone).where(Milestone.year == year).order_by(Milestone.on_date)
        )
    )


def upcoming_milestones(today: date) -> list[Milestone]:
    """Milestones whose reminder window is open today (from ``remind_days`` before, to the day)."""
    from datetime import timedelta

    rows = db.session.scalars(
        select(Milestone)
        .where(Milestone.on_date >= today, Milestone.on_date <= today + timedelta(days=90))
        .order_by(Milestone.on_date)
    )
    return [m for m in rows if (m.on_date - today).days <= m.remind_days]


def milestone_label(milestone: Milestone) -> str:
    from flask_babel import force_locale

    with force_locale("id"):
        name = milestone.kind.label
    return f"{name}: {milestone.title}" if milestone.title else name


def milestone_text(milestone: Milestone, open_by_unit: list[tuple[str, int]], today: date) -> str:
    """The WhatsApp message for a milestone (Indonesian, to copy into a group)."""
    from ...common.wib import format_date

    days = (milestone.on_date - today).days
    when = "hari ini" if days == 0 else f"{days} hari lagi"
    lines = [
        f"Pengingat {milestone_label(milestone)} pada {format_date(milestone.on_date, 'id')} "
        f"({when}).",
    ]
    if open_by_unit:
        lines.append("Unit yang masih punya tugas tindak lanjut terbuka:")
        lines += [f"- {name}: {n} tugas" for name, n in open_by_unit]
        lines.append("Mohon segera diselesaikan dan buktinya diunggah.")
    lines.append("Bagian Organisasi Setda Kabupaten Bekasi")
    return "\n".join(lines)
