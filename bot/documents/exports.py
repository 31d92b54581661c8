"""Participant lists as files: Excel (.xlsx) and CSV.

CSV uses `;` between fields and starts with a UTF-8 byte-order mark: Excel set to Indonesian
(where `,` is the decimal separator) splits on `;`, and the mark makes it read UTF-8, so names
such as "Ni Luh Ayu Pradnyaswari" or "Siti 'Ainun" with any accent arrive intact.
Fields are quoted when needed (csv.QUOTE_MINIMAL); free text that starts like a formula is
prefixed with an apostrophe so a spreadsheet never runs what a participant typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.models import RegistrationStatus, Rsvp
from bot.services.reports import ParticipantRow, TrainingExport
from bot.texts import t
from bot.texts.formatting import district_label, sector_label, without_icon

CSV_DELIMITER = ";"
DATE_FORMAT = "DD-MM-YYYY"
DATETIME_FORMAT = "DD-MM-YYYY HH:MM"
SUMMARY_SHEET = "Ringkasan"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})

Value = str | int | date | datetime | None


def _status(status: RegistrationStatus, lang: str) -> str:
    return t(f"staff.status.{status.value}", lang)


def _rsvp(answer: Rsvp | None, lang: str) -> str:
    return t(f"staff.rsvp.{answer.value}", lang) if answer else ""


def headers(export: TrainingExport, lang: str) -> list[str]:
    """Column titles of a training's participant table."""
    fixed = [t(f"staff.col.{name}", lang) for name in _FIXED_COLUMNS]
    rsvp = [t("staff.col.rsvp_day", lang, n=n) for n, _ in export.days]
    present = [t("staff.col.present_day", lang, n=n) for n, _ in export.days]
    return fixed + rsvp + present


_FIXED_COLUMNS = (
    "no",
    "name",
    "phone",
    "business",
    "sector",
    "district",
    "status",
    "waitlist",
    "registered",
)
_WIDTHS = (5, 28, 16, 26, 16, 16, 14, 10, 18)


def row_values(row: ParticipantRow, lang: str) -> list[Value]:
    """The cells of one participant, in `headers` order (dates stay dates)."""
    return [
        row.number,
        row.name,
        row.phone,
        row.business,
        without_icon(sector_label(row.sector, lang)) if row.sector else "",
        without_icon(district_label(row.district, lang)) if row.district else "",
        _status(row.status, lang),
        row.waitlist_position,
        row.registered_at,
        *(_rsvp(a, lang) for a in row.rsvp),
        *(t("staff.present.yes", lang) if p else "" for p in row.attended),
    ]


def _text_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_csv(export: TrainingExport, lang: str) -> bytes:
    """One training's participants as CSV (UTF-8 with BOM, `;`-separated)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(headers(export, lang))
    for row in export.rows:
        cells: list[str] = []
        for value in row_values(row, lang):
            if value is None:
                cells.append("")
            elif isinstance(value, datetime):
                cells.append(value.strftime("%Y-%m-%d %H:%M"))
            elif isinstance(value, str):
                # A phone number's leading + is data, not a formula.
                cells.append(value if value == row.phone else _text_safe(value))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _cell(sheet: WriteOnlyWorksheet, value: Value, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def _sheet_title(code: str, taken: set[str]) -> str:
    base = code.translate(_SHEET_FORBIDDEN)[:28] or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        title, n = f"{base[:25]}~{n}", n + 1
    taken.add(title.lower())
    return title


def _prepare(sheet: WriteOnlyWorksheet, widths: Sequence[int]) -> None:
    # Write-only sheets take widths and the frozen header before the first row.
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def write_xlsx(exports: Sequence[TrainingExport], lang: str) -> bytes:
    """An Excel workbook: a "Ringkasan" summary sheet and one sheet per training.

    Written in write-only mode, so memory stays flat however many participants there are.
    """
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(SUMMARY_SHEET)
    taken = {SUMMARY_SHEET.lower()}
    summary_columns = ("code", "title", "venue", "status", "first_day", "last_day", "seats")
    count_columns = ("confirmed", "waitlisted", "cancelled")
    _prepare(summary, (16, 40, 30, 12, 12, 12, 8, 12, 12, 12))
    summary.append(
        [
            _cell(summary, t(f"staff.col.{c}", lang), bold=True)
            for c in summary_columns + count_columns
        ]
    )
    for export in exports:
        dates = [d for _, d in export.days]
        counts = export.counts
        summary.append(
            [
                _cell(summary, value)
                for value in (
                    export.code,
                    export.title,
                    export.venue,
                    t(f"staff.training_status.{export.status.value}", lang),
                    min(dates) if dates else None,
                    max(dates) if dates else None,
                    export.capacity,
                    counts.confirmed,
                    counts.waitlisted,
                    counts.cancelled,
                )
            ]
        )
    for export in exports:
        sheet = workbook.create_sheet(_sheet_title(export.code, taken))
        _prepare(sheet, (*_WIDTHS, *(12 for _ in export.days), *(10 for _ in export.days)))
        sheet.append([_cell(sheet, h, bold=True) for h in headers(export, lang)])
        for row in export.rows:
            sheet.append([_cell(sheet, v) for v in row_values(row, lang)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(code: str, extension: str) -> str:
    """A file name for a training's export, safe on every system."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in code)
    return f"peserta-{safe}.{extension}"
