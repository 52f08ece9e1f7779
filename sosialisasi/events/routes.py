"""Event pages: list, detail with agenda, create/edit/clone/move, status, calendar file.

The agenda's views (sessions, speakers, staff) are in ``agenda_routes``, on this same blueprint.
"""

from __future__ import annotations

from datetime import datetime

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select

from ..attendance import rules as attendance_rules
from ..auth.models import Role, User
from ..common.decorators import role_required
from ..common.errors import DomainError
from ..common.forms import add_error, required
from ..common.http import download_headers
from ..common.types import utcnow
from ..common.wib import format_datetime, from_wib, to_wib
from ..extensions import db
from ..followup import queries as followup_queries
from ..registration.rules import registration_state
from ..units.models import Unit
from ..units.services import unit_choices
from . import services
from .blueprint import EDITORS, bp
from .forms import CloneForm, EventForm, SpeakerForm, StaffForm, StatusForm
from .holidays import holiday_warnings
from .models import AttendanceRule, Event, EventKind, EventStatus


def _form_data(form: EventForm) -> services.EventData:
    closes = None
    if form.closes_date.data:
        closes = from_wib(form.closes_date.data, form.closes_time.data or datetime.min.time())
    return services.EventData(
        title=required(form.title.data),
        kind=EventKind(form.kind.data),
        description=form.description.data or "",
        venue=required(form.venue.data),
        address=form.address.data or "",
        starts_at=from_wib(required(form.start_date.data), required(form.start_time.data)),
        ends_at=from_wib(required(form.end_date.data), required(form.end_time.data)),
        organizer_unit=db.session.get(Unit, form.organizer_unit_id.data)
        if form.organizer_unit_id.data
        else None,
        letter_number=form.letter_number.data or None,
        letter_date=form.letter_date.data,
        signatory_name=form.signatory_name.data or None,
        signatory_position=form.signatory_position.data or None,
        signatory_nip=(form.signatory_nip.data or "").replace(" ", "") or None,
        default_quota=required(form.default_quota.data),
        capacity=form.capacity.data,
        requires_approval=form.requires_approval.data,
        public_registration=form.public_registration.data,
        registration_closes_at=closes,
        checkin_opens_minutes=required(form.checkin_opens_minutes.data),
        late_tolerance_minutes=form.late_tolerance_minutes.data or 0,
        self_checkin_enabled=form.self_checkin_enabled.data,
        attendance_rule=AttendanceRule(form.attendance_rule.data),
    )


def _fill_form(form: EventForm, event: Event) -> None:
    start, end = to_wib(event.starts_at), to_wib(event.ends_at)
    form.start_date.data, form.start_time.data = start.date(), start.time()
    form.end_date.data, form.end_time.data = end.date(), end.time()
    form.kind.data = event.kind.value
    form.attendance_rule.data = event.attendance_rule.value
    form.organizer_unit_id.data = event.organizer_unit_id or 0
    if event.registration_closes_at:
        closes = to_wib(event.registration_closes_at)
        form.closes_date.data, form.closes_time.data = closes.date(), closes.time()


@bp.get("/")
@login_required
def index():
    when = request.args.get("waktu") or "upcoming"
    status = request.args.get("status") or ""
    q = (request.args.get("q") or "").strip()
    stmt = services.visible_events(current_user)
    now = utcnow()
    if when == "upcoming":
        stmt = stmt.where(Event.ends_at >= now).order_by(Event.starts_at)
    elif when == "past":
        stmt = stmt.where(Event.ends_at < now).order_by(Event.starts_at.desc())
    else:
        stmt = stmt.order_by(Event.starts_at.desc())
    if status in {s.value for s in EventStatus}:
        stmt = stmt.where(Event.status == EventStatus(status))
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(
            or_(func.lower(Event.title).like(like), func.lower(Event.venue).like(like))
        )
    page = db.paginate(stmt, per_page=25)
    return render_template(
        "events/index.html", page=page, when=when, status=status, q=q, statuses=list(EventStatus)
    )


@bp.route("/baru", methods=["GET", "POST"])
@role_required(*EDITORS)
def create():
    form = EventForm()
    form.organizer_unit_id.choices = unit_choices(blank="-")
    if request.method == "GET":
        organisasi = db.session.scalar(select(Unit).where(Unit.code == "BAG-ORGANISASI"))
        form.organizer_unit_id.data = organisasi.id if organisasi else 0
        form.attendance_rule.data = AttendanceRule.ANY_SESSION.value
    past = False
    if form.validate_on_submit():
        data = _form_data(form)
        # Times that cannot be right are refused first (below); a past date is asked after.
        past = data.ends_at > data.starts_at and bool(services.date_warnings(data.starts_at))
        if past and not form.confirm_past.data:
            form.start_date.errors = [*services.date_warnings(data.starts_at)]
            return render_template("events/form.html", form=form, event=None, past=True), 422
        try:
            event = services.create_event(data, actor=current_user)
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "end_time")
        else:
            db.session.commit()
            flash(_("Acara dibuat sebagai draf. Lengkapi susunan acara dan narasumber."), "success")
            for warning in holiday_warnings(event.starts_at, event.ends_at):
                flash(warning, "warning")
            return redirect(url_for("events.detail", event_id=event.id))
    return render_template("events/form.html", form=form, event=None, past=past)


@bp.route("/<int:event_id>/ubah", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(event_id: int):
    event = services.get_event_or_404(event_id, current_user)
    form = EventForm(obj=event)
    form.organizer_unit_id.choices = unit_choices(blank="-")
    if request.method == "GET":
        _fill_form(form, event)
    if form.validate_on_submit():
        data = _form_data(form)
        moved_to_past = (
            data.starts_at != event.starts_at
            and data.ends_at > data.starts_at
            and services.date_warnings(data.starts_at)
        )
        if moved_to_past and not form.confirm_past.data:
            form.start_date.errors = list(moved_to_past)
            return render_template("events/form.html", form=form, event=event, past=True), 422
        change = None
        if data.attendance_rule is not event.attendance_rule:
            change = attendance_rules.rule_change(event, data.attendance_rule)
        try:
            services.update_event(event, data, actor=current_user)
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "end_time")
        else:
            db.session.commit()
            flash(_("Perubahan acara disimpan."), "success")
            if change is not None:
                flash(change.message(), "info")
            for warning in holiday_warnings(event.starts_at, event.ends_at):
                flash(warning, "warning")
            return redirect(url_for("events.detail", event_id=event.id))
    return render_template("events/form.html", form=form, event=event, past=False)


@bp.get("/<int:event_id>")
@login_required
def detail(event_id: int):
    event = services.get_event_or_404(event_id, current_user)
    status_form = StatusForm()
    status_form.status.choices = [(s.value, s.label) for s in services.allowed_transitions(event)]
    staff_form = None
    if current_user.has_role(Role.ORGANIZER):
        staff_form = StaffForm(users=[u.id for u in event.staff])
        staff_form.users.choices = [
            (u.id, f"{u.name} ({u.username})")
            for u in db.session.scalars(
                select(User).where(User.role == Role.CHECKIN_STAFF, User.active).order_by(User.name)
            )
        ]
    followup_total = None
    if current_user.has_role(Role.ORGANIZER, Role.VERIFIER) and event.status not in (
        EventStatus.DRAFT,
        EventStatus.CANCELLED,
    ):
        followup_total = followup_queries.event_followup_summary(event)[-1]
    return render_template(
        "events/detail.html",
        event=event,
        followup_total=followup_total,
        status_form=status_form,
        status_actions=services.status_actions(event) if current_user.has_role(*EDITORS) else [],
        reg_state=registration_state(event),
        staff_form=staff_form,
        speaker_form=SpeakerForm(),
        speaker_forms={sp.id: SpeakerForm(prefix=f"sp{sp.id}", obj=sp) for sp in event.speakers},
        clone_form=CloneForm(),
        move_form=CloneForm(prefix="move"),
        can_edit=current_user.has_role(*EDITORS),
        rule_text=attendance_rules.describe(event),
        checklist=services.setup_checklist(event) if current_user.has_role(*EDITORS) else [],
        rule_warnings=attendance_rules.warnings(event),
    )


@bp.post("/<int:event_id>/status")
@role_required(*EDITORS)
def change_status(event_id: int):
    event = services.get_event_or_404(event_id, current_user)
    form = StatusForm()
    form.status.choices = [(s.value, s.label) for s in EventStatus]
    if form.validate_on_submit():
        target = EventStatus(form.status.data)
        no_reason = target is EventStatus.CANCELLED and not (form.reason.data or "").strip()
        warnings = (
            services.status_warnings(event, target)
            if target in services.allowed_transitions(event) and not no_reason
            else []
        )
        if warnings and not form.confirm.data:
            # Backward moves, cancelling and odd dates ask first, saying who is affected.
            return render_template(
                "events/confirm_status.html",
                event=event,
                form=form,
                target=target,
                action=next(a for a in services.status_actions(event) if a.target is target),
                warnings=warnings,
            )
        try:
            services.change_status(event, target, reason=form.reason.data, actor=current_user)
        except DomainError as err:
            db.session.rollback()
            flash(err.message, "danger")
        else:
            db.session.commit()
            flash(_("Status acara menjadi '%(status)s'.", status=event.status.label), "success")
    return redirect(url_for("events.detail", event_id=event.id))


@bp.route("/<int:event_id>/salin", methods=["POST"])
@role_required(*EDITORS)
def clone(event_id: int):
    event = services.get_event_or_404(event_id, current_user)
    form = CloneForm()
    if not form.validate_on_submit():
        flash(_("Isi tanggal dan jam mulai acara baru."), "danger")
        return redirect(url_for("events.detail", event_id=event.id))
    copy = services.clone_event(
        event,
        starts_at=from_wib(required(form.start_date.data), required(form.start_time.data)),
        actor=current_user,
    )
    db.session.commit()
    flash(_("Acara disalin sebagai draf baru. Periksa nomor dan tanggal surat."), "success")
    return redirect(url_for("events.detail", event_id=copy.id))


@bp.route("/<int:event_id>/pindah", methods=["POST"])
@role_required(*EDITORS)
def move(event_id: int):
    """Move the whole event (all sessions together) to a new start date and time."""
    event = services.get_event_or_404(event_id, current_user)
    form = CloneForm(prefix="move")
    if not form.validate_on_submit():
        flash(_("Isi tanggal dan jam mulai yang baru."), "danger")
        return redirect(url_for("events.detail", event_id=event.id))
    starts_at = from_wib(required(form.start_date.data), required(form.start_time.data))
    warnings = services.date_warnings(starts_at)
    if warnings and not request.form.get("confirm"):
        flash(" ".join(warnings), "warning")
        return redirect(url_for("events.detail", event_id=event.id) + "#pindah")
    services.move_event(event, starts_at, actor=current_user)
    db.session.commit()
    flash(
        _(
            "Acara dan %(n)d sesi dipindahkan ke %(when)s.",
            n=len(event.sessions),
            when=format_datetime(event.starts_at),
        ),
        "success",
    )
    return redirect(url_for("events.detail", event_id=event.id))


@bp.get("/<int:event_id>/kalender.ics")
@login_required
def ics(event_id: int):
    event = services.get_event_or_404(event_id, current_user)
    per_session = request.args.get("per_sesi") == "1"
    body = services.to_ics(
        event,
        url=url_for("events.detail", event_id=event.id, _external=True),
        host=request.host,
        per_session=per_session,
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers=download_headers(f"acara-{event.id}{'-per-sesi' if per_session else ''}.ics"),
    )


# The agenda's views (sessions, speakers, staff) are on this blueprint too.
from . import agenda_routes  # noqa: E402, F401
