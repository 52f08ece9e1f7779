"""What the follow-up pages share: who reads, loaders that scope, the form step, chart data."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import abort, flash, redirect
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...auth.models import Role
from ...common.errors import DomainError
from ...common.forms import add_error
from ...extensions import db
from ...units.models import Unit
from .. import queries
from ..models import FollowUpTask, Framework
from ..services.frameworks import current_framework
from ..services.tasks import can_see_task, today_wib

READERS = ("organizer", "verifier")
PLANNERS = ("organizer", "verifier")


def today() -> date:
    return today_wib()


def framework_or_default(framework_id: int | None) -> Framework | None:
    """The framework asked for (404 when unknown), else the current assessment framework."""
    if framework_id:
        framework = queries.load_framework(framework_id)
        if framework is None:
            abort(404)
        return framework
    current = current_framework()
    return queries.load_framework(current.id) if current else None


def all_frameworks() -> list[Framework]:
    return list(
        db.session.scalars(select(Framework).order_by(Framework.kind, Framework.year_from.desc()))
    )


def task_or_404(task_id: int) -> FollowUpTask:
    task = db.session.get(FollowUpTask, task_id)
    if task is None or not can_see_task(current_user, task):
        abort(404)
    return task


def unit_visible_or_404(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    if current_user.role is Role.UNIT_OPERATOR:
        if current_user.unit_id != unit.id:
            abort(404)
    elif current_user.role not in (Role.ADMIN, Role.ORGANIZER, Role.VERIFIER):
        abort(403)
    return unit


def indicator_choices(framework: Framework | None) -> list[tuple[int, str]]:
    if framework is None:
        return [(0, "-")]
    return [(0, _("- tanpa indikator -"))] + [
        (i.id, f"{i.code} {i.name}") for i in framework.indicators if i.active
    ]


def form_step(
    form: Any,
    step: Callable[[], Any],
    *,
    field: str,
    message: str | Callable[[Any], str],
    target: str | Callable[[Any], str],
    level: str = "success",
):
    """The shape of every form post: validate, one service call, commit once, flash, redirect.

    Returns the redirect, or None when the form is to be shown again (not posted, invalid, or
    refused by the service: the refusal is then shown next to its field, ``field`` by default).
    """
    if not form.validate_on_submit():
        return None
    try:
        result = step()
    except DomainError as err:
        db.session.rollback()
        add_error(form, err, field)
        return None
    db.session.commit()
    flash(message(result) if callable(message) else message, level)
    return redirect(target(result) if callable(target) else target)


def refuse(err: DomainError, target: str):
    """A refused post without a form to show again: roll back, say why, go back."""
    db.session.rollback()
    flash(err.message, "danger")
    return redirect(target)


def chart(labels: list, values: list, label: str, bands=()) -> str:
    """Chart data for static/js/followup.js (passed in a data-* attribute).

    Each band carries its colour, and each value the colour of its band, so A (hijau tua) and
    B (hijau muda) are drawn apart; a value of None (a unit "belum dinilai") draws no bar.
    """
    bands = list(bands)

    def colour(value) -> str | None:
        if value is None:
            return None
        for b in bands:
            if b.min_score <= value <= b.max_score:
                return b.hex
        return None

    return json.dumps(
        {
            "labels": [str(x) for x in labels],
            "values": [float(v) if v is not None else None for v in values],
            "colors": [colour(v) for v in values],
            "label": label,
            "bands": [
                {
                    "category": b.category,
                    "min": float(b.min_score),
                    "max": float(b.max_score),
                    "color": b.hex,
                }
                for b in bands
            ],
        }
    )
