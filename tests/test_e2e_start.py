"""End to end: `python -m bot` as a subprocess against the fake Bot API server."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TOKEN
from tests.fake_telegram import FakeBotApiServer, FakeTelegram
from tests.harness import BotProcess, subprocess_env

pytestmark = pytest.mark.e2e


async def test_bot_process_answers_start(
    tg: FakeTelegram, fake_server: FakeBotApiServer, tmp_path: Path
) -> None:
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=fake_server.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        LOG_LEVEL="DEBUG",
    )
    bot = BotProcess(env, tmp_path / "bot.log")
    await bot.start()
    try:
        await tg.wait_for(lambda: tg.get_updates_calls > 0, timeout=30)
        user = tg.user(4242, "Rina")
        user.send_text("/start")
        reply = await user.wait_for_text("Halo, Rina!", timeout=15)
        assert any("Daftar" in label for label, _ in reply.buttons())
    finally:
        code = await bot.stop()
    output = bot.output()
    assert code == 0, output
    assert TOKEN not in output
    assert "Traceback" not in output
    assert "ERROR" not in output, output
    assert (tmp_path / "bot.sqlite3").exists()
