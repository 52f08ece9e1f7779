"""Audit of downloads that carry personal data in bulk (names, NIPs, evidence files).

The daftar hadir, the registration export and the badges record their own entry in their routes.
The downloads below are recorded here, after a successful answer, from one table kept in one
place: certificates (the bundle and single ones: names and NIPs), the API roster (every ticket
code, name and unit of an event) and follow-up evidence files.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import request
from flask_login import current_user

from ..extensions import db
from .services import record

log = logging.getLogger(__name__)

# endpoint -> audit action
AUDITED_DOWNLOADS: dict[str, str] = {
    "documents.certificates_pdf": "documents.certificates_download",
    "documents.certificate_pdf": "documents.certificate_download",
    "api.roster": "api.roster",
    "followup.evidence_download": "followup.evidence_download",
    # The same file shown inline on the task page (image, PDF frame): audited like the download.
    "followup.evidence_view": "followup.evidence_view",
}


def record_download(endpoint: str | None, view_args: dict[str, Any]) -> None:
    """Record (and commit) one entry when ``endpoint`` is an audited download."""
    action = AUDITED_DOWNLOADS.get(endpoint or "")
    if action is None or current_user.is_anonymous:
        return
    data = {k: v for k, v in view_args.items() if isinstance(v, int | str)}
    unit = request.args.get("unit")
    if unit:
        data["unit"] = unit[:12]
    try:
        record(
            action,
            actor=current_user._get_current_object(),
            summary=request.path[:300],
            ip=request.remote_addr,
            device=request.user_agent.string,
            **data,
        )
        db.session.commit()
    except Exception:  # the file has been produced; a failed audit write is logged, not a 500
        db.session.rollback()
        log.exception("audit of download %s failed", request.path)
