"""Bulk import of participants: :mod:`.plan` (preview), :mod:`.apply` (write), :mod:`.staging`
(the uploaded file between preview and confirmation)."""

from .apply import ERROR_HEADINGS, apply_import, errors_xlsx
from .plan import COLUMNS, KIND_WORDS, REQUIRED, ROLE_WORDS, Fate, Plan, Row, plan_import

__all__ = [
    "COLUMNS",
    "ERROR_HEADINGS",
    "KIND_WORDS",
    "REQUIRED",
    "ROLE_WORDS",
    "Fate",
    "Plan",
    "Row",
    "apply_import",
    "errors_xlsx",
    "plan_import",
]
