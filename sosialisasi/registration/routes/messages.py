"""Saved message texts: the default for every event (``/templat-pesan``) and an event's own
(``/acara/<id>/templat-pesan``), with a preview of the filled-in text."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...common.decorators import role_required
from ...common.errors import DomainError
from ...events.models import Event
from ...events.services import get_event_or_404
from ...extensions import db
from .. import message_templates
from ..models import MessageKind
from ._common import ORGANIZERS
from .blueprint import bp


def _kind() -> MessageKind:
    try:
        return MessageKind(request.values.get("jenis", "undangan"))
    except ValueError:
        return MessageKind.UNDANGAN


def _page(event: Event | None):
    kind = _kind()
    saved = message_templates.saved(event)
    body = saved[kind].body
    preview = error = None
    status = 200
    if request.method == "POST":
        body = request.form.get("template", "")
        action = request.form.get("aksi", "pratinjau")
        try:
            if action == "simpan":
                message_templates.save(kind, body, event=event, actor=current_user)
            elif action == "kembalikan":
                message_templates.reset(kind, event=event, actor=current_user)
            else:
                preview = message_templates.render(
                    kind, body, message_templates.sample_values(event)
                )
        except DomainError as err:
            db.session.rollback()
            error, status = err.message, 422
        else:
            if action in ("simpan", "kembalikan"):
                db.session.commit()
                flash(
                    _("Templat disimpan.") if action == "simpan" else _("Templat dikembalikan."),
                    "success",
                )
                if event is not None:
                    target = url_for(
                        "registration.event_messages", event_id=event.id, jenis=kind.value
                    )
                else:
                    target = url_for("registration.messages", jenis=kind.value)
                return redirect(target)
    return render_template(
        "registration/messages.html",
        event=event,
        kind=kind,
        kinds=list(MessageKind),
        saved=saved,
        body=body,
        preview=preview,
        error=error,
        placeholders=message_templates.PLACEHOLDERS[kind],
    ), status


@bp.route("/templat-pesan", methods=["GET", "POST"])
@role_required(*ORGANIZERS)
def messages():
    return _page(None)


@bp.route("/acara/<int:event_id>/templat-pesan", methods=["GET", "POST"])
@role_required(*ORGANIZERS)
def event_messages(event_id: int):
    return _page(get_event_or_404(event_id, current_user))
