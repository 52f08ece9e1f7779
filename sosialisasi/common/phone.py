"""Indonesian phone numbers, normalised to E.164 (+62...) for WhatsApp links."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask_babel import gettext as _


class PhoneError(ValueError):
    """The text is not an Indonesian phone number; ``str(err)`` is in the user's language."""


def normalize_phone(raw: object) -> str:
    """``0812-3456-7890``, ``+62 812 3456 7890``, ``62812...``, ``812...`` -> ``+6281234567890``."""
    if isinstance(raw, float):
        raise PhoneError(_("nomor HP tersimpan sebagai angka; simpan kolom sebagai teks"))
    text = str(raw or "").strip()
    if not text:
        raise PhoneError(_("nomor HP kosong"))
    if re.search(r"[^\d\s+\-().]", text):
        raise PhoneError(_("nomor HP hanya boleh berisi angka, spasi, tanda +, - dan ()"))
    digits = re.sub(r"\D", "", text)
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        national = digits
    national = national.lstrip("0")
    if not national.startswith("8"):
        raise PhoneError(_("nomor HP Indonesia diawali 08 atau +628"))
    if not 9 <= len(national) <= 12:
        raise PhoneError(_("panjang nomor HP tidak wajar"))
    return "+62" + national


def whatsapp_link(phone_e164: str | None, text: str) -> str:
    """A ``https://wa.me/62...?text=...`` link; without a number WhatsApp asks whom to send to."""
    number = (phone_e164 or "").lstrip("+")
    return f"https://wa.me/{number}?text={quote(text)}"
