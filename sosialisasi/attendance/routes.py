"""Attendance pages: live dashboard, who meets the attendance rule, daftar hadir downloads, and
self check-in (the projector display and the participant's public page)."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ..audit.services import record
from ..auth.models import Role
from ..checkin.models import CheckIn, CheckInMethod
from ..checkin.services import Result
from ..common.decorators import role_required
from ..common.errors import DomainError
from ..common.forms import add_error
from ..common.http import bounded_int, download_headers
from ..common.qrcodes import qr_png
from ..common.types import utcnow
from ..events.models import Event, EventSession
from ..events.services import current_session, get_event_or_404, visible_events
from ..extensions import db, limiter
from ..jobs import services as jobs
from ..registration.models import Registration, RegistrationStatus
from . import services
from .documents import daftar_hadir_pdf, daftar_hadir_xlsx
from .forms import SelfCheckInForm, SelfCheckInToggleForm
from .queries import attendance_summary, attendees

bp = Blueprint("attendance", __name__)

VIEWERS = ("organizer", "verifier", "checkin_staff", "unit_operator")
# Door staff get counts, never a browsable list of everyone (the scanner searches instead).
LIST_VIEWERS = ("organizer", "verifier", "unit_operator")
DOWNLOADERS = ("organizer", "verifier")
SELF_CHECKIN_RATE_LIMIT = "30 per 5 minutes"  # failures, per address
# Successes per browser: one pass checks one person in, and one phone gets a new pass at most
# this often (a participant checks in once per session; titip absen needs many).
SELF_CHECKIN_DEVICE_LIMIT = "2 per 30 minutes"
DEVICE_COOKIE = "hadir_device"
DEVICE_COOKIE_DAYS = 2
REFRESH_SECONDS = 5


def _scope_unit():
    return current_user.unit if current_user.role is Role.UNIT_OPERATOR else None


def _chosen_session(event: Event) -> EventSession | None:
    raw = request.args.get("sesi", type=bounded_int)
    if raw is None:
        return current_session(event)
    if raw == 0:  # the whole event
        return None
    session = db.session.get(EventSession, raw)
    if session is None or session.event_id != event.id:
        abort(404)
    return session


def _filename(event: Event, suffix: str) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in event.title.lower())[:40].strip("-")
    return f"daftar-hadir-{event.id}-{slug}{suffix}"


# --- overview and dashboard ------------------------------------------------------------------


@bp.get("/kehadiran")
@login_required
def index():
    """Recent and running events with registered and present counts (two aggregate queries)."""
    unit = _scope_unit()
    events = db.session.scalars(
        visible_events(current_user).order_by(Event.starts_at.desc()).limit(30)
    ).all()
    ids = [e.id for e in events]
    active = [Registration.event_id.in_(ids), Registration.status == RegistrationStatus.REGISTERED]
    if unit is not None:
        active.append(Registration.unit_id == unit.id)
    registered = dict(
        db.session.execute(
            select(Registration.event_id, func.count(Registration.id))
            .where(*active)
            .group_by(Registration.event_id)
        ).all()
    )
    present = dict(
        db.session.execute(
            select(Registration.event_id, func.count(func.distinct(Registration.id)))
            .join(CheckIn, CheckIn.registration_id == Registration.id)
            .where(*active)
            .group_by(Registration.event_id)
        ).all()
    )
    rows = [(e, registered.get(e.id, 0), present.get(e.id, 0)) for e in events]
    return render_template("attendance/index.html", rows=rows, unit=unit)


@bp.get("/acara/<int:event_id>/kehadiran")
@role_required(*VIEWERS)
def dashboard(event_id: int):
    event = get_event_or_404(event_id, current_user)
    session = _chosen_session(event)
    unit = _scope_unit()
    data = attendance_summary(event, session, unit=unit)
    return render_template(
        "attendance/dashboard.html",
        event=event,
        session=session,
        unit=unit,
        data=data,
        updated=utcnow(),
        refresh_seconds=REFRESH_SECONDS,
        can_download=current_user.has_role(*DOWNLOADERS),
        can_list=current_user.has_role(*LIST_VIEWERS),
        can_manage=current_user.has_role("organizer"),
    )


@bp.get("/acara/<int:event_id>/kehadiran/data")
@role_required(*VIEWERS)
def dashboard_data(event_id: int):
    event = get_event_or_404(event_id, current_user)
    session = _chosen_session(event)
    response = jsonify(attendance_summary(event, session, unit=_scope_unit()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/acara/<int:event_id>/kehadiran/peserta")
@role_required(*LIST_VIEWERS)
def people(event_id: int):
    """Who attended which session and who "memenuhi syarat" under the event's rule."""
    event = get_event_or_404(event_id, current_user)
    rows = attendees(event, unit=_scope_unit())
    show = request.args.get("tampil") or "semua"
    total, eligible = len(rows), sum(1 for r in rows if r.eligible)
    if show == "memenuhi":
        rows = [r for r in rows if r.eligible]
    elif show == "belum":
        rows = [r for r in rows if not r.eligible]
    return render_template(
        "attendance/people.html",
        event=event,
        rows=rows,
        show=show,
        total=total,
        eligible=eligible,
        sessions=list(event.sessions),
        late_after={
            s.id: s.starts_at + timedelta(minutes=event.late_tolerance_minutes or 0)
            for s in event.sessions
        },
    )


# --- daftar hadir ----------------------------------------------------------------------------


@bp.get("/acara/<int:event_id>/daftar-hadir.pdf")
@role_required(*DOWNLOADERS)
def list_pdf(event_id: int):
    event = get_event_or_404(event_id, current_user)
    blank = request.args.get("kosong") == "1"
    session = None
    if request.args.get("sesi", type=bounded_int):
        session = _chosen_session(event)
    suffix = (f"-sesi-{session.id}" if session else "") + ("-kosong.pdf" if blank else ".pdf")
    name = _filename(event, suffix)
    rows = db.session.scalar(
        select(func.count(Registration.id)).where(Registration.event_id == event.id)
    )
    if (rows or 0) > jobs.pdf_job_min_rows():  # many pages: made by a job (issue 18)
        job = jobs.start_pdf(
            "attendance.list_pdf",
            {
                "session_id": session.id if session else None,
                "blank": blank,
                "filename": name,
                "rows": rows,
                "base_url": request.host_url,
                "ip": request.remote_addr,
            },
            actor=current_user,
            event=event,
        )
        db.session.commit()
        jobs.dispatch(job)
        return redirect(url_for("jobs.show", job_id=job.id), 303)
    data = daftar_hadir_pdf(event, blank=blank, session=session)
    if not blank:  # names and NIPs leave the app: the audit log keeps who took them
        _record_export(event, "pdf")
    return Response(
        data,
        mimetype="application/pdf",
        headers=download_headers(name, inline=True),
    )


@bp.get("/acara/<int:event_id>/daftar-hadir.xlsx")
@role_required(*DOWNLOADERS)
def list_xlsx(event_id: int):
    event = get_event_or_404(event_id, current_user)
    data = daftar_hadir_xlsx(event)
    _record_export(event, "xlsx")
    return Response(
        data,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers=download_headers(_filename(event, ".xlsx")),
    )


def _record_export(event: Event, kind: str) -> None:
    record(
        "attendance.export",
        actor=current_user,
        obj=event,
        summary=f"Daftar hadir ({kind.upper()})",
        ip=request.remote_addr,
        format=kind,
    )
    db.session.commit()


# --- self check-in: organizer side -----------------------------------------------------------


@bp.post("/acara/<int:event_id>/hadir-mandiri")
@role_required("organizer")
def toggle_self_checkin(event_id: int):
    event = get_event_or_404(event_id, current_user)
    form = SelfCheckInToggleForm()
    if form.validate_on_submit():
        try:
            services.set_self_checkin(
                event, form.enabled.data, actor=current_user, ip=request.remote_addr
            )
        except DomainError as err:
            db.session.rollback()
            flash(err.message, "danger")
        else:
            db.session.commit()
            if event.self_checkin_enabled:
                flash(
                    _("Registrasi ulang mandiri diaktifkan. Buka layar QR untuk proyektor."),
                    "success",
                )
            else:
                flash(_("Registrasi ulang mandiri dinonaktifkan."), "success")
    return redirect(request.form.get("next") or url_for("events.detail", event_id=event.id))


def _display_payload(event: Event) -> dict:
    now = utcnow()
    value, remaining = services.current_token(event, now)
    window = services.window_number(now)
    return {
        "enabled": event.self_checkin_enabled,
        "window": window,
        "expires_in": remaining,
        "url": url_for(
            "attendance.public_self_checkin", event_id=event.id, k=value, _external=True
        ),
        "qr": url_for("attendance.self_checkin_qr", event_id=event.id, w=window),
    }


@bp.get("/acara/<int:event_id>/hadir-mandiri/layar")
@role_required("organizer")
def self_checkin_display(event_id: int):
    event = get_event_or_404(event_id, current_user)
    present = db.session.scalar(
        select(func.count(CheckIn.id))
        .join(EventSession, EventSession.id == CheckIn.session_id)
        .where(EventSession.event_id == event.id, CheckIn.method == CheckInMethod.SELF)
    )
    return render_template(
        "attendance/self_checkin_display.html",
        event=event,
        payload=_display_payload(event) if event.self_checkin_enabled else None,
        self_count=present,
        form=SelfCheckInToggleForm(),
    )


@bp.get("/acara/<int:event_id>/hadir-mandiri/kode")
@role_required("organizer")
def self_checkin_code(event_id: int):
    event = get_event_or_404(event_id, current_user)
    if not event.self_checkin_enabled:
        return jsonify(enabled=False, message=_("Registrasi ulang mandiri tidak aktif.")), 409
    self_count = db.session.scalar(
        select(func.count(CheckIn.id))
        .join(EventSession, EventSession.id == CheckIn.session_id)
        .where(EventSession.event_id == event.id, CheckIn.method == CheckInMethod.SELF)
    )
    response = jsonify({**_display_payload(event), "self_count": self_count})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/acara/<int:event_id>/hadir-mandiri/qr.png")
@role_required("organizer")
def self_checkin_qr(event_id: int):
    """The QR of the current token (``w`` only defeats caches); never served to anonymous users."""
    event = get_event_or_404(event_id, current_user)
    if not event.self_checkin_enabled:
        abort(404)
    value, _remaining = services.current_token(event)
    url = url_for("attendance.public_self_checkin", event_id=event.id, k=value, _external=True)
    response = Response(qr_png(url, level="M", box_size=12), mimetype="image/png")
    response.headers["Cache-Control"] = "no-store"
    return response


# --- self check-in: the participant's phone (public) -----------------------------------------


def _self_limit() -> str:
    return current_app.config.get("SELF_CHECKIN_RATE_LIMIT", SELF_CHECKIN_RATE_LIMIT)


def _device_limit() -> str:
    return current_app.config.get("SELF_CHECKIN_DEVICE_LIMIT", SELF_CHECKIN_DEVICE_LIMIT)


def _device_key() -> str:
    """The browser's device cookie (passes are bound to it), else its address."""
    return "self-device:" + (request.cookies.get(DEVICE_COOKIE) or request.remote_addr or "")


def _checked_someone_in(_response) -> bool:
    return bool(g.get("self_checkin_success"))


@bp.route("/hadir/<int:event_id>", methods=["GET", "POST"])
@limiter.limit(_self_limit, methods=["POST"], deduct_when=lambda r: r.status_code >= 400)
@limiter.limit(
    _device_limit, key_func=_device_key, methods=["POST"], deduct_when=_checked_someone_in
)
def public_self_checkin(event_id: int):
    """Scanned from the projector: identify with a ticket, or a NIP and phone digits."""
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    form = SelfCheckInForm()
    device = request.cookies.get(DEVICE_COOKIE) or ""
    new_device = None
    try:
        if request.method == "GET":
            window = services.verify_token(event, request.args.get("k"))
            if not device:
                device = new_device = services.new_device_id()
            form.k.data = services.issue_pass(event, window, device)
        else:
            pass_id = services.verify_pass(event, form.k.data, device)
    except DomainError as err:
        # A stale or forged code (403), or self check-in switched off (409): no form at all.
        status = 403 if isinstance(err, services.StaleCode) else 409
        return render_template(
            "attendance/self_checkin.html", event=event, form=None, refused=err.message
        ), status
    outcome = None
    named = False
    status = 200
    if request.method == "POST" and form.validate_on_submit():
        try:
            identity = services.parse_identity(form.identity.data, form.phone_digits.data)
            outcome = services.self_check_in(
                event,
                identity,
                pass_id=pass_id,
                device=(request.user_agent.string or "")[:120],
                ip=request.remote_addr,
            )
        except services.PassUsed as err:
            db.session.rollback()
            return render_template(
                "attendance/self_checkin.html", event=event, form=None, refused=err.message
            ), 403
        except DomainError as err:
            add_error(form, err, "identity")
            status = 422
        else:
            named = identity.named
            if outcome.result is Result.OK:
                g.self_checkin_success = True
            db.session.commit()
            # The page answers 200 for "ok" and "already"; refusals keep the API's codes.
            status = 200 if outcome.result is Result.OK else outcome.result.http_status
    elif request.method == "POST":
        status = 422
    response = make_response(
        render_template(
            "attendance/self_checkin.html",
            event=event,
            form=form,
            outcome=outcome,
            named=named,
            refused=None,
        ),
        status,
    )
    if new_device:
        response.set_cookie(
            DEVICE_COOKIE,
            new_device,
            max_age=DEVICE_COOKIE_DAYS * 86400,
            path=url_for("attendance.public_self_checkin", event_id=event.id).rsplit("/", 1)[0],
            secure=request.is_secure,
            httponly=True,
            samesite="Lax",
        )
    return response
