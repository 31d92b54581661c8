"""End to end: a cancellation in `python -m bot` gives the seat to the waiting participant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.db import create_engine, create_session_factory, upgrade_database
from bot.models import RegistrationStatus
from bot.playground.botapi import FakeBotApiServer, FakeTelegram
from tests.conftest import TOKEN
from tests.factories import make_participant, make_registration, make_training
from tests.harness import BotProcess, subprocess_env

pytestmark = pytest.mark.e2e


async def _seed(url: str) -> None:
    """One seat, held by 5101; 5102 waits for it. The training is weeks ahead of today."""
    await upgrade_database(url)
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as s:
            now = datetime.now(UTC)
            first = now.date() + timedelta(days=40)
            training = await make_training(
                s,
                code="KP-E2E",
                capacity=1,
                days=[(first, "08:00", "15:00", "Kain perca")],
                now=now,
            )
            holder = await make_participant(s, 5101, now=now)
            waiting = await make_participant(s, 5102, now=now)
            await make_registration(s, holder, training, RegistrationStatus.CONFIRMED, now)
            await make_registration(s, waiting, training, RegistrationStatus.WAITLISTED, now)
    finally:
        await engine.dispose()


async def test_cancelling_promotes_the_waiting_participant(
    tg: FakeTelegram, fake_server: FakeBotApiServer, tmp_path: Path
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    await _seed(url)
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=fake_server.base_url, DATABASE_URL=url
    )
    bot = BotProcess(env, tmp_path / "bot.log")
    await bot.start()
    try:
        await tg.wait_for(lambda: tg.get_updates_calls > 0, timeout=30)
        holder, waiting = tg.user(5101, "Rina"), tg.user(5102, "Dewi")
        holder.send_text("/saya")
        card = await holder.wait_for_text("Hari 1:", timeout=15)
        holder.press(card, "Batal ikut")
        await holder.wait_for_text("Yakin batal", timeout=15)
        holder.press(card, "Ya")
        await holder.wait_for_text("Anda batal ikut", timeout=15)
        notice = await waiting.wait_for_text("Kursi tersedia!", timeout=15)
        assert "Pelatihan Kain Perca dan Melukis Kain" in notice.text
    finally:
        code = await bot.stop()
    output = bot.output()
    assert code == 0, output
    assert "Traceback" not in output
