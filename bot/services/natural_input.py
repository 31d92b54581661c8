"""Dates and times as staff type them on a phone, in Indonesian or English.

"3 Des", "3/12", "besok", "lusa", "Senin depan", "8-10 Des", "8, 9 dan 10 Des"; "09.00", "9",
"9 pagi", "13.30", "08.00-15.00", "9-3" (nine to three in the afternoon). Pure functions: the
caller passes today's local date; nothing here reads a clock. What cannot be read raises
`InvalidValueError` with a `Problem` whose text gives examples, so the question can be asked
again with a short hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.services.training_spec import InvalidValueError, Problem

MAX_DAYS = 31  # days one message may give (a month at most)
# A date typed without a year is the next one to come, unless it passed only lately: then it
# is this year's, and the caller says it has passed (a slip, not a training a year away).
RECENTLY_PASSED_DAYS = 90

MONTHS = {
    **dict.fromkeys(("januari", "january", "jan"), 1),
    **dict.fromkeys(("februari", "pebruari", "february", "feb", "peb"), 2),
    **dict.fromkeys(("maret", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "june", "jun"), 6),
    **dict.fromkeys(("juli", "july", "jul"), 7),
    **dict.fromkeys(("agustus", "august", "agu", "agt", "ags", "agus", "aug"), 8),
    **dict.fromkeys(("september", "sept", "sep"), 9),
    **dict.fromkeys(("oktober", "october", "okt", "oct"), 10),
    **dict.fromkeys(("november", "nopember", "nov", "nop"), 11),
    **dict.fromkeys(("desember", "december", "des", "dec"), 12),
}
WEEKDAYS = {
    **dict.fromkeys(("senin", "sen", "monday", "mon"), 0),
    **dict.fromkeys(("selasa", "sel", "tuesday", "tue", "tues"), 1),
    **dict.fromkeys(("rabu", "rab", "wednesday", "wed"), 2),
    **dict.fromkeys(("kamis", "kam", "thursday", "thu", "thur", "thurs"), 3),
    **dict.fromkeys(("jumat", "jum", "friday", "fri"), 4),
    **dict.fromkeys(("sabtu", "sab", "saturday", "sat"), 5),
    **dict.fromkeys(("minggu", "ahad", "min", "sunday", "sun"), 6),
}
RELATIVE_DAYS = {
    "kemarin": -1,
    "yesterday": -1,
    "hari ini": 0,
    "today": 0,
    "besok": 1,
    "tomorrow": 1,
    "lusa": 2,
}
# After a weekday, these all mean the coming one ("Senin depan", "next Monday").
NEXT_WORDS = ("depan", "next", "ini", "this")


def _words(names: dict[str, int]) -> str:
    return "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))


_MONTH = _words(MONTHS)
_WEEKDAY = _words(WEEKDAYS)
_NOISE = re.compile(r"\b(?:tanggal|tgl|pukul|pkl|jam|wib|wita|wit|on|at|the)\b\.?")
_DAY_WORD = re.compile(rf"\bhari\s+(?=(?:{_WEEKDAY})\b)")
_WEEKDAY_COMMA = re.compile(rf"\b({_WEEKDAY})\s*,\s*(?=\d|(?:{_MONTH})\b)")
_ORDINAL = re.compile(r"(\d)(?:st|nd|rd|th)\b")
_COMMA_YEAR = re.compile(r"(\d),\s*(\d{4})\b")  # "December 8, 2026"
_SPACED_RANGE = re.compile(r"\s+-\s+|\s*(?:s/d|s\.d\.?|\b(?:sd|sampai|hingga|until|till|to)\b)\s*")
_RANGE = re.compile(rf"{_SPACED_RANGE.pattern}|-")
_LIST = re.compile(r"\s*(?:,|;|&|\bdan\b|\band\b)\s*")
_DAY_MONTH = re.compile(rf"^(?P<day>\d{{1,2}})\s*(?:{_MONTH})\.?(?:\s+(?P<year>\d{{4}}|\d{{2}}))?$")
_MONTH_DAY = re.compile(rf"^(?:{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:\s*,?\s*(?P<year>\d{{4}}))?$")
_NUMERIC = re.compile(
    r"^(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?:(?P=sep)(?P<year>\d{4}|\d{2}))?$"
)
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})$")
_BARE_DAY = re.compile(r"^\d{1,2}$")
_CLOCK = re.compile(
    r"^(?P<hour>\d{1,2})(?:[.:](?P<minute>\d{2}))?"
    r"\s*(?P<part>pagi|siang|sore|malam|a\.?m\.?|p\.?m\.?)?$"
)
_FOUR_DIGITS = re.compile(r"^(\d{2})(\d{2})$")
# Where the times begin in a message that gives days and times together: "jam", "pukul", a
# clock time such as 08.00 (not part of a date like 03.12.2026), or "9 pagi".
_TIME_START = re.compile(
    r"\b(?:jam|pukul|pkl)\b"
    r"|(?<![\d/.-])\d{1,2}[.:]\d{2}(?![./]\d)"
    r"|\b\d{1,2}\s*(?:pagi|siang|sore|malam|am|pm)\b"
    # "8 Des 9-15": hours alone after a word (a month, "depan").
    r"|(?<=[a-z]\s)\d{1,2}(?:[.:]\d{2})?\s*-\s*\d{1,2}(?:[.:]\d{2})?\s*$"
)
_COUNT = re.compile(r"^(\d{1,6})\s*(?:orang|kursi|peserta|seats?|people|persons?|pax)?$")


@dataclass(frozen=True)
class Days:
    """What a message about the training's days said: the dates, and the times if given."""

    dates: tuple[date, ...]
    start: time | None = None
    end: time | None = None


@dataclass(frozen=True)
class TimeRange:
    """A start, and the end when the message gave one."""

    start: time
    end: time | None = None


def _problem(key: str, **values: object) -> InvalidValueError:
    return InvalidValueError(Problem(key, values=values))


def _clean(text: str) -> str:
    """Lower case, one kind of dash, no filler words, single spaces."""
    value = text.strip().lower().replace("–", "-").replace("—", "-")
    value = value.replace("'", "").replace("’", "")  # "Jum'at"
    value = _ORDINAL.sub(r"\1", _DAY_WORD.sub("", _NOISE.sub(" ", value)))
    return " ".join(value.split()).strip(" ,.")


# ---- dates ---------------------------------------------------------------------------------
def _make(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _problem("natural.problem.date") from None


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    return int(raw) + 2000 if len(raw) == 2 else int(raw)


def _coming(month: int, day: int, today: date) -> date:
    """`day` of `month` in the year that makes it the next to come (see RECENTLY_PASSED_DAYS)."""
    for year in range(today.year, today.year + 9):  # 29 February waits for a leap year
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found >= today - timedelta(days=RECENTLY_PASSED_DAYS):
            return found
    raise _problem("natural.problem.date")


def _coming_day_of_month(day: int, today: date) -> date:
    """A bare day number: that day of this month, or of the next month once it has passed."""
    month, year = today.month, today.year
    for _ in range(3):
        try:
            found = date(year, month, day)
        except ValueError:
            found = None
        if found is not None and found >= today:
            return found
        month, year = (1, year + 1) if month == 12 else (month + 1, year)
    raise _problem("natural.problem.date")


def _month_of(text: str) -> int | None:
    return next((MONTHS[w] for w in re.findall(r"[a-z]+", text) if w in MONTHS), None)


def _weekday_date(text: str, today: date) -> date | None:
    """ "senin", "senin depan", "next monday": the first such weekday after today."""
    words = text.split()
    if words[:1] in (["next"], ["this"]):
        words = words[1:]
    if not words or words[0] not in WEEKDAYS or " ".join(words[1:]) not in ("", *NEXT_WORDS):
        return None
    return today + timedelta(days=(WEEKDAYS[words[0]] - today.weekday() - 1) % 7 + 1)


def _one_date(text: str, today: date) -> tuple[date, bool]:
    """One date, and whether it is fixed (else its year was inferred and may move on)."""
    if text in RELATIVE_DAYS:
        return today + timedelta(days=RELATIVE_DAYS[text]), True
    if (weekday := _weekday_date(text, today)) is not None:
        return weekday, True
    if _BARE_DAY.match(text):
        return _coming_day_of_month(int(text), today), True
    match = _ISO.match(text) or _NUMERIC.match(text)
    month = int(match["month"]) if match else None
    if match is None:
        match = _DAY_MONTH.match(text) or _MONTH_DAY.match(text)
        month = _month_of(text) if match else None
    if match is None or month is None:
        raise _problem("natural.problem.date")
    day, year = int(match["day"]), _year(match["year"])
    if year is not None:
        return _make(year, month, day), True
    return _coming(month, day, today), False


def _dated(text: str, today: date) -> tuple[date, bool]:
    """A date that may start with its weekday ("senin 8 des"); the two must agree."""
    head, _, rest = text.partition(" ")
    if head not in WEEKDAYS or not rest or _weekday_date(text, today) is not None:
        return _one_date(text, today)
    found, fixed = _one_date(rest, today)
    if found.weekday() != WEEKDAYS[head]:
        raise _problem("natural.problem.weekday", date=found, weekday=head.capitalize())
    return found, fixed


def _borrow_month(text: str, other: str) -> str:
    """A bare day ("8" in "8-10 Des") takes the month (and year) of the date it goes with."""
    other = other.strip()
    if not _BARE_DAY.match(text) or _BARE_DAY.match(other):
        return text
    if numeric := _NUMERIC.match(other):
        sep = numeric["sep"]
        return sep.join(p for p in (text, numeric["month"], numeric["year"]) if p)
    tail = re.sub(rf"^(?:(?:{_WEEKDAY})\s+)?\d{{1,2}}\s*", "", other)
    return f"{text} {tail}" if tail and _month_of(tail) else text


def _range_parts(text: str) -> list[str] | None:
    """The two ends of a range ("8-10 des", "30 nov - 2 des", "8 s/d 10 des"), if it is one."""
    for separator in (_SPACED_RANGE, _RANGE):
        parts = [p.strip() for p in separator.split(text)]
        if len(parts) == 2 and all(parts):
            return parts
    return None


def _span(text: str, today: date) -> list[date]:
    """One item of a list: a date, or a range of consecutive dates."""
    try:
        return [_dated(text, today)[0]]
    except InvalidValueError:
        parts = _range_parts(text)
        if parts is None:
            raise
    last, last_fixed = _dated(parts[1], today)
    first, first_fixed = _dated(_borrow_month(parts[0], parts[1]), today)
    if first > last and last.month < first.month:  # "30 Des - 2 Jan": over the new year
        if not last_fixed:
            last = _make(last.year + 1, last.month, last.day)
        elif not first_fixed:
            first = _make(first.year - 1, first.month, first.day)
    if first > last:
        raise _problem("natural.problem.range_order")
    if (last - first).days >= MAX_DAYS:
        raise _problem("natural.problem.too_many", maximum=MAX_DAYS)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def parse_dates(text: str, today: date) -> tuple[date, ...]:
    """Every date a message gives, in order: one date, a range, or a list of them."""
    value = _COMMA_YEAR.sub(r"\1 \2", _WEEKDAY_COMMA.sub(r"\1 ", _clean(text)))
    items = [item for item in _LIST.split(value) if item]
    if not items:
        raise _problem("natural.problem.date")
    # In "8, 9 dan 10 Des" the bare days take the month of the last item.
    items = [_borrow_month(item, items[-1]) for item in items]
    found = {day for item in items for day in _span(item, today)}
    if len(found) > MAX_DAYS:
        raise _problem("natural.problem.too_many", maximum=MAX_DAYS)
    return tuple(sorted(found))


# ---- times ---------------------------------------------------------------------------------
def _hour_of(hour: int, part: str) -> int:
    """The 24-hour clock hour of "3 sore", "1 siang", "9 pagi", "7 pm"."""
    if part in ("pm", "sore", "malam") and hour < 12:
        return hour + 12
    if part == "siang" and hour < 11:
        return hour + 12
    if part == "am" and hour == 12:
        return 0
    return hour


def _clock(text: str) -> tuple[time, bool]:
    """One time of day, and whether it said which half of the day it is in."""
    value = text.strip()
    if match := _FOUR_DIGITS.match(value):
        value = f"{match[1]}.{match[2]}"
    match = _CLOCK.match(value)
    if match is None:
        raise _problem("natural.problem.time")
    part = (match["part"] or "").replace(".", "")
    hour, minute = _hour_of(int(match["hour"]), part), int(match["minute"] or 0)
    if hour > 23 or minute > 59:
        raise _problem("natural.problem.time")
    return time(hour, minute), bool(part)


def _after(start: time, end: time, said_half: bool) -> time:
    """ "9-3": after a morning start, an earlier end with no "sore" or "pm" is in the
    afternoon ("15-8" stays as typed, and is refused as ending before it starts)."""
    if end < start < time(12) and not said_half and end.hour < 12:
        return end.replace(hour=end.hour + 12)
    return end


def parse_times(text: str) -> TimeRange:
    """A start time, or a start and an end ("08.00-15.00", "9-3", "9 pagi sampai 1 siang")."""
    parts = [p for p in _RANGE.split(_clean(text), maxsplit=1) if p.strip()]
    if not 1 <= len(parts) <= 2:
        raise _problem("natural.problem.time")
    start, _ = _clock(parts[0])
    if len(parts) == 1:
        return TimeRange(start)
    return TimeRange(start, _after(start, *_clock(parts[1])))


def parse_end_time(text: str, start: time) -> time:
    """An end time for a day starting at `start` ("3" after a nine o'clock start is 15:00)."""
    return _after(start, *_clock(_clean(text)))


# ---- days and times in one message ---------------------------------------------------------
def _split_times(text: str) -> tuple[str, str] | None:
    """The dates of `text` and the times after them, when it has both."""
    raw = text.strip().lower().replace("–", "-").replace("—", "-")
    for match in _TIME_START.finditer(raw):
        if _clean(raw[: match.start()]):
            return raw[: match.start()], raw[match.start() :]
    return None


def parse_days(text: str, today: date) -> Days:
    """Dates, optionally followed by times: "8-10 Des 08.00-15.00", "besok jam 9-12"."""
    try:
        return Days(parse_dates(text, today))
    except InvalidValueError:
        parts = _split_times(text)
        if parts is None:
            raise
    times = parse_times(parts[1])
    return Days(parse_dates(parts[0], today), times.start, times.end)


def parse_moment(text: str, today: date, default: time) -> tuple[date, time]:
    """One date, optionally with a time ("7 Des", "7 Des 12.00", "besok jam 17")."""
    days = parse_days(text, today)
    if len(days.dates) != 1:
        raise _problem("natural.problem.one_date")
    return days.dates[0], days.start or default


def parse_count(text: str) -> str:
    """The number in "30", "30 orang", "30 kursi" (as text, for the spec's own check)."""
    match = _COUNT.match(_clean(text))
    return match[1] if match else text
