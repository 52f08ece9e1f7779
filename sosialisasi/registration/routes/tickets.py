"""The public ticket: the page a QR opens, its QR images, the ticket and badge PDFs."""

from __future__ import annotations

from flask import Response, abort, render_template
from flask_babel import gettext as _

from ...common.http import download_headers
from ...common.qrcodes import qr_png, qr_svg
from .. import queries, services, tickets
from ..models import Registration
from .blueprint import bp


def _ticket_or_404(code: str) -> Registration:
    reg = queries.ticket_registration(code)
    if reg is None:
        abort(404, _("Tiket tidak ditemukan. Periksa kembali tautan tiket Anda."))
    return reg


@bp.get("/t/<code>")
def public_ticket(code: str):
    reg = _ticket_or_404(code)
    response = Response(
        render_template(
            "registration/ticket.html",
            registration=reg,
            event=reg.event,
            url=services.ticket_url(reg),
            waitlist_position=queries.waitlist_position(reg),
        )
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _ticket_qr(code: str, render, mimetype: str) -> Response:
    """The ticket's QR (EC M, for screens), encoding the absolute ticket URL."""
    reg = _ticket_or_404(code)
    response = Response(render(services.ticket_url(reg), level="M"), mimetype=mimetype)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


@bp.get("/t/<code>/qr.png")
def public_ticket_qr_png(code: str):
    return _ticket_qr(code, qr_png, "image/png")


@bp.get("/t/<code>/qr.svg")
def public_ticket_qr_svg(code: str):
    return _ticket_qr(code, qr_svg, "image/svg+xml")


@bp.get("/t/<code>/tiket.pdf")
def public_ticket_pdf(code: str):
    reg = _ticket_or_404(code)
    data = tickets.ticket_pdf(reg, services.ticket_url(reg))
    return Response(
        data,
        mimetype="application/pdf",
        headers=download_headers(f"tiket-{reg.id}.pdf", inline=True),
    )


@bp.get("/t/<code>/kartu.pdf")
def public_ticket_badge(code: str):
    reg = _ticket_or_404(code)
    data = tickets.badges_pdf([reg], services.ticket_url)
    return Response(
        data,
        mimetype="application/pdf",
        headers=download_headers(f"kartu-{reg.id}.pdf", inline=True),
    )
