"""Document pages: letterhead settings, surat undangan, notulen and files, laporan, sertifikat.

One blueprint ``bp`` (``documents``, defined in ``common``); the page modules register their views
on it when imported here. ``certificate_for_ticket_page`` and ``setup_checklist_for_pages`` are
connected to ``before_render_template`` in ``create_app``."""

from __future__ import annotations

from . import certificates, invitations, letterhead, minutes, reporting
from .common import (
    bp as bp,
)
from .common import (
    certificate_for_ticket_page as certificate_for_ticket_page,
)
from .common import (
    certificate_info as certificate_info,
)
from .common import (
    setup_checklist_for_pages as setup_checklist_for_pages,
)

__all__ = [
    "bp",
    "certificate_for_ticket_page",
    "certificate_info",
    "certificates",
    "invitations",
    "letterhead",
    "minutes",
    "reporting",
    "setup_checklist_for_pages",
]
