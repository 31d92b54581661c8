"""Update processing: each user's updates in order, different users at the same time."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

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
