"""Registration pages, one blueprint ``bp`` over modules named for what they show:
:mod:`.tickets` (the public ticket), :mod:`.people`, :mod:`.invitations`, :mod:`.registrations`
(lists, exports, one registration), :mod:`.delegates` (the operator's and the organizer's forms),
:mod:`.public` (the public link), :mod:`.imports` and :mod:`.partials` (data for other areas'
templates).
"""

from flask import Blueprint

bp = Blueprint("registration", __name__)

from . import (  # noqa: E402,F401  (the modules add their routes to bp)
    delegates,
    imports,
    invitations,
    partials,
    people,
    public,
    registrations,
    tickets,
)
