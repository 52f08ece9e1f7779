"""Error pages in Indonesian for people, JSON for the API."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Permintaan tidak valid", "Data yang dikirim tidak dapat diproses."),
    401: ("Perlu masuk", "Silakan masuk terlebih dahulu."),
    403: ("Akses ditolak", "Anda tidak memiliki hak untuk membuka halaman ini."),
    404: ("Tidak ditemukan", "Halaman atau data yang Anda cari tidak ada."),
    405: ("Metode tidak diizinkan", "Cara permintaan ini tidak didukung."),
    409: ("Konflik", "Data berubah atau bertentangan dengan aturan."),
    413: ("Berkas terlalu besar", "Ukuran berkas melebihi batas yang diizinkan."),
    429: (
        "Terlalu banyak percobaan",
        "Terlalu banyak permintaan dalam waktu singkat. Tunggu beberapa menit lalu coba lagi.",
    ),
    500: (
        "Terjadi kesalahan",
        "Terjadi kesalahan pada server. Tim teknis sudah dicatat; coba lagi.",
    ),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def render_error(status: int, message: str | None = None):
    title, default = MESSAGES.get(status, MESSAGES[500])
    text = message or default
    if wants_json():
        return jsonify(error=title, message=text, status=status), status
    return render_template("errors/error.html", status=status, title=title, message=text), status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(err: CSRFError):
        return render_error(
            400,
            "Sesi formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.",
        )

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        status = err.code or 500
        # abort(404, "pesan") carries a message of ours; Werkzeug's English defaults are replaced.
        custom = err.description if err.description != type(err).description else None
        if status == 429:
            custom = MESSAGES[429][1]
        return render_error(status, custom)

    @app.errorhandler(500)
    def server_error(err: Exception):
        log.error("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return render_error(500)
