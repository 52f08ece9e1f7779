"""Ombudsman supervision products and the Opini rule of the 2025 method.

A supervision product (Tindakan Korektif, Saran Perbaikan, Saran Penyempurnaan, Rekomendasi) is
addressed to a unit, may carry a deadline (none: "tanpa tenggat") and becomes follow-up tasks with
evidence. It is followed up when recorded so, or when all its tasks are verified.

The Opini rule (a framework with ``opinion_rule``): the quality category gets "Tanpa
Maladministrasi" when every product due by the year's cut-off date was followed up by then.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from ...audit.services import record
from ...auth.models import User
from ...common.errors import DomainError
from ...extensions import db
from ...units.models import Unit
from ..models import (
    ComplianceYear,
    FollowUpTask,
    Framework,
    ScoreBand,
    SupervisionKind,
    SupervisionProduct,
    TaskOrigin,
)
from .tasks import new_task, today_wib

TANPA_MALADMINISTRASI = "Tanpa Maladministrasi"


def save_product(
    product: SupervisionProduct | None,
    *,
    kind: SupervisionKind,
    number: str,
    issued_on: date | None,
    unit: Unit | None,
    finding: str = "",
    due_date: date | None = None,
    year: int | None = None,
    followed_up_on: date | None = None,
    actor: User | None,
) -> SupervisionProduct:
    """Record or correct a product; the year it counts for defaults to its deadline's year."""
    number = (number or "").strip()
    if not number:
        raise DomainError(_("Nomor produk pengawasan wajib diisi."), field="number")
    if issued_on is None:
        raise DomainError(_("Tanggal produk wajib diisi."), field="issued_on")
    if unit is None:
        raise DomainError(_("Pilih unit yang dituju."), field="unit_id")
    if due_date is not None and due_date < issued_on:
        raise DomainError(_("Tenggat tidak boleh sebelum tanggal produk."), field="due_date")
    if followed_up_on is not None and followed_up_on < issued_on:
        raise DomainError(
            _("Tanggal tindak lanjut tidak boleh sebelum tanggal produk."), field="followed_up_on"
        )
    with db.session.no_autoflush:
        if product is None:
            product = SupervisionProduct(created_by_id=actor.id if actor else None)
            db.session.add(product)
        product.kind, product.number, product.issued_on = kind, number[:100], issued_on
        product.unit = unit
        product.finding, product.due_date = (finding or "").strip(), due_date
        product.year = year or (due_date or issued_on).year
        product.followed_up_on = followed_up_on
    db.session.flush()
    record(
        "followup.supervision",
        actor=actor,
        obj=product,
        summary=f"{kind.label} {product.number} untuk {unit.name}",
    )
    return product


def product_tasks(
    product: SupervisionProduct, *, titles: list[str], due_date: date | None, actor: User
) -> list[FollowUpTask]:
    """Turn a product into follow-up tasks of its unit (one per line of corrective action)."""
    titles = [t.strip() for t in titles if t and t.strip()]
    if not titles:
        titles = [f"{product.kind.label} {product.number}"]
    due = due_date or product.due_date or (product.issued_on + timedelta(days=60))
    made = []
    for n, title in enumerate(titles, start=len(product.tasks) + 1):
        made.append(
            new_task(
                unit=product.unit,
                indicator=None,
                origin=TaskOrigin.MANUAL,
                supervision_product=product,
                title=title[:300],
                description=product.finding,
                due_date=due,
                dedupe_key=f"sp{product.id}-{n}",
                actor=actor,
            )
        )
    db.session.flush()
    return made


def product_state(product: SupervisionProduct, today: date) -> str:
    """done, late (followed up after its deadline), overdue, open, or no_deadline."""
    done = product.done_on
    if done is not None:
        return "late" if product.due_date is not None and done > product.due_date else "done"
    if product.due_date is None:
        return "no_deadline"
    return "overdue" if product.due_date < today else "open"


STATE_LABELS = {
    "done": ("success", "ditindaklanjuti tepat waktu"),
    "late": ("warning", "ditindaklanjuti terlambat"),
    "overdue": ("danger", "lewat tenggat"),
    "open": ("secondary", "belum ditindaklanjuti"),
    "no_deadline": ("light", "tanpa tenggat"),
}


def cutoff_for(year: int) -> date:
    """The year's cut-off for supervision products: set by Bagian Organisasi, else 31 December."""
    row = db.session.scalar(select(ComplianceYear).where(ComplianceYear.year == year))
    return row.cutoff_date if row is not None and row.cutoff_date else date(year, 12, 31)


@dataclass
class SupervisionStatus:
    year: int
    cutoff: date
    products: list[SupervisionProduct] = field(default_factory=list)
    blocking: list[SupervisionProduct] = field(default_factory=list)  # overdue, not followed up
    pending: list[SupervisionProduct] = field(default_factory=list)  # due later, not done yet

    @property
    def clean(self) -> bool:
        """No product due by the cut-off left without follow-up (as of today)."""
        return not self.blocking


def supervision_status(
    year: int, *, unit: Unit | None = None, today: date | None = None
) -> SupervisionStatus:
    """Which products of the year (the district's, or one unit's) block "Tanpa Maladministrasi".

    A product due by the cut-off blocks when its deadline has passed (or the cut-off has) and it
    was not followed up by the cut-off; one due later this year is pending; one without a
    deadline never blocks.
    """
    today = today or today_wib()
    cutoff = cutoff_for(year)
    stmt = (
        select(SupervisionProduct)
        .where(SupervisionProduct.year == year)
        .options(db.selectinload(SupervisionProduct.tasks), db.joinedload(SupervisionProduct.unit))
        .order_by(SupervisionProduct.due_date, SupervisionProduct.id)
    )
    if unit is not None:
        stmt = stmt.where(SupervisionProduct.unit_id == unit.id)
    status = SupervisionStatus(year=year, cutoff=cutoff, products=list(db.session.scalars(stmt)))
    horizon = min(today, cutoff + timedelta(days=1))
    for p in status.products:
        if p.due_date is None or p.due_date > cutoff:
            continue
        done = p.done_on
        if done is not None and done <= cutoff:
            continue
        (status.blocking if p.due_date < horizon else status.pending).append(p)
    return status


def opinion_text(framework: Framework, band: ScoreBand | None, *, clean: bool | None) -> str:
    """The result as published: "Opini Kualitas Tertinggi Tanpa Maladministrasi", or the
    category's opinion alone ("Kualitas Sedang") when products were not followed up; frameworks
    without the Opini rule give the band's opinion."""
    if band is None:
        return ""
    if not framework.opinion_rule:
        return band.opinion
    if clean:
        return f"Opini {band.opinion} {TANPA_MALADMINISTRASI}"
    return band.opinion
