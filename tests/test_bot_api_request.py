"""The Bot API request object over aiohttp (bot/sending/request.py), against real loopback HTTP:
what it sends, and how each failure is told apart ("certainly not sent" or "may have
arrived"), with the token never in an error's text."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from telegram import Bot, CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.assembly.chat import build_application
from bot.playground.botapi import FakeBotApiServer, FakeTelegram
from bot.sending.request import AiohttpRequest, ClassifyingRequest, NotTakenError
from bot.settings import load_settings
from tests.conftest import TOKEN


def _bot(base_url: str, **options: float) -> Bot:
    request = ClassifyingRequest(AiohttpRequest(**options))  # type: ignore[arg-type]
    return Bot(TOKEN, base_url=f"{base_url}/bot", request=request, get_updates_request=request)


def _me() -> web.Response:
    """Telegram's answer to getMe."""
    user = {"id": 1, "is_bot": True, "first_name": "Bot", "username": "bot"}
    return web.json_response({"ok": True, "result": user})


@contextlib.asynccontextmanager
async def _served(app: web.Application) -> AsyncIterator[str]:
    """`app` on a free loopback port: its address."""
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@pytest.fixture
def proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No proxy variable of the machine's own in the environment; the test sets its own."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


@pytest.fixture
async def stalled_server() -> AsyncIterator[str]:
    """A server that answers /bot*/getMe at once and every other call never (or 502 for
    sendPhoto): the request has arrived, its answer does not come."""
    stall = asyncio.Event()

    async def api(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "getMe":
            return _me()
        if method == "sendPhoto":
            return web.Response(status=502, text="Bad Gateway")
        await stall.wait()
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", api)
    async with _served(app) as address:
        yield address
        stall.set()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_messages_and_files_arrive_as_telegram_reads_them(
    tg: FakeTelegram, fake_server: FakeBotApiServer
) -> None:
    rina = tg.user(4343, "Rina")
    async with _bot(fake_server.base_url) as bot:
        await bot.send_message(4343, "Halo <b>Rina</b> — 100% &amp; ✅", parse_mode="HTML")
        await bot.send_document(
            4343, b"%PDF-1.4 isi", filename="sertifikat.pdf", caption="Sertifikat Anda"
        )
    text, document = rina.messages()
    assert text.text == "Halo Rina — 100% & ✅"
    assert document.document == ("sertifikat.pdf", b"%PDF-1.4 isi")
    assert document.text == "Sertifikat Anda"  # the caption


async def test_the_fake_takes_the_button_styles_telegram_knows_and_refuses_others(
    tg: FakeTelegram, fake_server: FakeBotApiServer
) -> None:
    rina = tg.user(4343, "Rina")
    green = InlineKeyboardButton("Konfirmasi", callback_data="c", style="success")
    copy = InlineKeyboardButton("Salin", copy_text=CopyTextButton("K7M2QX"), style="primary")
    async with _bot(fake_server.base_url) as bot:
        await bot.send_message(
            4343, "Periksa data", reply_markup=InlineKeyboardMarkup([[green, copy]])
        )
        pink = InlineKeyboardButton("Konfirmasi", callback_data="c", style="pink")
        with pytest.raises(BadRequest, match=r"(?i)button_style_invalid"):
            await bot.send_message(
                4343, "Periksa data", reply_markup=InlineKeyboardMarkup([[pink]])
            )
        await bot.send_voice(4343, b"OggS voice", caption="Pesan suara")
    sent, voice = rina.messages()
    assert sent.styles() == {"Konfirmasi": "success", "Salin": "primary"}
    assert sent.buttons()[1] == ("Salin", "K7M2QX")
    assert voice.media_kind == "voice" and voice.text == "Pesan suara"


async def test_a_refused_connection_is_certainly_not_sent() -> None:
    bot = _bot(f"http://127.0.0.1:{_closed_port()}", connect_timeout=2)
    with pytest.raises(NotTakenError) as error:
        await bot.get_me()
    assert TOKEN not in str(error.value)


async def test_no_answer_may_have_arrived_and_is_not_called_not_sent(
    stalled_server: str,
) -> None:
    async with _bot(stalled_server, read_timeout=0.3) as bot:
        with pytest.raises(TimedOut) as error:
            await bot.send_message(1, "halo")
    assert not isinstance(error.value, NotTakenError)


async def test_a_5xx_answer_is_not_taken(stalled_server: str) -> None:
    async with _bot(stalled_server) as bot:
        with pytest.raises(NotTakenError):
            await bot.send_photo(1, b"\x89PNG")


async def test_waiting_for_a_connection_too_long_is_not_sent_and_hides_the_token(
    stalled_server: str,
) -> None:
    """One connection, held by a call that gets no answer: the next call never leaves."""
    async with _bot(stalled_server, pool_size=1, connect_timeout=0.3, read_timeout=5) as bot:
        first = asyncio.create_task(bot.send_message(1, "pertama"))
        await asyncio.sleep(0.1)
        with pytest.raises(NotTakenError) as error:
            await bot.send_message(2, "kedua")
        first.cancel()
    assert TOKEN not in str(error.value) and TOKEN not in repr(error.value.__cause__)
    assert isinstance(error.value, NetworkError)


@pytest.fixture
async def proxy_server() -> AsyncIterator[tuple[str, list[str]]]:
    """A loopback HTTP proxy that answers every Bot API call itself: the URLs it was asked for,
    each after the login it was given."""
    asked: list[str] = []

    async def proxied(request: web.Request) -> web.Response:
        asked.append(f"{request.headers.get('Proxy-Authorization', '-')} {request.url}")
        return _me()

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", proxied)
    async with _served(app) as address:
        yield address, asked


async def test_calls_go_through_the_proxy_the_environment_names(
    proxy_server: tuple[str, list[str]], proxy_env: pytest.MonkeyPatch
) -> None:
    proxy, asked = proxy_server
    proxy_env.setenv("HTTP_PROXY", proxy)
    async with _bot("http://telegram.example") as bot:  # reached only through the proxy
        await bot.get_me()
        await bot.get_me()
    assert asked == [f"- http://telegram.example/bot{TOKEN}/getMe"] * 3  # initialize's and ours


async def test_a_proxy_login_in_its_url_is_sent_to_the_proxy(
    proxy_server: tuple[str, list[str]], proxy_env: pytest.MonkeyPatch
) -> None:
    proxy, asked = proxy_server
    proxy_env.setenv("HTTP_PROXY", proxy.replace("http://", "http://kantor:rahasia%21@"))
    async with _bot("http://telegram.example") as bot:
        await bot.get_me()
    login = base64.b64encode(b"kantor:rahasia!").decode()
    assert asked == [f"Basic {login} http://telegram.example/bot{TOKEN}/getMe"] * 2


async def test_a_proxy_login_goes_with_the_connect_to_an_https_api(
    proxy_env: pytest.MonkeyPatch,
) -> None:
    """Telegram is https: the proxy is asked to CONNECT, with the login (and refuses here)."""
    heads: list[bytes] = []

    async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        heads.append(await reader.readuntil(b"\r\n\r\n"))
        writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(refuse, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    proxy_env.setenv("HTTPS_PROXY", f"http://kantor:rahasia%21@127.0.0.1:{port}")
    async with server:
        with pytest.raises(NotTakenError) as error:  # it never reached Telegram
            async with _bot("https://telegram.example"):
                pass  # starting asks Telegram who the bot is
    assert TOKEN not in str(error.value)
    head = heads[0].decode()
    assert head.startswith("CONNECT telegram.example:443 HTTP/1.1\r\n")
    login = base64.b64encode(b"kantor:rahasia!").decode()
    assert f"Proxy-Authorization: Basic {login}\r\n" in head


async def test_no_proxy_hosts_are_called_directly(
    tg: FakeTelegram, fake_server: FakeBotApiServer, proxy_env: pytest.MonkeyPatch
) -> None:
    proxy_env.setenv("HTTP_PROXY", f"http://127.0.0.1:{_closed_port()}")
    proxy_env.setenv("NO_PROXY", "127.0.0.1,localhost")
    tg.user(4343, "Rina")
    async with _bot(fake_server.base_url) as bot:
        await bot.send_message(4343, "langsung")
    assert tg.user(4343).texts() == ["langsung"]


async def test_the_proxy_in_the_env_file_is_used_by_the_bot(
    proxy_server: tuple[str, list[str]], tmp_path: Path, proxy_env: pytest.MonkeyPatch
) -> None:
    """`make run` reads .env without putting it in the process environment: the proxy written
    there still carries the bot's calls (and its password is not in the settings' repr)."""
    proxy, asked = proxy_server
    env_file = tmp_path / ".env"
    env_file.write_text(f"HTTP_PROXY={proxy.replace('http://', 'http://kantor:rahasia@')}\n")
    settings = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": "http://telegram.example",
            "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        },
        env_file=env_file,
    )
    assert "rahasia" not in repr(settings)
    application = build_application(settings)
    await application.bot.initialize()
    await application.bot.shutdown()
    login = base64.b64encode(b"kantor:rahasia").decode()
    assert asked == [f"Basic {login} http://telegram.example/bot{TOKEN}/getMe"]
