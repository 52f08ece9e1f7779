"""The training blueprint, apart from the package that imports its page modules (so that those
modules import it without importing their own package: no import circle)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("training", "sosialisasi.training.routes")
