"""The send gate: never over the rate, replies before bulk, 429 honoured, outcomes classified."""

from __future__ import annotations

import asyncio

import pytest

from bot.sending import BULK, INTERACTIVE, NotSentError, SlotGate, send_window
from jobs.sender import Outcome, run_bounded, send_one
from tests.fake_telegram import FakeTelegram
from tests.harness import BotHarness


async def test_bulk_stays_under_the_rate_and_replies_go_first(
    harness: BotHarness, tg: FakeTelegram
) -> None:
    tg.rate.global_per_second = harness.settings.broadcast_rate  # 30, enforced like Telegram
    bot = harness.app.bot
    chats = list(range(20_000, 20_090))
    results: dict[int, Outcome] = {}

    async def bulk(chat_id: int) -> None:
        results[chat_id] = (await send_one(bot, chat_id, "pengumuman")).outcome

    bulk_task = asyncio.create_task(run_bounded(chats, bulk, concurrency=60))
    await tg.wait_for(lambda: len(tg.calls_of("sendMessage")) >= 35)
    await bot.send_message(777, "balasan")  # a reply while the announcement runs
    await bulk_task

    assert tg.too_many_requests == 0
    assert set(results.values()) == {Outcome.SENT}
    order = [int(p["chat_id"]) for p in tg.calls_of("sendMessage")]
    assert sorted(order) == sorted([*chats, 777])  # each exactly once
    # The reply overtook the bulk sends that were still waiting for a slot.
    assert order.index(777) < len(order) - 30


async def test_outcomes_blocked_failed_and_retry_after(
    harness: BotHarness, tg: FakeTelegram
) -> None:
    bot = harness.app.bot
    tg.block(31)
    assert (await send_one(bot, 31, "x")).outcome is Outcome.BLOCKED
    tg.fail_next("sendMessage", 32, code=400, description="Bad Request: chat not found")
    assert (await send_one(bot, 32, "x")).outcome is Outcome.BLOCKED
    tg.fail_next("sendMessage", 33, code=400, description="Bad Request: something odd")
    assert (await send_one(bot, 33, "x")).outcome is Outcome.FAILED
    tg.fail_next("sendMessage", 34, code=429, retry_after=1)
    result = await send_one(bot, 34, "x")
    assert result.outcome is Outcome.SENT and result.message_id is not None
    assert [m.text for m in tg.sent_to(34)] == ["x"]


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
        await send_one(bot, 20_500, "tidak", before_send=refuse)
    assert tg.sent_to(20_500) == [] and asked == [1]

    async def allow() -> bool:
        asked.append(2)
        return True

    tg.fail_next("sendMessage", 20_501)  # a 429: retried without asking again
    result = await send_one(bot, 20_501, "ya", before_send=allow)
    assert result.outcome is Outcome.SENT
    assert [m.text for m in tg.sent_to(20_501)] == ["ya"] and asked == [1, 2]


def test_the_window_is_short_but_holds_two_messages() -> None:
    assert send_window(150) == 0.2 and send_window(10) == 0.2
    assert send_window(5) == 0.4 and send_window(1) == 1.0
