"""Update processing: each user's updates in order, different users at the same time."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.runtime.concurrency import FLOOD_BURST, PerUserUpdateProcessor
from bot.runtime.context import BotContext
from tests.harness import BotHarness


async def test_each_user_in_order_and_users_concurrently(harness: BotHarness) -> None:
    seen: dict[int, list[str]] = defaultdict(list)
    active: dict[int, int] = defaultdict(int)
    overlap_same_user = 0
    running = 0
    peak = 0

    async def record(update: Update, context: BotContext) -> None:
        nonlocal overlap_same_user, running, peak
        assert update.effective_user is not None and update.effective_message is not None
        uid = update.effective_user.id
        active[uid] += 1
        running += 1
        peak = max(peak, running)
        if active[uid] > 1:
            overlap_same_user += 1
        await asyncio.sleep(0.01)  # a network round trip
        seen[uid].append(update.effective_message.text or "")
        active[uid] -= 1
        running -= 1
        raise ApplicationHandlerStop

    harness.app.add_handler(MessageHandler(filters.Regex(r"^m\d+$"), record), group=-5)
    users = [harness.user(1000 + i) for i in range(200)]
    for n in range(5):
        for user in users:
            user.send_text(f"m{n}")
    await harness.deliver(concurrently=True)

    assert overlap_same_user == 0
    assert all(seen[u.id] == [f"m{n}" for n in range(5)] for u in users)
    assert peak > 50  # different users really ran side by side


def _numbers(texts: list[str]) -> list[int]:
    return [int(text[1:]) for text in texts]


async def test_one_accounts_flood_does_not_hold_up_anyone_else(harness: BotHarness) -> None:
    processed: list[tuple[int, str]] = []

    async def record(update: Update, context: BotContext) -> None:
        assert update.effective_user is not None and update.effective_message is not None
        processed.append((update.effective_user.id, update.effective_message.text or ""))

    harness.app.add_handler(MessageHandler(filters.TEXT, record), group=-50)
    flooder, other = harness.user(6001, "Bot"), harness.user(6002, "Rina")
    for n in range(500):
        flooder.send_text(f"f{n}")
    other.send_text("/start")
    await harness.deliver(concurrently=True)

    turn = processed.index((other.id, "/start"))
    flood_before = [text for uid, text in processed[:turn] if uid == flooder.id]
    assert len(flood_before) < 5, len(flood_before)  # 245 when slots were taken first
    assert "Halo, Rina!" in other.last().text
    flood = [text for uid, text in processed if uid == flooder.id]
    assert len(flood) == FLOOD_BURST
    assert _numbers(flood) == sorted(_numbers(flood))  # in order, the rest dropped
    answers = flooder.texts()
    assert len(answers) <= len(flood) + 1
    assert sum("terlalu banyak" in text for text in answers) == 1


def _tap(n: int, user_id: int = 77) -> Update:
    """A button tap of `user_id` (an update with a user and no chat)."""
    sender = {"id": user_id, "is_bot": False, "first_name": "A"}
    query = {"id": str(n), "from": sender, "chat_instance": "c", "data": "x"}
    return Update.de_json({"update_id": n, "callback_query": query}, None)


async def test_the_budget_refills_and_the_notice_comes_once_a_minute() -> None:
    now = [0.0]
    processor = PerUserUpdateProcessor(clock=lambda: now[0])
    ran: list[int] = []
    told: list[int] = []

    async def tell(update: Update) -> None:
        assert update.effective_user is not None
        told.append(update.effective_user.id)

    async def work(n: int) -> None:
        ran.append(n)

    processor.on_throttled = tell
    for second in (0.0, 30.0, 91.0):
        now[0] = second
        for n in range(25):
            await processor.process_update(_tap(n), work(n))
    assert len(ran) == 3 * FLOOD_BURST
    assert told == [77, 77]  # at 0 s and at 91 s; not at 30 s
