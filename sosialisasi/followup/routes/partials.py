"""Follow-up data for other areas' pages, fed through Flask's ``before_render_template`` signal
(connected in ``create_app``): the page that includes a follow-up partial gets its variables
without its area importing follow-up."""

from __future__ import annotations

from typing import Any

from jinja2 import Template

from .. import queries
from ..services.tasks import today_wib


def person_tasks_for_person_page(
    sender: object, template: Template, context: dict[str, Any], **extra: object
) -> None:
    """The person page (registration's) lists the follow-up tasks naming that person."""
    if template.name == "registration/person.html":
        context["person_tasks"] = queries.tasks_for_person(context["person"])
        context["followup_today"] = today_wib()


def verifier_overview_for_home(
    sender: object, template: Template, context: dict[str, Any], **extra: object
) -> None:
    """The home page of a verifier opens on the numbers of the follow-up year."""
    if template.name != "main/index.html":
        return
    from flask_login import current_user

    from ...auth.models import Role
    from ...units.services import root_unit
    from ..queries.compliance import verifier_overview

    if current_user.is_authenticated and current_user.role is Role.VERIFIER:
        context["verifier_overview"] = verifier_overview(root_unit(), today=today_wib())
