"""Training pages: one blueprint, its views split by who uses them.

``organizer``: settings, question bank, tests, surveys, headcounts (per event);
``reports``: learning records and the yearly JP per unit; ``public``: the participant's pages,
reached with the ticket code only.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("training", __name__)

from . import organizer, public, reports  # noqa: E402,F401  (views attach to bp)
