"""End to end: `python -m bot` sends a reminder at REMINDER_TIME and its RSVP button works."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.db import create_engine, create_session_factory, upgrade_database_sync
from bot.playground.botapi import FakeBotApiServer, FakeTelegram
from tests.conftest import TOKEN
from tests.harness import BotProcess, subprocess_env
from tests.reminder_fixtures import JAKARTA, DayPlan, register_people

pytestmark = pytest.mark.e2e


async def test_bot_process_sends_the_reminder_and_records_the_answer(
    tg: FakeTelegram, fake_server: FakeBotApiServer, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    await asyncio.to_thread(upgrade_database_sync, url)
    now = datetime.now(UTC)
    # The reminder time is the next whole minute here; the training starts the day after.
    reminder_at = (now.astimezone(JAKARTA) + timedelta(minutes=1)).replace(second=0)
    engine = create_engine(url)
    await register_people(
        create_session_factory(engine),
        now,
        [4343],
        days=[DayPlan(reminder_at.date() + timedelta(days=1), topic="Kain perca")],
    )
    await engine.dispose()

    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=fake_server.base_url,
        DATABASE_URL=url,
        TIMEZONE="Asia/Jakarta",
        REMINDER_TIME=reminder_at.strftime("%H:%M"),
    )
    bot = BotProcess(env, tmp_path / "bot.log")
    await bot.start()
    try:
        user = tg.user(4343, "Rina")
        # Due within a minute, picked up by the next run of the job (every 30 s).
        reminder = await user.wait_for_text("Pengingat: pelatihan Anda besok", timeout=120)
        assert datetime.now(UTC) >= reminder_at - timedelta(seconds=1)
        assert "Kain perca" in reminder.text
        user.press(reminder, "Ya, saya datang")
        await tg.wait_for(lambda: "Jawaban Anda: Ya, saya datang" in reminder.text, timeout=15)
        assert len(user.messages()) == 1
    finally:
        code = await bot.stop()
    output = bot.output()
    assert code == 0, output
    assert "Traceback" not in output
