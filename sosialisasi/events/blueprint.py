"""The events blueprint and who edits events, shared by :mod:`.routes` and :mod:`.agenda_routes`
(each imports this module, so neither imports the other back)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("events", "sosialisasi.events.routes", url_prefix="/acara")

EDITORS = ("organizer",)
