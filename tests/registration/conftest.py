from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image


@pytest.fixture()
def decode_qr():
    """Decode the QR codes in an image (bytes or PIL image) to their texts."""

    def decode(image) -> list[str]:
        if isinstance(image, bytes):
            image = Image.open(io.BytesIO(image))
        return [r.text for r in zxingcpp.read_barcodes(image.convert("L"))]

    return decode
