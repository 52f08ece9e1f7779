"""Form helpers shared by the areas' routes."""

from __future__ import annotations

from typing import Any, TypeVar

from flask_babel import gettext as _
from wtforms import DecimalField

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


class CommaDecimalField(DecimalField):
    """A decimal typed the Indonesian way: "2,5" (and "2.5"); shown back as "2,5".

    A full stop beside a comma is a thousands separator ("1.250,5")."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and isinstance(valuelist[0], str):
            text = valuelist[0].strip().replace(" ", "")
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            valuelist = [text, *valuelist[1:]]
        try:
            super().process_formdata(valuelist)
        except ValueError as err:
            raise ValueError(_("Isi dengan angka, mis. 2,5.")) from err

    def _value(self) -> str:
        return str(super()._value()).replace(".", ",")  # type: ignore[misc]  # not in the stubs
