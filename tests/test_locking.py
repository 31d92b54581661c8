"""One bot process per SQLite file; tools run beside it; PostgreSQL allows several processes."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest

from bot.playground.botapi import FakeBotApiServer, FakeTelegram
from bot.runtime.locking import AlreadyRunningError, acquire_process_lock, lock_path
from tests.conftest import POSTGRES_URL, TOKEN, _postgres_unavailable, drop_postgres
from tests.conftest import fresh_postgres_url as new_postgres_database
from tests.harness import BotProcess, FakeClock, bot_env, run_cli
from tests.test_webhook import free_port, wait_until_serving, webhook_env
from tests.training_files import one_training

WAIT = 20


def _message(database: Path, pid: int) -> str:
    return (
        f"another pelatihan-bot process is already running on {database} (pid {pid}); "
        "stop it first or use PostgreSQL for several processes"
    )


def test_second_lock_on_the_same_file_is_refused_with_the_holders_pid(tmp_path: Path) -> None:
    database = tmp_path / "data" / "bot.sqlite3"
    url = f"sqlite+aiosqlite:///{database}"
    first = acquire_process_lock(url)
    assert first is not None and first.path == Path(f"{database}.lock")
    try:
        with pytest.raises(AlreadyRunningError) as refused:
            acquire_process_lock(url)
        assert str(refused.value) == _message(database, os.getpid())
    finally:
        first.release()
    # Released (or its process gone): the next one gets it, though the lock file stays.
    again = acquire_process_lock(url)
    assert again is not None
    again.release()


def test_no_lock_for_postgresql_or_memory() -> None:
    assert lock_path("postgresql+asyncpg://postgres@127.0.0.1/pelatihan") is None
    assert lock_path("sqlite+aiosqlite:///:memory:") is None
    assert acquire_process_lock("postgresql+asyncpg://postgres@127.0.0.1/pelatihan") is None


async def _wait_exit(bot: BotProcess, timeout: float) -> int:
    assert bot.process is not None
    return await asyncio.wait_for(bot.process.wait(), timeout)


@pytest.mark.e2e
async def test_second_bot_on_one_sqlite_file_exits_and_tools_still_work(
    tg: FakeTelegram, fake_server: FakeBotApiServer, tmp_path: Path, wall_clock: FakeClock
) -> None:
    database = tmp_path / "bot.sqlite3"
    env = bot_env(TOKEN, fake_server.base_url, database, LOG_LEVEL="INFO")
    training_file = tmp_path / "pelatihan.yaml"
    day = wall_clock().date() + timedelta(days=90)
    training_file.write_text(one_training("LOCK-01", day=day.isoformat(), closes=None))
    first = BotProcess(env, tmp_path / "first.log")
    second = BotProcess(env, tmp_path / "second.log")
    third = BotProcess(env, tmp_path / "third.log")
    await first.start()
    try:
        await tg.wait_for(lambda: tg.get_updates_calls > 0, timeout=30)
        assert first.process is not None
        await second.start()
        assert await _wait_exit(second, 40) == 2
        assert second.output().strip() == _message(database, first.process.pid)

        # The first bot serves on, and the operator's tools work beside it.
        assert first.process.returncode is None
        user = tg.user(4242, "Rina")
        user.send_text("/start")
        await user.wait_for_text("Halo, Rina!", timeout=WAIT)
        code, out, err = await run_cli(env, "import-trainings", str(training_file))
        assert code == 0, err
        assert out.splitlines()[0] == (
            "imported 1 training(s): 1 created, 0 updated (LOCK-01); "
            "0 told of changes, 0 moved up from the waiting list"
        )
        export = tmp_path / "peserta.csv"
        code, out, err = await run_cli(
            env, "export", "LOCK-01", "--format", "csv", "-o", str(export)
        )
        assert code == 0, err
        assert export.exists()
        assert first.process.returncode is None

        # A crashed bot leaves its lock file behind, but not its lock.
        first.process.kill()
        await first.process.wait()
        await third.start()
        calls = tg.get_updates_calls
        await tg.wait_for(lambda: tg.get_updates_calls > calls + 1, timeout=30)
        assert third.process is not None and third.process.returncode is None, third.output()
    finally:
        await first.stop()
        stopped = await third.stop(signal.SIGTERM)
    assert stopped == 0, third.output()
    for bot in (first, second, third):
        assert "Traceback" not in bot.output() and TOKEN not in bot.output()


@pytest.mark.e2e
async def test_several_bots_on_postgresql_all_serve(
    tg: FakeTelegram, fake_server: FakeBotApiServer, tmp_path: Path
) -> None:
    reason = await asyncio.to_thread(_postgres_unavailable)
    if reason or not POSTGRES_URL:
        pytest.skip(reason or "TEST_POSTGRES_URL is not set")
    database_url = await asyncio.to_thread(new_postgres_database)
    ports = [free_port(), free_port()]
    bots = [
        BotProcess(webhook_env(fake_server, database_url, port), tmp_path / f"bot{port}.log")
        for port in ports
    ]
    try:
        await bots[0].start()
        async with aiohttp.ClientSession() as http:
            # The first one creates the schema; then the second starts beside it.
            await wait_until_serving(http, ports[0], bots[0])
            await bots[1].start()
            await wait_until_serving(http, ports[1], bots[1])
            assert all(b.process is not None and b.process.returncode is None for b in bots)
    finally:
        codes = [await bot.stop(signal.SIGTERM) for bot in bots]
        await asyncio.to_thread(drop_postgres, database_url)
    assert codes == [0, 0], [bot.output() for bot in bots]
    for bot in bots:
        assert "Traceback" not in bot.output() and "already running" not in bot.output()
