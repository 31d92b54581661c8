"""Update processing: one user's updates in order, different users' updates concurrently, and
one account's flood throttled before it can take anything the others need."""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.runtime.throttle import Clock, Cooldown, TokenBucket, since_last

log = logging.getLogger(__name__)

# Per account: 20 updates at once, then 2 a second (20 per 10 s) — far above what a person
# types or taps, far below a script.
FLOOD_BURST = 20
FLOOD_SECONDS = 10.0
# A flooder is told to slow down (and the log says how many were dropped) once a minute at most.
FLOOD_NOTICE_PERIOD = 60.0
# The base class takes its semaphore before `do_process_update`, i.e. before the per-user lock,
# so one account's queued updates could hold every slot. It gets this (never reached) bound;
# the real limit is a semaphore taken only when it is the user's turn.
_UNBOUNDED = sys.maxsize


def update_key(update: object) -> int | None:
    """Whose update this is: the user, else the chat; None for updates of no one."""
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    if update.effective_chat is not None:
        return update.effective_chat.id
    return None


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """Runs updates concurrently, but never two of the same user at once, and in arrival order;
    updates of an account over its budget are dropped before they wait for anything.

    The library's `concurrent_updates=True` lets a fast typist's second message overtake the
    first (a ConversationHandler then sees two of its own updates at once); the default
    sequential mode makes every user wait on every other user's network round trips.
    """

    def __init__(self, max_concurrent_updates: int = 256, *, clock: Clock = time.monotonic) -> None:
        self._limit = max_concurrent_updates  # read by the base class's check of its bound
        super().__init__(_UNBOUNDED)
        self._slots = asyncio.Semaphore(max_concurrent_updates)
        self._running = 0
        self._locks: dict[int, asyncio.Lock] = {}
        self._pending: dict[int, int] = {}
        self.budget = TokenBucket(FLOOD_BURST, FLOOD_SECONDS, clock)
        self._notices = Cooldown(FLOOD_NOTICE_PERIOD, clock)
        self.after_update: Callable[[], Awaitable[None]] | None = None
        # Tells a flooder to slow down (set by the chat application; None in tests of this alone).
        self.on_throttled: Callable[[Update], Awaitable[None]] | None = None

    @property
    def max_concurrent_updates(self) -> int:
        """The number of updates processed at the same time, at most."""
        return self._limit

    @property
    def current_concurrent_updates(self) -> int:
        """The number of updates being processed right now."""
        return self._running

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Drop it if its sender is over budget; else wait for their earlier updates, then for
        a free slot, and process it."""
        key = update_key(update)
        if key is None:
            await self._run(coroutine)
            return
        if not self.budget.take(key):
            await self._drop(update, key, coroutine)
            return
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        self._pending[key] = self._pending.get(key, 0) + 1
        try:
            async with lock:
                await self._run(coroutine)
        finally:
            self._pending[key] -= 1
            if not self._pending[key]:
                del self._pending[key]
                del self._locks[key]

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        async with self._slots:
            self._running += 1
            try:
                await coroutine
            finally:
                self._running -= 1
                # Persist the conversation state before this user's next update is looked at,
                # so a crash right after a reply never rewinds the conversation.
                if self.after_update is not None:
                    await self.after_update()

    async def _drop(self, update: object, key: int, coroutine: Awaitable[Any]) -> None:
        if asyncio.iscoroutine(coroutine):
            coroutine.close()  # never run: no handler, no persistence, no answer
        held = self._notices.allow(key)
        if held is None:
            return
        log.warning(
            "updates of %s dropped: over %s per %gs%s",
            key,
            FLOOD_BURST,
            FLOOD_SECONDS,
            since_last(held),
        )
        if self.on_throttled is not None and isinstance(update, Update):
            await self.on_throttled(update)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
