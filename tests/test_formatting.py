"""Dates and times as participants read them, and fitting lines into one message."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.texts.formatting import (
    district_label,
    format_date_range,
    format_day,
    format_moment,
    format_staff_moment,
    format_time,
    format_time_range,
    join_within,
    sector_label,
    short_title,
    without_icon,
)


def test_days_in_indonesian_and_english() -> None:
    assert format_day(date(2026, 12, 8), "id") == "Selasa, 8 Desember 2026"
    assert format_day(date(2026, 12, 8), "en") == "Tuesday, 8 December 2026"
    assert format_day(date(2017, 8, 8), "xx") == "Selasa, 8 Agustus 2017"


def test_times_in_the_local_zone_with_its_name() -> None:
    """Indonesian times have a full stop, English ones a colon; both name the zone."""
    start = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
    end = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)
    assert format_time(start, ZoneInfo("Asia/Jakarta"), "id") == "08.00 WIB"
    assert format_time(start, ZoneInfo("Asia/Jakarta"), "en") == "08:00 WIB"
    assert format_time_range(start, end, ZoneInfo("Asia/Makassar"), "id") == "09.00–16.00 WITA"
    assert format_time_range(start, end, ZoneInfo("Asia/Jayapura"), "id") == "10.00–17.00 WIT"


def test_a_zone_outside_indonesia_by_abbreviation_or_offset() -> None:
    start = datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
    assert format_time(start, ZoneInfo("Europe/Berlin"), "en") == "02:00 CET"
    assert format_time(start, ZoneInfo("UTC"), "en") == "01:00 UTC"
    assert format_time(start, ZoneInfo("Asia/Dubai"), "id") == "05.00 UTC+04"
    assert format_time(start, ZoneInfo("Asia/Kolkata"), "id") == "06.30 IST"
    assert format_time(start, ZoneInfo("Asia/Kathmandu"), "id") == "06.45 UTC+05:45"
    assert format_time(start, ZoneInfo("America/Sao_Paulo"), "en") == "22:00 UTC-03"


def test_a_moment_for_participants_and_for_staff() -> None:
    moment = datetime(2026, 12, 2, 18, 17, tzinfo=UTC)
    jakarta = ZoneInfo("Asia/Jakarta")
    assert format_moment(moment, jakarta, "id") == "3 Desember 2026 pukul 01.17 WIB"
    assert format_moment(moment, jakarta, "en") == "3 December 2026 at 01:17 WIB"
    assert format_staff_moment(moment, jakarta, "id") == "Kam, 3 Des 2026 pukul 01.17 WIB"


def test_date_ranges() -> None:
    assert format_date_range(date(2026, 12, 8), date(2026, 12, 8), "id") == "8 Desember 2026"
    assert format_date_range(date(2026, 12, 8), date(2026, 12, 10), "id") == "8–10 Desember 2026"
    assert format_date_range(date(2026, 12, 8), date(2026, 12, 10), "en") == "8–10 December 2026"
    assert (
        format_date_range(date(2026, 11, 30), date(2026, 12, 2), "id")
        == "30 November – 2 Desember 2026"
    )
    assert (
        format_date_range(date(2026, 12, 30), date(2027, 1, 2), "en")
        == "30 December 2026 – 2 January 2027"
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
