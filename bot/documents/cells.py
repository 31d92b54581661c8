"""The one cell writer of every workbook the bot writes: text is always text.

A participant's name, business or survey answer that starts with `=` (`=HYPERLINK(...)`) would
otherwise be stored as a live formula in the staff's spreadsheet. Every .xlsx (the participant
export, the activity report) builds its cells here, in openpyxl's write-only mode.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bot.texts.columns import Value

DATE_FORMAT = "DD-MM-YYYY"
DATETIME_FORMAT = "DD-MM-YYYY HH:MM"


def cell(
    sheet: WriteOnlyWorksheet, value: Value | float, *, bold: bool = False, size: int = 11
) -> Any:
    """A cell of `sheet`: strings as text whatever they start with, dates formatted."""
    written = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        written.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, datetime):
        written.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        written.number_format = DATE_FORMAT
    if bold or size != 11:
        written.font = Font(bold=bold, size=size)
    return written


def row_of(sheet: WriteOnlyWorksheet, values: list[Any], *, bold: bool = False) -> list[Any]:
    """A row of cells for `sheet.append`."""
    return [cell(sheet, value, bold=bold) for value in values]
