"""End to end: `python -m bot` as a subprocess against the fake Bot API server."""

from __future__ import annotations

import asyncio
import socket
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.playground.botapi import FakeBotApiServer, FakeTelegram
from tests.conftest import TOKEN
from tests.harness import BotProcess, run_cli, subprocess_env

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
        assert any("Ikut pelatihan" in label for label, _ in reply.buttons())
    finally:
        code = await bot.stop()
    output = bot.output()
    assert code == 0, output
    assert TOKEN not in output
    assert "Traceback" not in output
    assert "ERROR" not in output, output
    assert (tmp_path / "bot.sqlite3").exists()


async def test_unreachable_bot_api_stops_with_one_line(tmp_path: Path) -> None:
    # A loopback port nobody listens on: the Bot API cannot be reached.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{port}",
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
    )
    bot = BotProcess(env, tmp_path / "bot.log")
    await bot.start()
    assert bot.process is not None
    code = await asyncio.wait_for(bot.process.wait(), 60)
    output = bot.output()
    assert code == 1, output
    assert f"start-up failed: cannot reach the Bot API at http://127.0.0.1:{port}" in output
    assert "Traceback" not in output
    assert TOKEN not in output


async def test_rejected_token_stops_with_one_line(
    tg: FakeTelegram, fake_server: FakeBotApiServer, tmp_path: Path
) -> None:
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN="999:not-the-fake-servers-token",
        TELEGRAM_API_BASE_URL=fake_server.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
    )
    bot = BotProcess(env, tmp_path / "bot.log")
    await bot.start()
    assert bot.process is not None
    code = await asyncio.wait_for(bot.process.wait(), 60)
    output = bot.output()
    assert code == 1, output
    assert "start-up failed: Telegram rejected TELEGRAM_BOT_TOKEN" in output
    assert "Traceback" not in output
    assert "not-the-fake-servers-token" not in output


@pytest.mark.parametrize("args", [(), ("export", "KP-2026-01")])
async def test_a_missing_postgres_database_stops_with_one_line(
    postgres_server: str, args: tuple[str, ...]
) -> None:
    missing = f"pb_missing_{uuid.uuid4().hex[:8]}"
    server = make_url(postgres_server)
    url = server.set(database=missing).render_as_string(hide_password=False)
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL="http://127.0.0.1:9", DATABASE_URL=url
    )
    code, out, err = await run_cli(env, *args)
    where = f"{server.host}:{server.port or 5432}"
    assert code == 1, err
    assert err == f'start-up failed: database "{missing}" does not exist on {where}\n'
    assert out == ""


async def test_an_unreachable_database_server_stops_with_one_line() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens there once closed
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL="http://127.0.0.1:9",
        DATABASE_URL=f"postgresql+asyncpg://bot:pw-not-shown@127.0.0.1:{port}/pelatihan",
    )
    code, _, err = await run_cli(env)
    assert code == 1, err
    assert (
        err
        == f"start-up failed: cannot reach the database at 127.0.0.1:{port} (Connection refused)\n"
    )
