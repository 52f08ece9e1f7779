"""The followup blueprint, apart from the package that imports its page modules (so that those
modules import it without importing their own package: no import circle)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("followup", "sosialisasi.followup.routes", url_prefix="/tindak-lanjut")
