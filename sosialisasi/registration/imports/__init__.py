"""Bulk import of participants: :mod:`.plan` (preview), :mod:`.apply` (write), :mod:`.staging`
(the uploaded file, its decided rows and errors between preview and confirmation). Files are
read, decided and written in chunks: no step holds every row of a big file."""

from .apply import ERROR_HEADINGS, ErrorBook, apply_import, errors_xlsx
from .plan import (
    COLUMNS,
    KIND_WORDS,
    REQUIRED,
    ROLE_WORDS,
    Fate,
    Plan,
    PlanStream,
    Row,
    open_plan,
    plan_import,
)

__all__ = [
    "COLUMNS",
    "ERROR_HEADINGS",
    "ErrorBook",
    "KIND_WORDS",
    "REQUIRED",
    "ROLE_WORDS",
    "Fate",
    "Plan",
    "PlanStream",
    "Row",
    "apply_import",
    "errors_xlsx",
    "open_plan",
    "plan_import",
]
