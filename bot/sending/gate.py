"""The gates every Bot API call of a process passes: a global rate, replies first, bulk per
chat spaced.

Every Bot API call passes through `PriorityRateLimiter` (installed in the Application). Calls
that put a new message in a chat take a slot of the sending budget (this process's share of
`BROADCAST_RATE`, `bot.sending.budget`, in a sliding one-second window); edits of a message
take a slot of an edit budget of the same size, so editing a reply in place leaves the
sending budget to new messages; answering a button press takes none. Slots are handed out
evenly spaced rather than all at once: a burst of R calls leaves the bot together but reaches
Telegram spread over tens of milliseconds, so the next window's first calls would meet the
last ones of the previous burst in Telegram's window and get 429s. Waiting calls are served
by priority: replies to users who are chatting come before bulk sends (reminders,
announcements), so a long announcement never makes `/start` wait for more than about one
window; replies take turns between chats, so a reply of several messages (or a flood) in one
chat never holds up the next person's answer. Bulk sends also keep about one second between
two messages to the same chat. A 429 pauses the gate for `retry_after` and the call is retried.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypedDict

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.services.outbox import BULK, NOTICE

__all__ = [
    "BULK",
    "EDIT_ENDPOINTS",
    "INTERACTIVE",
    "NOTICE",
    "SEND_ENDPOINTS",
    "PriorityRateLimiter",
    "RateArgs",
    "SlotGate",
]

log = logging.getLogger(__name__)

INTERACTIVE = 0
# A call that marks its message as leaving when it gets its slot (`on_slot`, a database write)
# may have the slot this much before the slot is free: the mark is written meanwhile, and the
# request still leaves no earlier than the slot allows. Without it every slot's cycle is one
# window plus the mark plus the round trip, and at R=300 the mark alone cost 1-2 % of R.
ON_SLOT_LEAD = 0.05
# A pacing timer that fires this late loses no slot: the slots it owed go at once. At R=300 a
# slot is due every 3.3 ms and the event loop is often 10-20 ms late; making up only the
# burst's two slots lost 2-5 % of R (docs/benchmarks.md). The window still caps every second.
LATE_TIMER_ALLOWANCE = 0.025
# Calls that put a message in a chat: Telegram allows a bot about 30 of these a second.
SEND_ENDPOINTS = frozenset(
    {
        "sendMessage", "sendDocument", "sendPhoto", "sendMediaGroup", "copyMessage",
        "forwardMessage", "sendAudio", "sendVideo", "sendVoice", "sendAnimation", "sendSticker",
        "sendLocation", "sendVenue", "sendContact", "sendPoll",
    }
)  # fmt: skip
# Calls that change a message already there: not new messages, but limited too; they keep a
# budget of their own (the same size), so editing in place leaves the sending budget alone.
EDIT_ENDPOINTS = frozenset(
    {"editMessageText", "editMessageReplyMarkup", "editMessageCaption", "editMessageMedia"}
)


class RateArgs(TypedDict, total=False):
    """What a caller may pass as `rate_limit_args`."""

    priority: int  # INTERACTIVE (default), or the outbox's NOTICE or BULK
    max_retries: int
    # Awaited once the call has its slot, right before the request goes out; False drops the
    # call (raises `NotSentError`). Bulk senders record there that a message is leaving, so that a
    # message still waiting for its slot when the process dies is known never to have left.
    on_slot: Callable[[], Awaitable[bool]]


class NotSentError(Exception):
    """The call was dropped before any request was made (its `on_slot` said no)."""


class SlotGate:
    """A sliding-window budget of `rate` slots per `window` seconds, handed out by priority.

    A slot is held from the moment it is granted until `window` after the call's answer came
    back (`release`). Telegram counts a message when it arrives, which is after we let it go
    and before its answer reaches us, so a slot freed one window after the answer can never
    overlap Telegram's window, however late the event loop or the network delayed the call.
    (Counting from the grant instead needs a margin that guesses that delay; a late call then
    meets the next window's first ones and draws a 429, which stops bulk sends for a second.)
    Slots are handed out evenly spaced, not in bursts, so calls do not queue up on the way.
    """

    def __init__(
        self,
        rate: float,
        *,
        window: float = 1.0,
        margin: float = 0.0,
        burst: int = 3,
        per_chat_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.window = window * (1 + margin)
        self.capacity = 1
        self.interval = self.window
        self.set_capacity(max(1, int(rate * window)))
        # After a quiet spell up to `burst` go at once (a reply and its follow-up need not queue
        # behind each other).
        self.burst = max(1, burst)
        self.per_chat_interval = per_chat_interval
        self.clock = clock
        self.paused_until = 0.0
        self.bulk_paused_until = 0.0
        self._held: list[float] = []  # heap of the moments answered slots become free
        self._in_flight: dict[int, float] = {}  # slot -> granted at, until its answer
        self._slots = itertools.count(1)
        self._next_slot = 0.0
        # (priority, turn, arrival, lead, the caller's future): replies first, in turns
        self._waiting: list[tuple[int, int, int, float, asyncio.Future[int]]] = []
        self._send_at: dict[int, float] = {}  # slot granted ahead -> when its call may go
        self._seq = itertools.count()
        # Fair turns between chats for replies: a chat's next reply is queued one turn after
        # its previous one, so many messages to one chat never make another chat wait behind
        # all of them (start-time fair queueing with a turn of one message).
        self._turn = 0  # the turn of the reply handed out last
        self._chat_turns: dict[int, int] = {}  # chat -> the turn its next reply queues at
        self._wakeup: asyncio.TimerHandle | None = None
        self._chat_last: dict[int, float] = {}

    def set_capacity(self, slots: int) -> None:
        """Hold at most `slots` slots per window from now on (0 stops handing them out).

        Slots already held are not taken back: lowering waits until calls answered within the
        window leave it. Slots are at least `window / slots` apart on average.
        """
        self.capacity = max(0, slots)
        self.interval = self.window / max(1, self.capacity)
        if self._waiting_started():
            self._dispatch()

    def hold_background(self) -> None:
        """Stop handing out slots to background sends until `resume_background` (an outage)."""
        self.bulk_paused_until = float("inf")

    def resume_background(self) -> None:
        """Background sends may have slots again."""
        self.bulk_paused_until = 0.0
        if self._waiting_started():
            self._dispatch()

    def _waiting_started(self) -> bool:
        # Dispatching needs the running loop; before the first call there is nothing to serve.
        return bool(getattr(self, "_waiting", None))

    @property
    def waiting(self) -> int:
        """How many calls wait for a slot."""
        return len(self._waiting)

    @property
    def in_use(self) -> int:
        """Slots counted against the window now: calls in flight and answered in the window."""
        self._expire(self.clock())
        return len(self._in_flight) + len(self._held)

    async def acquire(
        self, priority: int = INTERACTIVE, chat_id: int | None = None, *, lead: float = 0.0
    ) -> int:
        """Wait for a slot and return it (give it back with `release` after the answer);
        bulk calls also wait for their chat's spacing.

        With a `lead`, the slot may be granted up to `lead` seconds before it is free, for a
        caller with work to do between the grant and the request (marking a message as
        leaving): it then awaits `ready(slot)` right before the request, which waits for
        the slot's moment, so the work does not stretch the slot's cycle.
        """
        if chat_id is not None and priority > INTERACTIVE:
            # Reserve this chat's next turn before waiting, so that two bulk sends to the same
            # chat started together still go out about a second apart.
            now = self.clock()
            turn = max(
                now,
                self._chat_last.get(chat_id, now - self.per_chat_interval) + self.per_chat_interval,
            )
            self._chat_last[chat_id] = turn
            if turn > now:
                await asyncio.sleep(turn - now)
        future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        turn = self._reply_turn(chat_id) if priority == INTERACTIVE else 0
        heapq.heappush(self._waiting, (priority, turn, next(self._seq), lead, future))
        self._dispatch()
        try:
            slot = await future
        except asyncio.CancelledError:
            if not future.cancelled() and future.done():
                # Granted but never used: it may as well have been sent, hold it a window.
                self.release(future.result())
            raise
        if chat_id is not None:
            # max(): never move back a turn that a later bulk send of this chat has reserved.
            self._chat_last[chat_id] = max(self._chat_last.get(chat_id, 0.0), self.clock())
            if len(self._chat_last) > 50_000:
                self._forget_old_chats()
        return slot

    def _reply_turn(self, chat_id: int | None) -> int:
        """The turn a reply to `chat_id` queues at: now, or after the chat's earlier ones."""
        if chat_id is None:
            return self._turn
        turn = max(self._turn, self._chat_turns.get(chat_id, 0))
        self._chat_turns[chat_id] = turn + 1
        if len(self._chat_turns) > 50_000:
            # Chats whose next turn has come impose nothing: forget them.
            self._chat_turns = {c: t for c, t in self._chat_turns.items() if t > self._turn}
        return turn

    async def ready(self, slot: int) -> None:
        """Wait until the call of `slot` may go (at once unless it was granted ahead)."""
        send_at = self._send_at.pop(slot, None)
        if send_at is not None and send_at > self.clock():
            await asyncio.sleep(send_at - self.clock())

    def send_time(self, slot: int) -> float | None:
        """When the call of a slot granted ahead may go (None: at once)."""
        return self._send_at.get(slot)

    def release(self, slot: int) -> None:
        """The call of `slot` was answered (or failed): its slot is free one window from now."""
        self._send_at.pop(slot, None)
        if self._in_flight.pop(slot, None) is None:
            return
        heapq.heappush(self._held, self.clock() + self.window)
        self._dispatch()

    def pause(self, seconds: float, priority: int = INTERACTIVE) -> None:
        """Stop handing out slots for `seconds` (Telegram answered 429).

        A 429 on a bulk send pauses bulk sends only: replies keep their small share of the
        budget, so a participant's /start is still answered while a broadcast waits.
        """
        if priority > INTERACTIVE:
            self.bulk_paused_until = max(self.bulk_paused_until, self.clock() + seconds)
        else:
            self.paused_until = max(self.paused_until, self.clock() + seconds)
        self._schedule(seconds)

    def _forget_old_chats(self) -> None:
        horizon = self.clock() - self.per_chat_interval
        self._chat_last = {c: t for c, t in self._chat_last.items() if t > horizon}

    def _expire(self, now: float) -> None:
        while self._held and self._held[0] <= now:
            heapq.heappop(self._held)

    def _dispatch(self) -> None:
        now = self.clock()
        self._expire(now)
        if now < self.paused_until:
            self._schedule(self.paused_until - now)
            return
        while self._waiting:
            priority, turn, _, lead, future = self._waiting[0]
            if future.done():  # its caller gave up
                heapq.heappop(self._waiting)
                continue
            if priority > INTERACTIVE and now < self.bulk_paused_until:
                # Only background calls are left (the heap serves replies first), and they wait.
                if self.bulk_paused_until != float("inf"):
                    self._schedule(self.bulk_paused_until - now)
                return
            send_at = self._send_time(now, lead)
            if send_at is None or send_at > now + lead:
                # Full (a call in flight frees nothing until its answer, which dispatches
                # again), or the pacing says not yet.
                wake = self._held[0] if send_at is None and self._held else send_at
                if wake is not None:
                    self._schedule(wake - lead - now)
                return
            heapq.heappop(self._waiting)
            self._grant(priority, turn, future, now, send_at)

    def _send_time(self, now: float, lead: float) -> float | None:
        """When the head of the queue could go: now if there is room, else when the oldest
        answered slot leaves the window if that is within `lead`; never before the pacing."""
        used = len(self._in_flight) + len(self._held)
        if used < self.capacity:
            moment = now
        elif (
            self.capacity
            and used == self.capacity
            and self._held[:1]
            and (self._held[0] <= now + lead)
        ):
            moment = self._held[0]  # taken over at its moment (`_grant`)
        else:
            return None
        return max(moment, self._next_slot)

    def _grant(
        self, priority: int, turn: int, future: asyncio.Future[int], now: float, send_at: float
    ) -> None:
        if len(self._in_flight) + len(self._held) >= self.capacity:
            heapq.heappop(self._held)  # the slot it takes over; it may not go before its time
        if priority == INTERACTIVE:
            self._turn = max(self._turn, turn)
        slot = next(self._slots)
        self._in_flight[slot] = now
        if send_at > now:
            self._send_at[slot] = send_at
        # From the schedule, not from `now`: a timer that fires late is made up for by the
        # next slots (the window still caps any one-second span).
        earliest = send_at - max(self.interval * (self.burst - 1), LATE_TIMER_ALLOWANCE)
        self._next_slot = max(self._next_slot, earliest) + self.interval
        future.set_result(slot)

    def _schedule(self, delay: float) -> None:
        if self._wakeup is not None:
            self._wakeup.cancel()
        loop = asyncio.get_running_loop()
        self._wakeup = loop.call_later(max(delay, 0.0005), self._on_timer)

    def _on_timer(self) -> None:
        self._wakeup = None
        self._dispatch()


class PriorityRateLimiter(BaseRateLimiter[RateArgs]):
    """The Application's rate limiter: every send goes through one `SlotGate`, every edit
    through another of the same size; answering a button press, reading or setting up the bot
    is not limited here (Telegram does not count those as messages)."""

    def __init__(self, rate: float, *, max_retries: int = 5, **gate_options: Any) -> None:
        self.rate = rate
        self.max_retries = max_retries
        self._gate_options = gate_options
        self._gates: dict[str, SlotGate] = {}

    def _gate_named(self, name: str) -> SlotGate:
        # Created lazily, inside the running loop.
        if name not in self._gates:
            self._gates[name] = SlotGate(self.rate, **self._gate_options)
            if name != "send" and "send" in self._gates:
                self._gates[name].set_capacity(self._gates["send"].capacity)
        return self._gates[name]

    @property
    def gate(self) -> SlotGate:
        """The gate of sends (the budget Telegram counts messages against)."""
        return self._gate_named("send")

    @property
    def edit_gate(self) -> SlotGate:
        """The gate of edits."""
        return self._gate_named("edit")

    def gate_for(self, endpoint: str) -> SlotGate | None:
        """The gate a Bot API method waits at, or None when it is not limited here."""
        if endpoint in SEND_ENDPOINTS:
            return self.gate
        if endpoint in EDIT_ENDPOINTS:
            return self.edit_gate
        return None

    def set_capacity(self, slots: int) -> None:
        """This process's share, for sends and (a budget of the same size) for edits."""
        for name in ("send", "edit"):
            self._gate_named(name).set_capacity(slots)

    def hold_background(self) -> None:
        """Stop background sends and edits (an outage) until `resume_background`."""
        for name in ("send", "edit"):
            self._gate_named(name).hold_background()

    def resume_background(self) -> None:
        """Background sends and edits may go again."""
        for name in ("send", "edit"):
            self._gate_named(name).resume_background()

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: RateArgs | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for a slot (for counted calls), make the call, retry after a 429."""
        options = rate_limit_args or {}
        priority = options.get("priority", INTERACTIVE)
        chat = data.get("chat_id")
        chat_id = chat if isinstance(chat, int) else None
        on_slot = options.get("on_slot")
        gate = self.gate_for(endpoint)
        attempt = 0
        while True:
            marks = attempt == 0 and on_slot is not None
            lead = ON_SLOT_LEAD if marks else 0.0
            slot = await gate.acquire(priority, chat_id, lead=lead) if gate is not None else None
            try:
                if marks and on_slot is not None and not await on_slot():
                    raise NotSentError(endpoint)
                if gate is not None and slot is not None:
                    await gate.ready(slot)
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                attempt += 1
                delay = self._pause_for(exc, priority, endpoint, attempt, gate, slot)
                slot = None  # given back before the wait
                if attempt > options.get("max_retries", self.max_retries):
                    raise
                await asyncio.sleep(delay)
            finally:
                if gate is not None and slot is not None:
                    gate.release(slot)

    def _pause_for(
        self,
        exc: RetryAfter,
        priority: int,
        endpoint: str,
        attempt: int,
        gate: SlotGate | None,
        slot: int | None,
    ) -> float:
        """Telegram said 429: give the slot back and pause the gate for as long as it asks."""
        seconds = exc.retry_after
        delay = seconds if isinstance(seconds, int | float) else seconds.total_seconds()
        if gate is not None:
            if slot is not None:
                gate.release(slot)
            gate.pause(delay, priority)
        log.warning("429 on %s: pausing sends for %ss (attempt %s)", endpoint, delay, attempt)
        return float(delay)
