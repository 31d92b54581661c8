"""Update processing: one user's updates in order, different users' updates concurrently."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


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
    """Runs updates concurrently, but never two of the same user at once, and in arrival order.

    The library's `concurrent_updates=True` lets a fast typist's second message overtake the
    first (a ConversationHandler then sees two of its own updates at once); the default
    sequential mode makes every user wait on every other user's network round trips.
    """

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._pending: dict[int, int] = {}
        self.after_update: Callable[[], Awaitable[None]] | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for this user's earlier updates, then process this one."""
        key = update_key(update)
        if key is None:
            await self._run(coroutine)
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
        try:
            await coroutine
        finally:
            # Persist the conversation state before this user's next update is looked at, so a
            # crash right after a reply never rewinds the conversation.
            if self.after_update is not None:
                await self.after_update()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
