"""Sending at the limit: an announcement to N participants through the bot's bulk sender.

    python -m bench.bench_send_rate                     # R=30 (N=900) and R=300 (N=9,000)
    python -m bench.bench_send_rate --rate 30 --n 900   # one of them

The fake Bot API (`bench.fake_api`, its own process) allows R messages in any one-second window
and one per chat per second, and answers 429 with `retry_after` beyond that. The project's run
is the real path: announcement rows in a temporary SQLite database, `jobs.outbox`
claiming and recording them, `bot.sending.deliver` sending through the Application's
`PriorityRateLimiter`. The baseline, in the same run against a fresh fake, is plain
python-telegram-bot: `AIORateLimiter(overall_max_rate=R)` and `asyncio.gather` over N sends
(at most R of them waiting in the limiter at a time).
The rate is (accepted - 1) / (last accepted - first accepted), as a fraction of R.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import tempfile
import time
import uuid
import warnings
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, ApplicationBuilder
from telegram.warnings import PTBUserWarning

from bench.fake_api import TOKEN, FakeApi
from bot.assembly.chat import build_application
from bot.db import SessionFactory, create_engine, create_session_factory, upgrade_database_sync
from bot.models import (
    Audience,
    Delivery,
    DeliveryState,
    Participant,
    Registration,
    RegistrationStatus,
)
from bot.sending import gate
from bot.services.announcements import create_announcement, start_announcement
from bot.settings import Settings
from jobs.outbox import sender_of
from tests.announce_factories import make_training

TEXT = "Besok bawa gunting kain dan pensil. Sampai jumpa di Hotel Sahid Montana Dua!"
FIRST_CHAT = 10_000_000


@dataclass
class Figures:
    """What one run achieved, from the fake's records."""

    label: str
    rate: float
    n: int
    accepted: int
    duplicates: int
    lost: int
    too_many: int
    span: float
    peak_window: int
    wall: float

    @property
    def achieved(self) -> float:
        """Messages per second from the first to the last accepted send."""
        return (self.accepted - 1) / self.span if self.span > 0 else 0.0

    def line(self) -> str:
        """One row of the results table."""
        return (
            f"{self.label:<34} {self.accepted:>6} {self.achieved:>8.1f} "
            f"{self.achieved / self.rate:>6.3f} {self.too_many:>6} {self.duplicates:>5} "
            f"{self.lost:>5} {self.peak_window:>5} {self.wall:>7.1f}"
        )


HEADER = (
    f"{'run':<34} {'sent':>6} {'msg/s':>8} {'÷R':>6} {'429s':>6} {'dup':>5} "
    f"{'lost':>5} {'peak':>5} {'wall s':>7}"
)


def peak_in_window(times: Iterable[float], window: float = 1.0) -> int:
    """The most sends in any `window` seconds (what the fake's limit looks at)."""
    recent: deque[float] = deque()
    peak = 0
    for moment in sorted(times):
        recent.append(moment)
        while recent[0] <= moment - window:
            recent.popleft()
        peak = max(peak, len(recent))
    return peak


def figures(
    label: str, rate: float, chats: list[int], stats: dict[str, Any], wall: float
) -> Figures:
    """Rate, duplicates and losses among the messages sent to `chats`."""
    wanted = set(chats)
    sends = [(chat, at) for method, chat, at in stats["sends"] if chat in wanted]
    counts = Counter(chat for chat, _ in sends)
    times = sorted(at for _, at in sends)
    return Figures(
        label=label,
        rate=rate,
        n=len(chats),
        accepted=len(sends),
        duplicates=sum(c - 1 for c in counts.values() if c > 1),
        lost=len(wanted - set(counts)),
        too_many=int(stats["too_many_requests"]),
        span=times[-1] - times[0] if len(times) > 1 else 0.0,
        peak_window=peak_in_window(times),
        wall=wall,
    )


def bench_settings(fake: FakeApi, database_url: str, rate: float) -> Settings:
    """Settings of a bot that talks to the fake."""
    return Settings(
        token=TOKEN, api_base_url=fake.base_url, database_url=database_url, broadcast_rate=rate
    )


async def prepare_announcement(
    sessions: SessionFactory, chats: list[int], spare_seats: int = 100
) -> int:
    """A training whose confirmed participants are `chats`, and an announcement being sent."""
    now = datetime.now(UTC)
    training = await make_training(sessions, now, capacity=len(chats) + spare_seats)
    async with sessions() as session:
        first = (await session.scalar(select(func.max(Participant.id)))) or 0
        await session.execute(
            insert(Participant),
            [
                {
                    "id": first + 1 + i,
                    "telegram_id": chat,
                    "chat_id": chat,
                    "language": "id",
                    "full_name": f"Peserta {i}",
                    "consent_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
                for i, chat in enumerate(chats)
            ],
        )
        await session.execute(
            insert(Registration),
            [
                {
                    "participant_id": first + 1 + i,
                    "training_id": training.id,
                    "status": RegistrationStatus.CONFIRMED,
                    "queued_at": now,
                    "queue_seq": i + 1,
                    "confirmed_at": now,
                    "checkin_token": uuid.uuid4().hex,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(len(chats))
            ],
        )
        await session.commit()
        announcement = await create_announcement(
            session,
            training_id=training.id,
            audience=Audience.CONFIRMED,
            text=TEXT,
            created_by=None,
            now=now,
        )
    async with sessions() as session:
        await start_announcement(session, announcement.id, None, None, now)
    return announcement.id


async def delivery_states(sessions: SessionFactory) -> dict[str, int]:
    """How many delivery rows are in each state."""
    async with sessions() as session:
        rows = await session.execute(select(Delivery.state, func.count()).group_by(Delivery.state))
        return {DeliveryState(state).value: count for state, count in rows.all()}


async def run_project(rate: float, n: int, tmp: Path) -> tuple[Figures, dict[str, int]]:
    """The bot's own path: rows in SQLite, the announcements job, the priority gate."""
    url = f"sqlite+aiosqlite:///{tmp / f'send-{int(rate)}.sqlite3'}"
    await asyncio.to_thread(upgrade_database_sync, url)
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    chats = [FIRST_CHAT + i for i in range(n)]
    await prepare_announcement(sessions, chats)
    fake = await FakeApi.start(rate)
    try:
        application = build_application(bench_settings(fake, url, rate), sessions=sessions)
        await application.initialize()
        started = time.perf_counter()
        await sender_of(application).run()
        wall = time.perf_counter() - started
        await application.shutdown()
        stats = await fake.stats()
    finally:
        await fake.stop()
        await engine.dispose()
    states = await _states_after(url)
    return figures(f"bot (jobs.outbox), R={rate:g}", rate, chats, stats, wall), states


async def _states_after(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        return await delivery_states(create_session_factory(engine))
    finally:
        await engine.dispose()


async def run_baseline(rate: float, n: int) -> Figures:
    """Plain python-telegram-bot: AIORateLimiter(overall_max_rate=R) and asyncio.gather."""
    fake = await FakeApi.start(rate)
    chats = [FIRST_CHAT + i for i in range(n)]
    try:
        application = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(f"{fake.base_url}/bot")
            .rate_limiter(
                AIORateLimiter(
                    overall_max_rate=rate,
                    overall_time_period=1,
                    group_max_rate=20,
                    group_time_period=60,
                    max_retries=10,  # retry 429s, so that nothing is lost
                )
            )
            .build()
        )
        await application.initialize()
        started = time.perf_counter()
        # At most R sends waiting in AIORateLimiter: with all N waiting, aiolimiter wakes every
        # waiter every 1/R s to check for room (N × R wakeups a second), and at R=300 that
        # polling, not the limit, sets the pace (0.19 of R measured with N=9,000 at once).
        in_flight = asyncio.Semaphore(int(rate))

        async def send(chat: int) -> object:
            async with in_flight:
                return await application.bot.send_message(chat, TEXT)

        results = await asyncio.gather(*(send(chat) for chat in chats), return_exceptions=True)
        wall = time.perf_counter() - started
        await application.shutdown()
        errors = Counter(type(r).__name__ for r in results if isinstance(r, TelegramError))
        if errors:
            print(f"  baseline errors: {dict(errors)}")
        stats = await fake.stats()
    finally:
        await fake.stop()
    return figures(f"baseline AIORateLimiter, R={rate:g}", rate, chats, stats, wall)


async def bench(cases: list[tuple[float, int]], baseline: bool = True) -> None:
    """Each case: the baseline, then the bot's path; print both and their ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        for rate, n in cases:
            print(f"\n== R={rate:g} per second, N={n} participants")
            print(HEADER)
            base = await run_baseline(rate, n) if baseline else None
            if base is not None:
                print(base.line(), flush=True)
            mine, states = await run_project(rate, n, Path(tmp))
            print(mine.line(), flush=True)
            print(f"delivery rows: {states}")
            if base is None:
                continue
            print(
                f"bot ÷ baseline: rate {mine.achieved / base.achieved:.2f}x, "
                f"429s {mine.too_many} vs {base.too_many}, "
                f"wall {mine.wall:.1f} s vs {base.wall:.1f} s"
            )


def quiet() -> None:
    """Warnings and errors only, and not one line per 429 (the fake counts them)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("bot.sending.gate").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", category=PTBUserWarning)


def main() -> None:
    """Parse arguments and run the cases."""
    quiet()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, help="one case: this R (default: 30 and 300)")
    parser.add_argument("--n", type=int, help="participants for --rate (default 30 × R)")
    parser.add_argument("--no-baseline", action="store_true", help="only the bot's path")
    parser.add_argument(
        "--lead",
        type=float,
        help="seconds a marked send may have its slot ahead (default: the gate's ON_SLOT_LEAD; "
        "0 for the gate before it)",
    )
    args = parser.parse_args()
    if args.lead is not None:
        gate.ON_SLOT_LEAD = args.lead
    if args.rate:
        cases = [(args.rate, args.n or int(30 * args.rate))]
    else:
        cases = [(30.0, 900), (300.0, 9_000)]
    asyncio.run(bench(cases, baseline=not args.no_baseline))


if __name__ == "__main__":
    main()
