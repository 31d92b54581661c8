"""Dates and times as staff type them, in Indonesian and English (bot.services.natural_input)."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.services.natural_input import (
    Days,
    TimeRange,
    parse_count,
    parse_dates,
    parse_days,
    parse_end_time,
    parse_moment,
    parse_times,
)
from bot.services.training_spec import InvalidValueError

TODAY = date(2026, 12, 2)  # a Wednesday


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # Indonesian month names, full and short, any case.
        ("3 Des", [d(12, 3)]),
        ("3 desember", [d(12, 3)]),
        ("3 DESEMBER 2026", [d(12, 3)]),
        ("tgl 3 Des", [d(12, 3)]),
        ("17 Agustus 2027", [d(8, 17, 2027)]),
        ("17 Agt", [d(8, 17, 2027)]),
        ("1 Mei", [d(5, 1, 2027)]),
        ("5 Jan", [d(1, 5, 2027)]),  # the next 5 January
        ("2 Peb 27", [d(2, 2, 2027)]),
        ("11 Nop", [d(11, 11, 2026)]),  # passed lately: this year's (then refused as past)
        # English month names.
        ("3 Dec", [d(12, 3)]),
        ("Dec 3", [d(12, 3)]),
        ("December 3, 2026", [d(12, 3)]),
        ("3rd December", [d(12, 3)]),
        ("May 1", [d(5, 1, 2027)]),
        # Numbers.
        ("3/12", [d(12, 3)]),
        ("3-12", [d(12, 3)]),
        ("03.12.2026", [d(12, 3)]),
        ("03-12-2026", [d(12, 3)]),
        ("3/12/26", [d(12, 3)]),
        ("2026-12-03", [d(12, 3)]),
        ("8", [d(12, 8)]),  # a day of this month
        ("1", [d(1, 1, 2027)]),  # ... or of the next, once it has passed
        # Words.
        ("hari ini", [TODAY]),
        ("besok", [d(12, 3)]),
        ("Lusa", [d(12, 4)]),
        ("tomorrow", [d(12, 3)]),
        ("kemarin", [d(12, 1)]),
        ("Senin depan", [d(12, 7)]),
        ("hari Senin", [d(12, 7)]),
        ("senin", [d(12, 7)]),
        ("Rabu depan", [d(12, 9)]),  # today is a Wednesday: the next one
        ("Jumat", [d(12, 4)]),
        ("jum'at", [d(12, 4)]),
        ("next Monday", [d(12, 7)]),
        ("friday", [d(12, 4)]),
        ("Senin, 7 Des", [d(12, 7)]),
        ("Monday, December 7, 2026", [d(12, 7)]),
        # Several days.
        ("8-10 Des", [d(12, 8), d(12, 9), d(12, 10)]),
        ("8 - 10 Desember 2026", [d(12, 8), d(12, 9), d(12, 10)]),
        ("8 s/d 10 Des", [d(12, 8), d(12, 9), d(12, 10)]),
        ("8 sampai 10 Oktober", [d(10, 8), d(10, 9), d(10, 10)]),
        ("Dec 8 to Dec 10", [d(12, 8), d(12, 9), d(12, 10)]),
        ("8/12-10/12", [d(12, 8), d(12, 9), d(12, 10)]),
        ("8, 9 dan 11 Des", [d(12, 8), d(12, 9), d(12, 11)]),
        ("8, 9 and 11 Dec", [d(12, 8), d(12, 9), d(12, 11)]),
        ("30 Des - 2 Jan", [d(12, 30), d(12, 31), d(1, 1, 2027), d(1, 2, 2027)]),
        ("besok dan lusa", [d(12, 3), d(12, 4)]),
    ],
)
def test_dates(typed: str, expected: list[date]) -> None:
    assert list(parse_dates(typed, TODAY)) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "natural.problem.date"),
        ("kapan-kapan", "natural.problem.date"),
        ("31 Feb", "natural.problem.date"),
        ("32 Des", "natural.problem.date"),
        ("13/13", "natural.problem.date"),
        ("Senin, 8 Des", "natural.problem.weekday"),  # 8 December 2026 is a Tuesday
        ("10-8 Des", "natural.problem.range_order"),
        ("1 Jan - 28 Feb", "natural.problem.too_many"),
        ("x" * 5000, "natural.problem.date"),
    ],
)
def test_dates_refused(typed: str, problem: str) -> None:
    with pytest.raises(InvalidValueError) as refused:
        parse_dates(typed, TODAY)
    assert refused.value.problem.key == problem


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("09.00", TimeRange(time(9))),
        ("9", TimeRange(time(9))),
        ("9 pagi", TimeRange(time(9))),
        ("13.30", TimeRange(time(13, 30))),
        ("13:30", TimeRange(time(13, 30))),
        ("jam 9", TimeRange(time(9))),
        ("pukul 08.00 WIB", TimeRange(time(8))),
        ("1 siang", TimeRange(time(13))),
        ("11 siang", TimeRange(time(11))),
        ("3 sore", TimeRange(time(15))),
        ("7 malam", TimeRange(time(19))),
        ("9 am", TimeRange(time(9))),
        ("3pm", TimeRange(time(15))),
        ("12 am", TimeRange(time(0))),
        ("0800", TimeRange(time(8))),
        ("08.00-15.00", TimeRange(time(8), time(15))),
        ("08.00 – 15.00", TimeRange(time(8), time(15))),
        ("8-15", TimeRange(time(8), time(15))),
        ("9-3", TimeRange(time(9), time(15))),  # nine to three in the afternoon
        ("9-12", TimeRange(time(9), time(12))),
        ("9 pagi - 1 siang", TimeRange(time(9), time(13))),
        ("9 pagi sampai 3 sore", TimeRange(time(9), time(15))),
        ("9am-3pm", TimeRange(time(9), time(15))),
        ("9 to 3", TimeRange(time(9), time(15))),
        ("0800-1500", TimeRange(time(8), time(15))),
        ("13.30 s/d 16", TimeRange(time(13, 30), time(16))),
        ("15-8", TimeRange(time(15), time(8))),  # kept as typed: the spec refuses it
    ],
)
def test_times(typed: str, expected: TimeRange) -> None:
    assert parse_times(typed) == expected


@pytest.mark.parametrize("typed", ["", "jam sembilan", "25", "9.75", "9-10-11", "24.00", "nine"])
def test_times_refused(typed: str) -> None:
    with pytest.raises(InvalidValueError) as refused:
        parse_times(typed)
    assert refused.value.problem.key == "natural.problem.time"


def test_an_end_time_after_a_start() -> None:
    assert parse_end_time("3", time(9)) == time(15)
    assert parse_end_time("15.00", time(9)) == time(15)
    assert parse_end_time("12", time(9)) == time(12)
    assert parse_end_time("3 sore", time(13)) == time(15)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("8-10 Des", Days((d(12, 8), d(12, 9), d(12, 10)))),
        ("8-10 Des 08.00-15.00", Days((d(12, 8), d(12, 9), d(12, 10)), time(8), time(15))),
        ("8-10 Dec 9am-3pm", Days((d(12, 8), d(12, 9), d(12, 10)), time(9), time(15))),
        ("besok jam 9-12", Days((d(12, 3),), time(9), time(12))),
        ("Senin depan 9 pagi - 3 sore", Days((d(12, 7),), time(9), time(15))),
        ("8 Des 9-15", Days((d(12, 8),), time(9), time(15))),
        ("3/12 13.30", Days((d(12, 3),), time(13, 30))),
        ("8.12 09.00-15.00", Days((d(12, 8),), time(9), time(15))),
        ("03.12.2026 08.00", Days((d(12, 3),), time(8))),
    ],
)
def test_days_with_their_times(typed: str, expected: Days) -> None:
    assert parse_days(typed, TODAY) == expected


def test_a_moment_defaults_to_the_given_time() -> None:
    assert parse_moment("7 Des", TODAY, time(23, 59)) == (d(12, 7), time(23, 59))
    assert parse_moment("7 Des 12.00", TODAY, time(23, 59)) == (d(12, 7), time(12))
    assert parse_moment("besok jam 17", TODAY, time(23, 59)) == (d(12, 3), time(17))
    with pytest.raises(InvalidValueError):
        parse_moment("7-8 Des", TODAY, time(23, 59))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("30", "30"), ("30 orang", "30"), ("30 kursi", "30"), ("25 seats", "25"), ("dua", "dua")],
)
def test_counts(typed: str, expected: str) -> None:
    assert parse_count(typed) == expected
