"""Webhook mode: the aiohttp app around a real, running Application; then `python -m bot`."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import test_utils

from bot.playground.botapi import FakeBotApiServer, FakeTelegram
from bot.settings import Settings
from bot.web.webhook import SECRET_HEADER, build_webhook_app, webhook_route
from tests.conftest import TOKEN
from tests.harness import BotHarness, BotProcess, subprocess_env

SECRET = "webhook-Secret_123"
Client = test_utils.TestClient[Any, Any]


def webhook_settings(base: Settings, **changes: Any) -> Settings:
    """`base` in webhook mode with SECRET (at https://bot.example.org unless changed)."""
    changes = {"webhook_url": "https://bot.example.org", "webhook_secret": SECRET, **changes}
    return replace(base, **changes)


async def client_for(harness: BotHarness, settings: Settings) -> Client:
    """A test client for the webhook app of `harness.app` (started on a loopback port)."""
    client: Client = test_utils.TestClient(
        test_utils.TestServer(build_webhook_app(harness.app, settings))
    )
    await client.start_server()
    return client


@pytest.fixture
async def running(harness: BotHarness) -> AsyncIterator[BotHarness]:
    """The harness with its Application running (consuming `update_queue`, as in production)."""
    await harness.app.start()
    yield harness
    await harness.app.stop()


@pytest.fixture
async def client(running: BotHarness, settings: Settings) -> AsyncIterator[Client]:
    """A client of the webhook app around the running bot."""
    client = await client_for(running, webhook_settings(settings))
    yield client
    await client.close()


async def test_update_with_the_secret_is_answered(running: BotHarness, client: Client) -> None:
    user = running.user(4242, "Rina")
    user.send_text("/start")
    (update,) = running.tg.take_updates()
    response = await client.post("/telegram", json=update, headers={SECRET_HEADER: SECRET})
    assert response.status == 200
    reply = await user.wait_for_text("Halo, Rina!")
    assert any("Ikut pelatihan" in label for label, _ in reply.buttons())


@pytest.mark.parametrize("secret", [None, "wrong-secret-123", "", SECRET + "x", SECRET[:-1]])
async def test_missing_or_wrong_secret_is_refused_and_not_processed(
    running: BotHarness,
    client: Client,
    secret: str | None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    intruder = running.user(666, "Eve")
    intruder.send_text("/start")
    (forged,) = running.tg.take_updates()
    headers = {} if secret is None else {SECRET_HEADER: secret}
    with caplog.at_level(logging.WARNING, logger="bot.web.webhook"):
        response = await client.post("/telegram", json=forged, headers=headers)
    assert response.status == 403
    assert running.app.update_queue.qsize() == 0
    expected = "missing" if secret is None else "wrong"
    assert f"refused: {expected} secret token" in caplog.text
    assert SECRET not in caplog.text
    # A genuine update sent afterwards is answered; the forged one never was.
    user = running.user(4243, "Rina")
    user.send_text("/start")
    (update,) = running.tg.take_updates()
    await client.post("/telegram", json=update, headers={SECRET_HEADER: SECRET})
    await user.wait_for_text("Halo, Rina!")
    assert intruder.messages() == []


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2]",
        b'"text"',
        b'{"message": {"text": "no update id"}}',
        b"\xff\xfe",
        b'{"update_id": 7, "message": "text"}',
        b'{"update_id": 7, "message": {"message_id": 1, "date": 1e20, "chat": {"id": 1}}}',
    ],
)
async def test_an_update_that_cannot_be_read_is_200_and_dropped(
    running: BotHarness, client: Client, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    # Telegram resends an update until it gets a 200: a bad one must not hold up the rest.
    with caplog.at_level(logging.WARNING, logger="bot.web.webhook"):
        response = await client.post(
            "/telegram",
            data=body,
            headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"},
        )
    assert response.status == 200
    assert "Traceback" not in await response.text()
    assert running.app.update_queue.qsize() == 0
    (record,) = caplog.records
    assert "refused: malformed update (" in record.getMessage()
    assert record.exc_info is None


async def test_refused_requests_are_logged_once_a_minute_per_reason(
    running: BotHarness, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    now = [1000.0]
    app = build_webhook_app(running.app, webhook_settings(settings), clock=lambda: now[0])
    client: Client = test_utils.TestClient(test_utils.TestServer(app))
    await client.start_server()
    wrong = {SECRET_HEADER: "wrong-secret-123"}
    try:
        with caplog.at_level(logging.WARNING, logger="bot.web.webhook"):
            for _ in range(50):
                assert (await client.post("/telegram", json={}, headers=wrong)).status == 403
                assert (await client.post("/telegram", json={})).status == 403
            now[0] += 61
            assert (await client.post("/telegram", json={}, headers=wrong)).status == 403
    finally:
        await client.close()
    lines = [record.getMessage() for record in caplog.records]
    assert len(lines) == 3, lines
    assert lines[0].endswith("refused: wrong secret token")
    assert lines[1].endswith("refused: missing secret token")
    assert lines[2].endswith("refused: wrong secret token (49 more since the last one)")


async def test_only_post_on_the_fixed_path(client: Client) -> None:
    assert (await client.get("/telegram")).status == 405
    assert (await client.post("/other", json={}, headers={SECRET_HEADER: SECRET})).status == 404


@pytest.mark.parametrize(
    ("webhook_url", "registered", "path"),
    [
        ("https://bot.example.org", "https://bot.example.org/telegram", "/telegram"),
        (
            "https://bot.example.org/bot/telegram",
            "https://bot.example.org/bot/telegram",
            "/bot/telegram",
        ),
        ("https://bot.example.org/hook", "https://bot.example.org/hook", "/hook"),
    ],
)
def test_the_registered_url_and_the_served_path_agree(
    webhook_url: str, registered: str, path: str
) -> None:
    assert webhook_route(webhook_url) == (registered, path)


async def test_a_url_with_a_path_is_served_on_that_path(
    running: BotHarness, settings: Settings
) -> None:
    hooked = webhook_settings(settings, webhook_url="https://bot.example.org/bot/telegram")
    client = await client_for(running, hooked)
    try:
        user = running.user(4242, "Rina")
        user.send_text("/start")
        (update,) = running.tg.take_updates()
        headers = {SECRET_HEADER: SECRET}
        response = await client.post("/bot/telegram", json=update, headers=headers)
        assert response.status == 200
        await user.wait_for_text("Halo, Rina!")
        assert (await client.post("/telegram", json=update, headers=headers)).status == 404
    finally:
        await client.close()


async def test_healthz_ok(client: Client) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}


async def test_healthz_503_when_the_application_is_not_running(
    harness: BotHarness, settings: Settings
) -> None:
    client = await client_for(harness, webhook_settings(settings))
    try:
        response = await client.get("/healthz")
        assert response.status == 503
        assert await response.json() == {
            "status": "unavailable",
            "reason": "application is not running",
        }
    finally:
        await client.close()


async def test_healthz_503_when_the_database_is_unreachable(
    running: BotHarness, settings: Settings, tmp_path: Path
) -> None:
    if settings.is_sqlite:
        unreachable = f"sqlite+aiosqlite:///{tmp_path / 'removed' / 'bot.sqlite3'}"
    else:
        unreachable = "postgresql+asyncpg://postgres:pw-not-shown@127.0.0.1:1/pelatihan"
    client = await client_for(running, webhook_settings(settings, database_url=unreachable))
    try:
        response = await client.get("/healthz")
        body = await response.json()
    finally:
        await client.close()
    assert response.status == 503
    assert body["status"] == "unavailable"
    assert body["reason"].startswith("database: ")
    assert "pw-not-shown" not in body["reason"]
    assert "Traceback" not in body["reason"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def webhook_env(
    fake_server: FakeBotApiServer, database_url: str, port: int, path: str = ""
) -> dict[str, str]:
    """Environment for `python -m bot` in webhook mode on a loopback port (URL path `path`)."""
    return subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=fake_server.base_url,
        DATABASE_URL=database_url,
        WEBHOOK_URL=f"http://127.0.0.1:{port}{path}",
        WEBHOOK_SECRET=SECRET,
        WEBHOOK_PORT=str(port),
        WEBHOOK_LISTEN="127.0.0.1",
        LOG_LEVEL="DEBUG",
    )


async def wait_until_serving(http: aiohttp.ClientSession, port: int, bot: BotProcess) -> None:
    """Wait until the process answers /healthz with 200 (fails early if it exited)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert bot.process is not None and bot.process.returncode is None, bot.output()
        try:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.1)
    raise AssertionError(f"the bot did not become healthy:\n{bot.output()}")


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("path", "served"), [("", "/telegram"), ("/bot/telegram", "/bot/telegram")]
)
async def test_bot_process_in_webhook_mode(
    tg: FakeTelegram, fake_server: FakeBotApiServer, tmp_path: Path, path: str, served: str
) -> None:
    port = free_port()
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    bot = BotProcess(webhook_env(fake_server, database_url, port, path), tmp_path / "bot.log")
    base = f"http://127.0.0.1:{port}"
    url = f"{base}{served}"
    await bot.start()
    try:
        await tg.wait_for(lambda: tg.webhook_url is not None, timeout=30)
        assert tg.webhook_url == url
        assert tg.webhook_secret == SECRET
        (set_webhook,) = tg.calls_of("setWebhook")
        assert {"message", "callback_query"} <= set(set_webhook["allowed_updates"])
        async with aiohttp.ClientSession() as http:
            await wait_until_serving(http, port, bot)
            async with http.get(f"{base}/healthz") as response:
                assert await response.json() == {"status": "ok"}

            intruder = tg.user(666, "Eve")
            intruder.send_text("/start")
            (forged,) = tg.take_updates()
            bad = {SECRET_HEADER: "not-the-secret"}
            async with http.post(url, json=forged, headers=bad) as response:
                assert response.status == 403
            async with http.post(url, json=forged) as response:
                assert response.status == 403

            user = tg.user(4242, "Rina")
            user.send_text("/start")
            (update,) = tg.take_updates()
            good = {SECRET_HEADER: SECRET}
            async with http.post(url, json=update, headers=good) as response:
                assert response.status == 200
            reply = await user.wait_for_text("Halo, Rina!", timeout=15)
            assert any("Ikut pelatihan" in label for label, _ in reply.buttons())
            assert intruder.messages() == []
    finally:
        code = await bot.stop(signal.SIGTERM)
    output = bot.output()
    assert code == 0, output
    assert "Traceback" not in output
    assert TOKEN not in output and SECRET not in output
    assert "refused: wrong secret token" in output and "refused: missing secret token" in output
    assert tg.calls_of("deleteWebhook") == []
    assert tg.get_updates_calls == 0


@pytest.mark.e2e
async def test_port_in_use_stops_with_one_line(
    tg: FakeTelegram, fake_server: FakeBotApiServer, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        database_url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
        bot = BotProcess(webhook_env(fake_server, database_url, port), tmp_path / "bot.log")
        await bot.start()
        assert bot.process is not None
        code = await asyncio.wait_for(bot.process.wait(), 30)
        await bot.stop()
    output = bot.output()
    assert code == 1, output
    assert f"ERROR bot cannot listen on 127.0.0.1:{port}: Address already in use" in output
    assert "Traceback" not in output and TOKEN not in output
    assert tg.calls_of("setWebhook") == []
