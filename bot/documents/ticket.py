"""A participant's check-in ticket: a PNG to show on the phone or print.

The office's name, the participant's name, the training, its dates and venue, the QR code of
the check-in link and the short ticket code staff type when the QR code will not scan. Drawn
with Pillow in the DejaVu faces the PDFs use (every Indonesian name renders as typed), with no
PDF in between: about 30-50 ms of CPU per ticket, most of it the PNG's compression (kept at
zlib's fastest level: the file is about 60 KB either way).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import tzinfo
from functools import cache
from itertools import pairwise

from PIL import Image, ImageDraw, ImageFont

from bot.documents.pdf import font_dir
from bot.documents.qr import qr_modules
from bot.services.attendance import OwnRegistration
from bot.texts import plain
from bot.texts.formatting import format_date_range, format_short_day, format_time_range

WIDTH = 720
SIDE = 48
TEXT_W = WIDTH - 2 * SIDE
BAND_H = 128
QR_SIZE = 456  # the code with its quiet zone; whole pixels per module
PRIMARY = (0, 98, 90)
INK = (33, 33, 33)
MUTED = (96, 96, 96)
WHITE = (255, 255, 255)
FACES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}


@dataclass(frozen=True)
class _Line:
    text: str
    size: int
    style: str = ""
    color: tuple[int, int, int] = INK
    gap: int = 8
    max_lines: int = 2


@cache
def _font(style: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_dir() / FACES[style]), size)


def ticket_filename(ticket: OwnRegistration) -> str:
    """ "tiket-KP-2026-01.png"."""
    return f"tiket-{ticket.training_code}.png"


def _when(ticket: OwnRegistration, lang: str, tz: tzinfo) -> str:
    """ "8–10 Desember 2026 · 08.00–15.00 WIB" (the dates one by one when they are not a run)."""
    dates = [start.astimezone(tz).date() for start, _ in ticket.days]
    if not dates:
        return ""
    run = all((b - a).days == 1 for a, b in pairwise(dates))
    span = (
        format_date_range(dates[0], dates[-1], lang)
        if run
        else ", ".join(format_short_day(d, lang) for d in dates)
    )
    return f"{span} · {format_time_range(*ticket.days[0], tz, lang)}"


def _wrap(text: str, font: ImageFont.FreeTypeFont, max_lines: int) -> list[str]:
    """Words in lines of at most the text width; the last line shortened with "…"."""
    lines: list[str] = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= TEXT_W:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += "…"
    while lines and font.getlength(lines[-1]) > TEXT_W:
        lines[-1] = lines[-1][:-2] + "…"
    return lines


def _draw_lines(draw: ImageDraw.ImageDraw, top: int, lines: list[_Line]) -> int:
    """Each paragraph, wrapped and centred; returns the y below the last."""
    y = top
    for line in lines:
        font = _font(line.style, line.size)
        for text in _wrap(line.text, font, line.max_lines):
            draw.text((WIDTH // 2, y), text, font=font, fill=line.color, anchor="mt")
            y += int(line.size * 1.25)
        y += line.gap
    return y


def _qr_image(link: str) -> Image.Image:
    """The QR code, scaled by whole pixels per module (sharp, and scans from a photo)."""
    modules = qr_modules(link, border=4)
    count = len(modules)
    image = Image.new("1", (count, count), 1)
    image.putdata([0 if dark else 1 for row in modules for dark in row])
    scale = QR_SIZE // count
    return image.resize((count * scale, count * scale), Image.Resampling.NEAREST)


def _band(draw: ImageDraw.ImageDraw, org_name: str, lang: str) -> None:
    draw.rectangle((0, 0, WIDTH, BAND_H), fill=PRIMARY)
    heading = _font("B", 34)
    draw.text(
        (WIDTH // 2, 30), plain("ticket.heading", lang), font=heading, fill=WHITE, anchor="mt"
    )
    org = _font("", 22)
    name = _wrap(org_name, org, 1)
    draw.text((WIDTH // 2, 82), name[0] if name else "", font=org, fill=WHITE, anchor="mt")


def ticket_png(ticket: OwnRegistration, link: str, org_name: str, lang: str, tz: tzinfo) -> bytes:
    """The ticket as PNG bytes (720 pixels wide, 950-1,100 high by the lengths of its texts)."""
    image = Image.new("RGB", (WIDTH, 1400), WHITE)
    draw = ImageDraw.Draw(image)
    _band(draw, org_name, lang)
    y = _draw_lines(
        draw,
        BAND_H + 36,
        [
            _Line(ticket.name or "-", 38, "B", gap=14),
            _Line(ticket.training_title, 26, "B", PRIMARY, max_lines=3),
            _Line(_when(ticket, lang, tz), 22, color=MUTED, gap=2, max_lines=1),
            _Line(ticket.venue, 22, color=MUTED),
        ],
    )
    qr = _qr_image(link)
    image.paste(qr, ((WIDTH - qr.width) // 2, y))
    y = _draw_lines(
        draw,
        y + qr.height + 4,
        [
            _Line(plain("ticket.code", lang), 20, color=MUTED, gap=0),
            _Line(ticket.ticket, 52, "B", INK, gap=16, max_lines=1),
            _Line(plain("ticket.hint", lang), 20, color=MUTED, max_lines=3),
        ],
    )
    buffer = io.BytesIO()
    image.crop((0, 0, WIDTH, y + 24)).save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()
