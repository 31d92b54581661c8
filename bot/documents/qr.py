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
