"""What the document pages share: the ``documents`` blueprint, roles, PDF and "missing" responses,
the template global ``render_markup`` and the ``before_render_template`` receivers."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    url_for,
)
from flask_login import current_user
from jinja2 import Template

from ...common.http import download_headers
from ...events.models import Event, EventStatus
from ...registration.models import Registration
from .. import markup, services

bp = Blueprint("documents", __name__)

EDITORS = ("organizer",)
READERS = ("organizer", "verifier")


def _pdf(data: bytes, filename: str, *, inline: bool = True) -> Response:
    return Response(
        data,
        mimetype="application/pdf",
        headers={**download_headers(filename, inline=inline), "Cache-Control": "private, no-store"},
    )


def _missing(event: Event | None, missing: list[services.Missing], document: str):
    return (
        render_template("documents/missing.html", event=event, missing=missing, document=document),
        409,
    )


def _verify_url(code: str) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for("documents.public_verify", code=code)
    return url_for("documents.public_verify", code=code, _external=True)


@bp.app_template_global()
def render_markup(text: str | None) -> list[markup.Block]:
    return markup.parse(text)


def certificate_info(registration: Registration) -> dict:
    """What the ticket page shows about the participant's certificate."""
    event = registration.event
    if not services.certificates_open(event):
        return {"state": "not_yet"}
    cert = services.certificate_of(registration)
    if cert is not None and cert.revoked:
        return {"state": "revoked"}
    if cert is not None or services.is_eligible(registration):
        return {
            "state": "available",
            "url": url_for("documents.public_certificate", code=registration.ticket_code),
        }
    return {"state": "not_eligible", "message": services.why_not_eligible(registration)}


def certificate_for_ticket_page(
    sender: object, template: Template, context: dict, **extra: object
) -> None:
    """Receiver of Flask's ``before_render_template`` (connected in ``create_app``): the public
    ticket page (registration's) shows the participant's ``certificate`` (``certificate_info``)."""
    if template.name == "registration/ticket.html":
        context["certificate"] = certificate_info(context["registration"])


def setup_checklist_for_pages(
    sender: object, template: Template, context: dict, **extra: object
) -> None:
    """Receiver of ``before_render_template``: the home page (administrators, organizers) and
    an event page (organizers) get ``document_setup``, what the documents still need."""
    if not current_user.is_authenticated:
        return
    if template.name == "main/index.html" and current_user.has_role("organizer"):
        context["document_setup"] = services.setup_checklist()
    elif template.name == "events/detail.html" and current_user.has_role("organizer"):
        event = context.get("event")
        if event is not None and event.status is not EventStatus.CANCELLED:
            context["document_setup"] = services.setup_checklist(event)
