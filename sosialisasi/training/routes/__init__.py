"""Training pages: one blueprint, its views split by who uses them.

``organizer``: settings, question bank, tests, surveys, headcounts (per event);
``reports``: learning records and the yearly JP per unit; ``public``: the participant's pages,
reached with the ticket code only.
"""

from __future__ import annotations

from . import organizer, public, reports  # noqa: F401  (the page modules attach their views to bp)
from .blueprint import bp as bp  # the blueprint create_app registers
