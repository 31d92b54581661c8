"""After the training: queue the feedback survey and the certificate offers when it is time.

One repeating job with a stable name: `queue_surveys` adds a survey row for every attendee of a
training whose last day ended `SURVEY_DELAY_HOURS` ago, and an offer for everyone who earned a
certificate; the outbox keys make every run after the first a no-op, so a restart (or two
processes) send nothing twice. Offers also go out at the moment of a check-in on the last day
(`bot.services.attendance`), for offices that hand certificates out at the closing session.
With FOLLOW_UP_DAYS, the same job queues the follow-ups months after the training and their one
reminder (`bot.services.business_follow_up`).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from telegram.ext import CallbackContext

from bot.db import SessionFactory
from bot.runtime.context import AnyApplication, deps_of
from bot.runtime.jobqueue import repeat
from bot.services import business_follow_up
from bot.services.certificates import queue_earned_offers
from bot.services.survey import queue_surveys
from jobs import outbox

log = logging.getLogger(__name__)

JOB_NAME = "after_training"
INTERVAL_SECONDS = 60
FIRST_RUN_SECONDS = 5
_JOB_KWARGS: dict[str, Any] = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}


async def queue_follow_ups(context: CallbackContext[Any, Any, Any, Any]) -> None:
    """The job: queue surveys and certificate offers that are due, then send what is due."""
    deps = deps_of(context.application)
    settings, now = deps.settings, deps.clock()
    async with deps.sessions() as session:
        surveys = await queue_surveys(session, now, settings.survey_delay_hours)
    async with deps.sessions() as session:
        offers = await queue_earned_offers(
            session, now, settings.survey_delay_hours, settings.certificate_min_days
        )
    if surveys or offers:
        log.info("after training: %s surveys, %s certificate offers queued", surveys, offers)
    if settings.follow_up_days:
        await _queue_business_follow_ups(deps.sessions, now, settings.follow_up_days)
    await outbox.send_outbox(context)


async def _queue_business_follow_ups(
    sessions: SessionFactory, now: datetime, rounds: tuple[int, ...]
) -> None:
    """Months after: the follow-ups that are due, and the one reminder of those left unfinished."""
    async with sessions() as session:
        queued = await business_follow_up.queue_follow_ups(session, now, rounds)
    async with sessions() as session:
        reminded = await business_follow_up.queue_reminders(session, now)
    if queued or reminded:
        log.info("follow-ups: %s queued, %s reminders", queued, reminded)


def schedule(application: AnyApplication) -> None:
    """Install the repeating job (once, however often this is called)."""
    repeat(
        application,
        queue_follow_ups,
        name=JOB_NAME,
        interval=INTERVAL_SECONDS,
        first=FIRST_RUN_SECONDS,
        **_JOB_KWARGS,
    )
