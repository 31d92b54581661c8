"""One outbox message to one chat, with a clear answer: sent, blocked, failed, unknown, or
not sent (to be sent again later). Also the group commit that marks messages as leaving.

The rate itself is kept by the Application's `PriorityRateLimiter`; a send here waits for its
slot at the row's priority (behind replies to people who are chatting).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ExtBot

from bot.group_commit import GroupCommit
from bot.sending.gate import BULK, RateArgs
from bot.sending.outgoing import send_outgoing
from bot.sending.request import NotTakenError
from bot.services.outbox import Result
from bot.texts.message import Outgoing

_BLOCKED_HINTS = ("blocked", "deactivated", "chat not found", "user not found", "kicked")


@dataclass(frozen=True)
class SendResult:
    """The answer to one send; `outage` when it looks like the Bot API is down."""

    result: Result
    message_id: int | None = None
    error: str | None = None
    outage: bool = False


def _short(prefix: str, exc: BaseException) -> str:
    return f"{prefix}{exc}"[:200]


def classify(exc: TelegramError) -> SendResult:
    """What an error of the Bot API means for the message that raised it."""
    if isinstance(exc, Forbidden):
        return SendResult(Result.BLOCKED, error=_short("", exc))
    if isinstance(exc, BadRequest):
        blocked = any(hint in exc.message.lower() for hint in _BLOCKED_HINTS)
        return SendResult(Result.BLOCKED if blocked else Result.FAILED, error=exc.message[:200])
    if isinstance(exc, NotTakenError | InvalidToken):
        # Telegram did not take it: send it again once the API answers.
        return SendResult(Result.RETRY, error=_short("", exc), outage=True)
    if isinstance(exc, RetryAfter):
        # The rate limiter already waited and retried; Telegram still did not take it.
        return SendResult(Result.RETRY, error=_short("flood control: ", exc))
    if isinstance(exc, TimedOut | NetworkError):
        # The request may have reached Telegram: never send it twice.
        return SendResult(Result.UNKNOWN, error=_short("no answer: ", exc), outage=True)
    return SendResult(Result.FAILED, error=_short("", exc))


async def send_one(
    bot: ExtBot[Any],
    chat_id: int,
    outgoing: Outgoing,
    *,
    priority: int = BULK,
    before_send: Callable[[], Awaitable[bool]] | None = None,
) -> SendResult:
    """Send one message at `priority` and classify the answer (never raises TelegramError).

    `before_send` is awaited when the rate limit lets the message go, right before the
    request; when it returns False nothing is sent and `bot.sending.gate.NotSentError` is
    raised.
    """
    rate_args: RateArgs = {"priority": priority}
    if before_send is not None:
        rate_args["on_slot"] = before_send
    try:
        message = await send_outgoing(bot, chat_id, outgoing, rate_args)
    except TelegramError as exc:
        return classify(exc)
    return SendResult(Result.SENT, message_id=message.message_id)


def in_flight_for(rate: float, round_trip: float = 0.25) -> int:
    """How many sends to keep in flight to use `rate` per second at a given round trip."""
    return max(4, min(500, int(rate * round_trip * 2) + 4))


# A mark waits this long for others to share its transaction: at R=300 one write then covers
# three or four sends instead of one (300 SQLite transactions a second were a third of the
# sending process's CPU). Less than the gate's ON_SLOT_LEAD, so a send marked ahead of its
# slot does not leave later for it.
MARK_GATHER = 0.01


class LeavingMarker:
    """Marks messages as leaving in shared transactions (a group commit, `GroupCommit`).

    At a few messages a second each goes alone, as soon as its slot opens; at hundreds a
    second one transaction covers the handful that came meanwhile, so the database is not
    what limits the rate, and a message is still marked before it leaves.
    """

    def __init__(
        self, mark: Callable[[list[int]], Awaitable[set[int]]], gather: float = MARK_GATHER
    ) -> None:
        async def mark_batch(batch: dict[int, None]) -> set[int]:
            return await mark(list(batch))

        self._marks: GroupCommit[int, None, set[int]] = GroupCommit(mark_batch, gather)

    async def __call__(self, delivery_id: int) -> bool:
        """True once `delivery_id` is marked as leaving; False if it is no longer ours."""
        return delivery_id in await self._marks(delivery_id, None)

    async def drain(self) -> None:
        """Wait until every mark asked for so far is written."""
        await self._marks.drain()
