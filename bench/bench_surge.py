"""A surge at Telegram's real limit: 300 people register in the same minutes.

    python -m bench.bench_surge                  # 300 people, R=30, quiet then beside a broadcast
    python -m bench.bench_surge --users 90 --rate 8
    TEST_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test \\
      python -m bench.bench_surge --postgres     # the same on PostgreSQL

The office posts the link in a WhatsApp group and people open the bot within a minute. The bot
runs as in production: the real Application polling the fake Bot API (`bench.fake_api`, its
own process, enforcing R messages in any one-second window with 429s, and short bursts per
chat). The people, played inside the fake, arrive at random within 60 s and go through the
whole registration (/start, Daftar, the training, consent, name, phone, business, sector,
district, Konfirmasi), each waiting 2–6 s (at random) between steps as a person reading and
typing would. A reply's latency is from the update being queued for getUpdates to the fake
accepting the bot's answer. Run twice: alone, and while an announcement to 2,000 goes out.

Printed: p50 / p95 / max reply time, 429s, completed registrations, the Bot API calls per
completed registration (messages sent, edits, answered button presses) and the lower bound they
imply for the surge (messages × people ÷ R). The latency over time is drawn to
docs/img/surge-latency.png.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.bench_replies import PER_CHAT, _until_sending, _until_sent
from bench.bench_send_rate import FIRST_CHAT, bench_settings, prepare_announcement, quiet
from bench.databases import postgres_admin_url, scratch_postgres
from bench.fake_api import FakeApi
from bot.assembly.chat import build_application
from bot.db import create_engine, create_session_factory, upgrade_database_sync
from tests.announce_factories import make_training

ROOT = Path(__file__).resolve().parent.parent
PLOT = ROOT / "docs" / "img" / "surge-latency.png"
SENT = ("sendMessage", "sendDocument", "sendPhoto")
EDITS = ("editMessageText", "editMessageReplyMarkup")
GOAL = {"p95": 2.0, "max": 8.0}
POSTGRES: str | None = None  # set by --postgres (TEST_POSTGRES_URL)


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a running process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run(
    rate: float, users: int, tmp: Path, broadcast: int, per_chat: float
) -> dict[str, Any]:
    """One surge against a fresh bot and fake (beside an announcement to `broadcast` people),
    on an SQLite file, or on a scratch PostgreSQL database with `--postgres`."""
    if POSTGRES:
        async with scratch_postgres(POSTGRES) as url:
            return await _run_on(url, rate, users, broadcast, per_chat)
    url = f"sqlite+aiosqlite:///{tmp / f'surge-beside-{broadcast}.sqlite3'}"
    await asyncio.to_thread(upgrade_database_sync, url)
    return await _run_on(url, rate, users, broadcast, per_chat)


async def _run_on(
    url: str, rate: float, users: int, broadcast: int, per_chat: float
) -> dict[str, Any]:
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    if broadcast:
        # Seats for everyone in both trainings: whichever the people choose, all get one.
        chats = [FIRST_CHAT + i for i in range(broadcast)]
        await prepare_announcement(sessions, chats, spare_seats=users + 100)
    await make_training(sessions, datetime.now(UTC), capacity=users + 100)
    fake = await FakeApi.start(rate, per_chat=per_chat)
    application = build_application(bench_settings(fake, url, rate), sessions=sessions)
    try:
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(poll_interval=0.0, timeout=10)
        if broadcast:
            await _until_sending(fake)
        cpu_bot, cpu_fake = _cpu_self(), _cpu_of(fake.process.pid)
        result = await fake.surge(users=users)
        result["cpu_bot"] = _cpu_self() - cpu_bot
        result["cpu_fake"] = _cpu_of(fake.process.pid) - cpu_fake
        result["load"] = os.getloadavg()[0]
        if broadcast:
            await _until_sent(sessions, broadcast, timeout=600)
        result["too_many"] = (await fake.stats())["too_many_requests"]
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
    finally:
        await fake.stop()
        await engine.dispose()
    return result


def per_registration(result: dict[str, Any]) -> dict[str, float]:
    """Bot API calls per completed registration, by what Telegram counts."""
    done = max(1, result["completed"])
    calls = result["calls"]
    return {
        "sent": sum(calls.get(m, 0) for m in SENT) / done,
        "edits": sum(calls.get(m, 0) for m in EDITS) / done,
        "answers": calls.get("answerCallbackQuery", 0) / done,
    }


def report(label: str, result: dict[str, Any], rate: float) -> None:
    """The figures of one run."""
    calls = per_registration(result)
    counted = calls["sent"] + calls["edits"]
    bound = counted * result["users"] / rate
    sends_bound = calls["sent"] * result["users"] / rate
    print(
        f"{label:<24} p50 {result['p50']:.2f} s  p95 {result['p95']:.2f} s  "
        f"max {result['max']:.2f} s  429s {result['too_many']}  "
        f"registered {result['completed']}/{result['users']}  unanswered {result['unanswered']}"
        + (f" (at {', '.join(result['stuck_at'])})" if result["stuck_at"] else "")
    )
    print(
        f"{'':<24} per registration: {calls['sent']:.1f} sent + {calls['edits']:.1f} edits "
        f"(+ {calls['answers']:.1f} button answers, not counted by Telegram); "
        f"lower bound for the surge {bound:.0f} s at R={rate:g} ({sends_bound:.0f} s for the "
        f"sends alone: edits keep a budget of their own)"
    )
    print(
        f"{'':<24} surge {result['seconds']:.0f} s; CPU: bot {result['cpu_bot']:.0f} s, "
        f"fake Telegram and people {result['cpu_fake']:.0f} s; load average {result['load']:.1f}"
    )
    verdict = all(result[k] <= v for k, v in GOAL.items()) and result["too_many"] == 0
    print(
        f"{'':<24} goal p95 ≤ 2 s, max ≤ 8 s, 0 × 429, all registered: "
        f"{'met' if verdict and result['completed'] == result['users'] else 'NOT met'}"
    )


def plot(runs: dict[str, dict[str, Any]], path: Path) -> None:
    """Reply latency over the surge's time, one series per run."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(9, 4.5), dpi=110)
    for (label, result), color in zip(runs.items(), ("#2b7bb9", "#d9534f"), strict=False):
        when, latency = zip(*sorted(result["points"]), strict=True)
        axes.scatter(when, latency, s=4, alpha=0.35, color=color, label=label)
    axes.axhline(2.0, color="#555", linewidth=0.8, linestyle="--")
    axes.set_xlabel("seconds since the link was posted")
    axes.set_ylabel("reply time (s)")
    axes.set_title(f"{next(iter(runs.values()))['users']} people registering at a person's pace")
    axes.legend(loc="upper right", markerscale=4)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)


async def bench(
    rate: float, users: int, broadcast: int, plot_to: Path | None, per_chat: float
) -> None:
    """Alone, then beside the broadcast; figures and the plot."""
    with tempfile.TemporaryDirectory() as tmp:
        print(
            f"\n== {users} people within 60 s, 2–6 s between steps; R={rate:g}, "
            f"{per_chat:g} per chat in any second; load average {os.getloadavg()[0]:.1f}"
        )
        started = time.perf_counter()
        runs = {"alone": await run(rate, users, Path(tmp), 0, per_chat)}
        report("alone", runs["alone"], rate)
        if broadcast:
            label = f"beside a broadcast to {broadcast}"
            runs[label] = await run(rate, users, Path(tmp), broadcast, per_chat)
            report(label, runs[label], rate)
        print(f"wall {time.perf_counter() - started:.0f} s")
    if plot_to is not None:
        plot(runs, plot_to)
        print(f"plot: {plot_to}")


def main() -> None:
    """Parse arguments and run."""
    quiet()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=30.0)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--broadcast", type=int, default=2000, help="0: only the surge alone")
    parser.add_argument("--plot", default=str(PLOT), help="where to draw (or '' for none)")
    parser.add_argument(
        "--per-chat", type=float, default=PER_CHAT, help="messages per chat in any second"
    )
    parser.add_argument(
        "--postgres", action="store_true", help="on PostgreSQL (TEST_POSTGRES_URL), not SQLite"
    )
    args = parser.parse_args()
    global POSTGRES
    POSTGRES = postgres_admin_url() if args.postgres else None
    if args.postgres and POSTGRES is None:
        parser.error("--postgres needs TEST_POSTGRES_URL")
    plot_to = Path(args.plot) if args.plot else None
    asyncio.run(bench(args.rate, args.users, args.broadcast, plot_to, args.per_chat))


if __name__ == "__main__":
    main()
