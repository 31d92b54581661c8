"""The sending budget shared by every process on one bot token, kept in the database.

Telegram counts messages per bot, not per process. Each process that sends (the bot, a
`worker`, the command line) keeps a row in `send_budget` with the slots it may use per window
(`slots`) and the slots it could use now (`wanted`), renewed about every second. Shares are
agreed in one serialised transaction: a process is granted at most what the others leave free,
so the rows never add up to more than the budget; a process gives slots back by lowering its
own row only once it no longer uses them. A process that stops renewing (killed) loses its row
after the lease, by which time nothing it sent is still in Telegram's window.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import SendBudget

# Roles of the processes that run the outbox sender (the command line sends only for itself).
SENDER_ROLES = ("bot", "worker")
BOT_ROLE = "bot"
# A process that replies to people keeps this share of the budget even while others are busy,
# so an answer never waits for another process to give slots back.
REPLY_RESERVE = 0.2
_LOCK_KEY = 0x73656E64  # "send": serialises share changes on PostgreSQL


@dataclass(frozen=True)
class Share:
    """What this process may use, and how many processes share the budget."""

    slots: int
    processes: int


def floor_of(role: str, capacity: int) -> int:
    """The least a process of `role` is offered: a reserve for replies, else one slot."""
    if role == BOT_ROLE:
        return max(1, int(capacity * REPLY_RESERVE))
    return 1


def fair_targets(capacity: int, wanted: Mapping[str, int]) -> dict[str, int]:
    """Max-min fair shares of `capacity` (water-filling): nobody gets more than they want until
    everyone has what they want; what is left then is split evenly."""
    targets: dict[str, int] = {}
    remaining = capacity
    ordered = sorted(wanted.items(), key=lambda item: item[1])
    for index, (process, want) in enumerate(ordered):
        level = remaining // (len(ordered) - index)
        targets[process] = max(0, min(want, level))
        remaining -= targets[process]
    for index, process in enumerate(sorted(targets)):
        targets[process] += remaining // len(targets) + (
            1 if index < remaining % len(targets) else 0
        )
    return targets


async def _serialise(session: AsyncSession) -> None:
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})"))
    # SQLite: the transaction already holds the write lock (BEGIN IMMEDIATE).


async def _live_rows(
    session: AsyncSession,
    process: str,
    now: datetime,
    lease: timedelta,
    is_gone: Callable[[str], bool],
) -> dict[str, SendBudget]:
    """Every live process's row: those past their lease, or known dead, are dropped first."""
    await session.execute(delete(SendBudget).where(SendBudget.renewed_at < now - lease))
    rows = {r.process: r for r in (await session.execute(select(SendBudget))).scalars()}
    for name in [p for p in rows if p != process and is_gone(p)]:
        await session.delete(rows.pop(name))
    return rows


async def renew_share(
    session: AsyncSession,
    *,
    process: str,
    role: str,
    capacity: int,
    wanted: int,
    in_use: int,
    now: datetime,
    lease: timedelta,
    is_gone: Callable[[str], bool] = lambda _process: False,
) -> Share:
    """Agree this process's slots for the next moments and renew its lease (commits).

    Rows not renewed within the lease are dropped, and so are rows `is_gone` knows to be dead
    (a process of this host that no longer runs), so a restarted bot need not wait a lease.
    """
    await _serialise(session)
    rows = await _live_rows(session, process, now, lease, is_gone)
    demand = {p: max(r.wanted, 1) for p, r in rows.items()}
    demand[process] = max(wanted, floor_of(role, capacity), 1)
    others = sum(r.slots for p, r in rows.items() if p != process)
    granted = max(0, min(fair_targets(capacity, demand)[process], capacity - others))
    row = rows.get(process)
    if row is None:
        row = SendBudget(process=process[:100], role=role, slots=0)
        session.add(row)
    # The row never says less than what the process may be using (`in_use`: its window and
    # what its gate may still hand out until it is set anew): slots go back only once unused.
    row.slots = max(granted, min(in_use, row.slots))
    row.wanted, row.renewed_at = demand[process], now
    await session.commit()
    return Share(slots=granted, processes=len(rows) + (process not in rows))


async def leave(session: AsyncSession, process: str) -> None:
    """Give this process's whole share back (a clean stop; commits)."""
    await session.execute(delete(SendBudget).where(SendBudget.process == process[:100]))
    await session.commit()


async def live_senders(
    session: AsyncSession, now: datetime, lease: timedelta, roles: Collection[str] = SENDER_ROLES
) -> int:
    """How many processes that send the outbox have renewed their share within the lease."""
    result = await session.execute(
        select(func.count())
        .select_from(SendBudget)
        .where(SendBudget.role.in_(tuple(roles)), SendBudget.renewed_at >= now - lease)
    )
    return int(result.scalar_one())
