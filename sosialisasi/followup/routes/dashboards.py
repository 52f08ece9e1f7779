"""The follow-up home, the readiness dashboard (page, XLSX, PDF) and a unit's follow-up page."""

from __future__ import annotations

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...auth.models import Role
from ...common.decorators import role_required
from ...common.http import bounded_int, download_headers
from ...common.phone import whatsapp_link
from ...common.uploads import MIME
from ...extensions import db
from ...units.models import Unit
from .. import exports, queries
from ..models import FollowUpTask, TaskStatus
from ..services.supervision import supervision_status
from .blueprint import bp
from .helpers import (
    READERS,
    all_frameworks,
    chart,
    framework_or_default,
    today,
    unit_visible_or_404,
)

UNIT_EVENTS = 20  # the latest events on a unit's page


@bp.get("/")
@login_required
def index():
    if current_user.role is Role.UNIT_OPERATOR and current_user.unit_id:
        return redirect(url_for("followup.unit_view", unit_id=current_user.unit_id))
    if current_user.has_role(*READERS):
        return redirect(url_for("followup.dashboard"))
    abort(403)


def _dashboard_args():
    framework = framework_or_default(request.args.get("kerangka", type=bounded_int))
    sort = request.args.get("urut") or "proyeksi"
    if sort not in queries.SORTS:
        sort = "proyeksi"
    descending = request.args.get("arah", "naik") == "turun"
    show_all = request.args.get("semua") == "1"
    return framework, sort, descending, show_all


def _dashboard_rows():
    """The framework and dashboard rows a file export is made of (404 without a framework)."""
    framework, sort, descending, show_all = _dashboard_args()
    if framework is None:
        abort(404)
    rows = queries.dashboard(
        framework, today=today(), sort=sort, descending=descending, show_all=show_all
    )
    return framework, rows


@bp.get("/dasbor")
@role_required(*READERS)
def dashboard():
    framework, sort, descending, show_all = _dashboard_args()
    rows, lagging = [], []
    if framework is not None:
        rows = queries.dashboard(
            framework, today=today(), sort=sort, descending=descending, show_all=show_all
        )
        lagging = queries.lagging_indicators(framework, today=today())
    data = chart(
        [r["unit"].short_name or r["unit"].name for r in rows],
        [r["projection"].score for r in rows],
        _("Proyeksi nilai"),
        framework.bands if framework else (),
    )
    year = today().year
    return render_template(
        "followup/dashboard.html",
        framework=framework,
        frameworks=all_frameworks(),
        average=exports.average_projection(rows),
        assessed=sum(1 for r in rows if r["projection"].assessed),
        year=year,
        supervision=supervision_status(year, today=today()),
        rows=rows,
        lagging=lagging,
        sort=sort,
        descending=descending,
        show_all=show_all,
        chart=data,
    )


@bp.get("/dasbor.xlsx")
@role_required(*READERS)
def dashboard_xlsx():
    framework, rows = _dashboard_rows()
    lagging = queries.lagging_indicators(framework, today=today(), limit=100)
    return Response(
        exports.dashboard_xlsx(framework, rows, lagging, today()),
        mimetype=MIME["xlsx"],
        headers=download_headers("kesiapan-tindak-lanjut.xlsx"),
    )


@bp.get("/dasbor.pdf")
@role_required(*READERS)
def dashboard_pdf():
    framework, rows = _dashboard_rows()
    return Response(
        exports.dashboard_pdf(framework, rows, today()),
        mimetype="application/pdf",
        headers=download_headers("kesiapan-tindak-lanjut.pdf"),
    )


@bp.get("/unit/<int:unit_id>")
@login_required
def unit_view(unit_id: int):
    unit = unit_visible_or_404(unit_id)
    framework = framework_or_default(request.args.get("kerangka", type=bounded_int))
    status = request.args.get("status") or ""
    # One page of the unit's tasks (five years hold hundreds); the reminders name what is
    # still open on any page.
    page = db.paginate(queries.task_list(unit_id=unit.id, status=status), per_page=50)
    open_tasks = list(
        db.session.scalars(
            queries.task_list(unit_id=unit.id).where(FollowUpTask.status != TaskStatus.VERIFIED)
        )
    )
    projection = queries.projections(framework, [unit])[unit.id] if framework else None
    history = queries.unit_history(unit)
    data = chart(
        [h["assessment"].year for h in history],
        [h["assessment"].score for h in history],
        _("Nilai resmi"),
        history[-1]["assessment"].framework.bands if history else (),
    )
    contacts = {}
    for t in open_tasks:
        if t.assignee and t.assignee.phone and t.assignee_person_id not in contacts:
            contacts[t.assignee_person_id] = t.assignee
    message = _reminder_text(unit, open_tasks)
    whatsapp = [(p, whatsapp_link(p.phone, message)) for p in contacts.values()]
    return render_template(
        "followup/unit.html",
        unit=unit,
        framework=framework,
        frameworks=all_frameworks(),
        tasks=page.items,
        page=page,
        status=status,
        statuses=list(TaskStatus),
        counts=queries.unit_task_counts(unit, today=today()),
        projection=projection,
        history=history,
        events=queries.unit_events(unit, limit=UNIT_EVENTS),
        events_limit=UNIT_EVENTS,
        chart=data,
        whatsapp=whatsapp,
        whatsapp_any=whatsapp_link(None, message) if open_tasks else None,
        today=today(),
    )


def _reminder_text(unit: Unit, tasks: list[FollowUpTask]) -> str:
    """The WhatsApp message body: always Indonesian, whatever the page's language."""
    lines = [f"Pengingat tindak lanjut {unit.name}:"]
    with force_locale("id"):
        for t in tasks[:10]:
            lines.append(f"- {t.title} (tenggat {t.due_date:%d-%m-%Y}, {t.status.label})")
    if len(tasks) > 10:
        lines.append(f"...dan {len(tasks) - 10} tugas lain")
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        lines.append(base.rstrip("/") + url_for("followup.unit_view", unit_id=unit.id))
    return "\n".join(lines)


@bp.post("/unit/<int:unit_id>/berkas-bukti")
@login_required
def evidence_bundle(unit_id: int):
    """The field-visit bundle (verified evidence by dimension and indicator, with an index),
    made by a job: the job's page follows it and offers the ZIP."""
    from ...jobs import services as jobs
    from ...units.models import ServiceProduct
    from ..bundle import bundle_state

    unit = unit_visible_or_404(unit_id)
    product = None
    product_id = request.form.get("produk", type=bounded_int)
    if product_id:
        product = db.session.get(ServiceProduct, product_id)
        if product is None or product.unit_id != unit.id:
            abort(404)
    name = f"berkas-bukti-{unit.short_name or unit.name}"
    if product is not None:
        name += f"-{product.name}"
    name += ".zip"
    job = jobs.enqueue(
        "followup.evidence_bundle",
        {"unit_id": unit.id, "product_id": product.id if product else None, "filename": name},
        actor=current_user,
        # Asked twice with nothing changed (a double click): the same job and ZIP.
        key=f"followup.bundle:{current_user.id}:{unit.id}:{product.id if product else 0}:"
        f"{bundle_state(unit, product)}",
    )
    db.session.commit()
    jobs.dispatch(job)
    return redirect(url_for("jobs.show", job_id=job.id), 303)
