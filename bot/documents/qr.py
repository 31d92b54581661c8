"""QR codes as images (segno): for check-in, posters and certificates."""

from __future__ import annotations

import io

import segno

# Large enough to scan from a phone screen or a printed page.
SCALE = 8


def qr_png(data: str, *, scale: int = SCALE, border: int = 4) -> bytes:
    """A QR code of `data` as PNG bytes (error correction M: survives a crease or a smudge)."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(buffer, kind="png", scale=scale, border=border)
    return buffer.getvalue()


def qr_modules(data: str, *, border: int = 2) -> list[tuple[bool, ...]]:
    """The QR code of `data` as rows of modules (True: dark), quiet zone included: for drawing
    it as vector squares in a PDF, sharp at any size and cheaper than an image."""
    code = segno.make(data, error="m")
    return [tuple(bool(m) for m in row) for row in code.matrix_iter(scale=1, border=border)]
