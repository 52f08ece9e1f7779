"""Form helpers shared by the areas' routes."""

from __future__ import annotations

from typing import Any, TypeVar

from .errors import DomainError

T = TypeVar("T")


def add_error(form: Any, err: DomainError, default: str) -> None:
    """Show a service's refusal next to the field it names (``unit`` -> ``unit_id`` too)."""
    name = err.field or default
    field = getattr(form, name, None) or getattr(form, f"{name}_id", None) or getattr(form, default)
    field.errors = [*field.errors, err.message]


def required(value: T | None) -> T:
    """A validated field's value: its DataRequired or InputRequired validator refused None."""
    if value is None:
        raise ValueError("a required form field has no value")
    return value
