"""Sending announcements: claim delivery rows in batches, send in bulk, show staff the progress.

A repeating job (`JOB_NAME`, installed at start-up) picks up every announcement in state
`sending`, so one that a restart interrupted resumes by itself; staff confirming a new one
also kick the job at once. Every row is claimed in the database before it is sent
(`bot.services.announcements.claim_deliveries`), so several processes, the command line and a
restart never send anyone the same announcement twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, TelegramError
from telegram.ext import Application

from bot.models import Announcement, DeliveryState
from bot.runtime.context import BotContext, Deps, deps_of
from bot.sending.deliver import GroupedStart, in_flight_for, run_bounded, send_one
from bot.sending.gate import NotSentError
from bot.services.announcements import (
    ClaimedDelivery,
    DeliveryOutcome,
    Progress,
    announcement_progress,
    announcements_in_progress,
    claim_deliveries,
    expire_stale_claims,
    finish_if_done,
    get_announcement,
    record_deliveries,
    start_delivery_many,
)
from bot.services.participants import language_of
from bot.texts import t

log = logging.getLogger(__name__)

JOB_NAME = "send_announcements"
KICK_NAME = "send_announcements_now"
SERVICE_KEY = "announcements"
INTERVAL_SECONDS = 10.0
# Staff's progress message is edited at most this often (edits count against the rate too).
PROGRESS_EVERY_SECONDS = 3.0
# Answers are written in groups, one transaction each: at most this many, this long apart
# (short: answers not yet written when a process is killed leave their rows "unknown").
RECORD_EVERY_ROWS = 200
RECORD_EVERY_SECONDS = 0.1

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
OnRecorded = Callable[[int], Awaitable[None]]


def worker_name(kind: str = "bot") -> str:
    """A name for this process in `claimed_by` (host, pid and a random part)."""
    return f"{kind}:{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def batch_size(rate: float) -> int:
    """How many rows to claim at once: about five seconds of sending, 20 to 500."""
    return max(20, min(500, int(rate * 5)))


def progress_text(progress: Progress, lang: str) -> str:
    """The progress line shown while sending."""
    return t(
        "announce.progress",
        lang,
        done=progress.done,
        total=progress.total,
        sent=progress.sent,
        blocked=progress.blocked,
        failed=progress.failed,
    )


def report_text(progress: Progress, lang: str) -> str:
    """The final report: delivered, blocked the bot, failed (and unknown if any)."""
    text = t(
        "announce.report",
        lang,
        total=progress.total,
        sent=progress.sent,
        blocked=progress.blocked,
        failed=progress.failed,
    )
    if progress.unknown:
        text += t("announce.report_unknown", lang, unknown=progress.unknown)
    return text


class _Recorder:
    """Collects the answers of sends and writes them in groups, one transaction each."""

    def __init__(self, deps: Deps, on_recorded: OnRecorded | None) -> None:
        self.deps = deps
        self.on_recorded = on_recorded
        self._outcomes: list[DeliveryOutcome] = []
        self._announcements: set[int] = set()
        self._lock = asyncio.Lock()
        self._last = time.monotonic()

    async def add(self, announcement_id: int, outcome: DeliveryOutcome) -> None:
        """Keep one answer; write the group when it is big or old enough."""
        self._outcomes.append(outcome)
        self._announcements.add(announcement_id)
        due = (
            len(self._outcomes) >= RECORD_EVERY_ROWS
            or time.monotonic() - self._last >= RECORD_EVERY_SECONDS
        )
        if due and not self._lock.locked():
            await self.flush()

    async def flush(self) -> None:
        """Write every answer kept so far, then show progress."""
        async with self._lock:
            outcomes, self._outcomes = self._outcomes, []
            announcements, self._announcements = self._announcements, set()
            self._last = time.monotonic()
            if not outcomes:
                return
            try:
                async with self.deps.sessions() as session:
                    await record_deliveries(session, outcomes, self.deps.clock())
            except Exception:
                # The rows stay `sending` and become unknown after the stale timeout.
                log.exception("could not record %s announcement deliveries", len(outcomes))
                return
            if self.on_recorded is None:
                return
            for announcement_id in announcements:
                try:
                    await self.on_recorded(announcement_id)
                except Exception:
                    log.exception("progress of announcement %s not shown", announcement_id)


def _starter(deps: Deps, worker: str) -> GroupedStart:
    async def mark_leaving(delivery_ids: list[int]) -> set[int]:
        async with deps.sessions() as session:
            return await start_delivery_many(session, delivery_ids, worker, deps.clock())

    return GroupedStart(mark_leaving)


async def _send_and_record(
    application: AnyApplication, item: ClaimedDelivery, starter: GroupedStart, recorder: _Recorder
) -> None:
    async def leaving() -> bool:
        return await starter(item.delivery_id)

    state, error = DeliveryState.UNKNOWN, "not sent: internal error"
    try:
        result = await send_one(application.bot, item.chat_id, item.text, before_send=leaving)
        state, error = DeliveryState(result.outcome.value), result.error or ""
    except NotSentError:
        return  # our reservation ran out and another worker took the row
    except Exception:
        # Not knowing whether it went out, the row must never be sent again (recording
        # changes only a row that `start_delivery` had marked sending).
        log.exception("announcement delivery %s failed", item.delivery_id)
    await recorder.add(
        item.announcement_id, DeliveryOutcome(item.delivery_id, state, error or None)
    )


async def _claim(
    deps: Deps, announcement_id: int | None, worker: str, limit: int
) -> list[ClaimedDelivery]:
    lease = timedelta(seconds=deps.settings.stale_claim_seconds)
    async with deps.sessions() as session:
        return await claim_deliveries(session, announcement_id, worker, limit, deps.clock(), lease)


async def deliver_batch(
    application: AnyApplication,
    *,
    worker: str,
    announcement_id: int | None = None,
    on_recorded: OnRecorded | None = None,
    limit: int | None = None,
) -> int:
    """Claim one batch of deliveries, send them, record each answer; returns how many."""
    deps = deps_of(application)
    rate = deps.settings.process_rate
    claimed = await _claim(deps, announcement_id, worker, limit or batch_size(rate))
    starter = _starter(deps, worker)
    recorder = _Recorder(deps, on_recorded)
    try:
        await run_bounded(
            claimed,
            lambda item: _send_and_record(application, item, starter, recorder),
            concurrency=in_flight_for(rate),
        )
    finally:
        await recorder.flush()
    return len(claimed)


async def deliver_pending(
    application: AnyApplication,
    *,
    worker: str,
    announcement_id: int | None = None,
    on_recorded: OnRecorded | None = None,
    keep_going: Callable[[], bool] = lambda: True,
) -> int:
    """Claim, send and record batch after batch until nothing is pending; returns how many.

    The next batch is claimed as soon as the last send of the current one has started, not
    when all of them have been answered, so the rate does not dip between batches.
    `keep_going` is asked before each claim: a claimed batch is always sent and recorded.
    """
    deps = deps_of(application)
    rate = deps.settings.process_rate
    starter = _starter(deps, worker)
    recorder = _Recorder(deps, on_recorded)
    in_flight = asyncio.Semaphore(in_flight_for(rate))
    total = 0

    async def one(item: ClaimedDelivery) -> None:
        try:
            await _send_and_record(application, item, starter, recorder)
        finally:
            in_flight.release()

    try:
        async with asyncio.TaskGroup() as group:
            while keep_going():
                claimed = await _claim(deps, announcement_id, worker, batch_size(rate))
                if not claimed:
                    break
                total += len(claimed)
                for item in claimed:
                    await in_flight.acquire()
                    group.create_task(one(item))
    finally:
        await recorder.flush()
    return total


class AnnouncementRunner:
    """The bot's announcement worker: one delivery loop at a time, staff progress, reports."""

    def __init__(self, application: AnyApplication) -> None:
        self.application = application
        self.worker = worker_name()
        self._lock = asyncio.Lock()
        self._again = False
        self._last_edit: dict[int, float] = {}
        self._staff_language: dict[int, str] = {}

    async def run(self, keep_going: Callable[[], bool] = lambda: True) -> None:
        """Send whatever is pending, then finish and report what is complete.

        `keep_going` is asked between batches: when the bot stops, the batch in hand is
        finished and recorded, the rest waits for the next start.
        """
        if self._lock.locked():
            # A loop is running; make it look once more so nothing waits for the next tick.
            self._again = True
            return
        async with self._lock:
            self._again = True
            while self._again:
                self._again = False
                await self._run_once(keep_going)

    async def _run_once(self, keep_going: Callable[[], bool]) -> None:
        deps = deps_of(self.application)
        stale_after = timedelta(seconds=deps.settings.stale_claim_seconds)
        async with deps.sessions() as session:
            expired = await expire_stale_claims(session, deps.clock(), stale_after)
        if expired:
            log.warning("%s announcement deliveries had no answer recorded: now unknown", expired)
        await deliver_pending(
            self.application,
            worker=self.worker,
            on_recorded=self._show_progress,
            keep_going=keep_going,
        )
        async with deps.sessions() as session:
            running = await announcements_in_progress(session)
        for announcement in running:
            async with deps.sessions() as session:
                finished = await finish_if_done(session, announcement.id, deps.clock())
            if finished:
                await self._report(announcement)

    async def _language(self, announcement: Announcement) -> str:
        cached = self._staff_language.get(announcement.id)
        if cached is not None:
            return cached
        deps = deps_of(self.application)
        lang: str | None = None
        if announcement.created_by is not None:
            async with deps.sessions() as session:
                lang = await language_of(session, announcement.created_by)
        lang = lang or deps.settings.default_language
        self._staff_language[announcement.id] = lang
        return lang

    async def _show_progress(self, announcement_id: int) -> None:
        """Edit the staff member's progress message, at most every few seconds."""
        now = time.monotonic()
        if now - self._last_edit.get(announcement_id, 0.0) < PROGRESS_EVERY_SECONDS:
            return
        self._last_edit[announcement_id] = now
        deps = deps_of(self.application)
        async with deps.sessions() as session:
            announcement = await get_announcement(session, announcement_id)
            progress = await announcement_progress(session, announcement_id)
        if announcement is None or announcement.progress_chat_id is None:
            return
        lang = await self._language(announcement)
        await self._edit_progress(announcement, progress_text(progress, lang))

    async def _edit_progress(self, announcement: Announcement, text: str) -> bool:
        if announcement.progress_chat_id is None or announcement.progress_message_id is None:
            return False
        try:
            await self.application.bot.edit_message_text(
                text, announcement.progress_chat_id, announcement.progress_message_id
            )
        except BadRequest as exc:
            if "not modified" in exc.message:
                return True
            log.info("progress of announcement %s not shown: %s", announcement.id, exc)
            return False
        except TelegramError as exc:
            log.info("progress of announcement %s not shown: %s", announcement.id, exc)
            return False
        return True

    async def _report(self, announcement: Announcement) -> None:
        """Replace the progress with the final numbers and send the report as a new message
        (a new message notifies the staff member; an edit would not)."""
        self._last_edit.pop(announcement.id, None)
        deps = deps_of(self.application)
        async with deps.sessions() as session:
            progress = await announcement_progress(session, announcement.id)
        log.info("announcement %s finished: %s", announcement.id, progress)
        if announcement.progress_chat_id is None:
            return
        lang = await self._language(announcement)
        self._staff_language.pop(announcement.id, None)
        await self._edit_progress(announcement, progress_text(progress, lang))
        try:
            await self.application.bot.send_message(
                announcement.progress_chat_id, report_text(progress, lang)
            )
        except TelegramError as exc:
            log.warning("report of announcement %s not sent: %s", announcement.id, exc)


def runner_of(application: AnyApplication) -> AnnouncementRunner:
    """The application's announcement runner (created on first use)."""
    services = deps_of(application).services
    runner = services.get(SERVICE_KEY)
    if not isinstance(runner, AnnouncementRunner):
        runner = services[SERVICE_KEY] = AnnouncementRunner(application)
    return runner


async def run_announcements(
    application: AnyApplication, keep_going: Callable[[], bool] = lambda: True
) -> None:
    """Send every pending announcement delivery and report finished announcements."""
    await runner_of(application).run(keep_going)


async def send_announcements(context: BotContext) -> None:
    """Job callback: run the announcement worker until done or until the bot stops."""
    application = context.application
    await run_announcements(application, lambda: application.running)


def kick(application: AnyApplication) -> None:
    """Start sending now instead of at the next tick (staff just confirmed)."""
    if application.job_queue is not None:
        application.job_queue.run_once(send_announcements, 0, name=KICK_NAME)


def schedule(application: AnyApplication) -> None:
    """Install the repeating job; at start-up it resumes announcements left in `sending`."""
    if application.job_queue is None:
        log.warning("no job queue: announcements will not be sent")
        return
    application.job_queue.run_repeating(
        send_announcements,
        interval=INTERVAL_SECONDS,
        first=1,
        name=JOB_NAME,
        # A run lasts as long as a long announcement; the ticks meanwhile return at once.
        job_kwargs={"id": JOB_NAME, "replace_existing": True, "coalesce": True, "max_instances": 3},
    )
