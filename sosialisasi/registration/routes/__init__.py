"""Registration pages, one blueprint ``bp`` over modules named for what they show:
:mod:`.tickets` (the public ticket), :mod:`.people`, :mod:`.invitations`, :mod:`.registrations`
(lists, exports, one registration), :mod:`.delegates` (the operator's and the organizer's forms),
:mod:`.public` (the public link) and :mod:`.imports`.
"""

from flask import Blueprint

bp = Blueprint("registration", __name__)

from . import (  # noqa: E402,F401  (the modules add their routes to bp)
    delegates,
    imports,
    invitations,
    people,
    public,
    registrations,
    tickets,
)
