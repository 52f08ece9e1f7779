"""Writing the audit log. Callers pass the actor and the request details explicitly."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..extensions import db
from .models import AuditEntry

if TYPE_CHECKING:
    from ..auth.models import User


def record(
    action: str,
    *,
    actor: User | None,
    obj: Any = None,
    summary: str = "",
    ip: str | None = None,
    device: str | None = None,
    **data: Any,
) -> AuditEntry:
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor is not None else None,
        object_type=obj.__tablename__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        summary=summary[:300],
        data=data,
        ip=ip,
        device=(device or "")[:120] or None,
    )
    db.session.add(entry)
    return entry
