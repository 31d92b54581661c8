"""Finding a day's due reminders among 10,000 registrations: one indexed query vs a Python loop.

    python -m bench.bench_due_reminders            # SQLite file (and PostgreSQL when
                                                   # TEST_POSTGRES_URL is set)

The data: 100 trainings of 3 days on consecutive dates, 100 confirmed registrations each
(10,000 registrations; `sync_reminders`, run two days before the measured moment, makes a row
for every day not started by then). At the reminder time of one training's first day, 300
reminders are due (three trainings have a day tomorrow). The query is the selection of
the outbox's claim (without the claim); the baseline loads every registration with its
training's days and deliveries and checks each day in Python, as a per-participant scheduler
rebuilt after a restart would.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import selectinload

from bot.db import SessionFactory, create_engine, create_session_factory, upgrade_database_sync
from bot.models import (
    Delivery,
    DeliveryState,
    Participant,
    Registration,
    RegistrationStatus,
    Training,
    TrainingDay,
)
from bot.services.reminders import reminder_due_at, sync_reminders
from bot.services.rsvp import due_reminders_query

TZ = ZoneInfo("Asia/Jakarta")
REMINDER_TIME = clock_time(16, 0)
TRAININGS = 100
PER_TRAINING = 100
FIRST_DAY = date(2027, 1, 4)


async def populate(sessions: SessionFactory) -> datetime:
    """Trainings, participants and registrations in bulk; returns the moment of measurement."""
    created = datetime(2026, 12, 1, tzinfo=UTC)
    async with sessions() as session:
        await session.execute(
            insert(Training),
            [
                {
                    "id": n + 1,
                    "code": f"B-{n}",
                    "title": f"Pelatihan {n}",
                    "venue": "Balai Kota",
                    "capacity": PER_TRAINING,
                    "status": "open",
                    "created_at": created,
                    "updated_at": created,
                    "description": "",
                }
                for n in range(TRAININGS)
            ],
        )
        days = []
        for n in range(TRAININGS):
            for number in range(1, 4):
                day = FIRST_DAY + timedelta(days=n + number - 1)
                start = datetime.combine(day, clock_time(8), tzinfo=TZ)
                days.append(
                    {
                        "training_id": n + 1,
                        "day_number": number,
                        "date": day,
                        "starts_at": start,
                        "ends_at": start + timedelta(hours=7),
                        "topic": f"Materi {number}",
                        "note": "",
                    }
                )
        await session.execute(insert(TrainingDay), days)
        people = TRAININGS * PER_TRAINING
        await session.execute(
            insert(Participant),
            [
                {
                    "id": i + 1,
                    "telegram_id": 10_000_000 + i,
                    "chat_id": 10_000_000 + i,
                    "language": "id",
                    "created_at": created,
                    "updated_at": created,
                }
                for i in range(people)
            ],
        )
        await session.execute(
            insert(Registration),
            [
                {
                    "participant_id": i + 1,
                    "training_id": i // PER_TRAINING + 1,
                    "status": RegistrationStatus.CONFIRMED.value,
                    "queued_at": created,
                    "queue_seq": i % PER_TRAINING + 1,
                    "confirmed_at": created,
                    "checkin_token": secrets.token_hex(16),
                    "created_at": created,
                    "updated_at": created,
                }
                for i in range(people)
            ],
        )
        await session.commit()
    # The reminder time of training 50's first day.
    return reminder_due_at(FIRST_DAY + timedelta(days=49), REMINDER_TIME, TZ)


async def due_by_query(sessions: SessionFactory, now: datetime) -> int:
    """The indexed selection of due reminder rows in the outbox."""
    async with sessions() as session:
        return len((await session.execute(due_reminders_query(now, 10_000))).all())


async def due_by_python_loop(sessions: SessionFactory, now: datetime) -> int:
    """Baseline: load every registration and check every day in Python."""
    async with sessions() as session:
        registrations = (
            await session.execute(
                select(Registration)
                .where(Registration.status == RegistrationStatus.CONFIRMED)
                .options(selectinload(Registration.training).selectinload(Training.days))
            )
        ).scalars()
        done = {
            (r, d)
            for r, d in (
                await session.execute(
                    select(Delivery.registration_id, Delivery.training_day_id).where(
                        Delivery.kind == "reminder", Delivery.state != DeliveryState.PENDING
                    )
                )
            ).all()
        }
        due = 0
        for registration in registrations:
            for day in registration.training.days:
                due_at = reminder_due_at(day.date, REMINDER_TIME, TZ)
                if due_at <= now < day.starts_at and (registration.id, day.id) not in done:
                    due += 1
        return due


async def timed(work: Callable[[], Awaitable[int]], repeat: int) -> tuple[float, int]:
    """Median seconds of `repeat` runs, and the result of the last one."""
    times, result = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        result = await work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


async def explain(sessions: SessionFactory, now: datetime) -> str:
    """The database's plan for the due-reminder selection."""
    async with sessions() as session:
        connection = await session.connection()
        dialect = connection.dialect
        compiled = due_reminders_query(now, 10_000).compile(dialect=dialect)
        values = []
        for key in compiled.positiontup or ():
            value = compiled.params[key]
            if isinstance(value, datetime) and dialect.name == "sqlite":
                value = value.astimezone(UTC).replace(tzinfo=None)
            values.append(str(value) if isinstance(value, str) else value)
        if dialect.name == "sqlite":
            prefix = "EXPLAIN QUERY PLAN "
        else:
            prefix = "EXPLAIN "
            await connection.exec_driver_sql("ANALYZE")
        rows = (await connection.exec_driver_sql(prefix + str(compiled), tuple(values))).all()
        await session.rollback()
        return "\n".join(" | ".join(str(c) for c in row) for row in rows)


async def bench(url: str, repeat: int) -> None:
    """Populate `url`, sync, then time both ways of finding the due reminders."""
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    now = await populate(sessions)
    started = time.perf_counter()
    async with sessions() as session:
        await sync_reminders(session, now - timedelta(days=2), REMINDER_TIME, TZ)
    sync_seconds = time.perf_counter() - started
    started = time.perf_counter()
    async with sessions() as session:
        await sync_reminders(session, now - timedelta(days=2), REMINDER_TIME, TZ)
    resync_seconds = time.perf_counter() - started
    rows = await sync_rows(sessions)
    query_s, query_n = await timed(lambda: due_by_query(sessions, now), repeat)
    loop_s, loop_n = await timed(lambda: due_by_python_loop(sessions, now), max(3, repeat // 4))
    assert query_n == loop_n, (query_n, loop_n)
    print(f"\n== {make_url(url).get_backend_name()}: {TRAININGS * PER_TRAINING} registrations")
    print(f"sync_reminders (creates {rows} rows): {sync_seconds * 1000:.0f} ms")
    print(f"sync_reminders again (nothing to change): {resync_seconds * 1000:.0f} ms")
    print(f"due reminders found: {query_n}")
    print(f"indexed query     : {query_s * 1000:8.2f} ms (median of {repeat})")
    print(f"python loop       : {loop_s * 1000:8.2f} ms")
    print(f"ratio             : {loop_s / query_s:8.1f}x faster")
    print("plan:\n" + await explain(sessions, now))
    await engine.dispose()


async def sync_rows(sessions: SessionFactory) -> int:
    """How many reminder rows exist."""
    async with sessions() as session:
        return len((await session.execute(select(Delivery.id))).all())


def main() -> None:
    """Run on an SQLite file, and on PostgreSQL when TEST_POSTGRES_URL is set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade_database_sync(url)
        asyncio.run(bench(url, args.repeat))
    pg = os.environ.get("TEST_POSTGRES_URL")
    if pg:
        asyncio.run(_with_postgres(pg, args.repeat))


async def _with_postgres(admin_url: str, repeat: int) -> None:
    import asyncpg

    name = f"bench_{secrets.token_hex(5)}"
    dsn = make_url(admin_url).set(drivername="postgresql").render_as_string(False)
    connection = await asyncpg.connect(dsn)
    await connection.execute(f'CREATE DATABASE "{name}"')
    url = make_url(admin_url).set(database=name).render_as_string(False)
    try:
        await asyncio.to_thread(upgrade_database_sync, url)
        await bench(url, repeat)
    finally:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()


if __name__ == "__main__":
    main()
