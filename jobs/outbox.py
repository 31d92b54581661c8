"""The one sender: claim what is due in the outbox, render it, send it at the shared rate, and
record every answer. Every kind (reminders, announcements, notices, reports) goes this way.

A repeating job (`JOB_NAME`) looks every few seconds; whoever queues something that should go
now calls `wake`. One delivery loop runs at a time per process; several processes share the
rows (claims in the database) and the rate (`bot.sending.budget`).

An outage of the Bot API is a pause, not a hundred answers (`jobs/outage.py`): the first send
that shows one holds every other background send, and the rows that had not left are given
back; sending resumes where it stopped once the API answers again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot.runtime.context import AnyApplication, Deps, deps_of
from bot.runtime.jobqueue import repeat, run_soon
from bot.sending.budget import RENEW_SECONDS, BudgetKeeper, process_name
from bot.sending.deliver import LeavingMarker, SendResult, in_flight_for, send_one
from bot.sending.gate import NotSentError
from bot.services import outbox
from bot.services.outbox import Claimed, Kind, Recorded, SendAnswer
from bot.texts.message import Outgoing
from jobs.follow_ups import AnnouncementProgress
from jobs.kinds import FOLLOW_UPS, RenderContext, render_all
from jobs.outage import Outage, gate_of, limiter_of

log = logging.getLogger(__name__)

JOB_NAME = "send_outbox"
WAKE_NAME = "send_outbox.wake"
BUDGET_JOB = "renew_send_budget"
SERVICE_KEY = "outbox"
POLL_SECONDS = 2.0
# Answers are written in groups, one transaction each: at most this many, this long apart
# (short: answers not yet written when a process is killed leave their rows "unknown").
RECORD_EVERY_ROWS = 200
RECORD_EVERY_SECONDS = 0.1

KeepGoing = Callable[[], bool]


def batch_size(rate: float) -> int:
    """How many rows to claim at once: about five seconds of sending at `rate`, 20 to 500."""
    return max(20, min(500, int(rate * 5)))


class Recorder:
    """Collects the answers of sends and writes them in groups, one transaction each."""

    def __init__(self, deps: Deps, after: Callable[[Recorded], Any]) -> None:
        self.deps = deps
        self.after = after
        self._answers: list[SendAnswer] = []
        self._lock = asyncio.Lock()
        self._last = time.monotonic()

    async def add(self, answer: SendAnswer) -> None:
        """Keep one answer; write the group when it is big or old enough."""
        self._answers.append(answer)
        due = (
            len(self._answers) >= RECORD_EVERY_ROWS
            or time.monotonic() - self._last >= RECORD_EVERY_SECONDS
        )
        if due and not self._lock.locked():
            await self.flush()

    async def flush(self) -> None:
        """Write every answer kept so far, then let the sender follow up."""
        async with self._lock:
            answers, self._answers = self._answers, []
            self._last = time.monotonic()
            if not answers:
                return
            try:
                async with self.deps.sessions() as session:
                    recorded = await outbox.record(session, answers, self.deps.clock())
            except Exception:
                # The rows stay `sending` and become unknown after the stale timeout.
                log.exception("could not record %s answers", len(answers))
                return
            await self.after(recorded)


class _DeliveryLoop:
    """One delivery loop: what is in flight, what has left, what must be given back."""

    def __init__(self, sender: Sender, announcement_id: int | None) -> None:
        self.sender = sender
        self.deps = sender.deps
        self.announcement_id = announcement_id
        self.tasks: dict[int, asyncio.Task[None]] = {}
        self.requested: set[int] = set()
        self.unsent: list[int] = []
        self.mark_leaving = LeavingMarker(self._mark)
        self.recorder = Recorder(self.deps, sender.after_record)
        self.in_flight = asyncio.Semaphore(in_flight_for(self.deps.settings.broadcast_rate))

    async def _mark(self, ids: list[int]) -> set[int]:
        async with self.deps.sessions() as session:
            return await outbox.mark_sending(session, ids, self.sender.worker, self.deps.clock())

    async def claim(self) -> list[Claimed]:
        """The next batch of due rows, most urgent first."""
        deps = self.deps
        lease = timedelta(seconds=deps.settings.stale_claim_seconds)
        # About five seconds of this process's share: what it holds, it can send soon.
        limit = batch_size(gate_of(self.sender.application).capacity)
        async with deps.sessions() as session:
            return await outbox.claim(
                session, self.sender.worker, limit, deps.clock(), lease, self.announcement_id
            )

    async def render(self, batch: list[Claimed]) -> dict[int, Outgoing | None]:
        """Each row's message; rows with nothing to say any more are skipped at once."""
        context = RenderContext(self.deps.settings, self.deps.clock())
        async with self.deps.sessions() as session:
            rendered = await render_all(session, batch, context)
            await outbox.skip(session, [i for i, m in rendered.items() if m is None], "obsolete")
        return rendered

    async def send(self, item: Claimed, message: Outgoing) -> None:
        """Send one row when its slot opens, and keep the answer."""
        try:
            result = await send_one(
                self.sender.application.bot,
                item.chat_id,
                message,
                priority=item.priority,
                before_send=lambda: self._leaving(item.id),
            )
        except NotSentError:
            return  # our lease ran out and another sender took the row
        except Exception:
            # Not knowing whether it went out, the row is never sent again (it stays
            # `sending` until the stale timeout makes it unknown).
            log.exception("outbox row %s failed", item.id)
            return
        await self._answer(item, result)

    def track(self, delivery_id: int, task: asyncio.Task[None]) -> None:
        """Keep a send's task; when it ends its in-flight place frees, and a send cancelled
        before its request (an outage) gives its row back."""
        self.tasks[delivery_id] = task

        def done(finished: asyncio.Task[None]) -> None:
            self.in_flight.release()
            if finished.cancelled() and delivery_id not in self.requested:
                self.unsent.append(delivery_id)

        task.add_done_callback(done)

    async def _leaving(self, delivery_id: int) -> bool:
        marked = await self.mark_leaving(delivery_id)
        if marked:
            self.requested.add(delivery_id)
        return marked

    async def _answer(self, item: Claimed, result: SendResult) -> None:
        if result.outage:
            self.sender.outage.trip(result.error)
            self.hold_back()
        if result.error:
            log.info("outbox row %s (%s): %s %s", item.id, item.kind, result.result, result.error)
        await self.recorder.add(
            SendAnswer(item.id, result.result, message_id=result.message_id, error=result.error)
        )

    def hold_back(self) -> None:
        """Cancel every send that has not left yet; their rows are given back."""
        for delivery_id, task in self.tasks.items():
            if delivery_id not in self.requested and not task.done():
                task.cancel()

    async def finish(self) -> None:
        """Write the last answers and give back what did not leave."""
        await self.mark_leaving.drain()
        await self.recorder.flush()
        if self.unsent:
            async with self.deps.sessions() as session:
                await outbox.release(session, self.unsent, self.sender.worker)


class Sender:
    """The outbox sender of one process (the bot, a worker, or the command line)."""

    def __init__(self, application: AnyApplication, role: str = "bot") -> None:
        self.application = application
        self.deps = deps_of(application)
        self.role = role
        self.worker = process_name(role)
        self.budget = BudgetKeeper(
            lambda: limiter_of(application),
            self.deps.sessions,
            self.deps.clock,
            rate=self.deps.settings.broadcast_rate,
            role=role,
            process=self.worker,
        )
        self.outage = Outage(application, lambda: wake(application))
        self._lock = asyncio.Lock()
        self._again = False
        self._follow_ups = {
            kind: (ids_of, make(application)) for kind, (ids_of, make) in FOLLOW_UPS.items()
        }
        progress = self._follow_ups[Kind.ANNOUNCEMENT][1]
        assert isinstance(progress, AnnouncementProgress)
        self._progress = progress  # rows that expire unanswered may complete an announcement

    async def run(
        self, keep_going: KeepGoing = lambda: True, announcement_id: int | None = None
    ) -> int:
        """Send whatever is due until nothing is left (or `keep_going` says stop); returns how
        many rows were claimed. One loop at a time: a call meanwhile makes it look again."""
        if self._lock.locked():
            self._again = True
            return 0
        total = 0
        async with self._lock:
            self._again = True
            while self._again and not self.outage.active and keep_going():
                self._again = False
                await self._expire_stale()
                total += await self._deliver(keep_going, announcement_id)
        return total

    async def _expire_stale(self) -> None:
        deps = self.deps
        lease = timedelta(seconds=deps.settings.stale_claim_seconds)
        async with deps.sessions() as session:
            announcements = await outbox.expire_stale(session, deps.clock(), lease)
        for announcement_id in announcements:
            if await self._progress.finish(announcement_id):
                self._again = True  # the report waits in the outbox

    async def _deliver(self, keep_going: KeepGoing, announcement_id: int | None) -> int:
        """Claim, render and send batch after batch; the next batch is claimed as soon as the
        last send of the current one has its turn, so the rate does not dip between batches."""
        run = _DeliveryLoop(self, announcement_id)
        total = 0
        try:
            async with asyncio.TaskGroup() as group:
                while keep_going() and not self.outage.active:
                    batch = await run.claim()
                    if not batch:
                        break
                    total += len(batch)
                    rendered = await run.render(batch)
                    for item in batch:
                        message = rendered.get(item.id)
                        if message is None:
                            continue
                        await run.in_flight.acquire()
                        if self.outage.active:
                            run.in_flight.release()
                            run.unsent.append(item.id)
                            continue
                        run.track(item.id, group.create_task(run.send(item, message)))
        finally:
            await run.finish()
        return total

    async def after_record(self, recorded: Recorded) -> None:
        """Follow up on answers: claim again for rows that waited for these (a reminder's map
        pin), and what each kind does after its answers (`jobs.kinds.FOLLOW_UPS`)."""
        if recorded.followers:
            self._again = True
        for ids_of, follow_up in self._follow_ups.values():
            ids = ids_of(recorded)
            if ids and await follow_up(ids):
                self._again = True  # what the follow-up queued waits in the outbox

    async def close(self) -> None:
        """Stop probing and give the sending share back."""
        await self.outage.close()
        await self.budget.leave()


def sender_of(application: AnyApplication, role: str = "bot") -> Sender:
    """The application's sender (created on first use)."""
    services = deps_of(application).services
    sender = services.get(SERVICE_KEY)
    if not isinstance(sender, Sender):
        sender = services[SERVICE_KEY] = Sender(application, role)
    return sender


async def send_outbox(context: Any) -> None:
    """Job callback: send what is due until done or until the application stops."""
    application = context.application
    # A stopping application finishes the batch in hand and claims no more (an application
    # driven without start(), as in tests, is never "running").
    was_running = application.running
    await sender_of(application).run(lambda: application.running or not was_running)


async def renew_budget(context: Any) -> None:
    """Job callback: renew this process's sending share."""
    await sender_of(context.application).budget.renew()


def wake(application: AnyApplication) -> None:
    """Send now instead of at the next tick (something was just queued)."""
    run_soon(application, send_outbox, name=WAKE_NAME)


async def start(application: AnyApplication, role: str = "bot") -> None:
    """Agree the first sending share, then install the sender and budget jobs."""
    sender = sender_of(application, role)
    await sender.budget.renew()
    installed = repeat(
        application, renew_budget, name=BUDGET_JOB, interval=RENEW_SECONDS, first=RENEW_SECONDS
    )
    if not installed:
        log.warning("no job queue: the outbox will not be sent (install the job-queue extra)")
        return
    # A run lasts as long as a long announcement; the ticks meanwhile return at once.
    repeat(
        application, send_outbox, name=JOB_NAME, interval=POLL_SECONDS, first=0.5, max_instances=3
    )


async def stop(application: AnyApplication) -> None:
    """Stop probing and give this process's share back (after the jobs stopped)."""
    sender = deps_of(application).services.get(SERVICE_KEY)
    if isinstance(sender, Sender):
        await sender.close()
