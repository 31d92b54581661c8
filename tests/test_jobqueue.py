"""The bot's job queue: repeating jobs, shared runs, and a stop that cuts no run short."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest

from bot.runtime.jobqueue import repeat, run_soon
from tests.harness import BotHarness


async def test_a_run_under_way_when_the_bot_stops_finishes_and_logs_no_error(
    harness: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """A long run (an announcement being sent) is under way when the process stops, and a
    one-second job (the budget's renewal) keeps ticking: no tick is cut off half-way."""
    queue = harness.app.job_queue
    assert queue is not None
    ticks = {"started": 0, "finished": 0}
    long_run_started, two_ticks = asyncio.Event(), asyncio.Event()

    async def long_run(context: Any) -> None:
        long_run_started.set()
        await asyncio.sleep(0.4)

    async def tick(context: Any) -> None:
        ticks["started"] += 1
        await asyncio.sleep(0.03)
        ticks["finished"] += 1
        if ticks["finished"] >= 2:
            two_ticks.set()

    await queue.start()
    run_soon(harness.app, long_run, name="long")
    repeat(harness.app, tick, name="tick", interval=0.04, first=0)
    await long_run_started.wait()
    await two_ticks.wait()
    with caplog.at_level(logging.ERROR, logger="apscheduler"):
        await queue.stop()
    assert ticks["started"] == ticks["finished"] >= 2
    failed = [r for r in caplog.records if r.name.startswith("apscheduler")]
    assert [r.getMessage() for r in failed if r.levelno >= logging.ERROR] == []


async def test_a_wake_waiting_to_start_serves_every_caller(harness: BotHarness) -> None:
    queue = harness.app.job_queue
    assert queue is not None
    runs: list[int] = []
    ran = [asyncio.Event(), asyncio.Event()]

    async def sync(context: Any) -> None:
        ran[len(runs)].set()
        runs.append(len(runs))

    await queue.start()
    for _ in range(50):  # fifty people confirm at once
        run_soon(harness.app, sync, name="sync.wake")
    await ran[0].wait()
    await asyncio.sleep(0.05)
    run_soon(harness.app, sync, name="sync.wake")  # later: a run of its own
    await ran[1].wait()
    await queue.stop()
    assert runs == [0, 1]
