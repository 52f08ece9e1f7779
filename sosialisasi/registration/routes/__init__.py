"""Registration pages, one blueprint ``bp`` over modules named for what they show:
:mod:`.tickets` (the public ticket), :mod:`.people`, :mod:`.invitations`, :mod:`.registrations`
(lists, exports, one registration), :mod:`.delegates` (the operator's and the organizer's forms),
:mod:`.public` (the public link), :mod:`.unit_links` (a link per unit), :mod:`.messages`
(saved message texts) and :mod:`.imports`.
"""

from . import (  # noqa: F401  (the modules add their routes to bp)
    delegates,
    imports,
    invitations,
    messages,
    people,
    public,
    registrations,
    tickets,
    unit_links,
)
from .blueprint import bp as bp  # the blueprint create_app registers
