"""A training's A4 poster: title, dates, venue, seats, the office's name and a QR code of the
registration link. One layout: the PDF is drawn here, and the PNG is that PDF rendered.

The QR code is drawn as vector squares, so it stays sharp on paper and scans from the PNG.
Text that would not fit (a long title, many days) is set smaller until it does.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import tzinfo

import pypdfium2 as pdfium
from fpdf import FPDF
from fpdf.enums import MethodReturnValue

from bot.documents.pdf import FONT, draw_qr, new_pdf, pdf_bytes
from bot.documents.qr import qr_modules
from bot.services.sharing import TrainingShare
from bot.texts import t, unescape
from bot.texts.labels import label
from bot.texts.sharing import schedule, until

PAGE_W, PAGE_H = 210.0, 297.0
SIDE = 18.0
WIDTH = PAGE_W - 2 * SIDE
BAND_H = 28.0
CONTENT_TOP = 44.0
QR_BOX = 78.0  # the QR code with its quiet zone of four modules
QR_GROUP = QR_BOX + 17.0  # with "scan to register" and the link under it
FOOTER_TOP = PAGE_H - 19.0
CONTENT_BOTTOM = FOOTER_TOP - QR_GROUP - 4.0
LABEL_W = 36.0
PNG_DPI = 150  # A4 at 150 dpi: 1240 × 1754 pixels, sharp on a phone, small enough to send
SCALES = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5)
DESCRIPTION_LIMIT = 180
PRIMARY = (0, 98, 90)
ACCENT = (244, 162, 0)
INK = (33, 33, 33)
MUTED = (96, 96, 96)
WHITE = (255, 255, 255)


@dataclass(frozen=True)
class Poster:
    """The same poster as a PDF to print and a PNG to send."""

    pdf: bytes
    png: bytes


@dataclass(frozen=True)
class _Block:
    """A paragraph of the poster's middle: text at a size (pt, before scaling); with a label,
    a row of the facts table."""

    text: str
    size: float
    style: str = ""
    color: tuple[int, int, int] = INK
    gap: float = 3.0
    label: str = ""


def poster_filename(code: str, extension: str) -> str:
    """ "poster-KP-2026-01.pdf"."""
    return f"poster-{code}.{extension}"


def _short(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _blocks(share: TrainingShare, lang: str, tz: tzinfo) -> list[_Block]:
    """The middle of the poster, top to bottom."""
    when = schedule(share, lang, tz)
    blocks = [_Block(share.spec.title, 30, "B", INK, 4)]
    if share.spec.description:
        blocks.append(_Block(_short(share.spec.description, DESCRIPTION_LIMIT), 12, "I", MUTED, 7))
    blocks.append(_Block("\n".join(when.days), 14, label=label("date", lang)))
    if when.hours:
        blocks.append(_Block(when.hours, 14, label=label("times", lang)))
    blocks.append(_Block(share.spec.venue, 14, label=label("venue", lang)))
    seats = t("poster.seats", lang, capacity=share.spec.capacity)
    blocks.append(_Block(seats, 14, label=t("poster.label.seats", lang)))
    closes = until(share, lang, tz)
    if closes:
        text = t("poster.deadline", lang, until=closes)
        blocks.append(_Block(text, 14, label=t("poster.label.deadline", lang)))
    return blocks


def _height(pdf: FPDF, width: float, text: str, size: float, style: str) -> float:
    pdf.set_font(FONT, style, size)
    height = pdf.multi_cell(
        width, size * 0.45, text, align="L", dry_run=True, output=MethodReturnValue.HEIGHT
    )
    assert isinstance(height, float | int)
    return float(height)


def _place(pdf: FPDF, blocks: list[_Block], scale: float, draw: bool) -> float:
    """Set the blocks from CONTENT_TOP at `scale`; returns where they end. With `draw` False
    only measures, so fitting and drawing share one layout."""
    y = CONTENT_TOP
    for block in blocks:
        size = block.size * scale
        x, width = (SIDE + LABEL_W, WIDTH - LABEL_W) if block.label else (SIDE, WIDTH)
        height = _height(pdf, width, block.text, size, block.style)
        if draw:
            if block.label:
                pdf.set_text_color(*PRIMARY)
                pdf.set_font(FONT, "B", 11 * scale)
                pdf.set_xy(SIDE, y + (size - 11 * scale) * 0.2)
                pdf.cell(LABEL_W, size * 0.45, block.label.upper())
            pdf.set_text_color(*block.color)
            pdf.set_font(FONT, block.style, size)
            pdf.set_xy(x, y)
            pdf.multi_cell(width, size * 0.45, block.text, align="L")
        y += height + block.gap * scale
    return y


def _band(pdf: FPDF, org_name: str, kicker: str) -> None:
    pdf.set_fill_color(*PRIMARY)
    pdf.rect(0, 0, PAGE_W, BAND_H, style="F")
    pdf.set_fill_color(*ACCENT)
    pdf.rect(0, BAND_H, PAGE_W, 2.0, style="F")
    pdf.set_text_color(*WHITE)
    size = 17.0
    pdf.set_font(FONT, "B", size)
    while pdf.get_string_width(org_name) > WIDTH and size > 8:
        size -= 0.5
        pdf.set_font(FONT, "B", size)
    pdf.set_xy(SIDE, 0)
    pdf.cell(WIDTH, BAND_H, org_name, align="C")
    pdf.set_text_color(*PRIMARY)
    pdf.set_font(FONT, "B", 13)
    pdf.set_char_spacing(3)
    pdf.set_xy(SIDE, CONTENT_TOP - 9)
    pdf.cell(WIDTH, 6, kicker)
    pdf.set_char_spacing(0)


def _qr(pdf: FPDF, link: str, box_top: float) -> None:
    """The QR code, centred, drawn as one dark run per row of modules."""
    modules = qr_modules(link, border=0)
    module = QR_BOX / (len(modules) + 8)
    left, top = (PAGE_W - QR_BOX) / 2 + 4 * module, box_top + 4 * module
    draw_qr(pdf, modules, left, top, module)


def _bottom(pdf: FPDF, link: str, lang: str, box_top: float) -> None:
    y = box_top + QR_BOX + 1
    pdf.set_text_color(*PRIMARY)
    pdf.set_font(FONT, "B", 15)
    pdf.set_xy(SIDE, y)
    pdf.cell(WIDTH, 8, t("poster.scan", lang), align="C")
    pdf.set_text_color(*MUTED)
    pdf.set_font(FONT, "", 10)
    pdf.set_xy(SIDE, y + 9)
    pdf.cell(WIDTH, 6, unescape(t("poster.or_open", lang, link=link)), align="C")
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.line(SIDE, FOOTER_TOP + 2, PAGE_W - SIDE, FOOTER_TOP + 2)
    pdf.set_font(FONT, "", 9)
    pdf.set_xy(SIDE, FOOTER_TOP + 4)
    pdf.cell(WIDTH, 6, t("poster.footer", lang), align="C")


def poster_pdf(share: TrainingShare, link: str, org_name: str, lang: str, tz: tzinfo) -> bytes:
    """The A4 poster as a PDF."""
    title = unescape(t("poster.document_title", lang, title=share.spec.title))
    pdf = new_pdf(title)
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    blocks = [
        _Block(unescape(b.text), b.size, b.style, b.color, b.gap, unescape(b.label))
        for b in _blocks(share, lang, tz)
    ]
    scale = next((s for s in SCALES if _place(pdf, blocks, s, False) <= CONTENT_BOTTOM), SCALES[-1])
    _band(pdf, org_name, t("poster.kicker", lang))
    end = _place(pdf, blocks, scale, True)
    # The QR code in the middle of the room left between the facts and the footer.
    box_top = end + max(4.0, (FOOTER_TOP - end - QR_GROUP) / 2)
    _qr(pdf, link, box_top)
    _bottom(pdf, link, lang, box_top)
    return pdf_bytes(pdf)


def poster_png(pdf: bytes, dpi: int = PNG_DPI) -> bytes:
    """The poster's page rendered as a PNG image."""
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def make_poster(share: TrainingShare, link: str, org_name: str, lang: str, tz: tzinfo) -> Poster:
    """The poster as a PDF and as a PNG (CPU work: callers on the event loop use a thread)."""
    pdf = poster_pdf(share, link, org_name, lang, tz)
    return Poster(pdf, poster_png(pdf))
