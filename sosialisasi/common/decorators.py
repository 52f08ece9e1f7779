"""Small access decorators for routes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user


def role_required(*roles: str) -> Callable:
    """Allow logged-in users whose role is one of ``roles``; admins always pass.

    Anonymous users are sent to the login page; wrong roles get 403.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from ..extensions import login_manager

                return login_manager.unauthorized()
            if current_user.role.value != "admin" and current_user.role.value not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = ("admin", *roles)  # read by the route audit test
        return wrapped

    return decorator
