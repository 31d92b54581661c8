"""Dates and times as participants read them: in their language (Babel) and the local zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo

import phonenumbers
from babel.dates import format_date

from bot.models import OUTSIDE_DISTRICT, Sector
from bot.texts import t

# Babel's Indonesian "full" pattern pads the day ("08 Desember"); people write "8 Desember".
_FULL = {"id": "EEEE, d MMMM y", "en": "EEEE, MMMM d, y"}
_DAY_MONTH_YEAR = {"id": "d MMMM y", "en": "MMMM d, y"}
_DAY_MONTH = {"id": "d MMMM", "en": "MMMM d"}
_BUTTON = {"id": "EEE, d MMM", "en": "EEE, MMM d"}


def _locale(lang: str) -> str:
    return "en" if lang == "en" else "id"


def format_day(day: date, lang: str) -> str:
    """A date with its weekday: "Selasa, 8 Desember 2026" / "Tuesday, December 8, 2026"."""
    locale = _locale(lang)
    return format_date(day, _FULL[locale], locale=locale)


def format_short_day(day: date, lang: str) -> str:
    """A date without weekday: "8 Desember 2026" / "December 8, 2026"."""
    locale = _locale(lang)
    return format_date(day, _DAY_MONTH_YEAR[locale], locale=locale)


def format_button_day(day: date, lang: str) -> str:
    """A day short enough for a button: "Sel, 8 Des" / "Tue, Dec 8"."""
    return format_date(day, _BUTTON[_locale(lang)], locale=_locale(lang))


def local_day(moment: datetime, tz: tzinfo) -> date:
    """The calendar day of `moment` in `tz`."""
    return moment.astimezone(tz).date()


def format_time(moment: datetime, tz: tzinfo) -> str:
    """The local wall-clock time of an aware datetime: "08:00"."""
    return moment.astimezone(tz).strftime("%H:%M")


def format_time_range(starts_at: datetime, ends_at: datetime, tz: tzinfo) -> str:
    """Start and end in local time: "08:00–15:00"."""
    return f"{format_time(starts_at, tz)}–{format_time(ends_at, tz)}"


def format_date_range(first: date, last: date, lang: str) -> str:
    """The span of a training: "8–10 Desember 2026" / "December 8–10, 2026"."""
    locale = _locale(lang)
    if first == last:
        return format_short_day(first, lang)
    end = format_date(last, _DAY_MONTH_YEAR[locale], locale=locale)
    if (first.year, first.month) == (last.year, last.month):
        if locale == "en":
            start = format_date(first, "MMMM d", locale=locale)
            return f"{start}–{last.day}, {last.year}"
        return f"{first.day}–{end}"
    if first.year == last.year:
        return f"{format_date(first, _DAY_MONTH[locale], locale=locale)} – {end}"
    return f"{format_short_day(first, lang)} – {end}"


def join_within(lines: list[str], limit: int, more: Callable[[int], str], *, keep: int = 0) -> str:
    """Join lines with newlines, leaving out trailing ones (said by `more(count)`) past `limit`.

    The first `keep` lines always stay. Whole lines are dropped, so HTML tags opened and closed
    on one line stay balanced; the limit is measured on the markup, which is never shorter
    than the text the user sees.
    """
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    kept = list(lines[:keep])
    for index in range(keep, len(lines)):
        tail = more(len(lines) - index - 1)
        if len("\n".join([*kept, lines[index], tail])) > limit:
            return "\n".join([*kept, more(len(lines) - index)])
        kept.append(lines[index])
    return "\n".join(kept)


def district_label(district: str, lang: str) -> str:
    """A stored district as the user reads it ("luar kota" is translated)."""
    return t("reg.district.outside", lang) if district == OUTSIDE_DISTRICT else district


def sector_label(sector: str, lang: str) -> str:
    """A stored sector code as the user reads it, in their language."""
    key = f"reg.sector.{sector}"
    return t(key, lang) if sector in {s.value for s in Sector} else sector


def without_icon(label: str) -> str:
    """A button label without its leading emoji ("🍲 Kuliner" -> "Kuliner"), for spreadsheets."""
    head, _, rest = label.partition(" ")
    return rest if rest and not any(ch.isalnum() for ch in head) else label


def format_phone(phone: str | None) -> str:
    """A stored +62 number the way people write it: "0812-3456-7801" (as stored otherwise)."""
    if not phone:
        return ""
    try:
        number = phonenumbers.parse(phone, "ID")
    except phonenumbers.NumberParseException:
        return phone
    if number.country_code != 62:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def masked_phone(phone: str | None) -> str:
    """A phone number for a printed list, its middle hidden: "0812-****-7801"."""
    shown = format_phone(phone)
    groups = shown.split("-")
    if len(groups) >= 3:
        return "-".join([groups[0], *("*" * len(g) for g in groups[1:-1]), groups[-1]])
    digits = sum(ch.isdigit() for ch in shown)
    seen, out = 0, []
    for ch in shown:
        if ch.isdigit():
            seen += 1
            # The first four and the last four digits stay: enough to tell two people apart.
            ch = ch if seen <= 4 or seen > digits - 4 else "*"
        out.append(ch)
    return "".join(out)


def format_day_month(day: date, lang: str) -> str:
    """A date short enough for a list of trainings: "8 Des" / "Dec 8"."""
    locale = _locale(lang)
    return format_date(day, "d MMM" if locale == "id" else "MMM d", locale=locale)


def format_staff_day(day: date, lang: str) -> str:
    """A date with weekday and year, short: "Sel, 8 Des 2026" / "Tue, Dec 8, 2026"."""
    locale = _locale(lang)
    return format_date(day, "EEE, d MMM y" if locale == "id" else "EEE, MMM d, y", locale=locale)


TITLE_ON_BUTTON = 24
# Everything in a list of trainings is a training: a leading "Pelatihan" says nothing there
# (the office writes its titles in Indonesian).
_GENERIC_HEAD = "pelatihan "


def short_title(title: str, limit: int = TITLE_ON_BUTTON) -> str:
    """A training's title short enough for a button: without a leading "Pelatihan", cut at a
    word boundary with "…" ("Pelatihan Kain Perca dan Melukis Kain" -> "Kain Perca dan…")."""
    text = " ".join(title.split())
    if text.lower().startswith(_GENERIC_HEAD):
        text = text[len(_GENERIC_HEAD) :]
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if text[limit - 1] != " " and space >= limit // 2:  # not in the middle of a word
        cut = cut[:space]
    return cut.rstrip(" ,.:;-–·") + "…"
