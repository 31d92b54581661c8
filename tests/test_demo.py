"""The demo (`python -m bot demo`) in a real headless browser: the chat page against the real bot
on the Bot API of bot/playground: /start, a whole registration with the contact shared, the
staff member's check-in, the Mini App opened from the staff menu; nothing leaves the machine.

`DEMO_SCREENSHOT=docs/img` refreshes the README's picture of the demo.
"""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.playground.demo import Demo, free_port, running_demo
from bot.settings import token_configured
from tests.browser import Phone
from tests.harness import BotProcess, run_cli, subprocess_env

LOOPBACK = ("127.0.0.1", "localhost", "::1")
# The promise: the first screen in under a minute on a fresh clone.
FIRST_SCREEN_SECONDS = 60


@pytest.fixture
def looked_up(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every host name this process resolves while the test runs (a connection by name to
    anywhere starts with one)."""
    hosts: list[str] = []
    real = socket.getaddrinfo

    def recording(host: Any, *args: Any, **kwargs: Any) -> Any:
        hosts.append(str(host))
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", recording)
    yield hosts


@pytest.fixture
async def demo(tmp_path: Path, looked_up: list[str]) -> AsyncIterator[Demo]:
    """The demo on a free port, its database in the test's folder."""
    async with running_demo(tmp_path / "demo", 0) as running:
        yield running


@pytest.fixture
async def page(phone: Phone, demo: Demo) -> AsyncIterator[tuple[Phone, list[str]]]:
    """The demo's page open in the phone, with every address the page asked for."""
    asked: list[str] = []
    await phone.call(lambda p: p.on("request", lambda request: asked.append(request.url)))
    await phone.open(demo.url)
    await phone.wait_for_text("#chat", "/start")
    yield phone, asked
    # Away from the page first: its question waiting for news would hold the server's stop.
    await phone.open("about:blank")


async def see(phone: Phone, text: str, selector: str = "#chat .msg.bot") -> None:
    """Wait until the newest bot message (or `selector`) shows `text`."""
    from playwright.sync_api import expect

    await phone.call(lambda p: expect(p.locator(selector).last).to_contain_text(text))


async def tap(phone: Phone, label: str) -> None:
    """Tap the inline button with `label` of the newest message that has one."""
    await phone.call(lambda p: p.locator(".msg.bot .inline button", has_text=label).last.click())


async def say(phone: Phone, text: str) -> None:
    """Type `text` and send it."""
    await phone.fill("#text", text)
    await phone.click("#send")


async def register(phone: Phone) -> None:
    """/start and a whole registration for the demo's first training, the phone shared by the
    keyboard's contact button, the business baseline answered."""
    await say(phone, "/start")
    await see(phone, "Halo, Siti!")
    await tap(phone, "Ikut pelatihan")
    await see(phone, "Pelatihan yang dibuka")
    await tap(phone, "Kain Perca")
    await see(phone, "apakah Anda setuju?")
    await tap(phone, "Saya setuju")
    await see(phone, "nama lengkap")
    await say(phone, "siti aminah")
    await see(phone, "nomor HP")
    await phone.click('#keyboard button:has-text("Bagikan nomor saya")')
    await see(phone, "+6281234567801", ".msg.me")
    await see(phone, "nama usaha")
    await see(phone, "0812-3456-7801")
    assert await phone.call(lambda p: p.locator("#keyboard").is_hidden())
    await say(phone, "Warung Bu Siti")
    await see(phone, "bidang usaha")
    await tap(phone, "Kuliner")
    await see(phone, "kecamatan")
    await tap(phone, "Klojen")
    # The business baseline (follow-ups are on by default): a band, the workers, online.
    await see(phone, "omzet (penjualan) per bulan")
    await tap(phone, "Rp 5–15 juta")
    await see(phone, "termasuk pemilik")
    await say(phone, "3")
    await see(phone, "berjualan online")
    await tap(phone, "Tidak")
    await see(phone, "Periksa data")
    await see(phone, "Omzet per bulan: Rp 5–15 juta")
    await see(phone, "Siti Aminah")
    await tap(phone, "Konfirmasi")
    # The summary becomes the result; the demo's training starts within hours, so its
    # reminder (and the venue's pin) may already follow it as newer messages.
    await phone.wait_for_text("#chat", "Pendaftaran berhasil")


async def check_in(phone: Phone) -> None:
    """The staff member opens today's attendance list and checks Siti in."""
    await phone.click('#switch button[data-who="staff"]')
    await phone.wait_for_text("#chat", "/start")
    await say(phone, "/hadir KP-2026-01")
    await see(phone, "0/1 hadir")
    await tap(phone, "Siti Aminah")
    await see(phone, "1/1 hadir")
    await see(phone, "✅ Siti Aminah", ".msg.bot .inline")


async def test_registration_and_check_in_in_the_demo_page(
    page: tuple[Phone, list[str]], demo: Demo, looked_up: list[str]
) -> None:
    phone, asked = page
    await register(phone)
    await tap(phone, "Simpan ke kalender")
    await see(phone, ".ics", ".msg.bot .file")
    link = await phone.call(lambda p: p.locator(".msg.bot a.file").last.get_attribute("href"))
    async with aiohttp.ClientSession() as http, http.get(demo.url + link.lstrip("/")) as got:
        assert "attachment" in got.headers["Content-Disposition"]
        assert (await got.read()).startswith(b"BEGIN:VCALENDAR")
    await tap(phone, "Pelatihan saya")
    await tap(phone, "Tiket hadir")
    ticket = "#chat .msg.bot img.photo"
    await phone.call(lambda p: p.wait_for_function(
        "s => { const i = document.querySelectorAll(s); return i.length && i[i.length - 1]"
        ".naturalWidth > 0; }", arg=ticket))  # fmt: skip
    if os.environ.get("DEMO_SCREENSHOT"):
        await phone.screenshot(Path(os.environ["DEMO_SCREENSHOT"]) / "demo.png")
    await check_in(phone)
    # Nothing left the machine: the page asked only the demo, the bot only the loopback.
    assert asked and all(url.startswith(demo.url) for url in asked), asked
    assert demo.settings.api_base_url.startswith("http://127.0.0.1:")
    assert demo.tg.calls_of("getMe") and demo.tg.calls_of("sendDocument")
    assert set(looked_up) <= set(LOOPBACK), looked_up


async def test_the_staff_menu_opens_the_mini_app_signed_by_the_demo(
    page: tuple[Phone, list[str]], demo: Demo
) -> None:
    phone, asked = page
    await phone.click('#switch button[data-who="staff"]')
    await say(phone, "/start")
    await see(phone, "Menu staf")
    await tap(phone, "Buka dasbor")
    frame = "#webapp-frame"
    await phone.call(
        lambda p: p.frame_locator(frame).locator("body").get_by_text("KP-2026-01").first.wait_for()
    )
    assert all(url.startswith(demo.url) for url in asked), asked


@pytest.mark.e2e
async def test_python_m_bot_demo_needs_no_token_and_shows_the_first_screen(
    tmp_path: Path,
) -> None:
    """On a clone with no `.env`: the demo serves its page and the bot answers /start within a
    minute, and says how to go live; `python -m bot` itself still refuses to start."""
    port = free_port()
    env = subprocess_env()
    started = time.monotonic()
    demo = BotProcess(env, tmp_path / "demo.log", ["demo", "--port", str(port), "--data",
                                                    str(tmp_path / "data")])  # fmt: skip
    await demo.start()
    try:
        first = await _first_screen(f"http://127.0.0.1:{port}", demo)
        assert time.monotonic() - started < FIRST_SCREEN_SECONDS
        assert "Halo, Siti!" in first
        assert f"demo: open http://127.0.0.1:{port}/" in demo.output()
        assert "TELEGRAM_BOT_TOKEN" in demo.output() and ".env" in demo.output()
    finally:
        assert await demo.stop() == 0, demo.output()
    assert (tmp_path / "data" / "demo.sqlite3").exists()
    code, _out, err = await run_cli(env)
    assert code == 2 and "TELEGRAM_BOT_TOKEN is required" in err
    assert not token_configured(env)
    assert token_configured({**env, "TELEGRAM_BOT_TOKEN": "123:abc"})


async def _first_screen(url: str, demo: BotProcess) -> str:
    """Wait for the page, then send /start as the participant: the bot's first answer."""
    deadline = time.monotonic() + FIRST_SCREEN_SECONDS
    async with aiohttp.ClientSession() as http:
        while True:
            assert time.monotonic() < deadline, demo.output()
            try:
                async with http.get(url + "/") as page:
                    if page.status == 200 and "demo.js" in await page.text():
                        break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.2)
        chat = url + "/demo/api/chat/participant"
        async with http.post(chat + "/text", json={"text": "/start"}) as sent:
            version = (await sent.json())["version"]
        while time.monotonic() < deadline:
            async with http.get(chat, params={"after": str(version)}) as answer:
                body = await answer.json()
            bot = [m["html"] for m in body["messages"] if m["from"] == "bot"]
            if bot:
                return str(bot[0])
            version = body["version"]
    raise AssertionError(demo.output())


async def test_a_question_reaches_the_staff_group_and_the_answer_comes_back(
    page: tuple[Phone, list[str]],
) -> None:
    phone, _asked = page
    await say(phone, "Apakah ada tempat parkir?")
    await see(phone, "sudah kami teruskan")
    await phone.click('#switch button[data-who="group"]')
    await see(phone, "Apakah ada tempat parkir?")
    await phone.click("#chat .msg.bot .bubble")
    await phone.wait_for_text("#replying", "Apakah ada tempat parkir?")
    await say(phone, "Ada, di belakang hotel.")
    await see(phone, "Terkirim ke Siti")
    await see(phone, "Pesan dari peserta", ".msg.me .quote")
    await phone.click('#switch button[data-who="participant"]')
    await see(phone, "Ada, di belakang hotel.")
