"""The impact workbook: one row per attendee, the baseline and each follow-up side by side."""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook

from bot.documents.cells import cell
from bot.services.impact import ImpactRow, ImpactView, RoundAnswers
from bot.texts import plain

Value = str | int
# Each follow-up's columns: its label's key and how the answer reads.
_ROUND_COLUMNS: tuple[tuple[str, Callable[[RoundAnswers, str], Value]], ...] = (
    ("impact.col.running", lambda a, lang: _yes_no(a.running, lang)),
    ("impact.col.sales", lambda a, lang: _band(a.sales_band, lang)),
    ("impact.col.workers", lambda a, lang: a.workers if a.workers is not None else ""),
    (
        "impact.col.applied",
        lambda a, lang: plain(f"fu.applied.{a.applied}", lang) if a.applied else "",
    ),
    ("impact.col.product", lambda a, lang: _yes_no(a.new_product, lang)),
    ("impact.col.photo", lambda a, lang: _yes_no(a.photo or None, lang)),
    ("impact.col.mentoring", lambda a, lang: _yes_no(a.mentoring, lang)),
)
_BEFORE_COLUMNS = ("impact.col.sales", "impact.col.workers", "impact.col.online")
_PERSON_COLUMNS = ("impact.col.no", "impact.col.name", "impact.col.business", "impact.col.days")


def _yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return ""
    return plain("base.yes" if value else "base.no", lang)


def _band(band: str | None, lang: str) -> str:
    return plain(f"base.sales.{band}", lang) if band else ""


def _header(view: ImpactView, lang: str) -> list[str]:
    header = [plain(key, lang) for key in _PERSON_COLUMNS]
    header += [plain("impact.col.before", lang, label=plain(key, lang)) for key in _BEFORE_COLUMNS]
    for days in view.rounds:
        header += [
            plain("impact.col.round", lang, label=plain(key, lang), days=days)
            for key, _ in _ROUND_COLUMNS
        ]
    return header


def _values(number: int, row: ImpactRow, rounds: tuple[int, ...], lang: str) -> list[Value]:
    values: list[Value] = [number, row.name, row.business, row.days_present]
    base = row.baseline
    if base is None:
        values += ["", "", ""]
    else:
        values += [_band(base.sales_band, lang), base.workers, _yes_no(base.sells_online, lang)]
    for days in rounds:
        answers = row.follow_ups.get(days)
        values += [read(answers, lang) if answers else "" for _, read in _ROUND_COLUMNS]
    return values


def write_impact_xlsx(view: ImpactView, lang: str) -> bytes:
    """The workbook: a title block, the header, one row per attendee."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(plain("impact.sheet.title", lang))
    sheet.append(
        [
            cell(
                sheet,
                plain("impact.sheet.heading", lang, title=view.title, code=view.code),
                bold=True,
                size=14,
            )
        ]
    )
    sheet.append([cell(sheet, plain("impact.sheet.about", lang, people=len(view.rows)))])
    sheet.append([])
    sheet.append([cell(sheet, label, bold=True) for label in _header(view, lang)])
    for number, row in enumerate(view.rows, start=1):
        sheet.append([cell(sheet, v) for v in _values(number, row, view.rounds, lang)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
