"""Update handling: 500 users registering at once through the real bot, vs a sequential echo.

    python -m bench.bench_updates                  # SQLite file (and PostgreSQL when
                                                   # TEST_POSTGRES_URL is set)

Every Bot API call, `getUpdates` included, answers after 20 ms (a network round trip) from an
in-process fake Telegram (bot/playground/botapi.py). The bot polls for updates as in production.
500 users each walk the registration conversation: /start, the menu's register button, the
training, consent, then name, shared contact and business name typed in one burst (without
waiting for the questions, so only in-order handling gets them right), sector, district,
confirm: 10 updates each. A step's latency is from the moment the user sent it to the moment
its answer reached the user's chat. At the end every user must have a confirmed registration
with exactly their own name, phone and business.

The baseline, measured in the same run on the same transport, is the library's default set-up:
an `Application` with one `MessageHandler` that echoes the text and sequential update
processing (`concurrent_updates` off), with 500 users sending two messages each.

`BROADCAST_RATE` (Telegram's ~30 messages/s bulk limit, which the bot's send gate also applies
to replies) is raised for the main figure so that the bot's own processing is measured; the
run with the default rate is printed too (`--default-rate-users`, 0 to skip).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import make_url
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import RequestData

from bench.databases import postgres_admin_url, scratch_postgres
from bot.assembly.chat import build_application
from bot.db import create_engine, create_session_factory, upgrade_database
from bot.models import Participant, Registration, RegistrationStatus
from bot.playground.botapi import FakeTelegram, FakeUser, OfflineRequest, SentMessage
from bot.services.training_file import import_trainings, read_training_file
from bot.settings import Settings
from bot.texts import t

TOKEN = "123456:BENCH-token"
DELAY = 0.020
USERS = 500
STEPS = 10
ECHO_MESSAGES = 2
TIMEOUT = 120.0


class Wakeups:
    """One event per chat, set whenever the bot's call to that chat has been answered."""

    def __init__(self) -> None:
        self._events: dict[int, asyncio.Event] = {}

    def event(self, chat_id: int) -> asyncio.Event:
        """The event of `chat_id`."""
        event = self._events.get(chat_id)
        if event is None:
            event = self._events[chat_id] = asyncio.Event()
        return event

    def notify(self, chat_id: int) -> None:
        """Something changed in `chat_id`."""
        event = self._events.get(chat_id)
        if event is not None:
            event.set()

    async def until(self, chat_id: int, predicate: Callable[[], bool]) -> float:
        """Wait until `predicate()` holds; returns the perf_counter moment it did."""
        event = self.event(chat_id)
        while not predicate():
            event.clear()
            await asyncio.wait_for(event.wait(), TIMEOUT)
        return time.perf_counter()


class NetworkRequest(OfflineRequest):
    """The fake Telegram, answering each call after a fixed delay like a real network."""

    def __init__(self, tg: FakeTelegram, delay: float, wakeups: Wakeups) -> None:
        super().__init__(tg)
        self.delay = delay
        self.wakeups = wakeups
        self.calls = 0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Wait the round trip, answer, and wake whoever waits on the chat."""
        await asyncio.sleep(self.delay)
        self.calls += 1
        answer = await super().do_request(url, method, request_data)
        chat = request_data.parameters.get("chat_id") if request_data else None
        if chat is not None:
            self.wakeups.notify(int(str(chat)))
        return answer


@dataclass
class Run:
    """What one measured run produced."""

    updates: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    api_calls: int = 0

    @property
    def rate(self) -> float:
        """Updates per second."""
        return self.updates / self.seconds

    def percentile(self, q: float) -> float:
        """A latency percentile in milliseconds."""
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def line(self, label: str) -> str:
        """One printable line of figures."""
        return (
            f"{label:<28}{self.updates:6d} updates in {self.seconds:6.2f} s = "
            f"{self.rate:7.1f} updates/s; p50 {self.percentile(0.5):6.0f} ms, "
            f"p95 {self.percentile(0.95):6.0f} ms; {self.api_calls} API calls"
        )


class Driver:
    """Plays the users: pushes their updates, waits for the answers, times each step."""

    def __init__(self, tg: FakeTelegram, wakeups: Wakeups) -> None:
        self.tg = tg
        self.wakeups = wakeups
        self.latencies: list[float] = []

    async def step(
        self, user: FakeUser, act: Callable[[], object], done: Callable[[], bool]
    ) -> None:
        """One update and the wait for its answer."""
        sent = time.perf_counter()
        act()
        self.latencies.append(await self.wakeups.until(user.id, done) - sent)

    async def burst(
        self, user: FakeUser, acts: list[Callable[[], object]], dones: list[Callable[[], bool]]
    ) -> None:
        """Several updates sent at once; each one's latency ends when its own answer shows."""
        sent = []
        for act in acts:
            sent.append(time.perf_counter())
            act()
        for moment, done in zip(sent, dones, strict=True):
            self.latencies.append(await self.wakeups.until(user.id, done) - moment)


def _new_with(user: FakeUser, before: int, needle: str) -> Callable[[], bool]:
    return lambda: any(needle in m.text for m in user.messages()[before:])


def _has_more_than(user: FakeUser, count: int) -> bool:
    return len(user.messages()) > count


def _find(user: FakeUser, needle: str) -> SentMessage:
    return next(m for m in reversed(user.messages()) if needle in m.text)


def _name(i: int) -> str:
    letters = "".join(chr(ord("a") + int(d)) for d in f"{i:04d}")
    return f"Siti {letters.capitalize()}"


def _phone(i: int) -> str:
    return f"+628123{i:06d}"


async def register_one(driver: Driver, user: FakeUser, i: int) -> None:
    """The whole registration conversation of one user (10 updates)."""
    messages = user.messages
    await driver.step(user, lambda: user.send_text("/start"), lambda: len(messages()) >= 1)
    menu = messages()[0]
    await driver.step(
        user,
        lambda: user.press(menu, t("menu.register", "id")),
        lambda: any("Pelatihan yang dibuka" in m.text for m in messages()),
    )
    listing = _find(user, "Pelatihan yang dibuka")
    # The list becomes the training with the consent question, then the name question.
    await driver.step(
        user, lambda: user.press(listing, " · "), lambda: "apakah Anda setuju?" in listing.text
    )
    await driver.step(
        user, lambda: user.press(listing, "setuju"), lambda: "nama lengkap" in listing.text
    )
    n = len(messages())
    # Typed without waiting for the questions: out-of-order handling would mix the fields up.
    await driver.burst(
        user,
        [
            lambda: user.send_text(_name(i)),
            lambda: user.share_contact(_phone(i).lstrip("+")),
            lambda: user.send_text(f"Warung {i}"),
        ],
        [
            _new_with(user, n, "nomor HP"),
            _new_with(user, n, "nama usaha"),
            _new_with(user, n, "bidang usaha"),
        ],
    )
    sector_q = _find(user, "bidang usaha")
    await driver.step(
        user, lambda: user.press(sector_q, "Kuliner"), lambda: "kecamatan" in sector_q.text
    )
    await driver.step(
        user, lambda: user.press(sector_q, "Klojen"), lambda: "Periksa data" in sector_q.text
    )
    await driver.step(
        user,
        lambda: user.press(sector_q, "Konfirmasi"),
        lambda: "Pendaftaran berhasil" in sector_q.text,
    )


async def check_registrations(settings: Settings, users: int) -> None:
    """Every user ended confirmed, with their own name, phone and business (in-order handling)."""
    engine = create_engine(settings.database_url)
    sessions = create_session_factory(engine)
    async with sessions() as session:
        rows = (
            await session.execute(
                select(Participant, Registration).join(
                    Registration, Registration.participant_id == Participant.id
                )
            )
        ).all()
    await engine.dispose()
    assert len(rows) == users, (len(rows), users)
    for participant, registration in rows:
        i = (participant.telegram_id or 0) - 1_000_000
        assert registration.status == RegistrationStatus.CONFIRMED, registration.status
        assert participant.full_name == _name(i), (participant.full_name, i)
        assert participant.phone == _phone(i), (participant.phone, i)
        assert participant.business_name == f"Warung {i}", (participant.business_name, i)


async def add_training(url: str, capacity: int) -> None:
    """One open training a month from now with room for everyone."""
    day = (date.today() + timedelta(days=30)).isoformat()
    text = (
        "trainings:\n"
        "  - code: BENCH-1\n"
        "    title: Pelatihan Kain Perca\n"
        "    venue: Hotel Sahid Montana Dua, Malang\n"
        f"    capacity: {capacity}\n"
        "    days:\n"
        f'      - {{date: {day}, start: "08:00", end: "15:00", topic: Kain perca}}\n'
    )
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    trainings = read_training_file(text.encode(), Settings(token=TOKEN).timezone)
    async with sessions() as session:
        await import_trainings(session, trainings, now=datetime.now(UTC), changed_by=None)
    await engine.dispose()


async def polling(
    app: Application[Any, Any, Any, Any, Any, Any], work: Callable[[], Awaitable[None]]
) -> None:
    """Run `app` as `run_polling` does (initialize, post_init, poll, start) around `work`."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(timeout=10, allowed_updates=Update.ALL_TYPES)
    await app.start()
    try:
        await work()
    finally:
        await app.updater.stop()
        await app.stop()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()


async def registration_run(url: str, users: int, rate: float) -> Run:
    """`users` people registering at once through the real bot on the database at `url`."""
    await add_training(url, capacity=users + 10)
    tg, wakeups = FakeTelegram(TOKEN), Wakeups()
    settings = Settings(
        token=TOKEN, api_base_url="http://127.0.0.1:9", database_url=url, broadcast_rate=rate
    )
    request = NetworkRequest(tg, DELAY, wakeups)
    polls = NetworkRequest(tg, DELAY, wakeups)
    app = build_application(settings, request=request, get_updates_request=polls)
    driver = Driver(tg, wakeups)
    people = [tg.user(1_000_000 + i, "Siti") for i in range(users)]
    run = Run()

    async def work() -> None:
        started = time.perf_counter()
        await asyncio.gather(*(register_one(driver, u, i) for i, u in enumerate(people)))
        run.seconds = time.perf_counter() - started

    calls_before = request.calls
    await polling(app, work)
    run.updates = users * STEPS
    run.latencies = driver.latencies
    run.api_calls = request.calls - calls_before
    assert len(run.latencies) == run.updates
    await check_registrations(settings, users)
    return run


async def echo_run(users: int) -> Run:
    """Baseline: the library's default sequential processing, one echo handler."""
    tg, wakeups = FakeTelegram(TOKEN), Wakeups()
    request = NetworkRequest(tg, DELAY, wakeups)

    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(update.effective_message.text or "")

    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url("http://127.0.0.1:9/bot")
        .request(request)
        .get_updates_request(NetworkRequest(tg, DELAY, wakeups))
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT, echo))
    driver = Driver(tg, wakeups)
    people = [tg.user(2_000_000 + i) for i in range(users)]
    run = Run()

    async def talk(user: FakeUser) -> None:
        texts = [f"pesan {k} dari {user.id}" for k in range(ECHO_MESSAGES)]
        await driver.burst(
            user,
            [partial(user.send_text, text) for text in texts],
            [partial(_has_more_than, user, k) for k in range(ECHO_MESSAGES)],
        )
        assert user.texts() == texts, user.texts()  # echoed in the order sent

    async def work() -> None:
        started = time.perf_counter()
        await asyncio.gather(*(talk(u) for u in people))
        run.seconds = time.perf_counter() - started

    await polling(app, work)
    run.updates = users * ECHO_MESSAGES
    run.latencies = driver.latencies
    run.api_calls = request.calls
    return run


async def on_engine(label: str, url: str, users: int, rate: float, baseline: Run) -> None:
    """One registration run on `url`, printed with its ratio to the baseline."""
    run = await registration_run(url, users, rate)
    print(run.line(f"{label} (rate {rate:g}/s)"))
    print(f"{'':<28}ratio to the echo baseline: {run.rate / baseline.rate:.1f}x")


async def fresh_sqlite(tmp: str, name: str) -> str:
    """A migrated SQLite file under `tmp`."""
    url = f"sqlite+aiosqlite:///{Path(tmp) / name}"
    await upgrade_database(url)
    return url


async def main_async(args: argparse.Namespace) -> None:
    """Baseline, then the bot on SQLite and PostgreSQL."""
    print(f"{args.users} users, {DELAY * 1000:.0f} ms per Bot API call")
    baseline = await echo_run(args.users)
    print(baseline.line("echo, sequential (baseline)"))
    pg = postgres_admin_url()
    with tempfile.TemporaryDirectory() as tmp:
        url = await fresh_sqlite(tmp, "fast.sqlite3")
        await on_engine("bot on SQLite", url, args.users, args.rate, baseline)
        if args.default_rate_users:
            url = await fresh_sqlite(tmp, "default.sqlite3")
            await on_engine(
                "bot on SQLite", url, args.default_rate_users, Settings(token=TOKEN).broadcast_rate,
                baseline,
            )  # fmt: skip
    if pg is None:
        print("bot on PostgreSQL: skipped (TEST_POSTGRES_URL is not set)")
        return
    async with scratch_postgres(pg) as url:
        print(f"PostgreSQL: {make_url(url).render_as_string()}")
        await on_engine("bot on PostgreSQL", url, args.users, args.rate, baseline)


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=USERS)
    parser.add_argument(
        "--rate", type=float, default=10_000, help="BROADCAST_RATE for the main runs"
    )
    parser.add_argument(
        "--default-rate-users",
        type=int,
        default=100,
        help="users for the extra run at the default BROADCAST_RATE (0: skip)",
    )
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
