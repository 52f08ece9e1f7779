"""Domain errors raised by services; routes turn them into messages or 4xx answers."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the action. ``message`` is shown to the user.

    Raise it with a translated text (``gettext``, not ``lazy_gettext``): it may go to ``jsonify``.
    """

    code = "invalid"
    status = 409

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    code = "forbidden"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class InvalidTransition(DomainError):
    code = "invalid_transition"
