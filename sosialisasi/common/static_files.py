"""Static files with their version in the URL, so that a phone keeps them and asks no more.

``url_for("static", filename=...)`` adds ``?v=<version>`` (from the file's modification time and
size). A request carrying the file's current version is answered with a year's
``Cache-Control: public, max-age=31536000, immutable``: a slow phone neither downloads nor
revalidates bootstrap, the scanner's JS or the 950 KB zxing wasm again, and a new release changes
the URL, so nothing stale is kept (nginx's ``expires`` for /static/ included). Without a version, or
with an old one, Flask's default stays: ``no-cache`` with an ETag (a 304 when unchanged).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

YEAR = 365 * 24 * 3600


def version(static_folder: str | None, filename: str) -> str | None:
    """A short hash of the file's modification time and size; None when there is no such file."""
    if not static_folder:
        return None
    try:
        stat = (Path(static_folder) / filename).stat()
    except (OSError, ValueError):
        return None
    return hashlib.sha256(f"{stat.st_mtime_ns}:{stat.st_size}".encode()).hexdigest()[:10]


def install(app: Flask) -> None:
    @app.url_defaults
    def _versioned_static(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            current = version(app.static_folder, values["filename"])
            if current:
                values["v"] = current

    @app.after_request
    def _cache_versioned_static(response: Response) -> Response:
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        asked = request.args.get("v")
        filename = (request.view_args or {}).get("filename", "")
        if asked and asked == version(app.static_folder, filename):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response
