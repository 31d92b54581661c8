"""The daily retention job: erase personal data older than `DATA_RETENTION_DAYS` (UU PDP), and
drafts of conversations left longer ago than their timeout."""

from __future__ import annotations

import logging
from datetime import UTC, time, timedelta
from typing import Any

from telegram.ext import CallbackContext

from bot.runtime.context import AnyApplication, deps_of
from bot.runtime.persistence import forget_in_memory
from bot.services.retention import draft_cutoff, purge_expired, purge_stale_drafts

log = logging.getLogger(__name__)

JOB_NAME = "purge_expired_personal_data"
# Local time of the daily run: the quietest hour, away from the 16:00 reminders.
RUN_AT = time(3, 30)


async def purge_expired_personal_data(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """The job: one purge, logged as counts only (never who)."""
    application = context.application
    deps = deps_of(application)
    retention = timedelta(days=deps.settings.data_retention_days)
    async with deps.sessions() as session:
        result = await purge_expired(session, deps.clock(), retention)
    for telegram_id in result.telegram_ids:
        # Scratch data of a conversation abandoned long ago may hold typed personal fields.
        if telegram_id in application.user_data:
            application.drop_user_data(telegram_id)
    log.info(
        "retention: purged=%s cutoff=%s",
        result.purged,
        result.cutoff.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    await forget_stale_drafts(application)


async def forget_stale_drafts(application: AnyApplication) -> None:
    """Delete conversation states and drafts left longer than the timeout, here and stored."""
    deps = deps_of(application)
    cutoff = draft_cutoff(deps.clock(), deps.settings.conversation_timeout_minutes)
    async with deps.sessions() as session:
        gone = await purge_stale_drafts(session, cutoff)
    forget_in_memory(application, gone)
    log.info("retention: stale drafts=%s", len(gone))


def schedule(application: AnyApplication) -> None:
    """Install the daily job (once, however often this is called)."""
    queue = application.job_queue
    if queue is None:
        log.warning("no job queue: personal data will not be purged after the retention period")
        return
    queue.run_daily(
        purge_expired_personal_data,
        time=RUN_AT.replace(tzinfo=deps_of(application).settings.timezone),
        name=JOB_NAME,
        # Idempotent and cheap: a run missed while the bot was down is simply done late.
        job_kwargs={
            "id": JOB_NAME,
            "replace_existing": True,
            "coalesce": True,
            "misfire_grace_time": None,
        },
    )
