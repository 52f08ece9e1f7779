"""The agenda's pages of an event (sessions, speakers, staff), on the ``events`` blueprint of
``routes`` (split from it by size; endpoint names unchanged)."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..auth.models import User
from ..common.decorators import role_required
from ..common.errors import DomainError
from ..common.forms import add_error, required
from ..common.wib import from_wib, to_wib
from ..extensions import db
from . import services
from .blueprint import EDITORS, bp
from .forms import SessionForm, SpeakerForm, StaffForm
from .models import Event, EventSession, Speaker


def _speaker_choices(event: Event) -> list[tuple[int, str]]:
    return [(0, "-")] + [(s.id, s.name) for s in event.speakers]


@bp.route("/<int:event_id>/sesi/baru", methods=["GET", "POST"])
@bp.route("/<int:event_id>/sesi/<int:session_id>", methods=["GET", "POST"])
@role_required(*EDITORS)
def session_form(event_id: int, session_id: int | None = None):
    event = services.get_event_or_404(event_id, current_user)
    session = None
    if session_id is not None:
        session = db.get_or_404(EventSession, session_id)
        if session.event_id != event.id:
            return redirect(url_for("events.detail", event_id=event.id))
    form = SessionForm(obj=session)
    form.speaker_id.choices = _speaker_choices(event)
    form.speaker_ids.choices = [(s.id, s.label) for s in event.speakers]
    if request.method == "GET":
        base = session or event.sessions[-1] if event.sessions else None
        start = to_wib(
            session.starts_at if session else (base.ends_at if base else event.starts_at)
        )
        end = to_wib(session.ends_at) if session else start + timedelta(hours=1)
        form.date.data, form.start_time.data, form.end_time.data = (
            start.date(),
            start.time(),
            end.time(),
        )
        form.speaker_id.data = session.speaker_id or 0 if session else 0
        if session is not None:
            form.speaker_ids.data = [sp.id for sp in session.speakers] or (
                [session.speaker_id] if session.speaker_id else []
            )
    if form.validate_on_submit():
        try:
            services.save_session(
                event,
                session,
                title=required(form.title.data),
                starts_at=from_wib(required(form.date.data), required(form.start_time.data)),
                ends_at=from_wib(required(form.date.data), required(form.end_time.data)),
                mandatory=form.mandatory.data,
                speakers=[sp for sp in event.speakers if sp.id in set(form.speaker_ids.data or [])]
                if form.speaker_ids.data
                else (
                    [sp for sp in event.speakers if sp.id == form.speaker_id.data]
                    if form.speaker_id.data
                    else []
                ),
            )
        except DomainError as err:
            db.session.rollback()
            add_error(form, err, "end_time")
        else:
            db.session.commit()
            flash(_("Sesi disimpan."), "success")
            return redirect(url_for("events.detail", event_id=event.id) + "#agenda")
    return render_template("events/session_form.html", form=form, event=event, session=session)


@bp.post("/<int:event_id>/sesi/<int:session_id>/hapus")
@role_required(*EDITORS)
def session_delete(event_id: int, session_id: int):
    event = services.get_event_or_404(event_id, current_user)
    session = db.get_or_404(EventSession, session_id)
    if session.event_id == event.id:
        try:
            services.delete_session(session)
        except DomainError as err:
            db.session.rollback()
            flash(err.message, "danger")
        else:
            db.session.commit()
            flash(_("Sesi dihapus."), "info")
    return redirect(url_for("events.detail", event_id=event.id) + "#agenda")


def _event_speaker(event: Event, speaker_id: int) -> Speaker:
    """One of ``event``'s speakers, or 404 (another event's speaker id changes nothing)."""
    speaker = db.session.get(Speaker, speaker_id)
    if speaker is None or speaker.event_id != event.id:
        abort(404)
    return speaker


def _save_speaker(event: Event, speaker: Speaker | None, form: SpeakerForm, message: str):
    if form.validate_on_submit():
        try:
            services.save_speaker(
                event,
                speaker,
                name=required(form.name.data),
                title=form.title.data,
                institution=form.institution.data,
            )
        except DomainError as err:
            flash(err.message, "danger")
        else:
            db.session.commit()
            flash(message, "success")
    else:
        for name, errors in form.errors.items():
            flash(f"{form[name].label.text}: {errors[0]}", "danger")
    return redirect(url_for("events.detail", event_id=event.id) + "#narasumber")


@bp.post("/<int:event_id>/narasumber")
@role_required(*EDITORS)
def speaker_add(event_id: int):
    event = services.get_event_or_404(event_id, current_user)
    return _save_speaker(event, None, SpeakerForm(), _("Narasumber ditambahkan."))


@bp.post("/<int:event_id>/narasumber/<int:speaker_id>")
@role_required(*EDITORS)
def speaker_edit(event_id: int, speaker_id: int):
    event = services.get_event_or_404(event_id, current_user)
    speaker = _event_speaker(event, speaker_id)
    form = SpeakerForm(prefix=f"sp{speaker.id}")
    return _save_speaker(event, speaker, form, _("Narasumber disimpan."))


@bp.post("/<int:event_id>/narasumber/<int:speaker_id>/hapus")
@role_required(*EDITORS)
def speaker_delete(event_id: int, speaker_id: int):
    event = services.get_event_or_404(event_id, current_user)
    services.remove_speaker(_event_speaker(event, speaker_id))
    db.session.commit()
    flash(_("Narasumber dihapus."), "info")
    return redirect(url_for("events.detail", event_id=event.id) + "#narasumber")


@bp.post("/<int:event_id>/petugas")
@role_required(*EDITORS)
def staff(event_id: int):
    event = services.get_event_or_404(event_id, current_user)
    form = StaffForm()
    form.users.choices = [(u.id, u.username) for u in db.session.scalars(select(User))]
    if form.validate_on_submit():
        users = list(db.session.scalars(select(User).where(User.id.in_(form.users.data or []))))
        try:
            services.set_staff(event, users, actor=current_user)
        except DomainError as err:
            db.session.rollback()
            flash(err.message, "danger")
        else:
            db.session.commit()
            flash(_("Petugas registrasi ulang disimpan."), "success")
    return redirect(url_for("events.detail", event_id=event.id))
