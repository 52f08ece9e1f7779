"""The registration services in one namespace, for callers outside the area (check-in, API).

The rules live in the modules named for what they hold: :mod:`.people` (identity, the NIP rule),
:mod:`.rules` (open/closed, quota, capacity), :mod:`.registrations` (register and the life of a
registration), :mod:`.invitations`, :mod:`.delivery` (ticket links and e-mail) and
:mod:`.imports`. This module only re-exports them.
"""

from __future__ import annotations

from .bulk import approve_all
from .delivery import (
    Delivery,
    can_email,
    notify_promoted,
    send_ticket,
    ticket_message,
    ticket_url,
    whatsapp_bulk_link,
    whatsapp_ticket_link,
)
from .errors import (
    AlreadyRegistered,
    CapacityFull,
    EventCancelled,
    NotInvited,
    QuotaExceeded,
    RegistrationClosed,
    RegistrationError,
)
from .invitations import InviteResult, invite_units, remove_invitation, set_quota
from .people import (
    IdentityConflict,
    can_edit,
    clean_email,
    clean_name,
    clean_nip,
    clean_phone,
    find_or_create_person,
    is_organizer,
    require_nip,
    update_person,
)
from .registrations import (
    PersonData,
    PublicAnswer,
    cancel,
    decide,
    enrol,
    move_to_waitlist,
    register,
    register_public,
    set_substitute,
)
from .rules import (
    check_import_open,
    check_quota,
    closes_at,
    invitation_for,
    registration_open,
    registration_state,
)
from .statuses import LIVE_STATUSES, QUOTA_STATUSES, RS, SEAT_STATUSES

__all__ = [
    "LIVE_STATUSES",
    "QUOTA_STATUSES",
    "RS",
    "SEAT_STATUSES",
    "AlreadyRegistered",
    "CapacityFull",
    "Delivery",
    "EventCancelled",
    "IdentityConflict",
    "InviteResult",
    "NotInvited",
    "PersonData",
    "PublicAnswer",
    "QuotaExceeded",
    "RegistrationClosed",
    "RegistrationError",
    "approve_all",
    "can_edit",
    "can_email",
    "cancel",
    "check_import_open",
    "check_quota",
    "clean_email",
    "clean_name",
    "clean_nip",
    "clean_phone",
    "closes_at",
    "decide",
    "enrol",
    "find_or_create_person",
    "invitation_for",
    "move_to_waitlist",
    "invite_units",
    "is_organizer",
    "notify_promoted",
    "register",
    "register_public",
    "registration_open",
    "registration_state",
    "remove_invitation",
    "require_nip",
    "send_ticket",
    "set_quota",
    "set_substitute",
    "ticket_message",
    "ticket_url",
    "update_person",
    "whatsapp_bulk_link",
    "whatsapp_ticket_link",
]
