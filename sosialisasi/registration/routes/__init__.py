"""Registration pages, one blueprint ``bp`` over modules named for what they show:
:mod:`.tickets` (the public ticket), :mod:`.people`, :mod:`.invitations`, :mod:`.registrations`
(lists, exports, one registration), :mod:`.delegates` (the operator's and the organizer's forms),
:mod:`.public` (the public link) and :mod:`.imports`.
"""

from . import (  # noqa: F401  (the modules add their routes to bp)
    delegates,
    imports,
    invitations,
    people,
    public,
    registrations,
    tickets,
)
from .blueprint import bp as bp  # the blueprint create_app registers
