"""An outage of the Bot API is a pause, not a hundred answers: the first send that shows one (a
refused connection, a 5xx answer, a timeout) holds every other background send, and a probe
(`getMe`, which Telegram does not count as a message) backs off until the API answers again;
then sending resumes where it stopped. The sender gives back the rows that had not left.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from telegram.error import TelegramError

from bot.runtime.context import AnyApplication
from bot.sending.gate import PriorityRateLimiter, SlotGate

log = logging.getLogger(__name__)

PROBE_FIRST_SECONDS = 1.0
PROBE_MAX_SECONDS = 30.0


def limiter_of(application: AnyApplication) -> PriorityRateLimiter:
    """The application's rate limiter (every Bot API call of the process passes it)."""
    limiter = application.bot.rate_limiter
    if not isinstance(limiter, PriorityRateLimiter):
        raise RuntimeError("the application must be built with bot.assembly.core")
    return limiter


def gate_of(application: AnyApplication) -> SlotGate:
    """The application's gate of sends (the budget Telegram counts messages against)."""
    return limiter_of(application).gate


class Outage:
    """Holds background sends while the Bot API does not answer, and probes until it does."""

    def __init__(self, application: AnyApplication, on_resume: Callable[[], None]) -> None:
        self.application = application
        self.on_resume = on_resume
        self.active = False
        self._probe: asyncio.Task[None] | None = None

    def trip(self, reason: str | None) -> None:
        """The API looks down: hold background sends and start probing (once)."""
        if self.active:
            return
        self.active = True
        limiter_of(self.application).hold_background()
        log.warning("Bot API outage (%s): sending paused, probing", reason)
        self._probe = asyncio.create_task(self._wait_for_api())

    async def _wait_for_api(self) -> None:
        delay = PROBE_FIRST_SECONDS
        while True:
            await asyncio.sleep(delay)
            try:
                await self.application.bot.get_me()
            except TelegramError:
                delay = min(delay * 2, PROBE_MAX_SECONDS)
                continue
            break
        self.active = False
        limiter_of(self.application).resume_background()
        log.warning("Bot API answers again: sending resumes")
        self.on_resume()

    async def close(self) -> None:
        """Stop probing (the process stops)."""
        if self._probe is not None and not self._probe.done():
            self._probe.cancel()
            await asyncio.gather(self._probe, return_exceptions=True)
