"""The reminder job: sync the rows, claim what is due, send it, record what happened.

Nothing about a single reminder lives in memory: one repeating job with a stable name wakes
up, and the database says what is due (so a restart rebuilds nothing, and a reminder missed
while the bot was down goes out when it comes back, as long as the day has not started).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from telegram.ext import Application, CallbackContext

from bot.runtime.context import deps_of
from bot.sending.deliver import GroupedStart, in_flight_for, run_bounded, send_one
from bot.sending.gate import NotSentError
from bot.services.reminders import (
    DueReminder,
    claim_due_reminders,
    expire_stale_sending,
    record_outcome,
    start_sending_many,
    sync_reminders,
)
from handlers.reminders import render_reminder

log = logging.getLogger(__name__)

JOB_NAME = "send_due_reminders"
WAKE_JOB_NAME = "send_due_reminders.wake"
INTERVAL_SECONDS = 30
FIRST_RUN_SECONDS = 1
_LOCK_KEY = "reminders.lock"
# Who claimed a row: enough to find the process in the logs of a multi-process installation.
WORKER = f"{socket.gethostname()}:{os.getpid()}"[:64]
# The scheduler must never skip a run because it came late; the database query decides what
# is still worth sending.
_JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def _claim_size(rate: float) -> int:
    # About five seconds of this process's sending per claim: small enough that a reserved row
    # waits in the send gate far less than its lease, big enough to keep the gate busy.
    return max(10, int(rate * 5))


async def send_due_reminders(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """The job: send every due reminder (runs serialised within one process)."""
    application = context.application
    deps = deps_of(application)
    lock: asyncio.Lock = deps.services.setdefault(_LOCK_KEY, asyncio.Lock())
    async with lock:
        # A stopping application finishes the batch in hand and claims no more (an application
        # driven without start(), as in tests, is never "running").
        was_running = application.running
        await _run(application, lambda: application.running or not was_running)


async def _run(application: AnyApplication, keep_going: Callable[[], bool] = lambda: True) -> None:
    deps = deps_of(application)
    settings = deps.settings
    lease = timedelta(seconds=settings.stale_claim_seconds)
    async with deps.sessions() as session:
        await sync_reminders(session, deps.clock(), settings.reminder_time, settings.timezone)
    async with deps.sessions() as session:
        stale = await expire_stale_sending(session, deps.clock(), lease)
    if stale:
        log.warning("%s reminder(s) left in 'sending' by a stopped process marked unknown", stale)

    async def mark_leaving(delivery_ids: list[int]) -> set[int]:
        async with deps.sessions() as session:
            return await start_sending_many(session, delivery_ids, WORKER, deps.clock())

    starter = GroupedStart(mark_leaving)

    async def send(reminder: DueReminder) -> None:
        async def leaving() -> bool:
            return await starter(reminder.delivery_id)

        text, markup = render_reminder(reminder, settings.timezone, deps.clock())
        try:
            result = await send_one(
                application.bot, reminder.chat_id, text, reply_markup=markup, before_send=leaving
            )
        except NotSentError:
            return  # our reservation ran out and another process took the row
        except Exception:
            # Not sent, or not known to be: the row's state (pending or sending) says which.
            log.exception("reminder %s not sent", reminder.delivery_id)
            return
        async with deps.sessions() as session:
            await record_outcome(session, reminder.delivery_id, result, deps.clock())
        if result.error:
            log.info("reminder %s: %s (%s)", reminder.delivery_id, result.outcome, result.error)

    sent = 0
    while keep_going():
        async with deps.sessions() as session:
            batch = await claim_due_reminders(
                session, deps.clock(), WORKER, _claim_size(settings.process_rate), lease
            )
        if not batch:
            break
        await run_bounded(batch, send, concurrency=in_flight_for(settings.process_rate))
        sent += len(batch)
    if sent:
        log.info("reminders: %s handled", sent)


def schedule(application: AnyApplication) -> None:
    """Install the repeating reminder job (once, whatever how often this is called)."""
    queue = application.job_queue
    if queue is None:
        log.warning("no job queue: reminders will not be sent (install the job-queue extra)")
        return
    for job in queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    queue.run_repeating(
        send_due_reminders,
        interval=INTERVAL_SECONDS,
        first=FIRST_RUN_SECONDS,
        name=JOB_NAME,
        job_kwargs=_JOB_KWARGS,
    )


def wake(application: AnyApplication) -> None:
    """Send due reminders now (e.g. right after a registration) instead of at the next tick."""
    queue = application.job_queue
    if queue is None:
        return
    # A wake that has not started yet will see this registration too: when hundreds of people
    # confirm at once, one run serves them all instead of one full sync per registration.
    if any(not job.removed for job in queue.get_jobs_by_name(WAKE_JOB_NAME)):
        return
    queue.run_once(send_due_reminders, when=0, name=WAKE_JOB_NAME, job_kwargs=_JOB_KWARGS)
