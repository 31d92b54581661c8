"""Dates and times as participants read them: in their language (Babel) and the local zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo

import phonenumbers
from babel.dates import format_date

from bot.models import OUTSIDE_DISTRICT, Sector
from bot.texts import t

# Babel's Indonesian "full" pattern pads the day ("08 Desember"); people write "8 Desember".
# English follows the office's own order ("30 December 2026"), not the US one.
_FULL = "EEEE, d MMMM y"
_DAY_MONTH_YEAR = "d MMMM y"
_DAY_MONTH = "d MMMM"
_BUTTON = "EEE, d MMM"
_STAFF_DAY = "EEE, d MMM y"
# Indonesia's three zones, as people write them after a time.
ZONE_NAMES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Ujung_Pandang": "WITA",
    "Asia/Jayapura": "WIT",
}


def _locale(lang: str) -> str:
    return "en" if lang == "en" else "id"


def format_day(day: date, lang: str) -> str:
    """A date with its weekday: "Selasa, 8 Desember 2026" / "Tuesday, 8 December 2026"."""
    locale = _locale(lang)
    return format_date(day, _FULL, locale=locale)


def format_short_day(day: date, lang: str) -> str:
    """A date without weekday: "8 Desember 2026" / "8 December 2026"."""
    locale = _locale(lang)
    return format_date(day, _DAY_MONTH_YEAR, locale=locale)


def format_button_day(day: date, lang: str) -> str:
    """A day short enough for a button: "Sel, 8 Des" / "Tue, 8 Dec"."""
    return format_date(day, _BUTTON, locale=_locale(lang))


def local_day(moment: datetime, tz: tzinfo) -> date:
    """The calendar day of `moment` in `tz`."""
    return moment.astimezone(tz).date()


def zone_label(local: datetime) -> str:
    """The zone written after a local time: "WIB", "WITA" or "WIT" in Indonesia; elsewhere the
    zone's abbreviation ("CET", "UTC") or, without one, its offset ("UTC+03")."""
    named = ZONE_NAMES.get(getattr(local.tzinfo, "key", ""))
    if named:
        return named
    abbreviation = local.tzname() or ""
    if abbreviation.isalpha():
        return abbreviation
    minutes = int((local.utcoffset() or timedelta(0)).total_seconds()) // 60
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'-' if minutes < 0 else '+'}{hours:02d}" + (f":{rest:02d}" if rest else "")


def format_clock(value: time, lang: str) -> str:
    """A wall-clock time without zone: "08.00" in Indonesian, "08:00" in English."""
    return value.strftime("%H:%M" if lang == "en" else "%H.%M")


def format_hours(day: date, start: time, end: time, tz: tzinfo, lang: str) -> str:
    """Local start and end of `day` with the zone: "08.00–15.00 WIB" / "08:00–15:00 WIB"."""
    zone = zone_label(datetime.combine(day, start, tzinfo=tz))
    return f"{format_clock(start, lang)}–{format_clock(end, lang)} {zone}"


def format_time(moment: datetime, tz: tzinfo, lang: str) -> str:
    """The local time of an aware datetime with the zone: "08.00 WIB" / "08:00 WIB"."""
    local = moment.astimezone(tz)
    return f"{format_clock(local.time(), lang)} {zone_label(local)}"


def format_time_range(starts_at: datetime, ends_at: datetime, tz: tzinfo, lang: str) -> str:
    """Start and end in local time with the zone: "08.00–15.00 WIB" / "08:00–15:00 WIB"."""
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    return format_hours(start.date(), start.time(), end.time(), tz, lang)


def format_moment(
    moment: datetime, tz: tzinfo, lang: str, day: Callable[[date, str], str] | None = None
) -> str:
    """A date and time: "3 Desember 2026 pukul 01.17 WIB" ("8 December 2026 at 01:17 WIB");
    `day` writes the date (`format_staff_day` on staff screens)."""
    written = (day or format_short_day)(moment.astimezone(tz).date(), lang)
    return t("moment", lang, date=written, time=format_time(moment, tz, lang))


def format_staff_moment(moment: datetime, tz: tzinfo, lang: str) -> str:
    """A date and time on staff screens: "Kam, 3 Des 2026 pukul 01.17 WIB"."""
    return format_moment(moment, tz, lang, format_staff_day)


def format_date_range(first: date, last: date, lang: str) -> str:
    """The span of a training: "8–10 Desember 2026" / "8–10 December 2026"."""
    locale = _locale(lang)
    if first == last:
        return format_short_day(first, lang)
    end = format_date(last, _DAY_MONTH_YEAR, locale=locale)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{end}"
    if first.year == last.year:
        return f"{format_date(first, _DAY_MONTH, locale=locale)} – {end}"
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
    """A date short enough for a list of trainings: "8 Des" / "8 Dec"."""
    return format_date(day, "d MMM", locale=_locale(lang))


def format_staff_day(day: date, lang: str) -> str:
    """A date on every staff screen: "Sel, 8 Des 2026" / "Tue, 8 Dec 2026"."""
    return format_date(day, _STAFF_DAY, locale=_locale(lang))


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


def short(value: str, limit: int) -> str:
    """`value` cut to `limit` characters with an ellipsis, at a word's end when one is near."""
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    words = cut.rsplit(" ", 1)[0]
    return (words if len(words) >= limit * 2 // 3 else cut).rstrip(" ,.;:-·") + "…"
