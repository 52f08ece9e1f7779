"""Audit log page for administrators."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select

from ..common.decorators import role_required
from ..extensions import db
from .models import AuditEntry

bp = Blueprint("audit", __name__, url_prefix="/audit")


@bp.get("/")
@role_required()
def index():
    action = (request.args.get("action") or "").strip()
    stmt = (
        select(AuditEntry).options(db.joinedload(AuditEntry.actor)).order_by(AuditEntry.id.desc())
    )
    if action:
        stmt = stmt.where(AuditEntry.action.startswith(action))
    page = db.paginate(stmt, per_page=100)
    return render_template("audit/index.html", page=page, action=action)
