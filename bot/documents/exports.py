"""Participant lists as files an office hands in as they are: Excel (.xlsx) and CSV.

Both are made from the one column spec (`bot.texts.columns`). The workbook has a summary sheet
and, per training, a sheet of the people who hold a seat or wait for one, with a title block
(training, dates, venue, counts, when it was printed), a frozen header with a filter, set up to
print on A4 landscape fitted to the width; cancelled and erased registrations have a sheet of
their own instead of blank rows.

CSV uses `;` between fields and starts with a UTF-8 byte-order mark: Excel set to Indonesian
(where `,` is the decimal separator) splits on `;`, and the mark makes it read UTF-8, so names
such as "Ni Luh Ayu Pradnyaswari" or "Siti 'Ainun" with any accent arrive intact. Free text that
starts like a formula is prefixed with an apostrophe so a spreadsheet never runs what a
participant typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from bot.documents.cells import cell
from bot.models import RegistrationStatus
from bot.services.reports import ParticipantRow, TrainingExport
from bot.texts import plain, t
from bot.texts.columns import Column, Value, participant_columns
from bot.texts.formatting import format_clock, format_date_range, format_staff_day
from bot.texts.message import Attachment

CSV_DELIMITER = ";"
SUMMARY_SHEET = "Ringkasan"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The title block takes the first rows; the header row comes right after it.
HEADER_ROW = 6
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = str.maketrans({c: "-" for c in "[]:*?/\\"})
_ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
_SUMMARY = ("code", "title", "venue", "status", "first_day", "last_day", "seats")
_SUMMARY_COUNTS = ("confirmed", "waitlisted", "cancelled")


def columns_of(export: TrainingExport) -> list[Column]:
    """The columns of one training's list (per-day columns for each of its days)."""
    return participant_columns([number for number, _ in export.days])


def headers(export: TrainingExport, lang: str) -> list[str]:
    """Column titles of a training's participant table."""
    return [column.header(lang) for column in columns_of(export)]


def row_values(row: ParticipantRow, columns: Sequence[Column], lang: str) -> list[Value]:
    """The cells of one participant, in column order (dates stay dates)."""
    return [column.cell(row, lang) for column in columns]


def _text_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv_cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str):
        return _text_safe(value)
    return str(value)


def write_csv(export: TrainingExport, lang: str) -> bytes:
    """One training's participants as CSV (UTF-8 with BOM, `;`-separated)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    columns = columns_of(export)
    writer.writerow(column.header(lang) for column in columns)
    for row in export.rows:
        writer.writerow(_csv_cell(v) for v in row_values(row, columns, lang))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_title(name: str, taken: set[str]) -> str:
    base = name.translate(_SHEET_FORBIDDEN)[:28] or "Sheet"
    title, n = base, 2
    while title.lower() in taken:
        title, n = f"{base[:25]}~{n}", n + 1
    taken.add(title.lower())
    return title


def _prepare(sheet: WriteOnlyWorksheet, widths: Sequence[int], header_row: int) -> None:
    # Write-only sheets take widths, panes and print settings before the first row.
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"


def _dates(export: TrainingExport, lang: str) -> str:
    dates = sorted(d for _, d in export.days)
    return format_date_range(dates[0], dates[-1], lang) if dates else "-"


def _printed(moment: datetime, lang: str) -> str:
    """When the list was printed (local wall-clock time), as every staff screen writes it."""
    return t(
        "moment",
        lang,
        date=format_staff_day(moment.date(), lang),
        time=format_clock(moment.time(), lang),
    )


def _title_block(
    export: TrainingExport, heading: str, lang: str, printed_at: datetime
) -> list[str]:
    counts = export.counts
    return [
        plain(heading, lang, title=export.title),
        plain(
            "staff.sheet.about", lang,
            code=export.code, dates=_dates(export, lang), venue=export.venue,
        ),
        plain(
            "staff.sheet.counts", lang,
            confirmed=counts.confirmed, capacity=export.capacity,
            waiting=counts.waitlisted, cancelled=counts.cancelled,
        ),
        plain("staff.sheet.printed", lang, moment=_printed(printed_at, lang)),
    ]  # fmt: skip


def _people_sheet(
    workbook: Workbook,
    title: str,
    export: TrainingExport,
    rows: Sequence[ParticipantRow],
    block: list[str],
    lang: str,
) -> None:
    """A sheet: the title block, the header (frozen, filtered), one row per registration."""
    columns = columns_of(export)
    sheet = workbook.create_sheet(title)
    _prepare(sheet, [c.width for c in columns], HEADER_ROW)
    for index, line in enumerate(block):
        sheet.append([cell(sheet, line, bold=index == 0, size=14 if index == 0 else 11)])
    sheet.append([])
    sheet.append([cell(sheet, c.header(lang), bold=True) for c in columns])
    for row in rows:
        sheet.append([cell(sheet, v) for v in row_values(row, columns, lang)])
    last = f"{get_column_letter(len(columns))}{HEADER_ROW + max(len(rows), 1)}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}"


def _summary_row(export: TrainingExport, lang: str) -> list[Value]:
    dates = [d for _, d in export.days]
    counts = export.counts
    return [
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
    ]


def _summary(workbook: Workbook, exports: Sequence[TrainingExport], lang: str) -> None:
    sheet = workbook.create_sheet(SUMMARY_SHEET)
    _prepare(sheet, (16, 40, 30, 12, 12, 12, 8, 12, 12, 12), 1)
    keys = _SUMMARY + _SUMMARY_COUNTS
    sheet.append([cell(sheet, t(f"staff.col.{key}", lang), bold=True) for key in keys])
    for export in exports:
        sheet.append([cell(sheet, value) for value in _summary_row(export, lang)])


def write_xlsx(
    exports: Sequence[TrainingExport], lang: str, printed_at: datetime | None = None
) -> bytes:
    """An Excel workbook: a "Ringkasan" summary sheet and, per training, its people and (when
    there are any) its cancelled or erased registrations.

    `printed_at` is local time for the title block. Written in write-only mode, so memory stays
    flat however many participants there are.
    """
    printed_at = printed_at or datetime.now()
    workbook = Workbook(write_only=True)
    _summary(workbook, exports, lang)
    taken = {SUMMARY_SHEET.lower()}
    for export in exports:
        active = [r for r in export.rows if r.status in _ACTIVE]
        gone = [r for r in export.rows if r.status not in _ACTIVE]
        block = _title_block(export, "staff.sheet.heading", lang, printed_at)
        _people_sheet(workbook, _sheet_title(export.code, taken), export, active, block, lang)
        if gone:
            name = t("staff.sheet.cancelled", lang, code=export.code)
            block = _title_block(export, "staff.sheet.cancelled_heading", lang, printed_at)
            _people_sheet(workbook, _sheet_title(name, taken), export, gone, block, lang)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_filename(code: str, extension: str) -> str:
    """A file name for a training's export, safe on every system."""
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in code)
    return f"peserta-{safe}.{extension}"


def xlsx_attachment(export: TrainingExport, lang: str, printed_at: datetime) -> Attachment:
    """The Excel file of one training's list, named for its code."""
    return Attachment(export_filename(export.code, "xlsx"), write_xlsx([export], lang, printed_at))
