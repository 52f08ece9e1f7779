"""Small access decorators for routes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])


def role_required(*roles: str) -> Callable[[F], F]:
    """Allow logged-in users whose role is one of ``roles``; admins always pass.

    Anonymous users are sent to the login page; wrong roles get 403.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from ..extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role.value != "admin" and current_user.role.value not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = ("admin", *roles)  # type: ignore[attr-defined]  # route audit
        return cast(F, wrapped)

    return decorator
