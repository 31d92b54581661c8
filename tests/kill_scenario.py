"""Several sending processes on one PostgreSQL database, one of them killed with SIGKILL.

Shared by tests/test_kill.py and bench/bench_kill.py. The scenario: N confirmed participants
of a training whose first day is tomorrow (local time), with REMINDER_TIME a minute ago, so
that all N reminders are due at once, plus an announcement to the same N already in state
`sending` (what `python -m bot broadcast` creates). Real `python -m bot` / `python -m bot worker`
processes send through one fake Bot API server on loopback; when about a third of the messages
have arrived, one process gets `kill -9`. The fake server's records and the database then say
who received what, how often, and what the rows say about it.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.db import SessionFactory, create_engine, create_session_factory
from bot.models import (
    Announcement,
    AnnouncementState,
    Audience,
    Delivery,
    DeliveryState,
)
from bot.playground.botapi import FakeBotApiServer, FakeTelegram
from bot.services.announcements import create_announcement, start_announcement
from bot.texts import escape
from tests.announce_factories import make_participants, register
from tests.harness import BotProcess, subprocess_env
from tests.reminder_fixtures import DayPlan, make_training

TOKEN = "123456:TEST-token"
TZ = ZoneInfo("Asia/Jakarta")
FIRST_CHAT = 70_000_000
ANNOUNCEMENT = "KILLTEST: ruang pelatihan pindah ke lantai 2"
OPEN_STATES = (DeliveryState.PENDING, DeliveryState.SENDING)
KINDS = ("reminder", "announcement")


@dataclass
class KillResult:
    """What the fake server and the database say after the run."""

    participants: int
    expected: int  # messages that should arrive: one reminder + one announcement each
    arrived: int  # messages that arrived at the fake server
    duplicates: int  # (chat, kind) pairs that arrived more than once
    unknown: int  # rows recorded unknown (sends whose answer was lost in the kill)
    unknown_arrived: int  # of those, how many did arrive
    lost: int  # (chat, kind) pairs that never arrived
    lost_not_unknown: int  # never arrived although the row does not say unknown
    open_rows: int  # rows still pending or sending at the end
    other_states: dict[str, int]  # rows in states other than sent/unknown
    seconds: float
    killed: str | None
    killed_at: int | None  # messages arrived when the kill was sent
    sent_by: dict[str, int] = field(default_factory=dict)  # rows sent, per process and kind
    exit_codes: dict[str, int | None] = field(default_factory=dict)
    announcement_done: bool = False
    outputs: dict[str, str] = field(default_factory=dict)
    too_many_requests: int = 0  # 429s of the fake Bot API, which enforces BROADCAST_RATE

    def summary(self) -> str:
        """The figures on a few lines."""
        killed = (
            f"{self.killed} killed (SIGKILL) at {self.killed_at} messages"
            if self.killed
            else "no process killed"
        )
        return "\n".join(
            [
                f"participants: {self.participants}, messages expected: {self.expected}",
                f"messages sent (arrived): {self.arrived}",
                f"duplicates: {self.duplicates}",
                f"unknown: {self.unknown} (arrived: {self.unknown_arrived})",
                f"lost: {self.lost} (not recorded unknown: {self.lost_not_unknown})",
                f"rows still open: {self.open_rows}; other states: {self.other_states}",
                f"time: {self.seconds:.1f} s; 429s: {self.too_many_requests}",
                killed,
                "sent per process: "
                + ", ".join(f"{name} {n}" for name, n in sorted(self.sent_by.items())),
            ]
        )


async def seed(url: str, participants: int, now: datetime) -> str:
    """The training (first day tomorrow), its confirmed participants and the announcement.

    Returns the REMINDER_TIME to run with (a minute ago, local time).
    """
    engine = create_engine(url)
    sessions = create_session_factory(engine)
    try:
        local_now = now.astimezone(TZ)
        tomorrow = local_now.date() + timedelta(days=1)
        async with sessions() as session:
            training = await make_training(
                session,
                now,
                code="KILL-01",
                days=[DayPlan(tomorrow, topic="Kain perca")],
                capacity=participants,
            )
        chats = list(range(FIRST_CHAT, FIRST_CHAT + participants))
        ids = await make_participants(sessions, now, chats)
        await register(sessions, now, training.id, ids)
        async with sessions() as session:
            announcement = await create_announcement(
                session,
                training_id=training.id,
                audience=Audience.CONFIRMED,
                text=escape(ANNOUNCEMENT),
                created_by=None,
                now=now,
            )
        async with sessions() as session:
            assert await start_announcement(session, announcement.id, None, None, now)
    finally:
        await engine.dispose()
    # Due today at this time (midnight at the earliest, which is also already past).
    minute_ago = local_now - timedelta(minutes=1)
    due = minute_ago.time() if minute_ago.date() == local_now.date() else clock_time(0, 0)
    return due.strftime("%H:%M")


def _kind(text: str) -> str:
    return "announcement" if ANNOUNCEMENT in text else "reminder"


async def _open_rows(sessions: SessionFactory) -> int:
    async with sessions() as session:
        open_rows = await session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.state.in_(OPEN_STATES), Delivery.kind.in_(KINDS))
        )
        reminder_rows = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.kind == "reminder")
        )
    # Before the first sync there are no reminder rows at all: not finished either.
    return int(open_rows or 0) + (0 if reminder_rows else 1)


async def _rows(
    sessions: SessionFactory,
) -> dict[tuple[int | None, str], tuple[DeliveryState, str]]:
    """(chat, kind) -> (state, claimed_by) for every reminder and announcement row."""
    async with sessions() as session:
        rows = await session.execute(
            select(Delivery.chat_id, Delivery.kind, Delivery.state, Delivery.claimed_by).where(
                Delivery.kind.in_(KINDS)
            )
        )
        return {(chat, kind): (DeliveryState(state), by or "") for chat, kind, state, by in rows}


def _pid(claimed_by: str) -> int:
    # Every sender claims as role:host:pid:random.
    return int(claimed_by.split(":")[2])


async def run_kill_scenario(
    url: str,
    log_dir: Path,
    *,
    participants: int = 2000,
    workers: int = 2,
    rate: float = 150.0,
    stale_seconds: int = 15,
    kill: str | None = "worker-1",
    kill_fraction: float = 1 / 3,
    timeout: float = 240.0,
    with_bot: bool = True,
) -> KillResult:
    """Seed `url` (a migrated, empty database), run the processes, kill one, and count."""
    now = datetime.now(UTC)
    reminder_time = await seed(url, participants, now)
    tg = FakeTelegram(TOKEN)
    # Telegram's limit is for the token, whatever the number of processes sending on it.
    tg.rate.global_per_second = rate
    server = FakeBotApiServer(tg)
    await server.start()
    names = (["bot"] if with_bot else []) + [f"worker-{i}" for i in range(1, workers + 1)]
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=server.base_url,
        DATABASE_URL=url,
        TIMEZONE=str(TZ),
        REMINDER_TIME=reminder_time,
        BROADCAST_RATE=str(rate),
        STALE_CLAIM_SECONDS=str(stale_seconds),
    )
    processes = {
        name: BotProcess(env, log_dir / f"{name}.log", [] if name == "bot" else ["worker"])
        for name in names
    }
    chats = range(FIRST_CHAT, FIRST_CHAT + participants)
    expected = 2 * participants

    def arrived() -> int:
        return sum(len(tg.messages[c]) for c in chats if c in tg.messages)

    engine = create_engine(url)
    sessions = create_session_factory(engine)
    killed_at: int | None = None
    started = time.monotonic()
    try:
        for process in processes.values():
            await process.start()
        if kill is not None:
            # Every call of the fake is recorded; counting them is cheap enough to do per call.
            await tg.wait_for(lambda: len(tg.calls) >= expected * kill_fraction, timeout=timeout)
            victim = processes[kill].process
            assert victim is not None and victim.returncode is None, "victim already gone"
            killed_at = arrived()
            victim.send_signal(signal.SIGKILL)
            await victim.wait()
        deadline = time.monotonic() + timeout
        while await _open_rows(sessions):
            if time.monotonic() > deadline:
                raise TimeoutError(f"rows still open after {timeout:.0f} s")
            await asyncio.sleep(0.5)
        async with sessions() as session:
            announced = await session.scalar(select(Announcement.state))
        while announced is not AnnouncementState.DONE and time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            async with sessions() as session:
                announced = await session.scalar(select(Announcement.state))
        seconds = time.monotonic() - started
        # A late answer has nowhere to come from any more, but let the loopback settle.
        await asyncio.sleep(0.5)
    finally:
        exit_codes: dict[str, int | None] = {}
        for name, process in processes.items():
            exit_codes[name] = await process.stop(signal.SIGTERM, timeout=30)
        await server.stop()

    rows = await _rows(sessions)
    await engine.dispose()
    counts: Counter[tuple[int, str]] = Counter()
    for chat in chats:
        for message in tg.messages.get(chat, []):
            counts[(chat, _kind(message.text))] += 1
    pids = {process.process.pid: name for name, process in processes.items() if process.process}
    sent_by: Counter[str] = Counter()
    other: Counter[str] = Counter()
    unknown = unknown_arrived = lost = lost_not_unknown = open_rows = 0
    for chat in chats:
        for kind in KINDS:
            state, by = rows.get((chat, kind), (DeliveryState.PENDING, ""))
            n = counts[(chat, kind)]
            if state is DeliveryState.SENT:
                sent_by[f"{pids.get(_pid(by), by)} {kind}"] += 1
            elif state is DeliveryState.UNKNOWN:
                unknown += 1
                unknown_arrived += n
            elif state in OPEN_STATES:
                open_rows += 1
            else:
                other[state.value] += 1
            if n == 0:
                lost += 1
                lost_not_unknown += state is not DeliveryState.UNKNOWN
    return KillResult(
        participants=participants,
        expected=expected,
        arrived=sum(counts.values()),
        duplicates=sum(1 for n in counts.values() if n > 1),
        unknown=unknown,
        unknown_arrived=unknown_arrived,
        lost=lost,
        lost_not_unknown=lost_not_unknown,
        open_rows=open_rows,
        other_states=dict(other),
        seconds=seconds,
        killed=kill,
        killed_at=killed_at,
        sent_by=dict(sent_by),
        exit_codes=exit_codes,
        announcement_done=announced is AnnouncementState.DONE,
        outputs={name: process.output() for name, process in processes.items()},
        too_many_requests=tg.too_many_requests,
    )
