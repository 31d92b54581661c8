"""Several sending processes on PostgreSQL: nobody gets a message twice, even after `kill -9`."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

from bot.db import upgrade_database_sync
from tests.conftest import POSTGRES_URL, TOKEN, drop_postgres, fresh_postgres_url
from tests.harness import ROOT, subprocess_env
from tests.kill_scenario import KillResult, run_kill_scenario

pytestmark = pytest.mark.e2e

needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="the kill test needs PostgreSQL: set TEST_POSTGRES_URL (several processes share "
    "the sending only there)",
)


async def _scenario(tmp_path: Path, **options: object) -> KillResult:
    url = await asyncio.to_thread(fresh_postgres_url)
    try:
        await asyncio.to_thread(upgrade_database_sync, url)
        return await run_kill_scenario(url, tmp_path, **options)  # type: ignore[arg-type]
    finally:
        await asyncio.to_thread(drop_postgres, url)


def _check(result: KillResult) -> None:
    print(result.summary())
    logs = "\n".join(f"--- {n}\n{o[-3000:]}" for n, o in result.outputs.items())
    assert result.duplicates == 0, logs
    assert result.open_rows == 0 and not result.other_states, logs
    assert result.lost_not_unknown == 0, logs
    assert result.unknown_arrived <= result.unknown
    assert result.arrived == result.expected - result.lost
    assert result.announcement_done
    assert result.too_many_requests == 0  # the processes shared one budget
    for name, output in result.outputs.items():
        assert "Traceback" not in output, f"{name}:\n{output[-5000:]}"
        assert TOKEN not in output
        if name != result.killed:
            assert result.exit_codes[name] == 0, f"{name}:\n{output[-3000:]}"


@needs_postgres
async def test_two_workers_share_an_announcement_and_nobody_gets_it_twice(
    tmp_path: Path,
) -> None:
    # 20 messages/s each: an announcement batch is 100 rows, so the two must share it.
    result = await _scenario(
        tmp_path, participants=300, workers=2, with_bot=False, kill=None, rate=40
    )
    _check(result)
    assert result.unknown == result.lost == 0
    assert result.arrived == 600
    assert result.sent_by["worker-1 announcement"] + result.sent_by["worker-2 announcement"] == 300
    assert result.sent_by["worker-1 announcement"] and result.sent_by["worker-2 announcement"]


@needs_postgres
async def test_a_killed_sender_sends_nothing_twice_and_its_work_is_finished_by_the_others(
    tmp_path: Path,
) -> None:
    result = await _scenario(tmp_path, participants=900, workers=2, kill="worker-1", rate=150)
    _check(result)
    assert result.killed_at is not None and result.killed_at < result.expected
    # The survivors sent what the killed process had reserved but not begun.
    survivors = {name.split()[0] for name in result.sent_by}
    assert {"bot", "worker-2"} <= survivors, result.sent_by
    print(f"unknown after the kill: {result.unknown} (target 0)")


async def test_worker_refuses_sqlite_with_one_line(tmp_path: Path) -> None:
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "worker",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    lines = err.decode().strip().splitlines()
    assert len(lines) == 1 and "PostgreSQL" in lines[0], lines
    assert not (tmp_path / "bot.sqlite3").exists()
