"""Training files and helpers shared by the registration tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.db import SessionFactory
from bot.services.registration import Profile
from bot.services.training_file import ImportResult, import_trainings, read_training_file
from tests.conftest import JAKARTA


def kp_file(first_day: date, *, closes: datetime | None = None) -> str:
    """The product brief's training file: three days from `first_day`, registration closing at
    `closes` (local time; by default the evening two days before)."""
    days = [first_day + timedelta(days=n) for n in range(3)]
    closes = closes or datetime.combine(first_day - timedelta(days=2), time(23, 59))
    note = "note: Bawa gunting kain"
    return f"""\
trainings:
  - code: KP-2026-01
    title: Pelatihan Kain Perca dan Melukis Kain
    description: Pembinaan kemampuan dan keterampilan kerja bagi usaha mikro.
    venue: Hotel Sahid Montana Dua, Malang
    capacity: 30
    registration_closes: {closes:%Y-%m-%dT%H:%M}     # optional; local time
    days:
      - {{date: {days[0]}, start: "08:00", end: "15:00", topic: Kain perca, {note}}}
      - {{date: {days[1]}, start: "08:00", end: "15:00", topic: Melukis kain}}
      - {{date: {days[2]}, start: "08:00", end: "12:00", topic: Pemasaran produk}}
"""


# For the in-process tests (the `clock` fixture's 1 December 2026): 8-10 December.
KP_FILE = kp_file(date(2026, 12, 8))


def one_training(
    code: str = "KP-2026-01",
    *,
    capacity: int = 30,
    day: str = "2026-12-08",
    closes: str | None = "2026-12-06T23:59",
    title: str = "Pelatihan Kain Perca",
    venue: str = "Hotel Sahid Montana Dua, Malang",
) -> str:
    """A training file with one one-day training."""
    closes_line = f"    registration_closes: {closes}\n" if closes else ""
    return (
        "trainings:\n"
        f"  - code: {code}\n"
        f"    title: {title}\n"
        f"    venue: {venue}\n"
        f"    capacity: {capacity}\n"
        f"{closes_line}"
        "    days:\n"
        f'      - {{date: {day}, start: "08:00", end: "15:00", topic: Kain perca}}\n'
    )


async def import_file(sessions: SessionFactory, text: str, now: datetime) -> ImportResult:
    """Import the training file `text` at `now`, as the command line does."""
    trainings = read_training_file(text.encode(), JAKARTA)
    async with sessions() as session:
        return await import_trainings(session, trainings, now=now, changed_by=None)


async def add_training(
    sessions: SessionFactory, text: str, now: datetime = datetime(2026, 11, 1, tzinfo=UTC)
) -> int:
    """Import `text` at `now` and return the id of its first training."""
    result = await import_file(sessions, text, now)
    return result.written[0].training_id


def profile(name: str = "Siti Aminah", now: datetime | None = None) -> Profile:
    """A complete profile."""
    return Profile(
        full_name=name,
        phone="+6281234567890",
        business_name="Warung Bu Siti",
        sector="kuliner",
        district="Klojen",
        consent_at=now or datetime(2026, 12, 1, 2, 0, tzinfo=UTC) - timedelta(minutes=1),
    )
