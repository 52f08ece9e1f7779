"""Public face of the documents services, kept so that ``documents.services.X`` (used across the
app, its tests and monkeypatched in tests) goes on working after issue 12 split this module.

Thin re-export only: the code lives in ``missing`` (what a document still needs), ``letterhead``,
``signatories``, ``invitations`` (surat undangan), ``minutes`` (notulen, photos, materials),
``reporting`` (laporan kegiatan) and ``certification`` (sertifikat). Routes call through this
module (``services.X``) so tests that monkeypatch it keep working."""

from __future__ import annotations

from .certification import (
    CERTIFIABLE as CERTIFIABLE,
)
from .certification import (
    _check_certifiable as _check_certifiable,
)
from .certification import (
    _eligible_ids as _eligible_ids,
)
from .certification import (
    _new_certificate as _new_certificate,
)
from .certification import (
    _next_sequence as _next_sequence,
)
from .certification import (
    certificate_for_participant as certificate_for_participant,
)
from .certification import (
    certificate_of as certificate_of,
)
from .certification import (
    certificates_open as certificates_open,
)
from .certification import (
    certificates_per_unit as certificates_per_unit,
)
from .certification import (
    event_certificates as event_certificates,
)
from .certification import (
    find_certificate as find_certificate,
)
from .certification import (
    is_eligible as is_eligible,
)
from .certification import (
    issue_certificates as issue_certificates,
)
from .certification import (
    render_certificates_pdf as render_certificates_pdf,
)
from .certification import (
    revoke_certificate as revoke_certificate,
)
from .certification import (
    why_not_eligible as why_not_eligible,
)
from .invitations import (
    _TITLE as _TITLE,
)
from .invitations import (
    APPENDIX_AFTER as APPENDIX_AFTER,
)
from .invitations import (
    PROTOCOL_ORDER as PROTOCOL_ORDER,
)
from .invitations import (
    Addressee as Addressee,
)
from .invitations import (
    LetterData as LetterData,
)
from .invitations import (
    _strip_prefix as _strip_prefix,
)
from .invitations import (
    addressees as addressees,
)
from .invitations import (
    addressing_overrides as addressing_overrides,
)
from .invitations import (
    attachment_text as attachment_text,
)
from .invitations import (
    default_subject as default_subject,
)
from .invitations import (
    get_letter as get_letter,
)
from .invitations import (
    head_of as head_of,
)
from .invitations import (
    protocol_key as protocol_key,
)
from .invitations import (
    protocol_order as protocol_order,
)
from .invitations import (
    save_addressing as save_addressing,
)
from .invitations import (
    save_letter as save_letter,
)
from .invitations import (
    save_protocol_order as save_protocol_order,
)
from .invitations import (
    units_per_kind as units_per_kind,
)
from .letterhead import (
    LetterheadData as LetterheadData,
)
from .letterhead import (
    get_letterhead as get_letterhead,
)
from .letterhead import (
    logo_bytes as logo_bytes,
)
from .letterhead import (
    save_letterhead as save_letterhead,
)
from .letterhead import (
    seed_letterhead as seed_letterhead,
)
from .minutes import (
    EDITABLE as EDITABLE,
)
from .minutes import (
    MAX_PHOTOS as MAX_PHOTOS,
)
from .minutes import (
    ReportData as ReportData,
)
from .minutes import (
    _check_editable as _check_editable,
)
from .minutes import (
    _touch_report as _touch_report,
)
from .minutes import (
    add_file as add_file,
)
from .minutes import (
    delete_file as delete_file,
)
from .minutes import (
    get_report as get_report,
)
from .minutes import (
    previous_report as previous_report,
)
from .minutes import (
    save_report as save_report,
)
from .missing import (
    LETTERHEAD_FIELDS as LETTERHEAD_FIELDS,
)
from .missing import (
    REPORT_FIELDS as REPORT_FIELDS,
)
from .missing import (
    REPORT_SIGNATORY_FIELDS as REPORT_SIGNATORY_FIELDS,
)
from .missing import (
    SIGNATORY_FIELDS as SIGNATORY_FIELDS,
)
from .missing import (
    Missing as Missing,
)
from .missing import (
    _blank as _blank,
)
from .missing import (
    missing_for_certificate as missing_for_certificate,
)
from .missing import (
    missing_for_letter as missing_for_letter,
)
from .missing import (
    missing_for_report as missing_for_report,
)
from .missing import (
    missing_letterhead as missing_letterhead,
)
from .missing import (
    missing_report_signatory as missing_report_signatory,
)
from .missing import (
    missing_signatory as missing_signatory,
)
from .missing import (
    setup_checklist as setup_checklist,
)
from .reporting import (
    produce_report as produce_report,
)
from .reporting import (
    require_report_for_reported as require_report_for_reported,
)
from .signatories import (
    SignatoriesData as SignatoriesData,
)
from .signatories import (
    save_signatories as save_signatories,
)
