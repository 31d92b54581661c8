"""Dates and times as participants read them, and fitting lines into one message."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.texts.formatting import (
    district_label,
    format_date_range,
    format_day,
    format_time,
    format_time_range,
    join_within,
    sector_label,
    short_title,
    without_icon,
)


def test_days_in_indonesian_and_english() -> None:
    assert format_day(date(2026, 12, 8), "id") == "Selasa, 8 Desember 2026"
    assert format_day(date(2026, 12, 8), "en") == "Tuesday, December 8, 2026"
    assert format_day(date(2017, 8, 8), "xx") == "Selasa, 8 Agustus 2017"


def test_times_in_the_local_zone() -> None:
    start = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
    end = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)
    assert format_time(start, ZoneInfo("Asia/Jakarta")) == "08:00"
    assert format_time_range(start, end, ZoneInfo("Asia/Jayapura")) == "10:00–17:00"


def test_date_ranges() -> None:
    assert format_date_range(date(2026, 12, 8), date(2026, 12, 8), "id") == "8 Desember 2026"
    assert format_date_range(date(2026, 12, 8), date(2026, 12, 10), "id") == "8–10 Desember 2026"
    assert format_date_range(date(2026, 12, 8), date(2026, 12, 10), "en") == "December 8–10, 2026"
    assert (
        format_date_range(date(2026, 11, 30), date(2026, 12, 2), "id")
        == "30 November – 2 Desember 2026"
    )
    assert (
        format_date_range(date(2026, 12, 30), date(2027, 1, 2), "en")
        == "December 30, 2026 – January 2, 2027"
    )


def test_join_within_drops_whole_trailing_lines() -> None:
    lines = ["head", *(f"<b>line {i}</b>" for i in range(100))]
    text = join_within(lines, 200, lambda n: f"+{n} more", keep=1)
    assert len(text) <= 200
    assert text.startswith("head\n<b>line 0</b>")
    kept = text.count("<b>")
    assert text.endswith(f"+{100 - kept} more")
    assert join_within(["a", "b"], 10, lambda n: "?") == "a\nb"


def test_labels_in_each_language_and_without_icons() -> None:
    assert sector_label("kuliner", "en") == "🍲 Food and drink"
    assert without_icon(sector_label("kuliner", "id")) == "Kuliner"
    assert without_icon(sector_label("lainnya", "en")) == "Other"
    assert district_label("luar kota", "en") == "Outside the city"
    assert district_label("Klojen", "en") == "Klojen"
    assert sector_label("unknown-code", "id") == "unknown-code"
    assert without_icon("Toko & Co") == "Toko & Co"


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Pelatihan Kain Perca dan Melukis Kain", "Kain Perca dan Melukis…"),
        ("Pemasaran Digital untuk Usaha Mikro", "Pemasaran Digital untuk…"),
        ("Kain Perca", "Kain Perca"),
        ("Pelatihan", "Pelatihan"),
        ("Training  in   Batik", "Training in Batik"),
        ("Pembinaan Kemampuan dan Keterampilan Kerja", "Pembinaan Kemampuan dan…"),
        ("Supercalifragilisticexpialidocious sekali", "Supercalifragilisticexp…"),
    ],
)
def test_a_title_on_a_button_is_cut_at_a_word(title: str, shown: str) -> None:
    assert short_title(title) == shown
    assert len(short_title(title)) <= 24
