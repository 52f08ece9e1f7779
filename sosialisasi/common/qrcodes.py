"""QR images for tickets, certificates and the self check-in screen.

EC level M on screens, Q on print (badges, certificates), as DESIGN.md decides.

Printed documents come in batches (a whole event's badges or certificates), and the QR symbols
dominate their time: ``qrcode`` tries all eight mask patterns to pick the "best", which costs 8x
the encoding. ``print_qr`` uses one fixed mask (a valid QR; the choice only tunes penalty
scores), fits the symbol's version once per data shape (every ticket URL of an event has the
same), and builds the image straight from the module matrix, to be embedded without
interpolation; the tests decode badges and certificates with zxing-cpp.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any, Literal

import qrcode
import qrcode.image.svg
from PIL import Image
from qrcode import util
from qrcode.constants import ERROR_CORRECT_M, ERROR_CORRECT_Q

LEVELS = {"M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q}
Mode = Literal[1, 2, 4]  # numeric, alphanumeric, byte


def _make(data: str, level: str, box_size: int, border: int) -> qrcode.QRCode[Any]:
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


@lru_cache(maxsize=64)
def _version(level: int, shape: tuple[tuple[Mode, int], ...]) -> int:
    """The smallest QR version for data chunks of these (mode, length): the same for every
    ticket URL of an event, so a batch fits the symbol once instead of once per badge."""
    qr = qrcode.QRCode(error_correction=level)
    qr.data_list = [
        util.QRData(b"0" * length, mode=mode, check_data=False) for mode, length in shape
    ]
    return qr.best_fit()


@lru_cache(maxsize=2048)
def print_qr(data: str, *, scale: int = 4, border: int = 2) -> Image.Image:
    """The QR of ``data`` at EC Q as a greyscale image, one fixed mask (see the module note)."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=border, mask_pattern=2)
    qr.add_data(data)
    qr.version = _version(ERROR_CORRECT_Q, tuple((d.mode, len(d)) for d in qr.data_list))
    qr.make(fit=False)
    matrix = qr.get_matrix()
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels)
    return image.resize((size * scale, size * scale), Image.Resampling.NEAREST)


def clear_caches() -> None:
    """Forget every cached symbol and fitted version (a benchmark's first download)."""
    for cached in (qr_png, print_qr, _version):
        cached.cache_clear()
