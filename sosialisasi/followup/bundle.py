"""The evidence bundle for the Ombudsman's field visit: one ZIP per unit (or service product)
with the verified evidence files in dimension / indicator folders and an index PDF listing each
task's indicator, status, files, verifier and time (always Indonesian)."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from ..common.http import ascii_filename
from ..extensions import db
from ..units.models import ServiceProduct, Unit
from .models import Evidence, EvidenceKind, FollowUpTask, TaskStatus
from .services.evidence import evidence_path

INDEX_NAME = "00-indeks-bukti.pdf"
OTHER = "99 Lainnya"


@dataclass
class BundleEntry:
    task: FollowUpTask
    folder: str
    files: list[str] = field(default_factory=list)  # paths inside the ZIP
    links: list[str] = field(default_factory=list)


def _folder(task: FollowUpTask) -> str:
    indicator = task.indicator
    if indicator is None:
        return f"{OTHER}/{ascii_filename(task.title)[:60]}-{task.id}"
    dim = indicator.dimension
    dim_part = ascii_filename(f"{dim.position:02d} {dim.code}")
    ind_part = ascii_filename(f"{indicator.code} {indicator.name}")[:80]
    if task.service_product is not None:
        ind_part += "/" + ascii_filename(task.service_product.name)
    return f"{dim_part}/{ind_part}"


def bundle_tasks(unit: Unit, product: ServiceProduct | None = None) -> list[FollowUpTask]:
    stmt = (
        select(FollowUpTask)
        .where(FollowUpTask.unit_id == unit.id)
        .options(
            db.selectinload(FollowUpTask.evidence),
            db.joinedload(FollowUpTask.indicator),
            db.joinedload(FollowUpTask.verifier),
            db.joinedload(FollowUpTask.service_product),
        )
        .order_by(FollowUpTask.id)
    )
    if product is not None:
        stmt = stmt.where(FollowUpTask.service_product_id == product.id)
    tasks = list(db.session.scalars(stmt).unique())
    tasks.sort(
        key=lambda t: (
            t.indicator is None,
            t.indicator.dimension.position if t.indicator else 0,
            t.indicator.position if t.indicator else 0,
            t.service_product.name if t.service_product else "",
            t.id,
        )
    )
    return tasks


def bundle_state(unit: Unit, product: ServiceProduct | None = None) -> str:
    """A short fingerprint of what the bundle would hold (tasks, their last change, their
    evidence): the same bundle asked twice with nothing changed is the same job."""
    stmt = (
        select(
            func.count(FollowUpTask.id.distinct()),
            func.max(FollowUpTask.updated_at),
            func.count(Evidence.id),
            func.max(Evidence.id),
        )
        .select_from(FollowUpTask)
        .outerjoin(Evidence, Evidence.task_id == FollowUpTask.id)
        .where(FollowUpTask.unit_id == unit.id)
    )
    if product is not None:
        stmt = stmt.where(FollowUpTask.service_product_id == product.id)
    tasks, changed, files, last = db.session.execute(stmt).one()
    stamp = changed.strftime("%Y%m%d%H%M%S%f") if changed else "-"
    return f"{tasks}.{stamp}.{files}.{last or 0}"


def evidence_bundle(
    unit: Unit,
    *,
    product: ServiceProduct | None = None,
    upload_folder: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[bytes, list[BundleEntry]]:
    """The ZIP (bytes) and what it holds: the files of verified tasks only; links and the
    tasks not yet verified appear in the index, never as files. ``on_progress(done, total)``
    is told after each task (the job's progress bar)."""
    tasks = bundle_tasks(unit, product)
    entries: list[BundleEntry] = []
    used: dict[str, int] = defaultdict(int)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, task in enumerate(tasks, 1):
            if on_progress is not None:
                on_progress(number - 1, len(tasks))
            entry = BundleEntry(task=task, folder=_folder(task))
            entries.append(entry)
            verified = task.status is TaskStatus.VERIFIED
            for ev in task.evidence:
                if ev.kind is EvidenceKind.LINK:
                    entry.links.append(ev.url or "")
                    continue
                if not verified:
                    continue
                try:
                    data = Path(evidence_path(ev.stored_name, upload_folder)).read_bytes()
                except (FileNotFoundError, OSError):
                    continue
                name = ascii_filename(ev.original_name or ev.stored_name or f"bukti-{ev.id}")
                path = f"{entry.folder}/{name}"
                used[path] += 1
                if used[path] > 1:
                    stem, dot, ext = name.rpartition(".")
                    path = f"{entry.folder}/{stem or name}-{used[path]}{dot}{ext if dot else ''}"
                archive.writestr(path, data)
                entry.files.append(path)
        archive.writestr(INDEX_NAME, index_pdf(unit, product, entries))
    return buffer.getvalue(), entries


def index_pdf(unit: Unit, product: ServiceProduct | None, entries: list[BundleEntry]) -> bytes:
    from ..common.pdf import new_pdf, pdf_bytes
    from ..common.wib import format_date, format_datetime

    pdf = new_pdf(orientation="landscape")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    title = f"Indeks bukti tindak lanjut: {unit.name}"
    if product is not None:
        title += f" - {product.name}"
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    verified = sum(1 for e in entries if e.task.status is TaskStatus.VERIFIED)
    pdf.multi_cell(
        0,
        5,
        f"{verified} dari {len(entries)} tugas terverifikasi; berkas hanya dari tugas yang "
        "terverifikasi, disusun per dimensi dan indikator.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    widths = (55, 25, 95, 40, 37, 25)
    with pdf.table(col_widths=widths, text_align="LEFT", repeat_headings=1) as table:
        table.row(["Indikator", "Status", "Berkas dan tautan", "Diverifikasi oleh", "Waktu",
                   "Tenggat"])  # fmt: skip
        for e in entries:
            t = e.task
            indicator = f"{t.indicator.code} {t.indicator.name}" if t.indicator else t.title
            if t.service_product is not None:
                indicator += f" ({t.service_product.name})"
            files = "\n".join([p.rsplit("/", 1)[-1] for p in e.files] + e.links) or "-"
            table.row(
                [
                    indicator,
                    t.status.label,
                    files,
                    t.verifier.name if t.verifier else "-",
                    format_datetime(t.verified_at, "id") if t.verified_at else "-",
                    format_date(t.due_date, "id", False),
                ]
            )
    return pdf_bytes(pdf)
