"""`python -m bot demo`: the real bot, against the Bot API of `botapi.py` on loopback, in a web
page that works like a phone's chat (`page.py`).

The bot is the one `python -m bot` runs: the same handlers, services and outbox, on a SQLite
file of its own under the data folder (made afresh at every start, with the sample trainings
imported through the one training writer). The staff member of the page is in the demo's
ADMIN_IDS and the demo group is its STAFF_CHAT_ID. Nothing leaves the machine: the Bot API,
the page and the Mini App are all served on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from pathlib import Path

from aiohttp import web
from telegram import Update

from bot.assembly.chat import build_application
from bot.db import create_engine, create_session_factory, upgrade_database_sync
from bot.playground.botapi import FakeBotApiServer, FakeTelegram
from bot.playground.page import GROUP_TITLE, DemoPeople, add_chat_page
from bot.services.training_file import FileTraining, import_trainings, read_training_file
from bot.settings import Settings, load_settings
from bot.web.webhook import build_dashboard_app, listen, serving

HOST = "127.0.0.1"
TOKEN = "1000001:DEMO-playground-token"
SAMPLE = Path(__file__).resolve().parent / "sample-trainings.yaml"
PEOPLE = DemoPeople(participant=1001, staff=1002, staff_chat=-1001000000001)
_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
GO_LIVE = (
    "To go live: put your bot's token from @BotFather in .env as TELEGRAM_BOT_TOKEN=... "
    "and run `make run` again."
)


def database_url(data: Path) -> str:
    """The demo's SQLite file, in the data folder."""
    return f"sqlite+aiosqlite:///{(data / 'demo.sqlite3').resolve()}"


def demo_settings(data: Path, api_base_url: str, page_url: str) -> Settings:
    """The demo's settings: read as every setting is read, from the demo's own values only
    (never `.env`, which is for going live)."""
    environ = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api_base_url,
        "DATABASE_URL": database_url(data),
        "ADMIN_IDS": str(PEOPLE.staff),
        "STAFF_CHAT_ID": str(PEOPLE.staff_chat),
        "ORG_CONTACT": "WhatsApp 0812-0000-0000 (demo)",
        "LOG_LEVEL": "WARNING",
    }
    settings = load_settings(environ, env_file="")
    # Telegram opens only https Mini Apps; the demo's Telegram is the page, on loopback.
    return replace(settings, webapp_url=f"{page_url}app/")


def sample_trainings(today: date) -> bytes:
    """The sample training file with its dates moved so that its first day is `today`."""
    text = SAMPLE.read_text(encoding="utf-8")
    first = min(date.fromisoformat(found) for found in _DATE.findall(text))
    shift = today - first
    return _DATE.sub(lambda m: str(date.fromisoformat(m[1]) + shift), text).encode()


def fresh_database(settings: Settings) -> None:
    """A new demo database: the old file removed, the schema made (blocking)."""
    path = Path(settings.database_url.split(":///", 1)[1])
    path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    upgrade_database_sync(settings.database_url)


def first_day_hours(now: datetime) -> tuple[time, time]:
    """The hours of the first training's first day (today): from two hours ahead, so that it
    is still open for registration a while and staff can check people in on it, to six hours
    later, within the day."""
    start = now.hour + 2
    if start > 23:
        return time(23, 58), time(23, 59)
    return time(start), time(start + 6) if start + 6 <= 23 else time(23, 59)


def _starting_later_today(training: FileTraining, now: datetime) -> FileTraining:
    start, end = first_day_hours(now)
    days = list(training.spec.days)
    days[0] = replace(days[0], start=start, end=end)
    return replace(training, spec=replace(training.spec, days=type(training.spec.days)(days)))


async def import_sample(settings: Settings) -> None:
    """The sample trainings, written by the training writer as a staff member's file would be."""
    now = datetime.now(UTC)
    local = now.astimezone(settings.timezone)
    first, *others = read_training_file(sample_trainings(local.date()), settings.timezone)
    trainings = [_starting_later_today(first, local), *others]
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            await import_trainings(session, trainings, now=now, changed_by=None)
    finally:
        await engine.dispose()


@dataclass
class Demo:
    """A running demo: its Telegram, the bot's settings, the page's address, and the event that
    stops it (SIGINT, SIGTERM)."""

    tg: FakeTelegram
    settings: Settings
    url: str
    stop: asyncio.Event


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def running_demo(data: Path, port: int) -> AsyncIterator[Demo]:
    """The Bot API, the bot polling it and the page (with the Mini App) on `port` (0: a free
    one), until the block ends."""
    tg = FakeTelegram(TOKEN)
    tg.groups[PEOPLE.staff_chat] = {"id": PEOPLE.staff_chat, "type": "supergroup",
                                    "title": GROUP_TITLE}  # fmt: skip
    bot_api = FakeBotApiServer(tg, HOST)
    await bot_api.start()
    try:
        url = f"http://{HOST}:{port or free_port()}/"
        settings = demo_settings(data, bot_api.base_url, url)
        await asyncio.to_thread(fresh_database, settings)
        await import_sample(settings)
        async with _bot_and_page(tg, settings, url) as demo:
            yield demo
    finally:
        await bot_api.stop()


@contextlib.asynccontextmanager
async def _bot_and_page(tg: FakeTelegram, settings: Settings, url: str) -> AsyncIterator[Demo]:
    """The bot polling the Bot API, and its web server with the chat page beside the Mini App."""
    application = build_application(settings)
    app = build_dashboard_app(application, settings)
    add_chat_page(app, tg, PEOPLE, settings.token)
    runner = web.AppRunner(app, access_log=None)
    async with serving(application, [runner]) as stop:
        await listen(runner, HOST, int(url.rsplit(":", 1)[1].strip("/")))
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        yield Demo(tg, settings, url, stop)
