"""Error pages in the user's language for people, JSON for the API."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from .extensions import db

log = logging.getLogger(__name__)


def messages() -> dict[int, tuple[str, str]]:
    """Title and text of each error page, in the user's language (built per call)."""
    return {
        400: (_("Permintaan tidak valid"), _("Data yang dikirim tidak dapat diproses.")),
        401: (_("Perlu masuk"), _("Silakan masuk terlebih dahulu.")),
        403: (_("Akses ditolak"), _("Anda tidak memiliki hak untuk membuka halaman ini.")),
        404: (_("Tidak ditemukan"), _("Halaman atau data yang Anda cari tidak ada.")),
        405: (_("Metode tidak diizinkan"), _("Cara permintaan ini tidak didukung.")),
        409: (_("Konflik"), _("Data berubah atau bertentangan dengan aturan.")),
        413: (_("Berkas terlalu besar"), _("Ukuran berkas melebihi batas yang diizinkan.")),
        429: (
            _("Terlalu banyak percobaan"),
            _(
                "Terlalu banyak permintaan dalam waktu singkat. "
                "Tunggu beberapa menit lalu coba lagi."
            ),
        ),
        500: (
            _("Terjadi kesalahan"),
            _("Terjadi kesalahan pada server; kejadian ini sudah dicatat. Silakan coba lagi."),
        ),
    }


def wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def render_error(status: int, message: str | None = None):
    texts = messages()
    title, default = texts.get(status, texts[500])
    text = message or default
    if wants_json():
        return jsonify(error=title, message=text, status=status), status
    return render_template("errors/error.html", status=status, title=title, message=text), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError):
        return render_error(
            400,
            _("Sesi formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi."),
        )

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        status = err.code or 500
        # abort(404, "pesan") carries a message of ours; Werkzeug's English defaults are replaced.
        custom = err.description if err.description != type(err).description else None
        if status == 429:
            custom = messages()[429][1]
        body, status = render_error(status, custom)
        if isinstance(err, MethodNotAllowed) and err.valid_methods:
            response = make_response(body, status)
            response.headers["Allow"] = ", ".join(sorted(err.valid_methods))
            return response
        return body, status

    @app.errorhandler(500)
    def server_error(err: Exception):
        log.error("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(500)
