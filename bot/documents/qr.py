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


def qr_modules(data: str) -> list[list[bool]]:
    """The dark (True) and light modules of the QR code of `data`, without its quiet zone, for
    drawing it as vector shapes (sharp at any print size)."""
    code = segno.make(data, error="m")
    return [[bool(cell) for cell in row] for row in code.matrix]
