"""The training file: checked whole with the line of every value; import idempotent by code,
matched days kept, changes told; the open list."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot.db import SessionFactory
from bot.models import Delivery, Training, TrainingChange, TrainingDay, TrainingStatus
from bot.services.outbox import Kind
from bot.services.training_file import (
    MAX_FILE_BYTES,
    TrainingFileError,
    import_trainings,
    read_training_file,
)
from bot.services.trainings import open_trainings
from bot.texts.trainings import file_error_text
from tests.conftest import JAKARTA
from tests.factories import make_participant, make_registration, make_reminder_row
from tests.training_files import KP_FILE, import_file, one_training

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def test_the_example_file_parses_with_times_in_utc() -> None:
    [training] = read_training_file(KP_FILE.encode(), JAKARTA)
    spec = training.spec
    assert spec.code == "KP-2026-01" and spec.published
    assert spec.capacity == 30
    assert spec.closes_at() == datetime(2026, 12, 6, 16, 59, tzinfo=UTC)
    assert len(spec.days) == 3
    assert spec.starts_at(spec.days[0]) == datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
    assert spec.ends_at(spec.days[2]) == datetime(2026, 12, 10, 5, 0, tzinfo=UTC)
    assert spec.days[0].note == "Bawa gunting kain"
    assert spec.days[1].note == ""
    assert (training.position, training.line) == (1, 2)


def test_unquoted_times_no_deadline_a_draft_and_a_map_pin_are_fine() -> None:
    text = (
        one_training(closes=None)
        .replace('"08:00"', "8:00")
        .replace(
            "    days:", "    published: no\n    latitude: -7.98\n    longitude: 112.6\n    days:"
        )
    )
    [training] = read_training_file(text.encode(), JAKARTA)
    spec = training.spec
    assert spec.registration_closes is None and not spec.published
    assert (spec.latitude, spec.longitude) == (-7.98, 112.6)
    assert spec.starts_at(spec.days[0]) == datetime(2026, 12, 8, 1, 0, tzinfo=UTC)


def _with(field: str) -> str:
    return one_training(closes=None).replace("    days:", f"    {field}\n    days:")


BAD_FILES = [
    ("", 1, "import.problem.empty"),
    ("trainings: [\n", 2, "import.problem.yaml"),
    ("hello: 1\n", 1, "import.problem.unknown_field"),
    ("trainings: []\n", 1, "import.problem.list"),
    ("trainings:\n  - hello\n", 2, "import.problem.mapping"),
    (
        one_training().replace("    title: Pelatihan Kain Perca\n", ""),
        2,
        "training.problem.required",
    ),
    (
        one_training().replace("title: Pelatihan Kain Perca", "title: [a, b]"),
        3,
        "import.problem.scalar",
    ),
    (one_training().replace("capacity: 30", "capacity: 0"), 5, "training.problem.capacity"),
    (one_training().replace("capacity: 30", "capacity: banyak"), 5, "training.problem.capacity"),
    (one_training().replace("capacity: 30", "capacity: 10001"), 5, "training.problem.capacity"),
    (one_training().replace("capacity: 30", "capcity: 30"), 5, "import.problem.unknown_field"),
    (one_training().replace("2026-12-08", "2026-02-30"), 8, "training.problem.date"),
    (
        one_training().replace('end: "15:00"', 'end: "07:00"'),
        8,
        "training.problem.end_before_start",
    ),
    (one_training().replace('start: "08:00"', 'start: "25:00"'), 8, "training.problem.time"),
    (one_training(closes="2026-12-08T09:00"), 6, "training.problem.deadline_after_start"),
    (one_training(closes="besok"), 6, "training.problem.deadline"),
    (one_training().replace("code: KP-2026-01", "code: KP 2026/01"), 2, "training.problem.code"),
    (one_training().replace("code: KP-2026-01", "code: CI_kp"), 2, "training.problem.code"),
    (
        one_training() + one_training("kp-2026-01").replace("trainings:\n", ""),
        9,
        "import.problem.code_twice",
    ),
    (KP_FILE.replace("2026-12-10", "2026-12-09"), 11, "training.problem.same_date"),
    (KP_FILE.replace("2026-12-09", "2026-12-07"), 10, "training.problem.day_order"),
    (
        one_training().replace("    days:\n", "    days: []\n").rsplit("\n", 2)[0],
        7,
        "training.problem.no_days",
    ),
    (
        one_training().replace("    days:\n", "    days: 3\n").rsplit("\n", 2)[0],
        7,
        "import.problem.days",
    ),
    (
        one_training().replace("capacity: 30", "capacity: 30\n    capacity: 31"),
        6,
        "import.problem.twice",
    ),
    (_with("published: perhaps"), 6, "training.problem.published"),
    (_with("latitude: 91\n    longitude: 112.6"), 6, "training.problem.coordinate"),
    (_with("longitude: 112.6"), 6, "training.problem.location_pair"),
    (b"\xff\xfe\x00garbage", None, "import.problem.encoding"),
    (b"#" * (MAX_FILE_BYTES + 1), None, "import.problem.too_big"),
]


@pytest.mark.parametrize(("text", "line", "key"), BAD_FILES)
def test_a_bad_file_names_the_line_and_the_reason(
    text: str | bytes, line: int | None, key: str
) -> None:
    content = text if isinstance(text, bytes) else text.encode()
    with pytest.raises(TrainingFileError) as caught:
        read_training_file(content, JAKARTA)
    assert (caught.value.line, caught.value.problem.key) == (line, key), caught.value.problem


def test_a_refusal_reads_as_where_and_why() -> None:
    text = one_training() + one_training("KP-2026-02", capacity=0).replace("trainings:\n", "")
    with pytest.raises(TrainingFileError) as caught:
        read_training_file(text.encode(), JAKARTA)
    assert file_error_text(caught.value, "en") == (
        "Training 2 (KP-2026-02), line 12, field capacity: "
        "Write the number of seats as a number 1–10000."
    )
    assert file_error_text(caught.value, "id").startswith(
        "Pelatihan ke-2 (KP-2026-02), baris 12, isian capacity: Tulis jumlah kursi"
    )
    with pytest.raises(TrainingFileError) as caught:
        read_training_file(KP_FILE.replace('end: "12:00"', 'end: "07:00"').encode(), JAKARTA)
    assert file_error_text(caught.value, "id").startswith(
        "Pelatihan ke-1 (KP-2026-01), hari ke-3, baris 11, isian end: Jam selesai"
    )
    with pytest.raises(TrainingFileError) as caught:
        read_training_file(b"<b>: 1\n", JAKARTA)
    assert file_error_text(caught.value, "en") == (
        "Line 1: Unknown field &lt;b&gt; (allowed: trainings)."
    )


async def _trainings(sessions: SessionFactory) -> list[Training]:
    async with sessions() as session:
        rows = await session.execute(
            select(Training).options(selectinload(Training.days)).order_by(Training.code)
        )
        return list(rows.scalars())


async def _changes(sessions: SessionFactory) -> list[list[dict[str, object]]]:
    async with sessions() as session:
        rows = await session.scalars(select(TrainingChange).order_by(TrainingChange.id))
        return [change.changes["fields"] for change in rows]


async def _count(sessions: SessionFactory, kind: Kind) -> int:
    async with sessions() as session:
        query = select(func.count()).select_from(Delivery).where(Delivery.kind == kind)
        return int(await session.scalar(query) or 0)


async def test_import_creates_open_trainings_and_reimport_changes_nothing(
    sessions: SessionFactory,
) -> None:
    text = KP_FILE + one_training("KP-2026-02").replace("trainings:\n", "")
    result = await import_file(sessions, text, NOW)
    assert result.created == ["KP-2026-01", "KP-2026-02"] and result.updated == []
    first = await _trainings(sessions)
    assert [t.status for t in first] == [TrainingStatus.OPEN, TrainingStatus.OPEN]
    assert [len(t.days) for t in first] == [3, 1]
    result = await import_file(sessions, text.replace("KP-2026-02", "kp-2026-02"), NOW)
    assert result.created == [] and result.updated == ["KP-2026-01", "kp-2026-02"]
    assert (result.told, result.promoted) == (0, 0)
    again = await _trainings(sessions)
    assert [(t.id, [d.id for d in t.days]) for t in again] == [
        (t.id, [d.id for d in t.days]) for t in first
    ]
    assert await _changes(sessions) == []


async def test_published_false_keeps_a_draft_and_never_unpublishes(
    sessions: SessionFactory,
) -> None:
    draft = _with("published: false")
    await import_file(sessions, draft, NOW)
    await import_file(sessions, draft, NOW)
    [training] = await _trainings(sessions)
    assert training.status == TrainingStatus.DRAFT
    await import_file(sessions, one_training(closes=None), NOW)
    await import_file(sessions, draft, NOW)
    [training] = await _trainings(sessions)
    assert training.status == TrainingStatus.OPEN


async def test_reimport_reschedules_days_in_place_and_tells_the_registrant(
    sessions: SessionFactory,
) -> None:
    await import_file(sessions, KP_FILE, NOW)
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
        .replace('"12:00"', '"12:30"')
        .replace("capacity: 30", "capacity: 40")
        .replace("Hotel Sahid Montana Dua", "Balai Kota")
    )
    result = await import_file(sessions, moved, NOW)
    assert result.told == 1
    [training] = await _trainings(sessions)
    assert [d.id for d in training.days] == day_ids
    assert [d.date for d in training.days] == [
        date(2026, 12, 8),
        date(2026, 12, 11),
        date(2026, 12, 12),
    ]
    assert training.capacity == 40 and training.venue.startswith("Balai Kota")
    async with sessions() as session:
        reminders = (
            await session.scalars(select(Delivery).where(Delivery.kind == Kind.REMINDER))
        ).all()
    assert [r.training_day_id for r in reminders] == [day_ids[1]]
    assert await _changes(sessions) == [
        [
            {
                "field": "venue",
                "day": None,
                "old": "Hotel Sahid Montana Dua, Malang",
                "new": "Balai Kota, Malang",
            },
            {"field": "date", "day": 2, "old": "2026-12-09", "new": "2026-12-11"},
            {"field": "date", "day": 3, "old": "2026-12-10", "new": "2026-12-12"},
            {"field": "end", "day": 3, "old": "12:00", "new": "12:30"},
        ]
    ]

    # Fewer days: the last ones go (and what hangs on them); more days: new rows.
    shorter = KP_FILE.split("      - {date: 2026-12-09")[0]
    await import_file(sessions, shorter, NOW)
    [training] = await _trainings(sessions)
    assert [d.id for d in training.days] == day_ids[:1]
    assert await _count(sessions, Kind.REMINDER) == 0
    await import_file(sessions, KP_FILE, NOW)
    [training] = await _trainings(sessions)
    assert len(training.days) == 3 and training.days[0].id == day_ids[0]
    assert [[(f["field"], f["day"]) for f in fields] for fields in await _changes(sessions)][
        1:
    ] == [
        [("venue", None), ("day_removed", 2), ("day_removed", 3)],
        [("day_added", 2), ("day_added", 3)],
    ]
    assert await _count(sessions, Kind.CHANGE) == 3


async def test_a_refused_training_rolls_back_those_written_before_it(
    sessions: SessionFactory,
) -> None:
    [kp] = read_training_file(KP_FILE.encode(), JAKARTA)
    other = replace(kp, spec=replace(kp.spec, code="KP-2026-09"))
    again = replace(kp, position=3)
    async with sessions() as session:
        with pytest.raises(TrainingFileError) as caught:
            await import_trainings(session, [other, kp, again], now=NOW, changed_by=None)
    assert caught.value.problem.key == "training.problem.code_taken"
    assert (caught.value.position, caught.value.line) == (3, 2)
    assert await _trainings(sessions) == []
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(TrainingDay)) == 0


async def test_a_training_in_the_past_or_a_day_moved_into_it_is_refused(
    sessions: SessionFactory,
) -> None:
    with pytest.raises(TrainingFileError) as caught:
        await import_file(sessions, one_training(day="2026-11-30", closes=None), NOW)
    assert (caught.value.problem.key, caught.value.line) == ("training.problem.past", 7)
    await import_file(sessions, KP_FILE, NOW - timedelta(days=10))
    # Day 1 has begun: unchanged it stays, moved it is refused.
    started = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)
    await import_file(sessions, KP_FILE.replace("capacity: 30", "capacity: 31"), started)
    with pytest.raises(TrainingFileError) as caught:
        await import_file(sessions, KP_FILE.replace("2026-12-09", "2026-12-07"), started)
    assert caught.value.problem.key == "training.problem.day_order"
    moved = KP_FILE.replace(
        '{date: 2026-12-08, start: "08:00"', '{date: 2026-12-08, start: "09:30"'
    )
    with pytest.raises(TrainingFileError) as caught:
        await import_file(sessions, moved, started)
    assert (caught.value.problem.key, caught.value.problem.day) == ("training.problem.day_past", 1)
    [training] = await _trainings(sessions)
    assert training.capacity == 31


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
    await import_file(sessions, text, NOW - timedelta(days=30))
    async with sessions() as session:
        closed = (
            await session.execute(select(Training).where(Training.code == "CLOSED"))
        ).scalar_one()
        closed.status = TrainingStatus.CLOSED
        await session.commit()
    async with sessions() as session:
        views = await open_trainings(session, NOW)
    assert [v.code for v in views] == ["OPEN-0", "OPEN-1"]
    assert views[0].seats_left == 30 and views[0].is_open
