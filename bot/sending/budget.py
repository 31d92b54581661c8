"""This process's share of the sending budget, kept in step with every other process.

`BudgetKeeper.renew` runs about every second: it tells the database how many slots this
process could use now, and sets the local gates to the share it was granted
(`bot.services.budget`). When the database cannot be reached for half a lease, the process
stops sending: its share may already have gone to someone else.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.db import SessionFactory
from bot.sending.gate import PriorityRateLimiter, SlotGate
from bot.services.budget import Share, leave, renew_share

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=10)
RENEW_SECONDS = 1.0


def process_name(role: str) -> str:
    """A name for this process in the budget and in claims (role, host, pid, a random part)."""
    return f"{role}:{_host()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _host() -> str:
    return socket.gethostname()[:30]


def _pid_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, as another user
    return True


def is_gone(name: str) -> bool:
    """Whether the sender `name` certainly no longer runs: it was on this host and its process
    has exited, or it was an earlier Application of this very process (replaced in place)."""
    parts = name.split(":")
    if len(parts) != 4 or parts[1] != _host() or not parts[2].isdigit():
        return False  # another host (or an unknown name): only its lease tells
    pid = int(parts[2])
    return pid == os.getpid() or not _pid_runs(pid)


class BudgetKeeper:
    """Renews this process's share and applies it to the gate."""

    def __init__(
        self,
        limiter: Callable[[], PriorityRateLimiter],
        sessions: SessionFactory,
        clock: Callable[[], datetime],
        *,
        rate: float,
        role: str,
        process: str | None = None,
        lease: timedelta = LEASE,
    ) -> None:
        self.limiter = limiter
        self.sessions = sessions
        self.clock = clock
        self.capacity = max(1, int(rate))
        self.role = role
        self.process = process or process_name(role)
        self.lease = lease
        self.share: Share | None = None
        self._renewed_at: datetime | None = None

    async def renew(self) -> Share | None:
        """Agree the share for the next moments and apply it; None when the database failed."""
        limiter, now = self.limiter(), self.clock()
        gate = limiter.gate
        try:
            async with self.sessions() as session:
                share = await renew_share(
                    session,
                    process=self.process,
                    role=self.role,
                    capacity=self.capacity,
                    wanted=min(self.capacity, gate.in_use + gate.waiting),
                    in_use=self._may_use(gate),
                    now=now,
                    lease=self.lease,
                    is_gone=is_gone,
                )
        except Exception as exc:
            self._fence(limiter, now, exc)
            return None
        if self.share is None or share != self.share:
            log.info(
                "sending share: %s of %s slots/s (%s processes)",
                share.slots,
                self.capacity,
                share.processes,
            )
        self.share, self._renewed_at = share, now
        limiter.set_capacity(share.slots)
        return share

    @staticmethod
    def _may_use(gate: SlotGate) -> int:
        """The slots this process may hold until its gate is set anew: those in the window and
        those its gate may still hand out while the renewal waits for the database's lock."""
        return max(gate.in_use, gate.capacity)

    def _fence(self, limiter: PriorityRateLimiter, now: datetime, exc: Exception) -> None:
        log.warning("sending share not renewed: %s", type(exc).__name__)
        if self._renewed_at is None or now - self._renewed_at > self.lease / 2:
            limiter.set_capacity(0)

    async def leave(self) -> None:
        """Give the share back (a clean stop)."""
        try:
            async with self.sessions() as session:
                await leave(session, self.process)
        except Exception as exc:
            log.warning("sending share not given back: %s", type(exc).__name__)
