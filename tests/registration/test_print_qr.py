"""Printed QR symbols: the batch path (one version fitted per data shape) stays a correct QR."""

from __future__ import annotations

import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_Q

from sosialisasi.common.qrcodes import print_qr

SAMPLES = [
    "https://sosialisasi.bekasikab.go.id/t/" + "a" * 22,
    "https://sosialisasi.bekasikab.go.id/t/" + "Zx9_-" * 8,
    # a run of digits becomes a numeric chunk: a different shape, fitted separately
    "http://localhost/t/AB12345678901234567890123456cd",
    "x",
    "https://contoh.go.id/sertifikat/" + "q" * 200,
]


@pytest.mark.parametrize("data", SAMPLES)
def test_print_qr_decodes_and_uses_the_smallest_version(data, decode_qr):
    print_qr.cache_clear()
    image = print_qr(data)
    assert decode_qr(image) == [data]
    fitted = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, border=2)
    fitted.add_data(data)
    fitted.make(fit=True)
    # the same symbol size as qrcode's own best fit: 4 px a module, 2 modules of border
    assert image.width == (fitted.modules_count + 4) * 4
