"""The reminder job: keep the outbox's reminder rows (the day before, the morning of, the
venue's map pin) in step with registrations, dates and the settings.

Nothing about a single reminder lives in memory: one repeating job with a stable name wakes
up and `sync_reminders` queues what is missing; the outbox sender sends it when it is due (so
a restart rebuilds nothing, and a reminder missed while the bot was down goes out when it
comes back, as long as the day has not started).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram.ext import CallbackContext

from bot.runtime.context import AnyApplication, deps_of
from bot.runtime.jobqueue import repeat, run_soon
from bot.services.reminders import sync_reminders
from jobs import outbox

log = logging.getLogger(__name__)

JOB_NAME = "sync_reminders"
WAKE_JOB_NAME = "sync_reminders.wake"
INTERVAL_SECONDS = 30
FIRST_RUN_SECONDS = 1
# The scheduler must never skip a run because it came late; the query decides what is due.
_JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


async def queue_due_reminders(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """The job: queue every reminder that is missing, then let the outbox send what is due."""
    application = context.application
    deps = deps_of(application)
    settings = deps.settings
    async with deps.sessions() as session:
        queued = await sync_reminders(
            session,
            deps.clock(),
            settings.reminder_time,
            settings.timezone,
            settings.morning_reminder_time,
        )
    if queued:
        log.info("reminders: %s queued", queued)
    await outbox.send_outbox(context)


def schedule(application: AnyApplication) -> None:
    """Install the repeating reminder job (once, however often this is called)."""
    installed = repeat(
        application,
        queue_due_reminders,
        name=JOB_NAME,
        interval=INTERVAL_SECONDS,
        first=FIRST_RUN_SECONDS,
        **_JOB_KWARGS,
    )
    if not installed:
        log.warning("no job queue: reminders will not be sent (install the job-queue extra)")


def wake(application: AnyApplication) -> None:
    """Queue and send due reminders now (e.g. right after a registration)."""
    run_soon(application, queue_due_reminders, name=WAKE_JOB_NAME, **_JOB_KWARGS)
