"""The sending budget shared by every process on one token: shares never add up to more than
BROADCAST_RATE, the busy get most of it, replies keep a reserve, and the dead give theirs back."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.db import SessionFactory
from bot.models import SendBudget
from bot.services.budget import fair_targets, live_senders, renew_share

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=10)
CAPACITY = 30


def test_fair_targets_fill_up_the_modest_first() -> None:
    assert fair_targets(30, {"a": 30}) == {"a": 30}
    assert fair_targets(30, {"bot": 6, "worker": 30}) == {"bot": 6, "worker": 24}
    assert fair_targets(30, {"w1": 30, "w2": 30}) == {"w1": 15, "w2": 15}
    # Everyone is satisfied: what is left is shared out.
    assert fair_targets(30, {"a": 2, "b": 4}) == {"a": 14, "b": 16}


async def _renew(
    sessions: SessionFactory, process: str, wanted: int, in_use: int, now: datetime, role: str
) -> int:
    async with sessions() as session:
        share = await renew_share(
            session, process=process, role=role, capacity=CAPACITY, wanted=wanted,
            in_use=in_use, now=now, lease=LEASE,
        )  # fmt: skip
    return share.slots


async def _total(sessions: SessionFactory) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.sum(SendBudget.slots))) or 0)


async def test_shares_never_add_up_to_more_than_the_budget(sessions: SessionFactory) -> None:
    rng = random.Random(7)
    roles = {"bot:h:1:a": "bot", "worker:h:2:b": "worker", "worker:h:3:c": "worker"}
    held = dict.fromkeys(roles, 0)  # what each process may use right now
    now = NOW
    for _ in range(120):
        process = rng.choice(list(roles))
        wanted = rng.choice([0, 3, 30])
        # A process uses at most what it was granted (its gate enforces that).
        in_use = min(held[process], rng.randint(0, CAPACITY))
        held[process] = await _renew(sessions, process, wanted, in_use, now, roles[process])
        assert sum(held.values()) <= CAPACITY, held
        assert await _total(sessions) <= CAPACITY
        now += timedelta(milliseconds=300)


async def test_a_busy_worker_gets_most_and_the_bot_keeps_a_reserve_for_replies(
    sessions: SessionFactory,
) -> None:
    assert await _renew(sessions, "bot:h:1:a", 0, 0, NOW, "bot") == CAPACITY  # alone: all
    # A worker arrives with a broadcast; the idle bot gives back all but its reserve.
    assert await _renew(sessions, "worker:h:2:b", 30, 0, NOW, "worker") == 0  # all taken
    assert await _renew(sessions, "bot:h:1:a", 0, 0, NOW, "bot") == 6
    assert await _renew(sessions, "worker:h:2:b", 30, 0, NOW, "worker") == 24
    async with sessions() as session:
        assert await live_senders(session, NOW, LEASE) == 2


async def test_a_process_that_stops_renewing_gives_its_share_back(sessions: SessionFactory) -> None:
    await _renew(sessions, "worker:h:2:b", 30, 30, NOW, "worker")
    assert await _renew(sessions, "worker:h:3:c", 30, 0, NOW, "worker") == 0
    later = NOW + LEASE + timedelta(seconds=1)  # worker 2 was killed: no renewal since
    assert await _renew(sessions, "worker:h:3:c", 30, 0, later, "worker") == CAPACITY
    async with sessions() as session:
        assert await live_senders(session, later, LEASE) == 1


async def test_a_process_known_dead_is_dropped_at_once(sessions: SessionFactory) -> None:
    await _renew(sessions, "bot:h:41:old", 30, 30, NOW, "bot")
    async with sessions() as session:
        share = await renew_share(
            session, process="bot:h:42:new", role="bot", capacity=CAPACITY, wanted=30,
            in_use=0, now=NOW, lease=LEASE, is_gone=lambda name: name == "bot:h:41:old",
        )  # fmt: skip
    assert share.slots == CAPACITY and share.processes == 1
