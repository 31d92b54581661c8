"""One gate for everything the bot sends: a global rate, replies first, bulk per chat spaced.

Every Bot API call passes through `PriorityRateLimiter` (installed in the Application). Calls
that put a message in a chat take a slot of the global budget (`BROADCAST_RATE` per second, a
sliding one-second window with a small safety margin). Waiting calls are served by priority:
replies to users who are chatting come before bulk sends (reminders, announcements), so a long
announcement never makes `/start` wait for more than about one window. Bulk sends also keep
about one second between two messages to the same chat. A 429 pauses the whole gate for
`retry_after` and the call is retried.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypedDict

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

INTERACTIVE = 0
BULK = 10
# Calls that put (or change) a message in a chat and count against Telegram's limits.
COUNTED_ENDPOINTS = frozenset(
    {
        "sendMessage", "sendDocument", "sendPhoto", "sendMediaGroup", "copyMessage",
        "forwardMessage", "sendAudio", "sendVideo", "sendVoice", "sendAnimation", "sendSticker",
        "sendLocation", "sendContact", "sendPoll", "editMessageText", "editMessageReplyMarkup",
        "editMessageCaption", "editMessageMedia",
    }
)  # fmt: skip


def send_window(rate: float) -> float:
    """The gate's window for `rate` messages per second: short, so that sends leave evenly
    (not as one burst per second, which also keeps few of them in flight at any moment), yet
    long enough to hold two messages; between 0.2 and 1 second."""
    return min(1.0, max(0.2, 2 / rate))


class RateArgs(TypedDict, total=False):
    """What a caller may pass as `rate_limit_args`."""

    priority: int  # INTERACTIVE (default) or BULK
    max_retries: int
    # Awaited once the call has its slot, right before the request goes out; False drops the
    # call (raises `NotSentError`). Bulk senders record there that a message is leaving, so that a
    # message still waiting for its slot when the process dies is known never to have left.
    on_slot: Callable[[], Awaitable[bool]]


class NotSentError(Exception):
    """The call was dropped before any request was made (its `on_slot` said no)."""


class SlotGate:
    """A sliding-window budget of `rate` slots per `window` seconds, handed out by priority."""

    def __init__(
        self,
        rate: float,
        *,
        window: float = 1.0,
        margin: float = 0.02,
        per_chat_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = max(1, int(rate * window))
        self.window = window * (1 + margin)
        self.per_chat_interval = per_chat_interval
        self.clock = clock
        self.paused_until = 0.0
        self.bulk_paused_until = 0.0
        self._starts: deque[float] = deque()
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._wakeup: asyncio.TimerHandle | None = None
        self._chat_last: dict[int, float] = {}

    @property
    def waiting(self) -> int:
        """How many calls wait for a slot."""
        return len(self._waiting)

    async def acquire(self, priority: int = INTERACTIVE, chat_id: int | None = None) -> None:
        """Wait for a slot; bulk calls also wait for their chat's spacing."""
        if chat_id is not None and priority >= BULK:
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
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._seq), future))
        self._dispatch()
        try:
            await future
        except asyncio.CancelledError:
            if not future.cancelled() and future.done():
                # We got a slot but will not use it; the slot stays spent (conservative).
                pass
            raise
        if chat_id is not None:
            # max(): never move back a turn that a later bulk send of this chat has reserved.
            self._chat_last[chat_id] = max(self._chat_last.get(chat_id, 0.0), self.clock())
            if len(self._chat_last) > 50_000:
                self._forget_old_chats()

    def pause(self, seconds: float, priority: int = INTERACTIVE) -> None:
        """Stop handing out slots for `seconds` (Telegram answered 429).

        A 429 on a bulk send pauses bulk sends only: replies keep their small share of the
        budget, so a participant's /start is still answered while a broadcast waits.
        """
        if priority >= BULK:
            self.bulk_paused_until = max(self.bulk_paused_until, self.clock() + seconds)
        else:
            self.paused_until = max(self.paused_until, self.clock() + seconds)
        self._schedule(seconds)

    def _forget_old_chats(self) -> None:
        horizon = self.clock() - self.per_chat_interval
        self._chat_last = {c: t for c, t in self._chat_last.items() if t > horizon}

    def _dispatch(self) -> None:
        now = self.clock()
        while self._starts and self._starts[0] <= now - self.window:
            self._starts.popleft()
        if now < self.paused_until:
            self._schedule(self.paused_until - now)
            return
        while self._waiting and len(self._starts) < self.capacity:
            if self._waiting[0][0] >= BULK and now < self.bulk_paused_until:
                # Only bulk calls are left (the heap serves replies first) and bulk is paused.
                self._schedule(self.bulk_paused_until - now)
                return
            _, _, future = heapq.heappop(self._waiting)
            if future.done():
                continue
            self._starts.append(now)
            future.set_result(None)
        if self._waiting and self._starts:
            self._schedule(self._starts[0] + self.window - now)

    def _schedule(self, delay: float) -> None:
        if self._wakeup is not None:
            self._wakeup.cancel()
        loop = asyncio.get_running_loop()
        self._wakeup = loop.call_later(max(delay, 0.0005), self._on_timer)

    def _on_timer(self) -> None:
        self._wakeup = None
        self._dispatch()


class PriorityRateLimiter(BaseRateLimiter[RateArgs]):
    """The Application's rate limiter: every counted call goes through one `SlotGate`."""

    def __init__(self, rate: float, *, max_retries: int = 5, **gate_options: Any) -> None:
        self.rate = rate
        self.max_retries = max_retries
        self._gate_options = gate_options
        self._gate: SlotGate | None = None

    @property
    def gate(self) -> SlotGate:
        """The slot gate (created lazily inside the running loop)."""
        if self._gate is None:
            self._gate = SlotGate(self.rate, **self._gate_options)
        return self._gate

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
        retries = options.get("max_retries", self.max_retries)
        counted = endpoint in COUNTED_ENDPOINTS
        chat = data.get("chat_id")
        chat_id = chat if isinstance(chat, int) else None
        on_slot = options.get("on_slot")
        attempt = 0
        while True:
            if counted:
                await self.gate.acquire(priority, chat_id)
            if attempt == 0 and on_slot is not None and not await on_slot():
                raise NotSentError(endpoint)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = exc.retry_after
                delay = seconds if isinstance(seconds, int | float) else seconds.total_seconds()
                self.gate.pause(delay, priority)
                attempt += 1
                log.warning(
                    "429 on %s: pausing sends for %ss (attempt %s)", endpoint, delay, attempt
                )
                if attempt > retries:
                    raise
                await asyncio.sleep(delay)
