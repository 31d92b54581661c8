"""The columns of a training's participant list, declared once: the Excel sheet, the CSV file
and the list in the chat are all made from `participant_columns`.

A column has a key (its header is `staff.col.<key>` in the reader's language), a width in the
spreadsheet, how to read its value from a `ParticipantRow`, and whether (and how short) it is
shown in the chat list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial

from bot.models import RegistrationStatus
from bot.services.reports import ParticipantRow
from bot.texts import escape, t
from bot.texts.formatting import district_label, format_phone, sector_label, without_icon

Value = str | int | date | datetime | None
Cell = Callable[[ParticipantRow, str], Value]
CHAT_SEPARATOR = " · "


@dataclass(frozen=True)
class Column:
    """One column of the participant list."""

    key: str
    width: int
    cell: Cell
    chat_limit: int | None = None  # shown in the chat list, shortened to this many characters
    day: int | None = None  # a per-day column: the day's number (its header names it)
    chat_label: str | None = None  # in the chat list: only when it has a value, as this label

    def header(self, lang: str) -> str:
        """The column's title in the reader's language."""
        if self.day is not None:
            return t(f"staff.col.{self.key}", lang, n=self.day)
        return t(f"staff.col.{self.key}", lang)


def status_label(row: ParticipantRow, lang: str) -> str:
    """ "terdaftar", "antre no. 3", "batal", or "data dihapus" for an erased person."""
    if not row.name:
        return t("staff.status.erased", lang)
    if row.status == RegistrationStatus.WAITLISTED and row.waitlist_position:
        return t("staff.status.waitlisted_at", lang, position=row.waitlist_position)
    return t(f"staff.status.{row.status.value}", lang)


def _label(label: Callable[[str, str], str], value: str, lang: str) -> str:
    return without_icon(label(value, lang)) if value else ""


def _rsvp(index: int, row: ParticipantRow, lang: str) -> str:
    answer = row.rsvp[index]
    return t(f"staff.rsvp.{answer.value}", lang) if answer else ""


def _present(index: int, row: ParticipantRow, lang: str) -> str:
    return t("staff.present.yes", lang) if row.attended[index] else ""


def _sector(row: ParticipantRow, lang: str) -> str:
    return _label(sector_label, row.sector, lang)


def _district(row: ParticipantRow, lang: str) -> str:
    return _label(district_label, row.district, lang)


def _per_day(days: Sequence[int]) -> list[Column]:
    rsvp = [Column("rsvp_day", 12, partial(_rsvp, i), day=n) for i, n in enumerate(days)]
    present = [Column("present_day", 10, partial(_present, i), day=n) for i, n in enumerate(days)]
    return rsvp + present


def participant_columns(days: Sequence[int] = ()) -> list[Column]:
    """Every column, in order; `days` are the training's day numbers (per-day columns)."""
    fixed = [
        Column("no", 5, lambda r, _: r.number),
        Column("name", 28, lambda r, lang: r.name or t("staff.erased_name", lang), chat_limit=28),
        Column("phone", 16, lambda r, _: format_phone(r.phone), chat_limit=16),
        Column("business", 26, lambda r, _: r.business, chat_limit=24),
        Column("sector", 16, _sector),
        Column("district", 16, _district, chat_limit=20),
        Column("status", 16, status_label, chat_limit=24),
        Column("waitlist", 10, lambda r, _: r.waitlist_position),
        Column("registered", 18, lambda r, _: r.registered_at),
        Column("registered_by", 24, lambda r, _: r.registered_by, chat_limit=24,
               chat_label="staff.list.registered_by"),
    ]  # fmt: skip
    return fixed + _per_day(days)


def _short(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def chat_line(row: ParticipantRow, columns: Sequence[Column], lang: str) -> str:
    """One participant as a line of the chat list (HTML, every value escaped)."""
    parts: list[str] = []
    for column in columns:
        if column.chat_limit is None:
            continue
        value = _short(str(column.cell(row, lang) or ""), column.chat_limit)
        if column.chat_label is None:
            parts.append(escape(value or "-"))
        elif value:
            parts.append(t(column.chat_label, lang, value=value))
    return f"{row.number}. " + CHAT_SEPARATOR.join(parts)
