"""Replies during a broadcast: 50 participants register while an announcement goes to 9,000.

    python -m bench.bench_replies                      # R=300, N=9,000
    python -m bench.bench_replies --rate 30 --n 900    # the default BROADCAST_RATE

The bot runs as in production: the real Application polling the fake Bot API
(`bench.fake_api`, its own process, R messages in any one-second window, five per chat in any
second: short bursts), its jobs installed by `post_init`; the announcements job picks up the
announcement by itself. Meanwhile 50 users, played inside the fake, each send /start, tap "Daftar
pelatihan", the training, the consent and type their name (five updates; see `bench.walk`),
starting within five seconds and pausing about a second between steps. A reply's latency is
from its update being queued for getUpdates to the fake accepting the answer. The baseline is
the same users with no broadcast, in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.bench_send_rate import (
    FIRST_CHAT,
    bench_settings,
    delivery_states,
    figures,
    prepare_announcement,
    quiet,
)
from bench.fake_api import FakeApi
from bot.assembly.chat import build_application
from bot.db import create_engine, create_session_factory, upgrade_database_sync
from tests.announce_factories import make_training

USERS = 50
# A reply can be an edit plus a new message, and a user may tap again within a second:
# Telegram allows such short bursts in one chat ("about one message per second" is for
# sustained sending), so this fake allows five in any second per chat.
PER_CHAT = 5.0


async def run(rate: float, n: int, tmp: Path, broadcast: bool, users: int) -> dict[str, Any]:
    """Start the bot against a fresh fake; walk the users (during the broadcast if any)."""
    label = "broadcast" if broadcast else "quiet"
    url = f"sqlite+aiosqlite:///{tmp / f'replies-{label}-{int(rate)}.sqlite3'}"
    await asyncio.to_thread(upgrade_database_sync, url)
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    chats = [FIRST_CHAT + i for i in range(n)]
    if broadcast:
        await prepare_announcement(sessions, chats)
    else:
        await make_training(sessions, datetime.now(UTC), capacity=n + 100)
    fake = await FakeApi.start(rate, per_chat=PER_CHAT)
    application = build_application(bench_settings(fake, url, rate), sessions=sessions)
    try:
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=10)
        started = time.perf_counter()
        if broadcast:
            await _until_sending(fake)
        walked = await fake.walk(users=users)
        if broadcast:
            await _until_sent(sessions, n)
        wall = time.perf_counter() - started
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        stats = await fake.stats()
    finally:
        await fake.stop()
        await engine.dispose()
    result: dict[str, Any] = {"walk": walked, "too_many": stats["too_many_requests"]}
    if broadcast:
        result["broadcast"] = figures("broadcast", rate, chats, stats, wall)
    return result


async def _until_sending(fake: FakeApi) -> None:
    """Wait until the announcement job has started sending."""
    for _ in range(300):
        if (await fake.stats())["sends"]:
            break
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)


async def _until_sent(sessions: Any, n: int, timeout: float = 240.0) -> None:
    """Wait until every delivery row has an outcome."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = await delivery_states(sessions)
        if sum(v for k, v in states.items() if k not in ("pending", "sending")) >= n:
            return
        await asyncio.sleep(0.5)
    raise TimeoutError(f"broadcast not finished: {await delivery_states(sessions)}")


def _row(label: str, result: dict[str, Any]) -> str:
    walk = result["walk"]
    return (
        f"{label:<28} {walk['p50']:>7.3f} {walk['p95']:>7.3f} {walk['max']:>7.3f} "
        f"{walk['steps'] - walk['unanswered']:>4}/{walk['steps']:<4} {result['too_many']:>5}"
    )


async def bench(rate: float, n: int, users: int = USERS) -> None:
    """Baseline (no broadcast) then the same users during the broadcast."""
    with tempfile.TemporaryDirectory() as tmp:
        print(f"\n== {users} users registering; R={rate:g} per second, broadcast to N={n}")
        print(f"{'run':<28} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'answered':>9} {'429s':>5}")
        quiet_run = await run(rate, n, Path(tmp), broadcast=False, users=users)
        print(_row("no broadcast (baseline)", quiet_run), flush=True)
        busy = await run(rate, n, Path(tmp), broadcast=True, users=users)
        print(_row("during the broadcast", busy), flush=True)
        print(f"slowest step (during): {busy['walk']['max_per_step']}")
        sent = busy["broadcast"]
        print(
            f"broadcast: {sent.accepted}/{n} sent, {sent.achieved:.1f} msg/s = "
            f"{sent.achieved / rate:.3f} of R, duplicates {sent.duplicates}, lost {sent.lost}"
        )
        print(f"p95 during ÷ p95 baseline: {busy['walk']['p95'] / quiet_run['walk']['p95']:.2f}x")


def main() -> None:
    """Parse arguments and run."""
    quiet()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--n", type=int, help="participants of the broadcast (default 30 × R)")
    parser.add_argument("--users", type=int, default=USERS)
    args = parser.parse_args()
    asyncio.run(bench(args.rate, args.n or int(30 * args.rate), args.users))


if __name__ == "__main__":
    main()
