"""The bulk sender: one message to one chat with a clear outcome, many at a time.

Reminders and announcements both send through here. The rate itself is kept by the
Application's `PriorityRateLimiter`; this module marks the calls as bulk (they yield to replies),
keeps enough of them in flight to use the budget, and turns every answer into an `Outcome` that
the caller records in the database.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot

from bot.sending.gate import BULK, RateArgs

T = TypeVar("T")


class Outcome(enum.StrEnum):
    """What became of one send; mirrors the delivery states in the database."""

    SENT = "sent"
    BLOCKED = "blocked"  # the user blocked the bot or deleted the account: do not retry
    FAILED = "failed"  # Telegram refused the message: retrying would not help
    UNKNOWN = "unknown"  # no answer (timeout, lost connection): it may or may not have arrived


@dataclass(frozen=True)
class SendResult:
    """The outcome of one send and, when sent, the message id."""

    outcome: Outcome
    message_id: int | None = None
    error: str | None = None


_BLOCKED_HINTS = ("blocked", "deactivated", "chat not found", "user not found", "kicked")


async def send_one(
    bot: ExtBot[Any],
    chat_id: int,
    text: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    priority: int = BULK,
    before_send: Callable[[], Awaitable[bool]] | None = None,
) -> SendResult:
    """Send one message as bulk traffic and classify the answer (never raises TelegramError).

    `before_send` is awaited when the rate limit lets the message go, right before the
    request; when it returns False nothing is sent and `bot.sending.gate.NotSentError` is raised.
    """
    rate_args: RateArgs = {"priority": priority}
    if before_send is not None:
        rate_args["on_slot"] = before_send
    try:
        message = await bot.send_message(
            chat_id, text, reply_markup=reply_markup, rate_limit_args=rate_args
        )
    except Forbidden as exc:
        return SendResult(Outcome.BLOCKED, error=str(exc)[:200])
    except BadRequest as exc:
        lowered = exc.message.lower()
        outcome = Outcome.BLOCKED if any(h in lowered for h in _BLOCKED_HINTS) else Outcome.FAILED
        return SendResult(outcome, error=exc.message[:200])
    except TimedOut as exc:
        return SendResult(Outcome.UNKNOWN, error=f"timed out: {exc}"[:200])
    except RetryAfter as exc:
        # The rate limiter already retried several times; Telegram did not take the message.
        return SendResult(Outcome.FAILED, error=f"flood control: {exc}"[:200])
    except NetworkError as exc:
        return SendResult(Outcome.UNKNOWN, error=f"network: {exc}"[:200])
    except TelegramError as exc:
        return SendResult(Outcome.FAILED, error=str(exc)[:200])
    return SendResult(Outcome.SENT, message_id=message.message_id)


async def run_bounded(
    items: Iterable[T],
    work: Callable[[T], Awaitable[Any]],
    *,
    concurrency: int,
) -> None:
    """Run `work(item)` for every item with at most `concurrency` in flight."""
    semaphore = asyncio.Semaphore(max(1, concurrency))

    async def one(item: T) -> None:
        async with semaphore:
            await work(item)

    async with asyncio.TaskGroup() as group:
        for item in items:
            await semaphore.acquire()
            semaphore.release()
            group.create_task(one(item))


def in_flight_for(rate: float, round_trip: float = 0.25) -> int:
    """How many sends to keep in flight to use `rate` per second at a given round trip."""
    return max(4, min(500, int(rate * round_trip * 2) + 4))


async def batches(
    claim: Callable[[], Awaitable[list[T]]],
) -> AsyncIterator[list[T]]:
    """Yield claimed batches until `claim` returns an empty one."""
    while True:
        batch = await claim()
        if not batch:
            return
        yield batch


class GroupedStart:
    """Marks messages as leaving in shared transactions: whoever asks while one is being
    written waits for the next, which covers them all (a group commit).

    At a few messages a second each goes alone, as soon as its slot opens; at hundreds a
    second one transaction covers the handful that came meanwhile, so the database is not
    what limits the rate, and a message is still marked before it leaves.
    """

    def __init__(self, mark: Callable[[list[int]], Awaitable[set[int]]]) -> None:
        self._mark = mark
        self._waiting: dict[int, asyncio.Future[bool]] = {}
        self._writer: asyncio.Task[None] | None = None

    async def __call__(self, delivery_id: int) -> bool:
        """True once `delivery_id` is marked as leaving; False if it is no longer ours."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting[delivery_id] = future
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        return await future

    async def _write(self) -> None:
        while self._waiting:
            group, self._waiting = self._waiting, {}
            try:
                marked = await self._mark(list(group))
            except Exception as exc:
                for future in group.values():
                    if not future.done():
                        future.set_exception(exc)
                continue
            for delivery_id, future in group.items():
                if not future.done():
                    future.set_result(delivery_id in marked)
