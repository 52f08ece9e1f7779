"""Videos for Chromium's fake camera: a y4m file showing QR codes (DESIGN.md section 6).

Header ``YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg``, then each frame as ``FRAME\\n`` followed by
the Y plane and the Cb and Cr planes at half width and height (4:2:0). Chromium loops the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import qrcode
from PIL import Image

WIDTH, HEIGHT, FPS = 640, 480, 10


def _frame(text: str | None) -> bytes:
    canvas = Image.new("RGB", (WIDTH, HEIGHT), (235, 235, 235))
    if text is not None:
        qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
        qr.add_data(text)
        qr.make(fit=True)
        side = 360
        image = qr.make_image(fill_color="black", back_color="white").convert("RGB")
        image = image.resize((side, side), Image.NEAREST)
        canvas.paste(image, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    y, cb, cr = canvas.convert("YCbCr").split()  # JPEG (full-range) YCbCr, as C420jpeg says
    half = (WIDTH // 2, HEIGHT // 2)
    return b"FRAME\n" + y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()


def write_y4m(path: Path, segments: Sequence[tuple[str | None, int]]) -> Path:
    """``segments``: (QR text or None for an empty view, number of frames at 10 per second)."""
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        cache: dict[str | None, bytes] = {}
        for text, frames in segments:
            frame = cache.setdefault(text, _frame(text))
            for _ in range(frames):
                out.write(frame)
    return path


def camera_args(video: Path) -> list[str]:
    return [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video.resolve()}",
    ]
