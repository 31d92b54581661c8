"""The send gate: never over the rate, replies before bulk, 429 honoured, outcomes classified."""

from __future__ import annotations

import asyncio

import pytest

from bot.playground.botapi import FakeTelegram
from bot.sending.deliver import LeavingMarker, send_one
from bot.sending.gate import BULK, INTERACTIVE, NotSentError, PriorityRateLimiter, SlotGate
from bot.services.outbox import Result
from bot.texts.message import Outgoing
from tests.harness import BotHarness


async def test_bulk_stays_under_the_rate_and_replies_go_first(
    harness: BotHarness, tg: FakeTelegram
) -> None:
    tg.rate.global_per_second = harness.settings.broadcast_rate  # 30, enforced like Telegram
    bot = harness.app.bot
    chats = list(range(20_000, 20_090))
    results: dict[int, Result] = {}

    async def bulk(chat_id: int) -> None:
        results[chat_id] = (await send_one(bot, chat_id, Outgoing("pengumuman"))).result

    bulk_task = asyncio.gather(*(bulk(chat) for chat in chats))
    await tg.wait_for(lambda: len(tg.calls_of("sendMessage")) >= 35)
    await bot.send_message(777, "balasan")  # a reply while the announcement runs
    await bulk_task

    assert tg.too_many_requests == 0
    assert set(results.values()) == {Result.SENT}
    order = [int(p["chat_id"]) for p in tg.calls_of("sendMessage")]
    assert sorted(order) == sorted([*chats, 777])  # each exactly once
    # The reply overtook the bulk sends that were still waiting for a slot.
    assert order.index(777) < len(order) - 30


async def test_outcomes_blocked_failed_and_retry_after(
    harness: BotHarness, tg: FakeTelegram
) -> None:
    bot = harness.app.bot
    tg.block(31)
    assert (await send_one(bot, 31, Outgoing("x"))).result is Result.BLOCKED
    tg.fail_next("sendMessage", 32, code=400, description="Bad Request: chat not found")
    assert (await send_one(bot, 32, Outgoing("x"))).result is Result.BLOCKED
    tg.fail_next("sendMessage", 33, code=400, description="Bad Request: something odd")
    assert (await send_one(bot, 33, Outgoing("x"))).result is Result.FAILED
    tg.fail_next("sendMessage", 34, code=429, retry_after=1)
    result = await send_one(bot, 34, Outgoing("x"))
    assert result.result is Result.SENT and result.message_id is not None
    assert [m.text for m in tg.sent_to(34)] == ["x"]


async def test_what_did_not_leave_is_sent_again_and_what_may_have_arrived_is_not(
    harness: BotHarness, tg: FakeTelegram
) -> None:
    bot = harness.app.bot
    tg.fail_next("sendMessage", 35, code=502, description="Bad Gateway")
    bad_gateway = await send_one(bot, 35, Outgoing("x"))
    assert (bad_gateway.result, bad_gateway.outage) == (Result.RETRY, True)
    tg.refuse_connections = True
    refused = await send_one(bot, 36, Outgoing("x"))
    tg.refuse_connections = False
    assert (refused.result, refused.outage) == (Result.RETRY, True)
    tg.time_out_next = 1
    timed_out = await send_one(bot, 37, Outgoing("x"))
    assert (timed_out.result, timed_out.outage) == (Result.UNKNOWN, True)
    assert tg.sent_to(35) == tg.sent_to(36) == []


async def test_a_bulk_429_pauses_bulk_sends_but_not_replies() -> None:
    now = [100.0]
    gate = SlotGate(30, clock=lambda: now[0])
    gate.pause(5, BULK)
    bulk = asyncio.create_task(gate.acquire(BULK, chat_id=1))
    reply = asyncio.create_task(gate.acquire(INTERACTIVE, chat_id=2))
    for _ in range(5):
        await asyncio.sleep(0)
    assert reply.done() and not bulk.done()
    bulk.cancel()


async def test_bulk_sends_to_one_chat_started_together_keep_their_spacing() -> None:
    now = [100.0]
    gate = SlotGate(30, clock=lambda: now[0])
    sends = [asyncio.create_task(gate.acquire(BULK, chat_id=41)) for _ in range(3)]
    for _ in range(5):
        await asyncio.sleep(0)
    # The first goes at once; the others hold the chat's next turns, a second apart each.
    assert [task.done() for task in sends] == [True, False, False]
    assert gate._chat_last[41] == 102.0
    for task in sends:
        task.cancel()


async def test_before_send_runs_once_when_the_slot_opens_and_can_drop_the_message(
    harness: BotHarness, tg: FakeTelegram
) -> None:
    bot = harness.app.bot
    asked: list[int] = []

    async def refuse() -> bool:
        asked.append(1)
        return False

    with pytest.raises(NotSentError):
        await send_one(bot, 20_500, Outgoing("tidak"), before_send=refuse)
    assert tg.sent_to(20_500) == [] and asked == [1]

    async def allow() -> bool:
        asked.append(2)
        return True

    tg.fail_next("sendMessage", 20_501)  # a 429: retried without asking again
    result = await send_one(bot, 20_501, Outgoing("ya"), before_send=allow)
    assert result.result is Result.SENT
    assert [m.text for m in tg.sent_to(20_501)] == ["ya"] and asked == [1, 2]


def _settle(gate: SlotGate) -> None:
    """Hand out whatever the (fake) clock allows now, as the gate's timer would."""
    gate._dispatch()


async def _spin() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_a_slot_is_held_until_a_window_after_its_answer() -> None:
    now = [100.0]
    gate = SlotGate(2, clock=lambda: now[0])
    first = await gate.acquire(BULK, chat_id=1)
    await gate.acquire(BULK, chat_id=2)
    third = asyncio.create_task(gate.acquire(BULK, chat_id=3))
    await _spin()
    assert not third.done() and gate.in_use == 2
    # The first call was slow to come back (a busy loop, a slow network): Telegram may have
    # counted it as late as now, so its slot stays taken a whole window from the answer.
    now[0] = 100.9
    gate.release(first)
    now[0] = 101.5
    _settle(gate)
    await _spin()
    assert not third.done()
    now[0] = 101.9
    _settle(gate)
    await _spin()
    assert third.done()


async def test_a_call_in_flight_keeps_its_slot_however_long_it_takes() -> None:
    now = [100.0]
    gate = SlotGate(1, clock=lambda: now[0])
    slot = await gate.acquire()
    waiting = asyncio.create_task(gate.acquire())
    now[0] = 130.0
    _settle(gate)
    await _spin()
    assert not waiting.done()
    gate.release(slot)
    gate.release(slot)  # a second release changes nothing
    assert gate.in_use == 1
    now[0] = 131.0
    _settle(gate)
    await _spin()
    assert waiting.done()
    gate.release(waiting.result())


async def test_slots_are_handed_out_evenly_spaced_after_a_small_burst() -> None:
    now = [100.0]
    gate = SlotGate(10, burst=3, clock=lambda: now[0])  # one slot every 0.1 s
    calls = [asyncio.create_task(gate.acquire(BULK, chat_id=c)) for c in range(6)]
    await _spin()
    assert [c.done() for c in calls] == [True, True, True, False, False, False]
    now[0] = 100.05
    _settle(gate)
    await _spin()
    assert sum(c.done() for c in calls) == 3
    now[0] = 100.1
    _settle(gate)
    await _spin()
    assert sum(c.done() for c in calls) == 4
    now[0] = 100.2
    _settle(gate)
    await _spin()
    assert sum(c.done() for c in calls) == 5
    for call in calls:
        call.cancel()


async def test_a_late_timer_loses_no_slot_at_hundreds_a_second() -> None:
    """At R=300 a slot is due every 3.3 ms; when the loop comes back 20 ms late the six slots
    owed meanwhile go at once instead of being lost (a burst of three made up two)."""
    now = [100.0]
    gate = SlotGate(300, burst=3, clock=lambda: now[0])
    calls = [asyncio.create_task(gate.acquire(BULK, chat_id=c)) for c in range(60)]
    await _spin()
    first = sum(c.done() for c in calls)
    assert first == 8  # a quiet gate lets 25 ms worth go at once
    now[0] += 0.020  # the timer for the next slot fires 20 ms late
    _settle(gate)
    await _spin()
    assert sum(c.done() for c in calls) == first + 6
    now[0] += 0.100  # a lull of 100 ms is made up for 25 ms only: the pacing still holds
    _settle(gate)
    await _spin()
    assert first + 6 + 7 <= sum(c.done() for c in calls) <= first + 6 + 9
    for call in calls:
        call.cancel()


async def test_a_reply_overtakes_waiting_bulk_sends_for_the_next_slot() -> None:
    now = [100.0]
    gate = SlotGate(10, burst=1, clock=lambda: now[0])
    await gate.acquire(BULK, chat_id=1)
    bulk = [asyncio.create_task(gate.acquire(BULK, chat_id=c)) for c in range(2, 5)]
    await _spin()
    reply = asyncio.create_task(gate.acquire(INTERACTIVE, chat_id=9))
    await _spin()
    now[0] = 100.1
    _settle(gate)
    await _spin()
    assert reply.done() and not any(b.done() for b in bulk)
    for task in bulk:
        task.cancel()


async def test_replies_take_turns_between_chats() -> None:
    """Three more messages queued for one chat do not make the next two people wait behind
    them: each chat's next reply goes one turn after its previous one."""
    now = [100.0]
    gate = SlotGate(10, burst=1, clock=lambda: now[0])  # one slot every 0.1 s
    await gate.acquire(INTERACTIVE, chat_id=1)
    granted: list[int] = []

    async def reply(chat: int) -> None:
        await gate.acquire(INTERACTIVE, chat_id=chat)
        granted.append(chat)

    tasks = [asyncio.create_task(reply(chat)) for chat in (1, 1, 1, 2, 3)]
    await _spin()
    for step in range(1, 6):
        now[0] = 100 + step / 10
        _settle(gate)
        await _spin()
    assert granted == [2, 3, 1, 1, 1]
    await asyncio.gather(*tasks)


async def test_turns_between_chats_keep_replies_before_bulk_and_one_chat_in_order() -> None:
    now = [100.0]
    gate = SlotGate(10, burst=1, clock=lambda: now[0])
    await gate.acquire(BULK, chat_id=50)
    order: list[str] = []

    async def call(name: str, priority: int, chat: int) -> None:
        await gate.acquire(priority, chat_id=chat)
        order.append(name)

    tasks = [
        asyncio.create_task(call(name, priority, chat))
        for name, priority, chat in [
            ("bulk-a", BULK, 51), ("a1", INTERACTIVE, 1), ("a2", INTERACTIVE, 1),
            ("bulk-b", BULK, 52), ("b1", INTERACTIVE, 2), ("a3", INTERACTIVE, 1),
        ]
    ]  # fmt: skip
    await _spin()
    for step in range(1, 7):
        now[0] = 100 + step / 10
        _settle(gate)
        await _spin()
    assert order == ["a1", "b1", "a2", "a3", "bulk-a", "bulk-b"]
    await asyncio.gather(*tasks)


async def test_a_slot_can_be_granted_ahead_but_its_call_waits_for_the_slots_moment() -> None:
    """A bulk send that marks its message first gets its slot up to `lead` before the slot is
    free (the mark is written meanwhile); its request may still not go before that moment."""
    now = [100.0]
    gate = SlotGate(1, clock=lambda: now[0])
    first = await gate.acquire(BULK, chat_id=1)
    gate.release(first)  # answered at 100.0: the slot is free again at 101.0
    now[0] = 100.96
    plain = asyncio.create_task(gate.acquire(BULK, chat_id=2))
    await _spin()
    assert not plain.done()  # no lead: it waits until the slot is free
    plain.cancel()
    ahead = asyncio.create_task(gate.acquire(BULK, chat_id=3, lead=0.05))
    await _spin()
    assert ahead.done()
    slot = ahead.result()
    assert gate.send_time(slot) == 101.0 and gate.in_use == 1
    now[0] = 100.99
    late = asyncio.create_task(gate.acquire(BULK, chat_id=4, lead=0.05))
    await _spin()
    assert not late.done()  # the freed slot was taken over, not shared
    late.cancel()
    now[0] = 101.0
    await gate.ready(slot)
    gate.release(slot)
    assert gate.send_time(slot) is None


async def test_grouped_start_marks_whoever_waits_in_one_transaction() -> None:
    groups: list[list[int]] = []
    release = asyncio.Event()

    async def mark(ids: list[int]) -> set[int]:
        groups.append(ids)
        await release.wait()  # a transaction being written
        return {i for i in ids if i != 7}  # 7 is no longer ours

    starter = LeavingMarker(mark, gather=0)
    first = asyncio.create_task(starter(1))
    await asyncio.sleep(0)
    rest = [asyncio.create_task(starter(i)) for i in range(2, 10)]
    await asyncio.sleep(0)
    release.set()
    assert await first is True
    assert [await r for r in rest] == [i != 7 for i in range(2, 10)]
    # The first went alone; the eight that came while it was written shared one transaction.
    assert groups == [[1], list(range(2, 10))]


async def test_marks_asked_within_the_gather_share_one_transaction() -> None:
    """At hundreds of sends a second the marks asked a few milliseconds apart are written
    together, not each in its own transaction."""
    groups: list[list[int]] = []

    async def mark(ids: list[int]) -> set[int]:
        groups.append(ids)
        return set(ids)

    starter = LeavingMarker(mark)

    async def asked_after(delay: float, delivery_id: int) -> bool:
        await asyncio.sleep(delay)
        return await starter(delivery_id)

    assert all(await asyncio.gather(*(asked_after(i * 0.002, i) for i in range(1, 4))))
    assert groups == [[1, 2, 3]]


async def test_grouped_start_failure_reaches_its_group_only() -> None:
    calls = 0

    async def mark(ids: list[int]) -> set[int]:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("database is locked")
        return set(ids)

    starter = LeavingMarker(mark)
    with pytest.raises(RuntimeError):
        await starter(1)
    assert await starter(2) is True


async def test_edits_keep_a_budget_of_their_own_and_button_answers_none(
    harness: BotHarness, tg: FakeTelegram
) -> None:
    """A reply edited in place does not take a slot a new message needs (Telegram counts new
    messages against the bot's ~30 a second); answering a button press takes no slot at all."""
    limiter = harness.app.bot.rate_limiter
    assert isinstance(limiter, PriorityRateLimiter)
    assert limiter.gate_for("sendMessage") is limiter.gate
    assert limiter.gate_for("sendVenue") is limiter.gate
    assert limiter.gate_for("editMessageText") is limiter.edit_gate
    assert limiter.gate_for("answerCallbackQuery") is None
    message = await harness.app.bot.send_message(4_000, "pertanyaan")
    held = limiter.gate.in_use
    await harness.app.bot.edit_message_text("jawaban", 4_000, message.message_id)
    assert limiter.gate.in_use == held and limiter.edit_gate.in_use == 1
    limiter.set_capacity(7)
    assert limiter.gate.capacity == limiter.edit_gate.capacity == 7
