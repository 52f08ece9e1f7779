"""Home page: what each role needs first."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..auth.models import Role
from ..common.types import utcnow
from ..events import services as event_services
from ..events.models import Event, EventStatus
from ..extensions import db
from ..followup import queries as followup_queries
from ..registration import queries as registration_queries

bp = Blueprint("main", __name__)


@bp.get("/")
def root():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    return redirect(url_for("auth.login"))


@bp.get("/beranda")
@login_required
def index():
    now = utcnow()
    upcoming = db.session.scalars(
        event_services.visible_events(current_user)
        .where(Event.ends_at >= now, Event.status != EventStatus.CANCELLED)
        .order_by(Event.starts_at)
        .limit(8)
    ).all()
    invitations = []
    if current_user.role is Role.UNIT_OPERATOR and current_user.unit_id:
        invitations = registration_queries.upcoming_invitations(current_user.unit_id)
    pending = 0
    overview = []
    if current_user.has_role(Role.ORGANIZER):  # administrators too
        pending = registration_queries.pending_total()
        overview = event_services.organizer_overview(upcoming)
    followup_counts = None
    if current_user.role is Role.UNIT_OPERATOR and current_user.unit is not None:
        followup_counts = followup_queries.unit_task_counts(current_user.unit)
    return render_template(
        "main/index.html",
        upcoming=upcoming,
        invitations=invitations,
        pending_registrations=pending,
        followup_counts=followup_counts,
        overview=overview,
    )
