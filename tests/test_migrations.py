"""Migrations: every step up, down and up again, and the models agree with them."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from bot.db import (
    alembic_config,
    create_engine,
    downgrade_database_sync,
    upgrade_database,
    upgrade_database_sync,
)
from bot.models import Base
from tests.conftest import drop_postgres, fresh_postgres_url
from tests.harness import ROOT


@pytest.fixture(params=["sqlite", "postgres"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each engine."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'stairway.sqlite3'}"
        return
    request.getfixturevalue("postgres_template")  # skips with the reason when PG is absent
    url = fresh_postgres_url()
    yield url
    drop_postgres(url)


def _revisions(url: str) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(url))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_stairway_up_down_up(empty_db_url: str) -> None:
    revisions = _revisions(empty_db_url)
    assert revisions, "no migrations found"
    previous = "base"
    for revision in revisions:
        upgrade_database_sync(empty_db_url, revision)
        downgrade_database_sync(empty_db_url, previous)
        upgrade_database_sync(empty_db_url, revision)
        previous = revision


async def test_models_match_migrations(empty_db_url: str) -> None:
    await upgrade_database(empty_db_url)
    engine = create_engine(empty_db_url)

    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(diff)
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    assert differences == []
    assert set(Base.metadata.tables) <= tables


def test_single_head(tmp_path: Path) -> None:
    script = ScriptDirectory.from_config(alembic_config(f"sqlite+aiosqlite:///{tmp_path}/x.db"))
    assert len(script.get_heads()) == 1, "migrations have branched; merge the heads"


def test_offline_sql_renders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command.upgrade(alembic_config(f"sqlite+aiosqlite:///{tmp_path}/x.db"), "head", sql=True)
    assert "CREATE TABLE registrations" in capsys.readouterr().out


@pytest.mark.e2e
async def test_processes_starting_together_migrate_once(empty_db_url: str) -> None:
    # Four processes starting at the same moment on an empty database (Alembic's context is
    # per process, so they must be real processes).
    code = (
        "import sys; from bot.db import upgrade_database_sync; upgrade_database_sync(sys.argv[1])"
    )
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", code, empty_db_url, cwd=ROOT, stderr=asyncio.subprocess.PIPE
        )
        for _ in range(4)
    ]
    results = await asyncio.gather(*(p.communicate() for p in processes))
    assert [p.returncode for p in processes] == [0] * 4, [err.decode() for _, err in results]
    engine = create_engine(empty_db_url)
    try:
        async with engine.connect() as connection:
            versions = (
                await connection.execute(text("SELECT version_num FROM alembic_version"))
            ).all()
    finally:
        await engine.dispose()
    assert [v for (v,) in versions] == [_revisions(empty_db_url)[-1]]


_BEFORE_THE_OUTBOX = "a92dc10c837d"
_SEED = """
INSERT INTO participants (id, telegram_id, chat_id, language, created_at, updated_at)
VALUES (1, 501, 501, 'id', '2026-11-01 00:00:00', '2026-11-01 00:00:00'),
       (2, 502, NULL, 'en', '2026-11-01 00:00:00', '2026-11-01 00:00:00');
INSERT INTO trainings (id, code, title, description, venue, capacity, status, created_at,
    updated_at)
VALUES (1, 'KP-1', 'Kain Perca', '', 'Hotel', 1, 'open', '2026-11-01 00:00:00',
    '2026-11-01 00:00:00');
INSERT INTO training_days (id, training_id, day_number, date, starts_at, ends_at, topic, note)
VALUES (1, 1, 1, '2026-12-08', '2026-12-08 01:00:00', '2026-12-08 08:00:00', '', '');
INSERT INTO registrations (id, participant_id, training_id, status, queued_at, confirmed_at,
    checkin_token, created_at, updated_at)
VALUES (1, 1, 1, 'confirmed', '2026-11-02 00:00:00', '2026-11-02 00:00:00', 't1',
    '2026-11-02 00:00:00', '2026-11-02 00:00:00'),
       (2, 2, 1, 'waitlisted', '2026-11-01 23:00:00', NULL, 't2',
    '2026-11-03 00:00:00', '2026-11-03 00:00:00');
INSERT INTO reminder_deliveries (id, registration_id, training_day_id, due_at, day_starts_at,
    state, attempts, sent_at, message_id, rsvp, rsvp_at)
VALUES (7, 1, 1, '2026-12-07 09:00:00', '2026-12-08 01:00:00', 'sent', 1,
    '2026-12-07 09:00:00', 99, 'yes', '2026-12-07 10:00:00');
INSERT INTO announcements (id, training_id, audience, text, state, created_at, started_at)
VALUES (1, 1, 'confirmed', 'Halo', 'sending', '2026-11-05 00:00:00', '2026-11-05 00:00:00');
INSERT INTO announcement_deliveries (id, announcement_id, participant_id, state, attempts)
VALUES (1, 1, 1, 'sent', 1), (2, 1, 2, 'pending', 0);
"""


async def test_reminders_answers_and_announcements_move_into_the_outbox(
    empty_db_url: str,
) -> None:
    await asyncio.to_thread(upgrade_database_sync, empty_db_url, _BEFORE_THE_OUTBOX)
    engine = create_engine(empty_db_url)
    try:
        async with engine.begin() as connection:
            for statement in filter(str.strip, _SEED.split(";")):
                await connection.execute(text(statement))
        await upgrade_database(empty_db_url)
        async with engine.connect() as connection:
            rows = (
                await connection.execute(
                    text("SELECT id, kind, key, chat_id, state FROM deliveries ORDER BY id")
                )
            ).all()
            answers = (await connection.execute(text("SELECT answer FROM rsvps"))).all()
            seqs = (await connection.execute(text("SELECT id, queue_seq FROM registrations"))).all()
    finally:
        await engine.dispose()
    # The reminder keeps its id (the buttons of messages already sent carry it).
    assert rows[0] == (7, "reminder", "reminder:1:1:2026-12-08", 501, "sent")
    assert [tuple(r[1:]) for r in rows[1:]] == [
        ("announcement", "announcement:1:1", 501, "sent"),
        ("announcement", "announcement:1:2", 502, "pending"),  # no chat id: the user's id
    ]
    assert [a for (a,) in answers] == ["yes"]
    # The order seats were decided in so far: arrival.
    assert dict((i, s) for i, s in seqs) == {2: 1, 1: 2}


_BEFORE_COLLEAGUES = "c3d8e5f1a2b4"
_COLLEAGUE = """
INSERT INTO participants (id, telegram_id, registered_by_id, chat_id, language, full_name,
    phone, created_at, updated_at)
VALUES (3, NULL, 1, 501, 'id', 'Budi', '+6281311112222', '2026-11-01 00:00:00',
    '2026-11-01 00:00:00');
INSERT INTO registrations (id, participant_id, training_id, status, queued_at, queue_seq,
    checkin_token, created_at, updated_at)
VALUES (3, 3, 1, 'waitlisted', '2026-11-04 00:00:00', 3, 't3', '2026-11-04 00:00:00',
    '2026-11-04 00:00:00');
"""


async def _rows(url: str, query: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return [tuple(row) for row in (await connection.execute(text(query))).all()]
    finally:
        await engine.dispose()


async def _run(url: str, statements: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in filter(str.strip, statements.split(";")):
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def test_colleagues_arrive_without_losing_anyone_and_leave_on_downgrade(
    empty_db_url: str,
) -> None:
    # SQLite: the participants table is changed in place; a copied table dropped with foreign
    # keys on would have taken every registration with it.
    await asyncio.to_thread(upgrade_database_sync, empty_db_url, _BEFORE_THE_OUTBOX)
    await _run(empty_db_url, _SEED)
    await upgrade_database(empty_db_url)
    registrations = "SELECT id, participant_id FROM registrations ORDER BY id"
    assert await _rows(empty_db_url, registrations) == [(1, 1), (2, 2)]
    await _run(empty_db_url, _COLLEAGUE)
    assert len(await _rows(empty_db_url, registrations)) == 3

    await asyncio.to_thread(downgrade_database_sync, empty_db_url, _BEFORE_COLLEAGUES)
    assert await _rows(empty_db_url, registrations) == [(1, 1), (2, 2)]
    assert await _rows(empty_db_url, "SELECT id FROM participants ORDER BY id") == [(1,), (2,)]
    await asyncio.to_thread(upgrade_database_sync, empty_db_url)
    assert len(await _rows(empty_db_url, "SELECT id FROM deliveries")) == 3
    await _run(empty_db_url, _COLLEAGUE)
    assert len(await _rows(empty_db_url, registrations)) == 3
