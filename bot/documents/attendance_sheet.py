"""The daftar hadir: one training day's sign-in sheet, A4 portrait, to print and have signed.

The office's name on top, the training, day, date, time and venue, then a numbered table of
everyone holding a seat (by name) with their business, district, a masked phone number and
room to sign. The table's header repeats on every page; signatures alternate left and right,
as Indonesian sign-in sheets do, so neighbours do not write over each other.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path

from fpdf.fonts import FontFace

from bot.documents.pdf import FONT, MARGIN_MM, Document, new_pdf, pdf_bytes, printable
from bot.services.activity import AttendanceSheetView
from bot.texts import plain
from bot.texts.formatting import (
    district_label,
    format_day,
    format_staff_moment,
    format_time_range,
    masked_phone,
)

# No., name, business, district, phone, signature: 180 mm, the width inside the margins.
_WIDTHS = (10, 48, 38, 26, 26, 32)
_ROW_MM = 10.0
HEADER_FILL = (226, 234, 242)


def sheet_filename(code: str, day_number: int, lang: str) -> str:
    """`daftar-hadir-KP-2026-01-hari-2.pdf`."""
    return plain("doc.sheet.filename", lang, code=code, n=day_number)


def _letterhead(pdf: Document, org: str, title: str) -> None:
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, org.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(40)
    pdf.set_line_width(0.6)
    pdf.line(MARGIN_MM, pdf.get_y() + 1, pdf.w - MARGIN_MM, pdf.get_y() + 1)
    pdf.ln(5)
    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _details(pdf: Document, pairs: list[tuple[str, str]]) -> None:
    """Label : value lines under the title."""
    for label, value in pairs:
        pdf.set_font(FONT, "", 10)
        pdf.cell(28, 6, label)
        pdf.cell(4, 6, ":")
        pdf.multi_cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _table(pdf: Document, view: AttendanceSheetView, lang: str) -> None:
    headings = ("no", "name", "business", "district", "phone", "signature")
    pdf.set_font(FONT, "", 9)
    with pdf.table(
        col_widths=_WIDTHS,
        line_height=_ROW_MM / 2,
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADER_FILL),
        repeat_headings=1,
        text_align=("CENTER", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT"),
        padding=1.2,
    ) as table:
        header = table.row()
        for key in headings:
            header.cell(plain(f"doc.col.{key}", lang))
        for number, person in enumerate(view.rows, start=1):
            row = table.row()
            row.cell(str(number))
            row.cell(printable(person.name, lang))
            row.cell(printable(person.business, lang))
            row.cell(district_label(person.district, lang) if person.district else "")
            row.cell(masked_phone(person.phone))
            # Odd numbers sign on the left, even ones on the right.
            row.cell(f"{number}." if number % 2 else f"          {number}.")


def _day_details(view: AttendanceSheetView, tz: tzinfo, lang: str) -> list[tuple[str, str]]:
    """The sheet's heading lines: the training, which day (and its topic), date, time, venue."""
    training, day = view.training, view.day
    which = plain(
        "doc.sheet.day_value", lang, n=day.day_number, of=len(training.days), topic=day.topic or "-"
    ).removesuffix(" — -")
    return [
        (plain("doc.sheet.training", lang), f"{training.title} ({training.code})"),
        (plain("doc.sheet.day", lang), which),
        (plain("doc.sheet.date", lang), format_day(day.date, lang)),
        (plain("doc.sheet.time", lang), format_time_range(day.starts_at, day.ends_at, tz, lang)),
        (plain("doc.sheet.venue", lang), training.venue),
    ]


def attendance_sheet_pdf(
    view: AttendanceSheetView,
    org_name: str,
    tz: tzinfo,
    printed_at: datetime,
    lang: str = "id",
    *,
    fonts: Path | None = None,
) -> bytes:
    """The sign-in sheet of one training day as a PDF."""
    training, day = view.training, view.day
    title = plain("doc.sheet.title", lang)
    pdf = new_pdf(f"{title} — {training.code} — {day.day_number}", fonts=fonts, styles="B")
    pdf.footer_left = f"{training.code} · " + plain(
        "doc.printed", lang, when=format_staff_moment(printed_at, tz, lang)
    )
    pdf.footer_right = plain("doc.page", lang, page="{page}")
    pdf.add_page()
    _letterhead(pdf, org_name, title)
    _details(pdf, _day_details(view, tz, lang))
    if view.rows:
        _table(pdf, view, lang)
    else:
        pdf.cell(0, 8, plain("doc.sheet.empty", lang), new_x="LMARGIN", new_y="NEXT")
    _closing(pdf, len(view.rows), lang)
    return pdf_bytes(pdf)


def _closing(pdf: Document, count: int, lang: str) -> None:
    """The count, and room for the officer's signature (on a new page if this one is full)."""
    if pdf.get_y() > pdf.h - MARGIN_MM - 40:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, plain("doc.sheet.count", lang, count=count), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    x = pdf.w - MARGIN_MM - 60
    pdf.set_x(x)
    pdf.cell(60, 6, plain("doc.sheet.signed", lang), align="C", new_x="LEFT", new_y="NEXT")
    pdf.cell(60, 6, plain("doc.sheet.officer", lang), align="C", new_x="LEFT", new_y="NEXT")
    pdf.ln(16)
    pdf.set_x(x)
    pdf.cell(60, 6, "(" + "." * 40 + ")", align="C")
