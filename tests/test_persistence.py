"""A conversation survives a restart of the application: its state lives in the database."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from telegram import Update
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from bot.db import SessionFactory
from bot.models import BotState
from bot.playground.botapi import FakeTelegram
from bot.runtime.context import BotApplication, BotContext
from bot.runtime.persistence import SqlPersistence
from bot.settings import Settings
from tests.harness import BotHarness, FakeClock

ASK_NAME, ASK_CITY = range(2)


async def _begin(update: Update, context: BotContext) -> int:
    assert update.effective_message is not None
    await update.effective_message.reply_text("name?")
    return ASK_NAME


async def _name(update: Update, context: BotContext) -> int:
    assert update.effective_message is not None and context.user_data is not None
    context.user_data["name"] = update.effective_message.text
    await update.effective_message.reply_text("city?")
    return ASK_CITY


async def _city(update: Update, context: BotContext) -> int:
    assert update.effective_message is not None and context.user_data is not None
    await update.effective_message.reply_text(
        f"{context.user_data['name']} from {update.effective_message.text}"
    )
    return ConversationHandler.END


def _add_conversation(app: BotApplication) -> None:
    app.add_handler(
        ConversationHandler(
            entry_points=[CommandHandler("probe", _begin)],
            states={
                ASK_NAME: [MessageHandler(filters.TEXT & ~filters.COMMAND, _name)],
                ASK_CITY: [MessageHandler(filters.TEXT & ~filters.COMMAND, _city)],
            },
            fallbacks=[],
            name="probe",
            persistent=True,
        )
    )
    app.handlers[0].insert(0, app.handlers[0].pop())  # before the catch-alls, like a feature


async def test_conversation_continues_after_restart(
    settings: Settings, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> None:
    harness = BotHarness(settings, sessions, tg, clock, setup=_add_conversation)
    await harness.start()
    user = harness.user(501)
    await harness.send(user, "/probe")
    await harness.send(user, "Wati")
    # A crash-like restart: the new application reads the state written after each update.
    harness.app = harness._build()
    await harness.start()
    [reply] = await harness.send(user, "Malang")
    assert reply.text == "Wati from Malang"
    await harness.stop()


async def test_nested_user_data_changes_are_written_every_time(
    settings: Settings, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> None:
    async def remember(update: Update, context: BotContext) -> None:
        assert context.user_data is not None and update.effective_message is not None
        draft = context.user_data.setdefault("draft", {})
        draft[str(len(draft))] = update.effective_message.text

    def add(app: BotApplication) -> None:
        app.handlers[0].insert(0, MessageHandler(filters.TEXT, remember))

    harness = BotHarness(settings, sessions, tg, clock, setup=add)
    await harness.start()
    user = harness.user(502)
    for word in ("a", "b", "c"):
        await harness.send(user, word)
    harness.app = harness._build()
    await harness.start()
    assert harness.app.user_data[502]["draft"] == {"0": "a", "1": "b", "2": "c"}
    # And again after a restart (what was loaded is changed in place as well).
    await harness.send(user, "d")
    harness.app = harness._build()
    await harness.start()
    assert harness.app.user_data[502]["draft"]["3"] == "d"
    await harness.stop()


async def test_rows_that_only_cache_the_language_are_dropped_at_start(
    settings: Settings, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> None:
    # Rows as an earlier version wrote them: the cached language alone, or next to a draft.
    async with sessions() as session:
        for key, value in (("601", {"lang": "en"}), ("602", {"lang": "en", "draft": {"a": 1}})):
            session.add(BotState(kind="user_data", key=key, value={"v": value}, updated_at=clock()))
        await session.commit()
    harness = BotHarness(settings, sessions, tg, clock)
    await harness.start()
    assert 601 not in harness.app.user_data or not harness.app.user_data[601]
    assert harness.app.user_data[602] == {"draft": {"a": 1}}
    async with sessions() as session:
        stored = await session.execute(select(BotState.key).where(BotState.kind == "user_data"))
        assert stored.scalars().all() == ["602"]
    await harness.stop()


async def test_a_write_waits_for_its_own_batch_not_for_everyone_after_it(
    sessions: SessionFactory,
) -> None:
    """While hundreds of people keep the bot busy, one person's save returns once the batch
    holding it is committed; it used to wait until nobody was writing any more."""
    persistence = SqlPersistence(sessions)
    streaming = True

    saves: list[asyncio.Task[None]] = []

    async def others() -> None:
        """Other people's saves, a new one every millisecond, each on its own."""
        for n in range(10_000):
            if not streaming:
                return
            saves.append(asyncio.create_task(persistence.update_user_data(1000 + n, {"n": n})))
            await asyncio.sleep(0.001)

    stream = asyncio.create_task(others())
    await asyncio.sleep(0.2)  # batches follow one another now
    await asyncio.wait_for(persistence.update_user_data(7, {"step": "mine"}), timeout=5)
    still_streaming = not stream.done()
    streaming = False
    await stream
    await asyncio.gather(*saves)
    assert still_streaming
    async with sessions() as session:
        row = await session.scalar(select(BotState).where(BotState.key == "7"))
    assert row is not None and row.value == {"v": {"step": "mine"}}
