"""The sending budget shared by every process on one token: shares never add up to more than
BROADCAST_RATE, the busy get most of it, replies keep a reserve, and the dead give theirs back."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from telegram.ext import ExtBot

from bot.db import SessionFactory
from bot.models import SendBudget
from bot.playground.botapi import FakeTelegram, OfflineRequest
from bot.sending.budget import BudgetKeeper
from bot.sending.gate import PriorityRateLimiter
from bot.services.budget import (
    Share,
    _serialise,
    fair_targets,
    floor_of,
    leave,
    live_senders,
    renew_share,
)
from tests.conftest import TOKEN

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=10)
CAPACITY = 30


def test_fair_targets_fill_up_the_modest_first() -> None:
    assert fair_targets(30, {"a": 30}) == {"a": 30}
    assert fair_targets(30, {"bot": 6, "worker": 30}) == {"bot": 6, "worker": 24}
    assert fair_targets(30, {"w1": 30, "w2": 30}) == {"w1": 15, "w2": 15}
    # Everyone is satisfied: what is left is shared out, an odd slot to the first by name.
    assert fair_targets(30, {"a": 2, "b": 4}) == {"a": 14, "b": 16}
    assert fair_targets(30, {"a": 2, "b": 3}) == {"a": 15, "b": 15}
    # The modest first whatever their names; nobody is given what they do not want.
    assert fair_targets(30, {"bot": 30, "worker": 6}) == {"bot": 24, "worker": 6}
    assert fair_targets(30, {"a": 0, "b": 40}) == {"a": 0, "b": 30}


def test_the_least_each_role_is_offered() -> None:
    assert (floor_of("bot", 30), floor_of("bot", 300), floor_of("bot", 4)) == (6, 60, 1)
    assert floor_of("worker", 30) == floor_of("cli", 30) == 1


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


async def test_what_the_processes_use_never_adds_up_to_more_than_the_budget(
    sessions: SessionFactory,
) -> None:
    """Not the grants (they add up by construction) but the slots in use: a process whose
    share shrinks keeps the slots it holds until they leave the window, and only then may
    another process have them."""
    rng = random.Random(7)
    roles = {"bot:h:1:a": "bot", "worker:h:2:b": "worker", "worker:h:3:c": "worker"}
    using = dict.fromkeys(roles, 0)  # slots each process holds in its window right now
    renewed = dict.fromkeys(roles, NOW)
    now = NOW
    for _ in range(200):
        for name in roles:
            if now - renewed[name] > LEASE / 2:
                using[name] = 0  # fenced (`BudgetKeeper`): it holds nothing a lease later
        process = rng.choice(list(roles))
        using[process] = rng.randint(0, using[process])  # some of its slots left the window
        wanted = rng.choice([0, 3, 30])
        granted = await _renew(sessions, process, wanted, using[process], now, roles[process])
        renewed[process] = now
        if rng.random() < 0.7:
            # It fills its share; slots beyond a smaller share are not taken back at once.
            using[process] = max(using[process], granted)
        assert sum(using.values()) <= CAPACITY, using
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


async def test_an_idle_worker_keeps_one_slot_and_the_busy_one_gets_the_rest(
    sessions: SessionFactory,
) -> None:
    assert await _renew(sessions, "worker:h:2:b", 0, 0, NOW, "worker") == CAPACITY  # alone
    assert await _renew(sessions, "worker:h:3:c", 30, 0, NOW, "worker") == 0  # all taken
    assert await _renew(sessions, "worker:h:2:b", 0, 0, NOW, "worker") == 1
    assert await _renew(sessions, "worker:h:3:c", 30, 0, NOW, "worker") == CAPACITY - 1


async def test_a_clean_stop_gives_the_share_back_at_once(sessions: SessionFactory) -> None:
    await _renew(sessions, "worker:h:2:b", 30, 30, NOW, "worker")
    await _renew(sessions, "worker:h:9:z", 30, 0, NOW, "worker")  # stays: only b leaves
    assert await _renew(sessions, "worker:h:3:c", 30, 0, NOW, "worker") == 0
    async with sessions() as session:
        await leave(session, "worker:h:2:b")
    # Its 30 are free at once, shared by the two still there (the other holds none yet).
    assert await _renew(sessions, "worker:h:3:c", 30, 0, NOW, "worker") == CAPACITY // 2
    async with sessions() as session:
        assert await live_senders(session, NOW, LEASE) == 2


async def test_a_share_is_live_until_its_lease_has_fully_passed(sessions: SessionFactory) -> None:
    await _renew(sessions, "worker:h:2:b", 30, 30, NOW, "worker")
    await _renew(sessions, "cli:h:5:e", 0, 0, NOW, "cli")  # the command line sends no outbox
    at_the_end = NOW + LEASE  # renewed exactly a lease ago: still counts
    async with sessions() as session:
        assert await live_senders(session, at_the_end, LEASE) == 1
    assert await _renew(sessions, "worker:h:3:c", 30, 0, at_the_end, "worker") == 0
    later = at_the_end + timedelta(microseconds=1)
    async with sessions() as session:
        # b is gone even before anyone renews again; c renewed at the end of b's lease.
        assert await live_senders(session, later, LEASE) == 1
    assert await _renew(sessions, "worker:h:3:c", 30, 0, later, "worker") == CAPACITY


async def test_a_process_that_looks_gone_to_itself_keeps_its_own_row(
    sessions: SessionFactory,
) -> None:
    # `is_gone` says yes for any earlier Application of this very process, whose name has
    # this process's pid, like the renewing process's own name.
    me, other = "worker:h:2:b", "worker:h:3:c"
    await _renew(sessions, me, 30, 30, NOW, "worker")
    assert await _renew(sessions, other, 30, 0, NOW, "worker") == 0
    async with sessions() as session:
        share = await renew_share(
            session, process=me, role="worker", capacity=CAPACITY, wanted=30, in_use=30,
            now=NOW, lease=LEASE, is_gone=lambda name: name == me,
        )  # fmt: skip
    assert share == Share(CAPACITY // 2, 2)
    # Its 30 slots are still in use: the other process gets none of them yet.
    assert await _renew(sessions, other, 30, 0, NOW, "worker") == 0


async def test_processes_renewing_at_the_same_moment_are_granted_one_after_the_other(
    sessions: SessionFactory,
) -> None:
    # On PostgreSQL an advisory lock orders the renewals (SQLite's write lock does on its
    # own): without it, each of these would see no other share and take the whole budget.
    names = [f"worker:h:{n}:x" for n in range(6)]
    grants = await asyncio.gather(*(_renew(sessions, n, 30, 0, NOW, "worker") for n in names))
    assert sum(grants) <= CAPACITY and await _total(sessions) <= CAPACITY
    assert sorted(grants) == [0] * 5 + [CAPACITY]  # the first takes all, the others wait


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


class _Holder:
    """One sending process: its gate (bursts allowed, so that whatever it is granted leaves at
    once), its bot on the shared fake Telegram, and its share of the budget."""

    def __init__(self, tg: FakeTelegram, sessions: SessionFactory, process: str) -> None:
        self.limiter = PriorityRateLimiter(CAPACITY, burst=CAPACITY)
        self.bot = ExtBot(TOKEN, request=OfflineRequest(tg), rate_limiter=self.limiter)
        self.keeper = BudgetKeeper(
            lambda: self.limiter, sessions, lambda: datetime.now(UTC),
            rate=CAPACITY, role="worker", process=process,
        )  # fmt: skip

    def send(self, chats: range) -> list[asyncio.Task[object]]:
        return [asyncio.create_task(self.bot.send_message(chat, "pengumuman")) for chat in chats]


def _busiest_second(tg: FakeTelegram) -> int:
    """The most messages Telegram received within any one second (a window (t - 1, t])."""
    arrivals = sorted(m.sent_at for messages in tg.messages.values() for m in messages)
    return max(
        sum(1 for other in arrivals if moment - 1.0 < other <= moment) for moment in arrivals
    )


async def test_two_processes_together_send_no_more_than_the_rate_in_any_second(
    sessions: SessionFactory, tg: FakeTelegram
) -> None:
    first = _Holder(tg, sessions, "worker:h:2:b")
    second = _Holder(tg, sessions, "worker:h:3:c")
    for holder in (first, second):
        await holder.bot.initialize()
    assert (await first.keeper.renew()) == Share(CAPACITY, 1)  # alone: the whole budget
    sends = first.send(range(10_000, 10_045))
    await tg.wait_for(lambda: len(tg.calls_of("sendMessage")) == CAPACITY)  # its burst is out
    # A second process arrives with a broadcast of its own while those are in the window.
    assert (await second.keeper.renew()) == Share(0, 2)
    sends += second.send(range(20_000, 20_045))

    async def renew_both() -> None:
        while not all(task.done() for task in sends):
            for holder in (first, second):
                await holder.keeper.renew()
            await asyncio.sleep(0.05)

    await asyncio.wait_for(asyncio.gather(renew_both(), *sends), 30)
    assert len(tg.calls_of("sendMessage")) == 90
    assert _busiest_second(tg) <= CAPACITY
    for holder in (first, second):
        await holder.bot.shutdown()


async def test_slots_used_while_a_renewal_waits_for_the_database_stay_counted(
    sessions: SessionFactory, tg: FakeTelegram
) -> None:
    """What a process may use is measured when its share is written, not before: the slots its
    gate hands out while the renewal waits for the database are its own until they leave the
    window, so a second process is never granted them in the same second."""
    first = _Holder(tg, sessions, "worker:h:2:b")
    second = _Holder(tg, sessions, "worker:h:3:c")
    for holder in (first, second):
        await holder.bot.initialize()
    assert (await first.keeper.renew()) == Share(CAPACITY, 1)
    assert (await second.keeper.renew()) == Share(0, 2)  # the first holds the whole budget
    sends = second.send(range(20_000, 20_000 + CAPACITY))  # they wait for a share
    assert (await second.keeper.renew()) == Share(0, 2)

    async with sessions() as other:  # another process renewing: it holds the budget's lock
        await _serialise(other)
        await other.execute(update(SendBudget).values(wanted=SendBudget.wanted))
        renewal = asyncio.create_task(first.keeper.renew())
        await asyncio.sleep(0.3)  # the renewal waits for the lock; the gate sends meanwhile
        sends += first.send(range(10_000, 10_000 + CAPACITY))
        await tg.wait_for(lambda: len(tg.calls_of("sendMessage")) == CAPACITY)
        await other.commit()
    assert (await renewal) == Share(CAPACITY // 2, 2)  # a fair half now; its burst is out
    await second.keeper.renew()
    await asyncio.sleep(0.5)  # still within the burst's second
    assert len(tg.calls_of("sendMessage")) == CAPACITY, "the second was granted slots in use"

    async def renew_both() -> None:
        while not all(task.done() for task in sends):
            for holder in (first, second):
                await holder.keeper.renew()
            await asyncio.sleep(0.05)

    await asyncio.wait_for(asyncio.gather(renew_both(), *sends), 30)
    assert _busiest_second(tg) <= CAPACITY
    for holder in (first, second):
        await holder.bot.shutdown()
