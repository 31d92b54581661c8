"""Paths that matter under load: batched persistence writes and coalesced reminder wakes."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, select

from bot.db import SessionFactory
from bot.models import BotState
from bot.runtime.persistence import USER_DATA, SqlPersistence
from jobs.reminders import WAKE_JOB_NAME, wake
from tests.harness import BotHarness


async def _stored(sessions: SessionFactory) -> dict[str, object]:
    async with sessions() as session:
        rows = await session.execute(
            select(BotState.key, BotState.value).where(BotState.kind == USER_DATA)
        )
        return {key: value["v"] for key, value in rows.all()}


async def test_one_flush_upserts_and_deletes_and_a_restart_reads_it(
    sessions: SessionFactory,
) -> None:
    clock = lambda: datetime(2026, 12, 1, tzinfo=UTC)  # noqa: E731
    persistence = SqlPersistence(sessions, clock)
    await persistence.update_user_data(1, {"lang": "id"})
    await persistence.update_user_data(2, {"lang": "en", "registration": {"name": "Siti"}})
    assert await _stored(sessions) == {
        "1": {"lang": "id"},
        "2": {"lang": "en", "registration": {"name": "Siti"}},
    }
    # A restart: the loaded values are handed out, and changing one in place is saved.
    again = SqlPersistence(sessions, clock)
    loaded = await again.get_user_data()
    assert loaded == {1: {"lang": "id"}, 2: {"lang": "en", "registration": {"name": "Siti"}}}
    loaded[2]["registration"]["name"] = "Siti Aminah"
    await again.update_user_data(2, loaded[2])
    await again.update_user_data(1, {})  # emptied: forgotten
    await again.flush()
    assert await _stored(sessions) == {"2": {"lang": "en", "registration": {"name": "Siti Aminah"}}}


async def test_unchanged_user_data_is_not_written_again(sessions: SessionFactory) -> None:
    persistence = SqlPersistence(sessions, lambda: datetime(2026, 12, 1, tzinfo=UTC))
    await persistence.update_user_data(1, {"lang": "id"})
    async with sessions() as session:
        await session.execute(delete(BotState))
        await session.commit()
    await persistence.update_user_data(1, {"lang": "id"})  # same value: no write
    assert await _stored(sessions) == {}
    await persistence.update_user_data(1, {"lang": "en"})
    assert await _stored(sessions) == {"1": {"lang": "en"}}


async def test_wakes_before_the_run_starts_coalesce(harness: BotHarness) -> None:
    queue = harness.app.job_queue
    assert queue is not None
    for _ in range(5):
        wake(harness.app)
    assert len(queue.get_jobs_by_name(WAKE_JOB_NAME)) == 1
