"""Follow-up pages: dashboards, tasks and evidence, plans from events, frameworks, assessments."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..auth.models import Role
from ..common.decorators import role_required
from ..common.errors import DomainError
from ..common.forms import add_error
from ..common.http import bounded_int
from ..common.phone import whatsapp_link
from ..common.text import safe_cell
from ..events.services import get_event_or_404
from ..extensions import db
from ..units.models import Unit, UnitKind
from ..units.services import root_unit
from . import files, queries, services
from .forms import (
    AssessmentForm,
    BandsForm,
    DimensionForm,
    DistrictForm,
    EvidenceFileForm,
    EvidenceLinkForm,
    FrameworkForm,
    ImportForm,
    IndicatorForm,
    PlanForm,
    RejectForm,
    SubmitForm,
    TaskForm,
    VerifyForm,
    WeakTasksForm,
)
from .models import (
    Assessment,
    Dimension,
    Evidence,
    EvidenceKind,
    FollowUpPlan,
    FollowUpTask,
    Framework,
    FrameworkKind,
    Indicator,
    PlanTemplate,
    TaskStatus,
)

bp = Blueprint("followup", __name__, url_prefix="/tindak-lanjut")

READERS = ("organizer", "verifier")
PLANNERS = ("organizer", "verifier")


# --- helpers -------------------------------------------------------------------------------


def _today():
    return services.today_wib()


def _framework_or_default(framework_id: int | None) -> Framework | None:
    if framework_id:
        framework = queries.load_framework(framework_id)
        if framework is None:
            abort(404)
        return framework
    current = services.current_framework()
    return queries.load_framework(current.id) if current else None


def _frameworks() -> list[Framework]:
    return db.session.scalars(
        select(Framework).order_by(Framework.kind, Framework.year_from.desc())
    ).all()


def _task_or_404(task_id: int) -> FollowUpTask:
    task = db.session.get(FollowUpTask, task_id)
    if task is None or not services.can_see_task(current_user, task):
        abort(404)
    return task


def _unit_visible_or_404(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    if current_user.role is Role.UNIT_OPERATOR:
        if current_user.unit_id != unit.id:
            abort(404)
    elif current_user.role not in (Role.ADMIN, Role.ORGANIZER, Role.VERIFIER):
        abort(403)
    return unit


def _fail(err: DomainError, target: str):
    db.session.rollback()
    flash(err.message, "danger")
    return redirect(target)


def _chart(labels: list, values: list, label: str, bands=()) -> str:
    """Chart data for static/js/followup.js (passed in a data-* attribute)."""
    return json.dumps(
        {
            "labels": [str(x) for x in labels],
            "values": [float(v) if v is not None else None for v in values],
            "label": label,
            "bands": [
                {"category": b.category, "min": float(b.min_score), "max": float(b.max_score)}
                for b in bands
            ],
        }
    )


# --- home and dashboards -------------------------------------------------------------------


@bp.get("/")
@login_required
def index():
    if current_user.role is Role.UNIT_OPERATOR and current_user.unit_id:
        return redirect(url_for("followup.unit_view", unit_id=current_user.unit_id))
    if current_user.has_role(*READERS):
        return redirect(url_for("followup.dashboard"))
    abort(403)


def _dashboard_args():
    framework = _framework_or_default(request.args.get("kerangka", type=bounded_int))
    sort = request.args.get("urut") or "proyeksi"
    if sort not in queries.SORTS:
        sort = "proyeksi"
    descending = request.args.get("arah", "naik") == "turun"
    show_all = request.args.get("semua") == "1"
    return framework, sort, descending, show_all


@bp.get("/dasbor")
@role_required(*READERS)
def dashboard():
    framework, sort, descending, show_all = _dashboard_args()
    rows, lagging = [], []
    if framework is not None:
        rows = queries.dashboard(
            framework, today=_today(), sort=sort, descending=descending, show_all=show_all
        )
        lagging = queries.lagging_indicators(framework, today=_today())
    chart = _chart(
        [r["unit"].short_name or r["unit"].name for r in rows],
        [r["projection"].score for r in rows],
        _("Proyeksi nilai"),
        framework.bands if framework else (),
    )
    return render_template(
        "followup/dashboard.html",
        framework=framework,
        frameworks=_frameworks(),
        rows=rows,
        lagging=lagging,
        sort=sort,
        descending=descending,
        show_all=show_all,
        chart=chart,
    )


def _export_rows(rows) -> list[list]:
    out = []
    for r in rows:
        p = r["projection"]
        out.append(
            [
                r["unit"].name,
                f"{r['attended']}/{r['invited']}",
                r["verified"],
                r["tasks"],
                r["overdue"],
                float(p.score) if p.score is not None else None,
                p.band.category if p.band else "",
                float(r["latest"][1]) if r["latest"] else None,
            ]
        )
    return out


EXPORT_HEAD = [
    "Perangkat daerah",
    "Hadir/diundang",
    "Terverifikasi",
    "Jumlah tugas",
    "Terlambat",
    "Proyeksi nilai",
    "Kategori proyeksi",
    "Nilai resmi terakhir",
]


@bp.get("/dasbor.xlsx")
@role_required(*READERS)
def dashboard_xlsx():
    from openpyxl import Workbook

    framework, sort, descending, show_all = _dashboard_args()
    if framework is None:
        abort(404)
    rows = queries.dashboard(
        framework, today=_today(), sort=sort, descending=descending, show_all=show_all
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Kesiapan")
    ws.append([safe_cell(f"Kesiapan tindak lanjut - {framework.name}")])
    ws.append([safe_cell(f"Per {_today():%d-%m-%Y}")])
    ws.append(EXPORT_HEAD)
    for row in _export_rows(rows):
        ws.append([safe_cell(v) for v in row])
    lag = wb.create_sheet("Indikator tertinggal")
    lag.append(["Kode", "Indikator", "Terverifikasi", "Jumlah tugas", "Terlambat"])
    for r in queries.lagging_indicators(framework, today=_today(), limit=100):
        lag.append(
            [
                safe_cell(r["indicator"].code),
                safe_cell(r["indicator"].name),
                r["verified"],
                r["tasks"],
                r["overdue"],
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return Response(
        out.getvalue(),
        mimetype=files.TYPES["xlsx"],
        headers={"Content-Disposition": "attachment; filename=kesiapan-tindak-lanjut.xlsx"},
    )


@bp.get("/dasbor.pdf")
@role_required(*READERS)
def dashboard_pdf():
    from ..common.pdf import new_pdf, pdf_bytes
    from ..common.wib import format_date

    framework, sort, descending, show_all = _dashboard_args()
    if framework is None:
        abort(404)
    rows = queries.dashboard(
        framework, today=_today(), sort=sort, descending=descending, show_all=show_all
    )
    pdf = new_pdf(orientation="landscape")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 13)
    pdf.multi_cell(
        0,
        7,
        "Kesiapan Tindak Lanjut Penilaian Kepatuhan Pelayanan Publik",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("DejaVu", "", 9)
    pdf.multi_cell(
        0, 5, f"{framework.name} · per {format_date(_today())}", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(3)
    widths = (80, 28, 26, 22, 22, 28, 25, 36)
    with pdf.table(col_widths=widths, text_align="LEFT", repeat_headings=1) as table:
        table.row(EXPORT_HEAD)
        for values in _export_rows(rows):
            table.row(["" if v is None else str(v) for v in values])
    return Response(
        pdf_bytes(pdf),
        mimetype="application/pdf",
        headers={"Content-Disposition": "attachment; filename=kesiapan-tindak-lanjut.pdf"},
    )


@bp.get("/unit/<int:unit_id>")
@login_required
def unit_view(unit_id: int):
    unit = _unit_visible_or_404(unit_id)
    framework = _framework_or_default(request.args.get("kerangka", type=bounded_int))
    status = request.args.get("status") or ""
    tasks = db.session.scalars(queries.task_list(unit_id=unit.id, status=status)).all()
    projection = queries.projections(framework, [unit])[unit.id] if framework else None
    history = queries.unit_history(unit)
    chart = _chart(
        [h["assessment"].year for h in history],
        [h["assessment"].score for h in history],
        _("Nilai resmi"),
        history[-1]["assessment"].framework.bands if history else (),
    )
    open_tasks = [t for t in tasks if t.status is not TaskStatus.VERIFIED]
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
        frameworks=_frameworks(),
        tasks=tasks,
        status=status,
        statuses=list(TaskStatus),
        counts=queries.unit_task_counts(unit, today=_today()),
        projection=projection,
        history=history,
        events=queries.unit_events(unit),
        chart=chart,
        whatsapp=whatsapp,
        whatsapp_any=whatsapp_link(None, message) if open_tasks else None,
        today=_today(),
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


# --- tasks ---------------------------------------------------------------------------------


@bp.get("/tugas")
@login_required
def tasks():
    if current_user.role is Role.UNIT_OPERATOR:
        unit_id = current_user.unit_id or -1
    elif current_user.has_role(*READERS):
        unit_id = request.args.get("unit", type=bounded_int)
    else:
        abort(403)
    status = request.args.get("status") or ""
    overdue = request.args.get("terlambat") == "1"
    event_id = request.args.get("acara", type=bounded_int)
    page = db.paginate(
        queries.task_list(
            unit_id=unit_id, status=status, overdue=overdue, event_id=event_id, today=_today()
        ),
        per_page=50,
    )
    return render_template(
        "followup/tasks.html",
        page=page,
        status=status,
        overdue=overdue,
        statuses=list(TaskStatus),
        today=_today(),
    )


def _unit_choices() -> list[tuple[int, str]]:
    units = db.session.scalars(select(Unit).where(Unit.active).order_by(Unit.name))
    return [(u.id, u.label) for u in units if u.kind is not UnitKind.PEMDA]


def _indicator_choices(framework: Framework | None) -> list[tuple[int, str]]:
    if framework is None:
        return [(0, "-")]
    return [(0, _("- tanpa indikator -"))] + [
        (i.id, f"{i.code} {i.name}") for i in framework.indicators if i.active
    ]


@bp.route("/tugas/baru", methods=["GET", "POST"])
@role_required(*PLANNERS)
def task_new():
    framework = _framework_or_default(request.args.get("kerangka", type=bounded_int))
    form = TaskForm()
    form.unit_id.choices = _unit_choices()
    form.indicator_id.choices = _indicator_choices(framework)
    if request.method == "GET":
        form.unit_id.data = request.args.get("unit", type=bounded_int)
        form.due_date.data = _today() + timedelta(days=30)
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data)
        indicator = (
            db.session.get(Indicator, form.indicator_id.data) if form.indicator_id.data else None
        )
        try:
            task = services.create_task(
                unit,
                title=form.title.data,
                due_date=form.due_date.data,
                indicator=indicator,
                description=form.description.data or "",
                actor=current_user,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "title")
        else:
            db.session.commit()
            flash(_("Tugas dibuat."), "success")
            return redirect(url_for("followup.task_detail", task_id=task.id))
    return render_template("followup/task_form.html", form=form, framework=framework)


@bp.get("/tugas/<int:task_id>")
@login_required
def task_detail(task_id: int):
    task = _task_or_404(task_id)
    can_work = services.can_work(current_user, task)
    return render_template(
        "followup/task.html",
        task=task,
        today=_today(),
        can_work=can_work,
        can_verify=services.can_verify(current_user),
        can_download=services.can_download(current_user, task),
        file_form=EvidenceFileForm(),
        link_form=EvidenceLinkForm(),
        submit_form=SubmitForm(),
        verify_form=VerifyForm(),
        reject_form=RejectForm(),
        accept=files.ACCEPT,
    )


def _task_page(task: FollowUpTask, **forms):
    """Re-render the task page with a form's errors and input kept."""
    defaults = {
        "file_form": EvidenceFileForm(formdata=None),
        "link_form": EvidenceLinkForm(formdata=None),
        "submit_form": SubmitForm(formdata=None),
        "verify_form": VerifyForm(formdata=None),
        "reject_form": RejectForm(formdata=None),
    }
    defaults.update(forms)
    return (
        render_template(
            "followup/task.html",
            task=task,
            today=_today(),
            can_work=services.can_work(current_user, task),
            can_verify=services.can_verify(current_user),
            can_download=services.can_download(current_user, task),
            accept=files.ACCEPT,
            **defaults,
        ),
        422,
    )


@bp.post("/tugas/<int:task_id>/mulai")
@role_required("unit_operator")
def task_start(task_id: int):
    task = _task_or_404(task_id)
    try:
        services.start_task(task, actor=current_user)
    except DomainError as err:
        return _fail(err, url_for("followup.task_detail", task_id=task.id))
    db.session.commit()
    flash(_("Tugas mulai dikerjakan."), "success")
    return redirect(url_for("followup.task_detail", task_id=task.id))


@bp.post("/tugas/<int:task_id>/bukti")
@role_required("unit_operator")
def evidence_upload(task_id: int):
    task = _task_or_404(task_id)
    form = EvidenceFileForm()
    if not form.validate_on_submit():
        return _task_page(task, file_form=form)
    upload = form.file.data
    data = upload.read() if upload else b""
    try:
        services.add_evidence_file(
            task,
            filename=upload.filename if upload else None,
            data=data,
            upload_folder=current_app.config["UPLOAD_FOLDER"],
            description=form.description.data or "",
            actor=current_user,
        )
    except DomainError as err:
        db.session.rollback()
        task = _task_or_404(task_id)
        add_error(form, err, "file")
        return _task_page(task, file_form=form)
    db.session.commit()
    flash(_("Bukti diunggah."), "success")
    return redirect(url_for("followup.task_detail", task_id=task.id))


@bp.post("/tugas/<int:task_id>/tautan")
@role_required("unit_operator")
def evidence_link(task_id: int):
    task = _task_or_404(task_id)
    form = EvidenceLinkForm()
    if not form.validate_on_submit():
        return _task_page(task, link_form=form)
    try:
        services.add_evidence_link(
            task, url=form.url.data, description=form.description.data or "", actor=current_user
        )
    except DomainError as err:
        db.session.rollback()
        task = _task_or_404(task_id)
        add_error(form, err, "url")
        return _task_page(task, link_form=form)
    db.session.commit()
    flash(_("Tautan bukti disimpan."), "success")
    return redirect(url_for("followup.task_detail", task_id=task.id))


@bp.post("/bukti/<int:evidence_id>/hapus")
@role_required("unit_operator")
def evidence_delete(evidence_id: int):
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or not services.can_see_task(current_user, evidence.task):
        abort(404)
    task_id = evidence.task_id
    try:
        services.remove_evidence(
            evidence, upload_folder=current_app.config["UPLOAD_FOLDER"], actor=current_user
        )
    except DomainError as err:
        return _fail(err, url_for("followup.task_detail", task_id=task_id))
    db.session.commit()
    flash(_("Bukti dihapus."), "success")
    return redirect(url_for("followup.task_detail", task_id=task_id))


@bp.get("/bukti/<int:evidence_id>")
@role_required("unit_operator", "verifier")
def evidence_download(evidence_id: int):
    evidence = db.session.get(Evidence, evidence_id)
    if (
        evidence is None
        or evidence.kind is not EvidenceKind.FILE
        or not services.can_download(current_user, evidence.task)
    ):
        abort(404)
    try:
        path = files.path_of(current_app.config["UPLOAD_FOLDER"], evidence.stored_name)
        handle = open(path, "rb")  # noqa: SIM115 - send_file closes it
    except FileNotFoundError:
        abort(404)
    return send_file(
        handle,
        mimetype=evidence.content_type or "application/octet-stream",
        as_attachment=True,
        download_name=evidence.original_name or evidence.stored_name,
    )


def _workflow_step(task_id: int, form, form_key: str, step, field: str, message: str, level: str):
    """One workflow step posted from the task page: validate, call the service, commit once.

    On a refusal the task page is shown again with the form's error and input kept.
    """
    task = _task_or_404(task_id)
    if not form.validate_on_submit():
        return _task_page(task, **{form_key: form})
    try:
        step(task, form)
    except DomainError as err:
        db.session.rollback()
        task = _task_or_404(task_id)
        add_error(form, err, field)
        return _task_page(task, **{form_key: form})
    db.session.commit()
    flash(message, level)
    return redirect(url_for("followup.task_detail", task_id=task.id))


@bp.post("/tugas/<int:task_id>/ajukan")
@role_required("unit_operator")
def task_submit(task_id: int):
    return _workflow_step(
        task_id,
        SubmitForm(),
        "submit_form",
        lambda task, form: services.submit_task(
            task, note=form.note.data or "", actor=current_user
        ),
        "note",
        _("Tugas diajukan untuk diverifikasi."),
        "success",
    )


@bp.post("/tugas/<int:task_id>/verifikasi")
@role_required("verifier")
def task_verify(task_id: int):
    return _workflow_step(
        task_id,
        VerifyForm(),
        "verify_form",
        lambda task, form: services.verify_task(
            task, note=form.note.data or "", actor=current_user
        ),
        "note",
        _("Tugas terverifikasi."),
        "success",
    )


@bp.post("/tugas/<int:task_id>/tolak")
@role_required("verifier")
def task_reject(task_id: int):
    return _workflow_step(
        task_id,
        RejectForm(),
        "reject_form",
        lambda task, form: services.reject_task(task, reason=form.reason.data, actor=current_user),
        "reason",
        _("Tugas dikembalikan ke unit dengan alasan penolakan."),
        "warning",
    )


# --- plans from events ---------------------------------------------------------------------


@bp.route("/acara/<int:event_id>", methods=["GET", "POST"])
@role_required(*PLANNERS)
def plan(event_id: int):
    event = get_event_or_404(event_id, current_user)
    existing = db.session.scalar(select(FollowUpPlan).where(FollowUpPlan.event_id == event.id))
    chosen_id = request.values.get("framework_id", type=bounded_int) or (
        existing.framework_id if existing else None
    )
    framework = _framework_or_default(chosen_id)
    form = PlanForm()
    form.framework_id.choices = [(f.id, f"{f.name} ({f.years})") for f in _frameworks()]
    templates = db.session.scalars(select(PlanTemplate).order_by(PlanTemplate.name)).all()
    form.template_id.choices = [(0, "-")] + [(t.id, t.name) for t in templates]
    active = [i for i in (framework.indicators if framework else []) if i.active]
    form.indicators.choices = [(i.id, f"{i.code} {i.name}") for i in active]
    if request.method == "GET":
        form.framework_id.data = framework.id if framework else None
        if existing:
            form.indicators.data = existing.indicator_ids
            form.due_date.data = existing.due_date
        else:
            form.due_date.data = _today() + timedelta(days=60)
    if request.method == "POST" and form.template_id.data and not form.indicators.data:
        template = db.session.get(PlanTemplate, form.template_id.data)
        if template is not None and framework and template.framework_id == framework.id:
            form.indicators.data = template.indicator_ids
    if form.validate_on_submit():
        chosen = [i for i in active if i.id in set(form.indicators.data or [])]
        try:
            _plan, result = services.save_plan(
                event,
                framework,
                indicators=chosen,
                due_date=form.due_date.data,
                template_name=form.template_name.data,
                actor=current_user,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "indicators")
        else:
            db.session.commit()
            flash(
                _(
                    "Rencana tindak lanjut disimpan: %(created)d tugas baru, %(existing)d sudah "
                    "ada, %(not_applicable)d tidak berlaku untuk jenis unitnya; %(absent)d unit "
                    "tidak hadir.",
                    created=result.created,
                    existing=result.existing,
                    not_applicable=result.not_applicable,
                    absent=len(result.absent_units),
                ),
                "success",
            )
            return redirect(url_for("followup.plan", event_id=event.id))
    summary = queries.event_followup_summary(event, today=_today())
    by_dim: dict[int, list] = {}
    for indicator in active:
        by_dim.setdefault(indicator.dimension_id, []).append(indicator)
    return render_template(
        "followup/plan.html",
        event=event,
        plan=existing,
        framework=framework,
        form=form,
        summary=summary,
        by_dim=by_dim,
        templates=templates,
    )


# --- frameworks (admin edits, verifiers read) ----------------------------------------------


@bp.get("/kerangka")
@role_required("verifier", "organizer")
def frameworks():
    return render_template("followup/frameworks.html", frameworks=_frameworks())


@bp.get("/kerangka/<int:framework_id>")
@role_required("verifier", "organizer")
def framework_detail(framework_id: int):
    framework = queries.load_framework(framework_id) or abort(404)
    dims = {d.id: d for d in framework.dimensions}
    return render_template(
        "followup/framework.html", framework=framework, dims=dims, kinds=UnitKind
    )


def _framework_form_page(form: FrameworkForm, framework: Framework | None):
    form.kind.choices = [(k.value, k.label) for k in FrameworkKind]
    if form.validate_on_submit():
        try:
            framework = services.save_framework(
                framework,
                code=form.code.data,
                name=form.name.data,
                kind=FrameworkKind(form.kind.data),
                year_from=form.year_from.data,
                year_to=form.year_to.data,
                description=form.description.data or "",
                active=form.active.data,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "code")
        else:
            db.session.commit()
            flash(_("Kerangka disimpan."), "success")
            return redirect(url_for("followup.framework_detail", framework_id=framework.id))
    return render_template("followup/framework_form.html", form=form, framework=framework)


@bp.route("/kerangka/baru", methods=["GET", "POST"])
@role_required()
def framework_new():
    return _framework_form_page(FrameworkForm(), None)


@bp.route("/kerangka/<int:framework_id>/ubah", methods=["GET", "POST"])
@role_required()
def framework_edit(framework_id: int):
    framework = db.get_or_404(Framework, framework_id)
    form = FrameworkForm(obj=framework)
    if request.method == "GET":
        form.kind.data = framework.kind.value
    return _framework_form_page(form, framework)


@bp.route("/kerangka/<int:framework_id>/dimensi", methods=["GET", "POST"])
@bp.route("/kerangka/<int:framework_id>/dimensi/<int:dimension_id>", methods=["GET", "POST"])
@role_required()
def dimension_form(framework_id: int, dimension_id: int | None = None):
    framework = db.get_or_404(Framework, framework_id)
    dimension = None
    if dimension_id is not None:
        dimension = db.session.get(Dimension, dimension_id)
        if dimension is None or dimension.framework_id != framework.id:
            abort(404)
    form = DimensionForm(obj=dimension)
    if request.method == "GET" and dimension is not None:
        form.weight.data = str(dimension.weight)
    if form.validate_on_submit():
        try:
            services.save_dimension(
                framework,
                dimension,
                code=form.code.data,
                name=form.name.data,
                weight=form.weight.data,
                position=form.position.data or 0,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "weight")
        else:
            db.session.commit()
            flash(_("Dimensi disimpan."), "success")
            return redirect(url_for("followup.framework_detail", framework_id=framework.id))
    return render_template(
        "followup/dimension_form.html", form=form, framework=framework, dimension=dimension
    )


@bp.route("/kerangka/<int:framework_id>/indikator", methods=["GET", "POST"])
@bp.route("/kerangka/<int:framework_id>/indikator/<int:indicator_id>", methods=["GET", "POST"])
@role_required()
def indicator_form(framework_id: int, indicator_id: int | None = None):
    framework = db.get_or_404(Framework, framework_id)
    indicator = None
    if indicator_id is not None:
        indicator = db.session.get(Indicator, indicator_id)
        if indicator is None or indicator.framework_id != framework.id:
            abort(404)
    form = IndicatorForm(obj=indicator)
    form.dimension_id.choices = [(d.id, f"{d.code} {d.name}") for d in framework.dimensions]
    form.unit_kinds.choices = [(k.value, k.label) for k in UnitKind if k is not UnitKind.PEMDA]
    if not framework.dimensions:
        flash(_("Tambahkan dimensi terlebih dahulu."), "warning")
        return redirect(url_for("followup.dimension_form", framework_id=framework.id))
    if form.validate_on_submit():
        dimension = db.session.get(Dimension, form.dimension_id.data)
        try:
            services.save_indicator(
                framework,
                indicator,
                dimension=dimension,
                code=form.code.data,
                name=form.name.data,
                evidence_hint=form.evidence_hint.data or "",
                unit_kinds=form.unit_kinds.data or [],
                position=form.position.data or 0,
                active=form.active.data,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "code")
        else:
            db.session.commit()
            flash(_("Indikator disimpan."), "success")
            return redirect(url_for("followup.framework_detail", framework_id=framework.id))
    return render_template(
        "followup/indicator_form.html", form=form, framework=framework, indicator=indicator
    )


@bp.route("/kerangka/<int:framework_id>/pita", methods=["GET", "POST"])
@role_required()
def bands(framework_id: int):
    framework = db.get_or_404(Framework, framework_id)
    if request.method == "GET":
        data = [
            {
                "category": b.category,
                "min_score": str(b.min_score),
                "max_score": str(b.max_score),
                "zone": b.zone,
                "opinion": b.opinion,
            }
            for b in framework.bands
        ]
        form = BandsForm(data={"bands": [*data, {}, {}]})
    else:
        form = BandsForm()
    error = None
    if form.validate_on_submit():
        rows = [
            services.BandData(
                e.category.data, e.min_score.data, e.max_score.data, e.zone.data, e.opinion.data
            )
            for e in form.bands
            if any((e.category.data or "", e.min_score.data or "", e.max_score.data or ""))
        ]
        try:
            services.save_bands(framework, rows, actor=current_user)
        except DomainError as err:
            db.session.rollback()
            error = err.message
        else:
            db.session.commit()
            flash(_("Pita nilai disimpan."), "success")
            return redirect(url_for("followup.framework_detail", framework_id=framework.id))
    return (
        render_template("followup/bands.html", form=form, framework=framework, error=error),
        422 if error else 200,
    )


@bp.get("/kerangka/<int:framework_id>/ekspor.xlsx")
@role_required("verifier")
def framework_export(framework_id: int):
    framework = queries.load_framework(framework_id) or abort(404)
    return Response(
        services.export_framework_xlsx(framework),
        mimetype=files.TYPES["xlsx"],
        headers={
            "Content-Disposition": f"attachment; filename=kerangka-{framework.code.lower()}.xlsx"
        },
    )


@bp.route("/kerangka/impor", methods=["GET", "POST"])
@role_required()
def framework_import():
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            if not upload or not upload.filename:
                raise DomainError(_("Pilih berkas XLSX."), field="file")
            framework = services.import_framework_xlsx(upload.read(), actor=current_user)
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "file")
        else:
            db.session.commit()
            flash(_("Kerangka %(code)s diimpor.", code=framework.code), "success")
            return redirect(url_for("followup.framework_detail", framework_id=framework.id))
    return render_template("followup/import.html", form=form)


# --- assessments ---------------------------------------------------------------------------


@bp.get("/penilaian")
@role_required(*READERS)
def assessments():
    history = queries.district_history(root_unit())
    chart = _chart(
        [h["year"] for h in history],
        [h["score"] for h in history],
        _("Nilai kabupaten"),
        history[-1]["framework"].bands if history else (),
    )
    form = DistrictForm(formdata=None)
    form.framework_id.choices = [(f.id, f"{f.code} ({f.years})") for f in _frameworks()]
    return render_template(
        "followup/assessments.html", history=history, chart=chart, district_form=form
    )


@bp.post("/penilaian/kabupaten")
@role_required("verifier")
def district_save():
    form = DistrictForm()
    form.framework_id.choices = [(f.id, f.code) for f in _frameworks()]
    if form.validate_on_submit():
        framework = db.session.get(Framework, form.framework_id.data)
        try:
            if not framework.covers(form.year.data):
                raise DomainError(
                    _(
                        "Kerangka %(code)s tidak berlaku untuk tahun %(year)s.",
                        code=framework.code,
                        year=form.year.data,
                    ),
                    field="year",
                )
            services.record_district_result(
                root_unit(),
                framework,
                year=form.year.data,
                score=form.score.data,
                notes=form.notes.data or "",
            )
        except DomainError as err:
            return _fail(err, url_for("followup.assessments"))
        db.session.commit()
        flash(_("Nilai kabupaten disimpan."), "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "danger")
    return redirect(url_for("followup.assessments"))


@bp.route("/penilaian/baru", methods=["GET", "POST"])
@role_required("verifier")
def assessment_new():
    framework = _framework_or_default(request.values.get("framework_id", type=bounded_int))
    form = AssessmentForm()
    form.unit_id.choices = _unit_choices()
    form.framework_id.choices = [
        (f.id, f"{f.code} ({f.years})") for f in _frameworks() if f.kind is FrameworkKind.ASSESSMENT
    ]
    if request.method == "GET":
        form.framework_id.data = framework.id if framework else None
        form.unit_id.data = request.args.get("unit", type=bounded_int)
        if framework:
            form.year.data = framework.year_to or framework.year_from
    values = request.form if request.method == "POST" else {}
    if request.method == "POST" and request.form.get("ganti_kerangka"):
        return render_template(
            "followup/assessment_form.html", form=form, framework=framework, values=values
        )
    if form.validate_on_submit() and framework is not None:
        points = {d.code: request.form.get(f"dim_{d.code}", "") for d in framework.dimensions}
        scores = {}
        for i in framework.indicators:
            raw = (request.form.get(f"ind_{i.id}") or "").strip()
            if raw:
                scores[i.id] = int(raw) if raw.isdigit() else -1
        unit = db.session.get(Unit, form.unit_id.data)
        try:
            assessment = services.record_assessment(
                unit,
                framework,
                year=form.year.data,
                score=form.score.data,
                dimension_points=points,
                indicator_scores=scores,
                notes=form.notes.data or "",
                actor=current_user,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "score")
        else:
            db.session.commit()
            flash(_("Hasil penilaian disimpan."), "success")
            return redirect(url_for("followup.assessment_detail", assessment_id=assessment.id))
    return render_template(
        "followup/assessment_form.html", form=form, framework=framework, values=values
    )


@bp.get("/penilaian/<int:assessment_id>")
@role_required(*READERS)
def assessment_detail(assessment_id: int):
    assessment = db.get_or_404(Assessment, assessment_id)
    form = WeakTasksForm(formdata=None)
    form.due_date.data = _today() + timedelta(days=60)
    return _assessment_page(assessment, form)


def _assessment_page(assessment: Assessment, form: WeakTasksForm, status: int = 200):
    scores = {s.indicator_id: s.score for s in assessment.scores}
    tasks = db.session.scalars(
        select(FollowUpTask)
        .where(FollowUpTask.source_assessment_id == assessment.id)
        .order_by(FollowUpTask.id)
    ).all()
    return (
        render_template(
            "followup/assessment.html",
            assessment=assessment,
            band=services.band_for(assessment.framework, assessment.score),
            scores=scores,
            form=form,
            tasks=tasks,
        ),
        status,
    )


@bp.post("/penilaian/<int:assessment_id>/tugas")
@role_required("verifier")
def assessment_tasks(assessment_id: int):
    assessment = db.get_or_404(Assessment, assessment_id)
    form = WeakTasksForm()
    if form.validate_on_submit():
        try:
            result = services.tasks_from_assessment(
                assessment,
                threshold=form.threshold.data,
                due_date=form.due_date.data,
                actor=current_user,
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "threshold")
        else:
            db.session.commit()
            flash(
                _(
                    "%(created)d tugas dibuat dari indikator yang lemah (%(existing)d sudah ada).",
                    created=result.created,
                    existing=result.existing,
                ),
                "success",
            )
            return redirect(url_for("followup.assessment_detail", assessment_id=assessment.id))
    return _assessment_page(assessment, form, 422)


# --- hooks for other areas' pages ----------------------------------------------------------


@bp.app_context_processor
def _followup_helpers() -> dict:
    """Functions the partials included by other areas' pages call (they get one variable)."""
    return {
        "followup_tasks_for_person": queries.tasks_for_person,
        "followup_event_summary": queries.event_followup_summary,
        "followup_unit_counts": queries.unit_task_counts,
        "followup_today": _today,
    }
