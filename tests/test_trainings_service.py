"""The training file: checked whole with line numbers; import idempotent by code; open list."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from bot.db import SessionFactory
from bot.models import (
    Delivery,
    Training,
    TrainingDay,
    TrainingStatus,
)
from bot.services.trainings import (
    TrainingFileError,
    import_trainings,
    open_trainings,
    parse_training_file,
)
from tests.conftest import JAKARTA
from tests.factories import make_participant, make_registration, make_reminder_row
from tests.training_files import KP_FILE, one_training

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def test_the_example_file_parses_with_times_in_utc() -> None:
    [spec] = parse_training_file(KP_FILE, JAKARTA)
    assert spec.code == "KP-2026-01"
    assert spec.capacity == 30
    assert spec.registration_closes_at == datetime(2026, 12, 6, 16, 59, tzinfo=UTC)
    assert [d.day_number for d in spec.days] == [1, 2, 3]
    assert spec.days[0].starts_at == datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
    assert spec.days[2].ends_at == datetime(2026, 12, 10, 5, 0, tzinfo=UTC)
    assert spec.days[0].note == "Bawa gunting kain"
    assert spec.days[1].note == ""


def test_unquoted_times_and_no_deadline_are_fine() -> None:
    text = one_training(closes=None).replace('"08:00"', "8:00")
    [spec] = parse_training_file(text, JAKARTA)
    assert spec.registration_closes_at is None
    assert spec.days[0].starts_at == datetime(2026, 12, 8, 1, 0, tzinfo=UTC)


BAD_FILES = [
    ("", 1, "empty"),
    ("trainings: [\n", 2, "not valid YAML"),
    ("hello: 1\n", 1, "unknown field 'hello'"),
    ("trainings: []\n", 1, "non-empty list"),
    (one_training().replace("    title: Pelatihan Kain Perca\n", ""), 2, "'title'"),
    (one_training().replace("capacity: 30", "capacity: 0"), 5, "capacity"),
    (one_training().replace("capacity: 30", "capacity: banyak"), 5, "capacity"),
    (one_training().replace("capacity: 30", "capcity: 30"), 5, "unknown field 'capcity'"),
    (one_training().replace("2026-12-08", "2026-02-30"), 8, "date"),
    (one_training().replace('end: "15:00"', 'end: "07:00"'), 8, "ends before it starts"),
    (one_training().replace('start: "08:00"', 'start: "25:00"'), 8, "time"),
    (one_training(closes="2026-12-08T09:00"), 6, "before the first day"),
    (one_training(closes="besok"), 6, "registration_closes"),
    (one_training().replace("code: KP-2026-01", "code: KP 2026/01"), 2, "code"),
    (one_training() + one_training().replace("trainings:\n", ""), 9, "appears twice"),
    (KP_FILE.replace("2026-12-10", "2026-12-09"), 11, "after day 2"),
    (KP_FILE.replace("2026-12-09", "2026-12-07"), 10, "after day 1"),
    (one_training().replace("    days:\n", "    days: []\n").rsplit("\n", 2)[0], 7, "days"),
    (
        one_training().replace("capacity: 30", "capacity: 30\n    capacity: 31"),
        6,
        "given twice",
    ),
]


@pytest.mark.parametrize(("text", "line", "reason"), BAD_FILES)
def test_a_bad_file_names_the_line_and_the_reason(text: str, line: int, reason: str) -> None:
    with pytest.raises(TrainingFileError) as caught:
        parse_training_file(text, JAKARTA)
    assert caught.value.line == line, str(caught.value)
    assert reason in str(caught.value)
    assert str(caught.value).startswith(f"line {line}: ")


async def _trainings(sessions: SessionFactory) -> list[Training]:
    async with sessions() as session:
        rows = await session.execute(
            select(Training).options(selectinload(Training.days)).order_by(Training.code)
        )
        return list(rows.scalars())


async def test_import_creates_open_trainings_and_reimport_changes_nothing(
    sessions: SessionFactory,
) -> None:
    specs = parse_training_file(
        KP_FILE + one_training("KP-2026-02").replace("trainings:\n", ""), JAKARTA
    )
    async with sessions() as session:
        result = await import_trainings(session, specs, NOW)
    assert result.created == ["KP-2026-01", "KP-2026-02"]
    assert "2 created" in result.summary()
    first = await _trainings(sessions)
    assert [t.status for t in first] == [TrainingStatus.OPEN, TrainingStatus.OPEN]
    assert [len(t.days) for t in first] == [3, 1]
    async with sessions() as session:
        result = await import_trainings(session, specs, NOW + timedelta(hours=1))
    assert result.created == [] and result.updated == ["KP-2026-01", "KP-2026-02"]
    again = await _trainings(sessions)
    assert [(t.id, [d.id for d in t.days]) for t in again] == [
        (t.id, [d.id for d in t.days]) for t in first
    ]


async def test_reimport_reschedules_days_in_place(sessions: SessionFactory) -> None:
    async with sessions() as session:
        await import_trainings(session, parse_training_file(KP_FILE, JAKARTA), NOW)
    [training] = await _trainings(sessions)
    day_ids = [d.id for d in training.days]
    # A registration with a reminder for day 2 must keep pointing at day 2.
    async with sessions() as session:
        participant = await make_participant(session, 1)
        registration = await make_registration(session, participant, training)
        await make_reminder_row(session, registration, training.days[1], due_at=NOW)

    moved = (
        KP_FILE.replace("2026-12-09", "2026-12-11")
        .replace("2026-12-10", "2026-12-12")
        .replace("capacity: 30", "capacity: 40")
        .replace("Hotel Sahid Montana Dua", "Balai Kota")
    )
    async with sessions() as session:
        await import_trainings(session, parse_training_file(moved, JAKARTA), NOW)
    [training] = await _trainings(sessions)
    assert [d.id for d in training.days] == day_ids
    assert [d.date for d in training.days] == [
        date(2026, 12, 8),
        date(2026, 12, 11),
        date(2026, 12, 12),
    ]
    assert training.capacity == 40 and training.venue.startswith("Balai Kota")
    async with sessions() as session:
        reminders = (await session.execute(select(Delivery))).scalars().all()
    assert [r.training_day_id for r in reminders] == [day_ids[1]]

    # Fewer days: the last ones go (and what hangs on them); more days: new rows.
    shorter = KP_FILE.split("      - {date: 2026-12-09")[0]
    async with sessions() as session:
        await import_trainings(session, parse_training_file(shorter, JAKARTA), NOW)
    [training] = await _trainings(sessions)
    assert [d.id for d in training.days] == day_ids[:1]
    async with sessions() as session:
        assert (await session.execute(select(func.count()).select_from(Delivery))).scalar_one() == 0
    async with sessions() as session:
        await import_trainings(session, parse_training_file(KP_FILE, JAKARTA), NOW)
    [training] = await _trainings(sessions)
    assert len(training.days) == 3 and training.days[0].id == day_ids[0]


async def test_a_bad_second_training_imports_nothing(sessions: SessionFactory) -> None:
    text = KP_FILE + one_training("KP-2026-02", capacity=-1).replace("trainings:\n", "")
    with pytest.raises(TrainingFileError):
        parse_training_file(text, JAKARTA)
    # And a failure inside the database rolls back the whole import.
    [spec] = parse_training_file(KP_FILE, JAKARTA)
    other = replace(spec, code="KP-2026-09")
    async with sessions() as session:
        with pytest.raises(IntegrityError):
            await import_trainings(session, [other, spec, replace(spec)], NOW)
    assert await _trainings(sessions) == []
    async with sessions() as session:
        assert (
            await session.execute(select(func.count()).select_from(TrainingDay))
        ).scalar_one() == 0


async def test_open_trainings_leave_out_closed_started_and_past_deadline(
    sessions: SessionFactory,
) -> None:
    text = (
        one_training("OPEN-1", day="2026-12-10", closes=None)
        + one_training("DEADLINE", day="2026-12-10", closes="2026-11-30T10:00").replace(
            "trainings:\n", ""
        )
        + one_training("STARTED", day="2026-11-30", closes=None).replace("trainings:\n", "")
        + one_training("CLOSED", day="2026-12-10", closes=None).replace("trainings:\n", "")
        + one_training("OPEN-0", day="2026-12-05", closes=None).replace("trainings:\n", "")
    )
    async with sessions() as session:
        await import_trainings(session, parse_training_file(text, JAKARTA), NOW)
        closed = (
            await session.execute(select(Training).where(Training.code == "CLOSED"))
        ).scalar_one()
        closed.status = TrainingStatus.CLOSED
        await session.commit()
    async with sessions() as session:
        views = await open_trainings(session, NOW)
    assert [v.code for v in views] == ["OPEN-0", "OPEN-1"]
    assert views[0].seats_left == 30 and views[0].is_open
