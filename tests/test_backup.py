"""`python -m bot backup` / `restore`: consistent copies while the bot writes, round trips."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import select, text

from bot.db import (
    SessionFactory,
    alembic_config,
    create_engine,
    create_session_factory,
    upgrade_database,
)
from bot.models import Participant, Registration
from bot.playground.botapi import FakeTelegram
from bot.runtime.locking import acquire_process_lock
from bot.settings import Settings
from tests.conftest import ADMIN_ID, TOKEN, drop_postgres, fresh_postgres_url
from tests.factories import make_participant, make_registration, make_training
from tests.harness import BotHarness, FakeClock, run_cli, subprocess_env

pytestmark = pytest.mark.e2e

FIRST_REVISION = "3ea22ca63fb9"


async def _cli(*args: str, database_url: str) -> tuple[int, str]:
    code, out, err = await run_cli(
        subprocess_env(TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=database_url), *args
    )
    return code, out + err


def _head(url: str) -> str:
    head = ScriptDirectory.from_config(alembic_config(url)).get_current_head()
    assert head is not None
    return head


async def _dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the domain tables that matter, in a comparable form."""
    engine = create_engine(url, pool_size=0)
    try:
        async with engine.connect() as connection:
            tables: dict[str, list[tuple[Any, ...]]] = {}
            for model in (Participant, Registration):
                rows = await connection.execute(select(model.__table__).order_by(model.id))
                tables[model.__tablename__] = [tuple(row) for row in rows.all()]
            version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
            tables["alembic_version"] = [(version,)]
            return tables
    finally:
        await engine.dispose()


async def _fill(sessions: SessionFactory, people: range, now: datetime) -> None:
    """A training a month after `now` with these people registered."""
    first = now.date() + timedelta(days=30)
    async with sessions() as s:
        training = await make_training(s, days=[(first, "08:00", "15:00", "Kain perca")], now=now)
        for telegram_id in people:
            person = await make_participant(s, telegram_id, full_name=f"Ibu {telegram_id}", now=now)
            await make_registration(s, person, training, now=now)


async def test_sqlite_backup_while_the_bot_writes_restores_the_same_data(
    sqlite_url: str, tmp_path: Path, wall_clock: FakeClock
) -> None:
    engine = create_engine(sqlite_url)
    sessions = create_session_factory(engine)
    await _fill(sessions, range(1, 51), wall_clock())
    stop = asyncio.Event()
    written = 0

    async def keep_writing() -> None:
        nonlocal written
        while not stop.is_set():
            async with sessions() as s:
                await make_participant(s, 100_000 + written, now=wall_clock())
            written += 1
            await asyncio.sleep(0.002)

    writer = asyncio.create_task(keep_writing())
    await asyncio.sleep(0.05)
    before = written
    backup = tmp_path / "backup.sqlite3"
    code, out = await _cli("backup", "-o", str(backup), database_url=sqlite_url)
    after = written
    stop.set()
    await writer
    await engine.dispose()
    assert code == 0, out
    assert out.strip() == f"wrote {backup} ({backup.stat().st_size} bytes)"
    assert after > before  # the bot kept writing during the backup
    assert f"{backup.name}-wal" not in os.listdir(tmp_path)  # one self-contained file

    restored_url = f"sqlite+aiosqlite:///{tmp_path / 'restored' / 'bot.sqlite3'}"
    code, out = await _cli("restore", str(backup), database_url=restored_url)
    assert code == 0, out
    restored = await _dump(restored_url)
    source = await _dump(sqlite_url)
    copied = restored["participants"]
    # A consistent snapshot: everything before the backup began, some prefix of the rest.
    assert 50 + before <= len(copied) <= 50 + after
    assert copied == source["participants"][: len(copied)]
    assert restored["registrations"] == source["registrations"]
    with sqlite3.connect(backup) as check:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    code, out = await _cli("restore", str(backup), database_url=restored_url)
    assert code == 1
    assert "exists" in out and "--force" in out
    code, out = await _cli("restore", str(backup), "--force", database_url=restored_url)
    assert code == 0, out


async def test_an_old_backup_is_upgraded_and_the_bot_runs_on_it(
    tmp_path: Path, tg: FakeTelegram, wall_clock: FakeClock
) -> None:
    old_url = f"sqlite+aiosqlite:///{tmp_path / 'old.sqlite3'}"
    await upgrade_database(old_url, FIRST_REVISION)
    joined = (wall_clock() - timedelta(days=30)).date().isoformat()
    with sqlite3.connect(tmp_path / "old.sqlite3") as db:
        db.execute(
            "INSERT INTO participants (telegram_id, chat_id, language, full_name, created_at,"
            " updated_at) VALUES (7001, 7001, 'en', 'Siti', ?, ?)",
            (joined, joined),
        )
    backup = tmp_path / "old-backup.sqlite3"
    assert (await _cli("backup", "-o", str(backup), database_url=old_url))[0] == 0

    new_url = f"sqlite+aiosqlite:///{tmp_path / 'new.sqlite3'}"
    code, out = await _cli("restore", str(backup), database_url=new_url)
    assert code == 0, out
    assert (await _dump(new_url))["alembic_version"] == [(_head(new_url),)]

    engine = create_engine(new_url)
    settings = Settings(token=TOKEN, database_url=new_url, admin_ids=frozenset({ADMIN_ID}))
    bot = BotHarness(settings, create_session_factory(engine), tg, wall_clock)
    await bot.start()
    try:
        [reply] = await bot.send(bot.user(7001, "Siti", "en"), "/start")
        assert "Join a training" in str(reply.reply_markup)  # remembered as an English speaker
    finally:
        await bot.stop()
        await engine.dispose()


async def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    code, out = await _cli("restore", str(bogus), database_url=url)
    assert code == 1 and out.startswith("restore failed:")
    code, out = await _cli("restore", str(tmp_path / "missing"), database_url=url)
    assert code == 1 and not (tmp_path / "missing").exists()
    assert not (tmp_path / "bot.sqlite3").exists()


async def test_restore_refuses_while_the_bot_holds_the_database(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    copy = tmp_path / "copy.sqlite3"
    await upgrade_database(url)
    code, out = await _cli("backup", "-o", str(copy), database_url=url)
    assert code == 0, out
    running_bot = acquire_process_lock(url)  # what `python -m bot` holds while it serves
    assert running_bot is not None
    try:
        code, out = await _cli("restore", str(copy), "--force", database_url=url)
    finally:
        running_bot.release()
    assert code == 1
    assert out.startswith("restore failed: another pelatihan-bot process is already running")
    code, out = await _cli("restore", str(copy), "--force", database_url=url)
    assert code == 0, out


async def test_postgres_round_trip_into_a_fresh_database(
    postgres_template: str, tmp_path: Path, wall_clock: FakeClock
) -> None:
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump/pg_restore are not installed (apt install postgresql-client)")
    # The helpers run their own event loop: off this one.
    source_url = await asyncio.to_thread(fresh_postgres_url, postgres_template)
    target_url = await asyncio.to_thread(fresh_postgres_url)
    try:
        engine = create_engine(source_url, pool_size=0)
        await _fill(create_session_factory(engine), range(1, 21), wall_clock())
        await engine.dispose()
        backup = tmp_path / "pelatihan.dump"
        code, out = await _cli("backup", "-o", str(backup), database_url=source_url)
        assert code == 0, out

        code, out = await _cli("restore", str(backup), database_url=target_url)
        assert code == 0, out
        restored = await _dump(target_url)
        assert restored == await _dump(source_url)
        assert len(restored["participants"]) == 20
        assert restored["alembic_version"] == [(_head(target_url),)]

        code, out = await _cli("restore", str(backup), database_url=target_url)
        assert code == 1 and "--force" in out
        code, out = await _cli("restore", str(backup), "--force", database_url=target_url)
        assert code == 0, out
        assert await _dump(target_url) == restored
    finally:
        await asyncio.to_thread(drop_postgres, source_url)
        await asyncio.to_thread(drop_postgres, target_url)


async def test_postgres_errors_are_one_line_without_the_password(
    postgres_template: str, tmp_path: Path
) -> None:
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed (apt install postgresql-client)")
    url = await asyncio.to_thread(fresh_postgres_url)
    await asyncio.to_thread(drop_postgres, url)  # now names a database that does not exist
    with_password = url.replace("postgres@", "postgres:Sekret-Pw-123@", 1)
    assert "Sekret-Pw-123" in with_password
    code, out = await _cli("backup", "-o", str(tmp_path / "x.dump"), database_url=with_password)
    assert code == 1
    assert out.startswith("backup failed: pg_dump failed:") and out.count("\n") == 1
    assert "Sekret-Pw-123" not in out
    assert os.listdir(tmp_path) == []


async def _full_names(url: str) -> dict[int | None, str | None]:
    engine = create_engine(url, pool_size=0)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(select(Participant.telegram_id, Participant.full_name))
            return {telegram_id: name for telegram_id, name in rows.all()}
    finally:
        await engine.dispose()


async def test_a_restore_erases_again_who_erased_their_data_after_the_backup(
    sqlite_url: str, tmp_path: Path, tg: FakeTelegram
) -> None:
    today = datetime.now(UTC)
    engine = create_engine(sqlite_url)
    sessions = create_session_factory(engine)
    async with sessions() as session:
        await make_participant(session, 7101, full_name="Zulaikha Prameswari", now=today)
        await make_participant(session, 7102, full_name="Budi Santoso", now=today)
    backup = tmp_path / "before.sqlite3"
    assert (await _cli("backup", "-o", str(backup), database_url=sqlite_url))[0] == 0
    settings = Settings(token=TOKEN, database_url=sqlite_url, admin_ids=frozenset({ADMIN_ID}))
    bot = BotHarness(settings, sessions, tg, FakeClock(today))
    await bot.start()
    try:
        user = bot.user(7101, "Zulaikha")
        [ask] = await bot.send(user, "/hapusdata")
        await bot.press(user, ask, "Ya, hapus")
    finally:
        await bot.stop()
        await engine.dispose()

    for _ in range(2):  # the old backup, restored twice: she stays erased
        code, out = await _cli("restore", str(backup), "--force", database_url=sqlite_url)
        assert code == 0, out
        assert "erasures made after the backup, applied again: 1" in out, out
        assert await _full_names(sqlite_url) == {7101: None, 7102: "Budi Santoso"}
