"""A group commit: writes asked for while one batch is being written wait for the next batch,
which covers them all in one transaction.

At a few writes a second each goes alone, as soon as it is asked for; at hundreds a second one
transaction covers those that came meanwhile, so the database is not what sets the pace, and
each caller still returns only once its own write is committed (not after everyone else's).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")
R = TypeVar("R")


class GroupCommit(Generic[K, V, R]):
    """Batches of `key -> value` written by `write`, which returns what the callers learn."""

    def __init__(self, write: Callable[[dict[K, V]], Awaitable[R]], gather: float = 0.0) -> None:
        self._write = write
        self._gather = gather  # how long a batch waits for others to join it before it goes
        self._pending: dict[K, V] = {}
        self._pending_done: asyncio.Future[R] | None = None  # set once that batch is committed
        self._writer: asyncio.Task[None] | None = None

    @property
    def pending(self) -> Mapping[K, V]:
        """What the next batch holds so far."""
        return self._pending

    async def __call__(self, key: K, value: V) -> R:
        """Put `key -> value` in the next batch (a later value of a key replaces the earlier)
        and return `write`'s answer for that batch once it is committed (or raise its error)."""
        self._pending[key] = value
        if self._pending_done is None:
            self._pending_done = asyncio.get_running_loop().create_future()
        done = self._pending_done
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._run())
        return await asyncio.shield(done)  # shared: one caller giving up cancels nobody else's

    async def drain(self) -> None:
        """Wait until every write asked for so far is committed (or has failed)."""
        while self._writer is not None and not self._writer.done():
            await asyncio.gather(self._writer, return_exceptions=True)

    async def _run(self) -> None:
        if self._gather:
            await asyncio.sleep(self._gather)
        while self._pending:
            batch, self._pending = self._pending, {}
            done, self._pending_done = self._pending_done, None
            assert done is not None
            try:
                done.set_result(await self._write(batch))
            except Exception as exc:  # this batch's callers get it; the next batches go on
                done.set_exception(exc)
                done.exception()  # seen: raised only where a caller still waits
