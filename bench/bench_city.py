"""A city's worth of data: 100,000 participants, 200 trainings, 150,000 registrations.

    python -m bench.bench_city                     # SQLite file (and PostgreSQL when
                                                   # TEST_POSTGRES_URL is set)

Measured on each database, at full scale and (the baseline) at 1/10 scale, plus an almost empty
database (one probe registration) for start-up and memory:
(a) `sync_reminders` (creating the rows, then again with nothing to change) and the due
    reminders of one day: `due_reminders_query` (median) and one outbox claim of them;
(b) `python -m bot` against a loopback fake Bot API: wall time from spawn to its first getUpdates;
(c) that process's peak RSS (VmHWM) once its reminder job has run (its sync, then the probe
    reminder it sends, which tells us the job ran);
(d) `python -m bot export CODE --format xlsx` of the 5,000-participant training (wall time).

Half the trainings are over, half are to come (two days each, none today or in the next three
days); every participant has chatted before, and 1 % are in the middle of a registration, so the
persistence holds 1,000 `user_data` rows and 1,000 conversation states (the language is not
kept in `user_data`: `participants.language` has it).
The generated SQLite file is cached in the temp dir (per day and schema head).
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

from bench.databases import postgres_admin_url, scratch_postgres
from bot.db import ROOT, create_engine, create_session_factory, upgrade_database
from bot.models import (
    BotState,
    Delivery,
    DeliveryState,
    Participant,
    Registration,
    Training,
    TrainingDay,
)
from bot.playground.botapi import FakeBotApiServer, FakeTelegram
from bot.services import outbox
from bot.services.reminders import reminder_due_at, sync_reminders
from bot.services.rsvp import due_reminders_query

TOKEN = "123456:BENCH-token"
TZ = ZoneInfo("Asia/Jakarta")
REMINDER_TIME = clock_time(16, 0)
PROBE_CHAT = 999_000_001
GENERATOR_VERSION = "2"
MID_CONVERSATION_PERCENT = 1
BATCH = 10_000
TARGETS = {"due": 0.5, "startup": 3.0, "rss_mb": 200.0, "export": 10.0}


@dataclass(frozen=True)
class Scale:
    """How much data to generate."""

    name: str
    participants: int
    trainings: int
    registrations: int
    big: int  # registrations of the exported training

    def tenth(self) -> Scale:
        """The 1/10 baseline."""
        return Scale(
            "1/10",
            self.participants // 10,
            self.trainings // 10,
            self.registrations // 10,
            self.big // 10,
        )


FULL = Scale("full", 100_000, 200, 150_000, 5_000)
EMPTY = Scale("empty", 0, 0, 0, 0)


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _today() -> date:
    return datetime.now(TZ).date()


def big_code(scale: Scale) -> str:
    """The code of the training with `scale.big` registrations."""
    return f"CITY-{scale.trainings // 2:03d}"


def _training_rows(scale: Scale, created: datetime) -> Iterator[dict[str, Any]]:
    for n in range(scale.trainings):
        future = n >= scale.trainings // 2
        yield {
            "id": n + 1,
            "code": f"CITY-{n:03d}",
            "title": f"Pelatihan Usaha Mikro {n}",
            "description": "Pembinaan kemampuan dan keterampilan kerja bagi usaha mikro.",
            "venue": "Hotel Sahid Montana Dua, Malang",
            "capacity": scale.big if n == scale.trainings // 2 else 1_000,
            "status": "open" if future else "closed",
            "created_at": created,
            "updated_at": created,
        }


def training_start(scale: Scale, n: int) -> date:
    """First day of training `n`: the first half in the past, the rest from 4 days ahead."""
    half = scale.trainings // 2
    if n >= half:
        return _today() + timedelta(days=4 + 2 * (n - half))
    return _today() - timedelta(days=10 + 2 * (half - n))


def _day_rows(scale: Scale) -> Iterator[dict[str, Any]]:
    for n in range(scale.trainings):
        first = training_start(scale, n)
        for number in (1, 2):
            day = first + timedelta(days=number - 1)
            start = datetime.combine(day, clock_time(8), tzinfo=TZ)
            yield {
                "training_id": n + 1,
                "day_number": number,
                "date": day,
                "starts_at": start,
                "ends_at": start + timedelta(hours=7),
                "topic": f"Materi hari {number}",
                "note": "",
            }


def _participant_rows(scale: Scale, created: datetime) -> Iterator[dict[str, Any]]:
    sectors = ("kuliner", "fesyen_kriya", "jasa", "perdagangan", "pertanian", "lainnya")
    districts = ("Klojen", "Blimbing", "Kedungkandang", "Sukun", "Lowokwaru")
    for i in range(scale.participants):
        yield {
            "id": i + 1,
            "telegram_id": 10_000_000 + i,
            "chat_id": 10_000_000 + i,
            "language": "id",
            "full_name": f"Peserta Usaha {i}",
            "phone": f"+62812{i:08d}",
            "business_name": f"Warung Nomor {i}",
            "sector": sectors[i % len(sectors)],
            "district": districts[i % len(districts)],
            "consent_at": created,
            "created_at": created,
            "updated_at": created,
        }


def _registration_rows(scale: Scale, created: datetime) -> Iterator[dict[str, Any]]:
    big = scale.trainings // 2
    others = [n for n in range(scale.trainings) if n != big]
    for r in range(scale.registrations):
        if r < scale.big:
            participant, training = r, big
        else:
            k = r - scale.big
            participant, training = (scale.big + k) % scale.participants, others[k % len(others)]
        cancelled = r % 20 == 19
        yield {
            "participant_id": participant + 1,
            "training_id": training + 1,
            "status": "cancelled" if cancelled else "confirmed",
            "queued_at": created,
            "queue_seq": r + 1,
            "confirmed_at": created,
            "cancelled_at": created if cancelled else None,
            "checkin_token": secrets.token_hex(16),
            "created_at": created,
            "updated_at": created,
        }


def _user_data_rows(scale: Scale, created: datetime) -> Iterator[dict[str, Any]]:
    # The language is not stored in user_data (participants.language is), so only people in
    # the middle of a registration have rows: a draft and the conversation's state.
    for i in range(0, scale.participants, 100 // MID_CONVERSATION_PERCENT):
        draft = {"training_id": 1, "consent_at": created.isoformat(), "name": f"Peserta {i}",
                 "step": "asking_phone"}  # fmt: skip
        yield {"kind": "user_data", "key": str(10_000_000 + i),
               "value": {"v": {"registration": draft}}, "updated_at": created}  # fmt: skip
        yield {"kind": "conv:registration", "key": f"[{10_000_000 + i},{10_000_000 + i}]",
               "value": {"v": "asking_phone"}, "updated_at": created}  # fmt: skip


async def _insert(connection: AsyncConnection, table: Any, rows: Iterator[dict[str, Any]]) -> None:
    for batch in _batches(rows):
        await connection.execute(insert(table), batch)


async def populate(url: str, scale: Scale) -> None:
    """Bulk Core inserts (executemany in batches) into a migrated, empty database."""
    now = datetime.now(UTC)
    created = now - timedelta(days=400)
    engine = create_engine(url)
    async with engine.begin() as connection:
        await _insert(connection, Training.__table__, _training_rows(scale, created))
        await _insert(connection, TrainingDay.__table__, _day_rows(scale))
        await _insert(connection, Participant.__table__, _participant_rows(scale, created))
        await _insert(connection, Registration.__table__, _registration_rows(scale, created))
        await _insert(connection, BotState.__table__, _user_data_rows(scale, created))
        await _add_probe(connection, scale, now)
        if connection.dialect.name == "postgresql":
            await connection.exec_driver_sql("ANALYZE")
    await engine.dispose()


async def _add_probe(connection: AsyncConnection, scale: Scale, now: datetime) -> None:
    """A one-day training starting in 3 hours with one registration: its reminder is due as soon
    as the bot syncs, so the probe chat receiving it shows the reminder job has run."""
    start = (now + timedelta(hours=3)).astimezone(TZ).replace(second=0, microsecond=0)
    training_id = scale.trainings + 1
    participant_id = scale.participants + 1
    long_ago = now - timedelta(days=3)
    await connection.execute(
        insert(Training),
        {
            "id": training_id,
            "code": "PROBE",
            "title": "Probe",
            "description": "",
            "venue": "Balai Kota",
            "capacity": 1,
            "status": "open",
            "created_at": long_ago,
            "updated_at": long_ago,
        },
    )
    await connection.execute(
        insert(TrainingDay),
        {
            "training_id": training_id,
            "day_number": 1,
            "date": start.date(),
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "topic": "Probe",
            "note": "",
        },
    )
    await connection.execute(
        insert(Participant),
        {
            "id": participant_id,
            "telegram_id": PROBE_CHAT,
            "chat_id": PROBE_CHAT,
            "language": "id",
            "created_at": long_ago,
            "updated_at": long_ago,
        },
    )
    await connection.execute(
        insert(Registration),
        {
            "participant_id": participant_id,
            "training_id": training_id,
            "status": "confirmed",
            "queued_at": long_ago,
            "queue_seq": 1,
            "confirmed_at": long_ago,
            "checkin_token": secrets.token_hex(16),
            "created_at": long_ago,
            "updated_at": long_ago,
        },
    )


# ---- (a) reminders -------------------------------------------------------------------------


@dataclass
class ReminderFigures:
    """What (a) measured."""

    sync_create: float
    rows: int
    sync_again: float
    due: int
    query: float
    claim: float


async def measure_reminders(url: str, scale: Scale, repeat: int) -> ReminderFigures:
    """Sync now, then find and claim the reminders due at one future day's reminder time."""
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    now = datetime.now(UTC)
    started = time.perf_counter()
    async with sessions() as session:
        rows = await sync_reminders(session, now, REMINDER_TIME, TZ)
    sync_create = time.perf_counter() - started
    started = time.perf_counter()
    async with sessions() as session:
        await sync_reminders(session, now, REMINDER_TIME, TZ)
    sync_again = time.perf_counter() - started
    # The moment one training's first day is due (three quarters into the future trainings).
    day = training_start(scale, max(scale.trainings * 7 // 8, 0))
    moment = reminder_due_at(day, REMINDER_TIME, TZ)
    times = []
    due = 0
    for _ in range(repeat):
        started = time.perf_counter()
        async with sessions() as session:
            due = len((await session.execute(due_reminders_query(moment, 100_000))).all())
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    async with sessions() as session:
        claimed = await outbox.claim(session, "bench", 100_000, moment, timedelta(minutes=10))
    claim = time.perf_counter() - started
    assert len(claimed) == due, (len(claimed), due)
    async with sessions() as session:  # put them back for the bot
        await session.execute(
            update(Delivery)
            .where(Delivery.claimed_by == "bench")
            .values(state=DeliveryState.PENDING, claimed_by=None, claimed_at=None, attempts=0)
        )
        await session.commit()
    await engine.dispose()
    return ReminderFigures(sync_create, rows, sync_again, due, statistics.median(times), claim)


# ---- (b), (c) the bot process ----------------------------------------------------------------


def _env(url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.pop("ADMIN_IDS", None)
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        DATABASE_URL=url,
        ENV_FILE="",
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


async def measure_bot(url: str, log: Path) -> tuple[float, float, float]:
    """Seconds from spawn to the first getUpdates, to the first reminder sent, and peak RSS."""
    tg = FakeTelegram(TOKEN)
    server = FakeBotApiServer(tg)
    await server.start()
    with log.open("wb") as out:
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=ROOT,
            env=_env(url, TELEGRAM_API_BASE_URL=server.base_url),
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
            stdin=asyncio.subprocess.DEVNULL,
        )
        try:
            await tg.wait_for(lambda: tg.get_updates_calls > 0, 60)
            startup = time.perf_counter() - started
            await tg.wait_for(lambda: bool(tg.sent_to(PROBE_CHAT)), 120)
            job = time.perf_counter() - started
            await asyncio.sleep(0.5)  # the outcome is recorded after the send
            rss = _peak_rss_mb(process.pid)
        finally:
            if process.returncode is None:
                process.send_signal(2)
                try:
                    await asyncio.wait_for(process.wait(), 20)
                except TimeoutError:
                    process.kill()
                    await process.wait()
            await server.stop()
    return startup, job, rss


# ---- (d) export ----------------------------------------------------------------------------


async def measure_export(url: str, code: str, output: Path, expected_rows: int) -> float:
    """Wall time of `python -m bot export CODE --format xlsx -o FILE`."""
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "export",
        code,
        "--format",
        "xlsx",
        "-o",
        str(output),
        cwd=ROOT,
        env=_env(url),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _out, err = await process.communicate()
    seconds = time.perf_counter() - started
    assert process.returncode == 0, err.decode()
    from openpyxl import load_workbook

    workbook = load_workbook(output, read_only=True)
    sheet = workbook[code]
    rows = sum(1 for _ in sheet.iter_rows()) - 1
    workbook.close()
    assert rows == expected_rows, (rows, expected_rows)
    return seconds


# ---- running -------------------------------------------------------------------------------


@dataclass
class Figures:
    """Everything measured on one database at one scale."""

    generate: float
    reminders: ReminderFigures | None
    startup: float
    job: float
    rss: float
    export: float | None


async def measure(url: str, scale: Scale, work: Path, generate: float, repeat: int) -> Figures:
    """(a) to (d) on a populated database."""
    reminders = await measure_reminders(url, scale, repeat) if scale.trainings else None
    if reminders is None:  # the probe's row still has to exist for the bot to send it
        engine = create_engine(url)
        async with create_session_factory(engine)() as session:
            await sync_reminders(session, datetime.now(UTC), REMINDER_TIME, TZ)
        await engine.dispose()
    startup, job, rss = await measure_bot(url, work / f"bot-{scale.name.replace('/', '_')}.log")
    export = None
    if scale.big:
        export = await measure_export(
            url, big_code(scale), work / "export.xlsx", expected_rows=scale.big
        )
    return Figures(generate, reminders, startup, job, rss, export)


async def head_revision() -> str:
    """The migration head (part of the SQLite cache key)."""
    from alembic.script import ScriptDirectory

    from bot.db import alembic_config

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or ""


async def sqlite_database(scale: Scale, work: Path, use_cache: bool) -> tuple[str, float]:
    """A populated SQLite file in `work` (copied from the cache when there is one)."""
    key = hashlib.sha256(
        f"{GENERATOR_VERSION}|{await head_revision()}|{_today()}|{scale}".encode()
    ).hexdigest()[:16]
    cached = Path(tempfile.gettempdir()) / f"pelatihan-bench-city-{key}.sqlite3"
    target = work / f"city-{scale.name.replace('/', '_')}.sqlite3"
    started = time.perf_counter()
    if use_cache and cached.exists():
        shutil.copy(cached, target)
        return f"sqlite+aiosqlite:///{target}", -(time.perf_counter() - started)
    url = f"sqlite+aiosqlite:///{target}"
    await upgrade_database(url)
    await populate(url, scale)
    seconds = time.perf_counter() - started
    if use_cache:
        shutil.copy(target, cached)
    return url, seconds


def _ratio(value: float | None, base: float | None) -> str:
    if value is None or not base:
        return "     -"
    return f"{value / base:6.1f}x"


def report(engine: str, results: dict[str, Figures]) -> None:
    """Print the figures of one database, with ratios to 1/10 scale and to the targets."""
    full, tenth, empty = results["full"], results["1/10"], results["empty"]
    print(f"\n== {engine}")
    gen = "cached" if full.generate < 0 else f"{full.generate:.1f} s"
    print(f"generate full scale: {gen} (1/10: {abs(tenth.generate):.1f} s)")
    assert full.reminders is not None and tenth.reminders is not None
    fr, tr = full.reminders, tenth.reminders
    print(f"{'':34}{'full':>10}{'1/10':>10}{'ratio':>8}{'target':>9}{'of target':>10}")

    def row(label: str, f: float, t: float, target: float | None, unit: str = "s") -> None:
        goal = f"{target:.1f} {unit}" if target else "-"
        share = f"{f / target * 100:7.0f}%" if target else "       -"
        print(f"{label:34}{f:10.3f}{t:10.3f}{_ratio(f, t):>8}{goal:>9}{share:>10}")

    row(f"(a) sync, creates rows ({fr.rows}/{tr.rows})", fr.sync_create, tr.sync_create, None)
    row("(a) sync, nothing to change", fr.sync_again, tr.sync_again, None)
    row(f"(a) due query ({fr.due}/{tr.due} due)", fr.query, tr.query, TARGETS["due"])
    row("(a) outbox claim of the due reminders", fr.claim, tr.claim, TARGETS["due"])
    row("(b) start-up to first getUpdates", full.startup, tenth.startup, TARGETS["startup"])
    ratio = _ratio(full.startup, empty.startup)
    print(f"{'':34}empty database: {empty.startup:.3f} s, ratio {ratio}")
    row("(c) peak RSS after reminder job, MB", full.rss, tenth.rss, TARGETS["rss_mb"], "MB")
    print(f"{'':34}empty database: {empty.rss:.1f} MB, ratio {_ratio(full.rss, empty.rss)}")
    print(f"{'':34}(spawn to first reminder sent: {full.job:.2f} s full, {empty.job:.2f} s empty)")
    assert full.export is not None and tenth.export is not None
    row("(d) export 5,000 participants .xlsx", full.export, tenth.export, TARGETS["export"])


async def run_engine(
    label: str, make: Any, work: Path, repeat: int, scales: list[Scale]
) -> dict[str, Figures]:
    """Generate and measure every scale on one database kind."""
    results: dict[str, Figures] = {}
    for scale in scales:
        async with make(scale) as (url, generate):
            print(f"{label} {scale.name}: generated in {generate:.1f} s; measuring", flush=True)
            results[scale.name] = await measure(url, scale, work, generate, repeat)
    return results


async def main_async(args: argparse.Namespace) -> None:
    """SQLite, then PostgreSQL."""
    from contextlib import asynccontextmanager

    scales = [FULL, FULL.tenth(), EMPTY]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)

        @asynccontextmanager
        async def on_sqlite(scale: Scale) -> Any:
            yield await sqlite_database(scale, work, not args.no_cache)

        report("SQLite file", await run_engine("SQLite", on_sqlite, work, args.repeat, scales))
        admin = postgres_admin_url()
        if admin is None:
            print("\n== PostgreSQL: skipped (TEST_POSTGRES_URL is not set)")
            return

        @asynccontextmanager
        async def on_postgres(scale: Scale) -> Any:
            async with scratch_postgres(admin) as url:
                started = time.perf_counter()
                await populate(url, scale)
                yield url, time.perf_counter() - started

        results = await run_engine("PostgreSQL", on_postgres, work, args.repeat, scales)
        report(f"PostgreSQL ({make_url(admin).host})", results)


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="runs of the due query")
    parser.add_argument("--no-cache", action="store_true", help="regenerate the SQLite files")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
