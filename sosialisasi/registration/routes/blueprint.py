"""The registration blueprint, apart from the package that imports its page modules (so that those
modules import it without importing their own package: no import circle)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("registration", "sosialisasi.registration.routes")
