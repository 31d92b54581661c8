"""Budgets in time: a token bucket per key (how much one account may ask of the bot) and a
cooldown per key (how often one kind of warning or notice may go out)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

Clock = Callable[[], float]
# Above this many keys, entries that hold nothing any more are dropped: a city's worth of users
# (or a flood of forged ids) must not grow the tables for ever.
PRUNE_ABOVE = 10_000


@dataclass
class _Bucket:
    tokens: float
    at: float


class TokenBucket:
    """`burst` events per key at once, refilled at `burst / per_seconds` a second."""

    def __init__(self, burst: int, per_seconds: float, clock: Clock = time.monotonic) -> None:
        self.burst = burst
        self.rate = burst / per_seconds
        self.clock = clock
        self._buckets: dict[Hashable, _Bucket] = {}

    def take(self, key: Hashable) -> bool:
        """Spend one token of `key`'s budget; False when it is spent (nothing is taken)."""
        now = self.clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= PRUNE_ABOVE:
                self._prune(now)
            bucket = self._buckets[key] = _Bucket(float(self.burst), now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True

    def _prune(self, now: float) -> None:
        full = [
            key
            for key, bucket in self._buckets.items()
            if bucket.tokens + (now - bucket.at) * self.rate >= self.burst
        ]
        for key in full:
            del self._buckets[key]


class Cooldown:
    """One event per key every `period` seconds; the ones held back in between are counted."""

    def __init__(self, period: float, clock: Clock = time.monotonic) -> None:
        self.period = period
        self.clock = clock
        # key -> (when the next one may go, how many were held back since the last one)
        self._state: dict[Hashable, tuple[float, int]] = {}

    def allow(self, key: Hashable) -> int | None:
        """None while `key` cools down (counted); else how many were held back before this."""
        now = self.clock()
        until, held = self._state.get(key, (now, 0))
        if now < until:
            self._state[key] = (until, held + 1)
            return None
        if len(self._state) >= PRUNE_ABOVE:
            self._state = {k: v for k, v in self._state.items() if v[0] > now}
        self._state[key] = (now + self.period, 0)
        return held


def since_last(held: int) -> str:
    """What to add to a line let through by a `Cooldown`: how many were held back before it."""
    return f" ({held} more since the last one)" if held else ""
