"""Domain errors of registration; routes turn them into messages, the API into 4xx."""

from __future__ import annotations

from ..common.errors import DomainError
from .models import Registration, RegistrationStatus


class RegistrationError(DomainError):
    code = "registration"


class QuotaExceeded(RegistrationError):
    code = "quota_exceeded"


class NotInvited(RegistrationError):
    code = "not_invited"


class RegistrationClosed(RegistrationError):
    code = "registration_closed"


class EventCancelled(RegistrationClosed):
    code = "event_cancelled"


class CapacityFull(RegistrationError):
    code = "capacity_full"


class WrongStatus(RegistrationError):
    """The registration is not in a state the action applies to (``state`` says which)."""

    code = "wrong_status"

    def __init__(self, message: str, *, state: RegistrationStatus, field: str | None = None):
        super().__init__(message, field=field)
        self.state = state


class NotPeserta(RegistrationError):
    """The action is about seats and quota, which only peserta use."""

    code = "not_peserta"


class NoCapacity(RegistrationError):
    """The event has no capacity, so no waiting list."""

    code = "no_capacity"


class AlreadyRegistered(RegistrationError):
    code = "already_registered"

    def __init__(self, message: str, *, registration: Registration, field: str | None = None):
        super().__init__(message, field=field)
        self.registration = registration
