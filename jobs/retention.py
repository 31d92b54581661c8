"""The daily retention job: erase personal data older than `DATA_RETENTION_DAYS` (UU PDP),
drafts of conversations left longer ago than their timeout, and audit entries older than
`AUDIT_RETENTION_DAYS`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from telegram.ext import CallbackContext

from bot.db import SessionFactory
from bot.runtime.context import AnyApplication, deps_of
from bot.runtime.persistence import forget_in_memory
from bot.services.audit import purge_audit
from bot.services.retention import PurgeResult, draft_cutoff, purge_expired, purge_stale_drafts
from bot.settings import Settings

log = logging.getLogger(__name__)

JOB_NAME = "purge_expired_personal_data"
# Local time of the daily run: the quietest hour, away from the 16:00 reminders.
RUN_AT = time(3, 30)


@dataclass(frozen=True)
class RetentionRun:
    """One run of the purge: the people erased and the stale drafts deleted (kind, key)."""

    purge: PurgeResult
    drafts: list[tuple[str, str]]
    audit: int = 0

    def summary(self) -> str:
        """Counts only, never who: one line for the log and the command line."""
        cutoff = self.purge.cutoff.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (
            f"purged={self.purge.purged} colleagues={self.purge.colleagues} "
            f"stale_drafts={len(self.drafts)} audit_entries={self.audit} cutoff={cutoff}"
        )


async def purge_now(sessions: SessionFactory, settings: Settings, now: datetime) -> RetentionRun:
    """What the daily job does to the database: erase the expired, delete stale drafts."""
    async with sessions() as session:
        purged = await purge_expired(session, now, timedelta(days=settings.data_retention_days))
    async with sessions() as session:
        cutoff = draft_cutoff(now, settings.conversation_timeout_minutes)
        drafts = await purge_stale_drafts(session, cutoff)
    async with sessions() as session:
        audit = await purge_audit(session, now, timedelta(days=settings.audit_retention_days))
    return RetentionRun(purged, drafts, audit)


async def purge_expired_personal_data(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """The job: one purge, logged as counts only (never who)."""
    application = context.application
    deps = deps_of(application)
    run = await purge_now(deps.sessions, deps.settings, deps.clock())
    for telegram_id in run.purge.telegram_ids:
        # Scratch data of a conversation abandoned long ago may hold typed personal fields.
        if telegram_id in application.user_data:
            application.drop_user_data(telegram_id)
    forget_in_memory(application, run.drafts)
    log.info("retention: %s", run.summary())


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
