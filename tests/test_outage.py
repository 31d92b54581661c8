"""A short outage of the Bot API is a pause: nothing is lost, nothing is sent twice, and the
staff member's report arrives when the API is back."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from bot.db import SessionFactory
from bot.models import Delivery, DeliveryState
from bot.playground.botapi import FakeTelegram
from bot.settings import Settings
from jobs.outbox import sender_of
from tests.announce_factories import training_with
from tests.conftest import ADMIN_ID
from tests.harness import BotHarness, FakeClock


@pytest.fixture
async def bot(
    settings: Settings, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> AsyncIterator[BotHarness]:
    """The bot at 100 messages a second; the test runs the sender itself."""
    harness = BotHarness(replace(settings, broadcast_rate=100), sessions, tg, clock)
    harness.auto_send = False
    await harness.start()
    yield harness
    await harness.stop()


async def _announce_to(bot: BotHarness, choice: str) -> None:
    staff = bot.user(ADMIN_ID)
    menu = (await bot.send(staff, "/umumkan"))[-1]
    await bot.press(staff, menu, "Peserta terdaftar")
    await bot.press(staff, menu, choice)
    *_, confirm = await bot.send(staff, "Ruang pindah ke lantai 2.")
    await bot.press(staff, confirm, "Kirim")


async def _send_until(bot: BotHarness, done: Callable[[], bool], timeout: float = 40) -> None:
    """What the sender's job ticks do: run again until `done` (an outage ends a run early)."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the sender did not finish"
        await sender_of(bot.app).run()
        await asyncio.sleep(0.1)


@pytest.mark.parametrize("how", ["bad_gateway", "connection_refused"])
async def test_an_announcement_survives_an_outage_and_the_report_follows(
    how: str, bot: BotHarness, tg: FakeTelegram, sessions: SessionFactory, clock: FakeClock
) -> None:
    chats = list(range(2_000, 2_120))
    training = await training_with(sessions, clock(), chats)
    await _announce_to(bot, f"ann:tr:{training.id}")

    async def outage() -> None:
        await tg.wait_for(lambda: len(tg.calls_of("sendMessage")) >= 31, timeout=20)
        setattr(tg, "api_down" if how == "bad_gateway" else "refuse_connections", True)
        await asyncio.sleep(2.5)
        tg.api_down = tg.refuse_connections = False

    staff = bot.user(ADMIN_ID)
    breaker = asyncio.create_task(outage())
    await _send_until(bot, lambda: breaker.done() and "Terkirim" in staff.last().text)

    for chat in chats:
        assert len(tg.sent_to(chat)) == 1, chat
    report = staff.last().text
    assert "Terkirim: 120" in report and "Gagal: 0" in report and "Tidak pasti" not in report
    # The sender stopped at the first sign of the outage instead of trying everyone.
    assert tg.refused_calls < 40, tg.refused_calls
    async with sessions() as session:
        unknown = await session.scalar(
            select(func.count()).where(Delivery.state == DeliveryState.UNKNOWN)
        )
    assert unknown == 0


async def test_a_lost_answer_stays_unknown_and_is_never_sent_again(
    bot: BotHarness, tg: FakeTelegram, sessions: SessionFactory, clock: FakeClock
) -> None:
    chats = list(range(2_200, 2_210))
    training = await training_with(sessions, clock(), chats)
    await _announce_to(bot, f"ann:tr:{training.id}")
    tg.time_out_next = 1  # the first message arrives, but its answer is lost
    staff = bot.user(ADMIN_ID)
    await _send_until(bot, lambda: "Terkirim" in staff.last().text)
    assert all(len(tg.sent_to(chat)) == 1 for chat in chats)
    report = staff.last().text
    assert "Terkirim: 9" in report and "Tidak pasti" in report


async def _until(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        await asyncio.sleep(0.005)


async def test_a_send_on_the_wire_when_the_outage_trips_arrives_exactly_once(
    bot: BotHarness, tg: FakeTelegram, sessions: SessionFactory, clock: FakeClock
) -> None:
    chats = list(range(2_300, 2_310))
    training = await training_with(sessions, clock(), chats)
    await _announce_to(bot, f"ann:tr:{training.id}")
    staff = bot.user(ADMIN_ID)
    # The first announcement message reaches Telegram, but its answer is held: it is on the
    # wire while the next sends meet the outage, which begins as it arrives (so no other send
    # slips through first, however slow the machine).
    held = tg.hold_next("sendMessage", then_down=True)
    sender = sender_of(bot.app)
    first_run = asyncio.create_task(sender.run())
    on_the_wire = int((await held.arrived())["chat_id"])
    assert on_the_wire in chats and len(tg.sent_to(on_the_wire)) == 1
    await _until(lambda: sender.outage.active)  # tripped by a later send's 502...
    assert held.is_held and tg.refused_calls >= 1  # ...while the first one still waits
    tg.api_down = False
    held.release()
    await first_run
    await _send_until(bot, lambda: "Terkirim" in staff.last().text)

    assert {chat: len(tg.sent_to(chat)) for chat in chats} == dict.fromkeys(chats, 1)
    report = staff.last().text
    assert "Terkirim: 10" in report and "Gagal: 0" in report and "Tidak pasti" not in report
    async with sessions() as session:
        states = set(
            await session.scalars(
                select(Delivery.state).where(Delivery.chat_id.in_(chats)).distinct()
            )
        )
    assert states == {DeliveryState.SENT}
