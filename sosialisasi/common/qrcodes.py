"""QR images for tickets, certificates and the self check-in screen.

EC level M on screens, Q on print (badges, certificates), as DESIGN.md decides.
"""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M, ERROR_CORRECT_Q

LEVELS = {"M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q}


def _make(data: str, level: str, box_size: int, border: int) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=LEVELS[level], box_size=box_size, border=border)
    qr.add_data(data)
    qr.make(fit=True)
    return qr


@lru_cache(maxsize=2048)
def qr_png(data: str, *, level: str = "M", box_size: int = 8, border: int = 4) -> bytes:
    """PNG bytes (black on white). Cached: a ticket's QR is asked for again and again."""
    image = _make(data, level, box_size, border).make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(data: str, *, level: str = "M", border: int = 4) -> bytes:
    """An SVG path image that scales to any size on screen or paper."""
    image = _make(data, level, 10, border).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
