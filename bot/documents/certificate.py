"""Certificates: A4 landscape, one PDF per person, and all of a training's as one ZIP.

The name is printed as large as fits the line; the QR holds the deep link that checks the
certificate in the chat (`/start sk_<code>`), with the number beside it for those who read it
out. A batch (the ZIP, the command line) loads fonts cut down to its names once.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from bot.documents.pdf import (
    FONT,
    Document,
    draw_qr,
    fonts_for,
    new_pdf,
    pdf_bytes,
    printable,
)
from bot.documents.qr import qr_modules
from bot.services.certificates import CertificateView
from bot.texts import plain
from bot.texts.formatting import format_date_range, format_short_day
from bot.texts.links import certificate_link

ACCENT = (31, 78, 121)
GOLD = (176, 141, 60)
_NAME_MAX_PT = 34
_NAME_MIN_PT = 14
_QR_MM = 34.0


def certificate_filename(view: CertificateView, lang: str) -> str:
    """`sertifikat-KP-2026-01-0007.pdf`."""
    return plain("cert.filename", lang, code=view.training_code, seq=view.number.split("/")[1])


def _frame(pdf: Document) -> None:
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.6)
    pdf.rect(8, 8, pdf.w - 16, pdf.h - 16)
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(0.5)
    pdf.rect(11.5, 11.5, pdf.w - 23, pdf.h - 23)


def _centered(pdf: Document, text: str, size: float, style: str = "", height: float = 0) -> None:
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(0, height or size * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")


def _name(pdf: Document, name: str) -> None:
    """The name on one line, shrunk until it fits."""
    width = pdf.w - pdf.l_margin - pdf.r_margin - 10
    size = _NAME_MAX_PT
    pdf.set_font(FONT, "B", size)
    while size > _NAME_MIN_PT and pdf.get_string_width(name) > width:
        size -= 1
        pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*ACCENT)
    _centered(pdf, name, size, "B", size * 0.55)
    pdf.set_text_color(0)


def _body(pdf: Document, view: CertificateView, org: str, lang: str) -> None:
    pdf.set_y(22)
    _centered(pdf, org.upper(), 13, "B", 7)
    pdf.ln(6)
    pdf.set_text_color(*ACCENT)
    _centered(pdf, plain("doc.cert.title", lang), 38, "B", 16)
    pdf.set_text_color(0)
    _centered(pdf, plain("doc.cert.number", lang, number=view.number), 11, "", 6)
    pdf.ln(6)
    pdf.set_text_color(90)
    _centered(pdf, plain("doc.cert.given_to", lang), 12, "", 7)
    pdf.set_text_color(0)
    pdf.ln(2)
    _name(pdf, printable(view.name, lang))
    if view.business:
        _centered(pdf, printable(view.business, lang), 12, "", 7)
    pdf.ln(4)
    _centered(pdf, plain("doc.cert.for", lang), 12, "", 7)
    _centered(pdf, view.training_title, 16, "B", 8)
    dates = format_date_range(view.first_day, view.last_day, lang)
    held = plain("doc.cert.held", lang, org=org, dates=dates, venue=view.venue)
    _centered(pdf, held, 11, "", 6)


def _qr(pdf: Document, link: str, x: float, y: float) -> None:
    """The certificate's check link as a QR code, its quiet zone included."""
    rows = qr_modules(link)
    draw_qr(pdf, rows, x, y, _QR_MM / len(rows))


def _foot(pdf: Document, view: CertificateView, org: str, bot_username: str, lang: str) -> None:
    """The QR (bottom left) and the signature block (bottom right)."""
    top = pdf.h - 22 - _QR_MM
    _qr(pdf, certificate_link(bot_username, view.verify_code), 24, top)
    pdf.set_xy(24 + _QR_MM + 3, top + _QR_MM - 14)
    pdf.set_font(FONT, "", 8)
    pdf.multi_cell(60, 4, plain("doc.cert.verify", lang) + "\n" + view.number, align="L")
    right = pdf.w - 24 - 80
    pdf.set_xy(right, top)
    pdf.set_font(FONT, "", 10)
    issued = plain("doc.cert.place_date", lang, date=format_short_day(view.issued_on, lang))
    pdf.multi_cell(80, 5, issued, align="C", new_x="LEFT", new_y="NEXT")
    pdf.multi_cell(80, 5, plain("doc.cert.head", lang, org=org), align="C", new_x="LEFT")
    pdf.set_draw_color(60)
    pdf.set_line_width(0.3)
    pdf.line(right + 8, top + _QR_MM, right + 72, top + _QR_MM)


def certificate_pdf(
    view: CertificateView,
    org: str,
    bot_username: str,
    lang: str = "id",
    *,
    fonts: Path | None = None,
) -> bytes:
    """One certificate as a PDF."""
    title = f"{plain('doc.cert.title', lang)} {view.number}"
    pdf = new_pdf(title, "landscape", fonts=fonts, styles="B")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    _frame(pdf)
    _body(pdf, view, org, lang)
    _foot(pdf, view, org, bot_username, lang)
    return pdf_bytes(pdf)


def _texts(views: Iterable[CertificateView], org: str) -> list[str]:
    texts = [org]
    for view in views:
        texts += [view.name, view.business, view.training_title, view.venue]
    return texts


def certificate_files(
    views: list[CertificateView], org: str, bot_username: str, lang: str = "id"
) -> Iterable[tuple[str, bytes]]:
    """(filename, PDF) for each certificate, rendered as one batch."""
    with fonts_for(_texts(views, org)) as fonts:
        for view in views:
            yield (
                certificate_filename(view, lang),
                certificate_pdf(view, org, bot_username, lang, fonts=fonts),
            )


def certificates_zip(
    views: list[CertificateView], org: str, bot_username: str, lang: str = "id"
) -> bytes:
    """Every certificate of a batch in one ZIP file (PDFs are already compressed: stored)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for filename, content in certificate_files(views, org, bot_username, lang):
            archive.writestr(zipfile.ZipInfo(filename, _zip_time(views)), content)
    return buffer.getvalue()


def _zip_time(views: list[CertificateView]) -> tuple[int, int, int, int, int, int]:
    day = max((v.issued_on for v in views), default=date(2026, 1, 1))
    return (day.year, day.month, day.day, 0, 0, 0)
