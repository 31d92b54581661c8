"""Test harness: a real Application fed with Updates from a FakeTelegram, and a fake clock."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram import Update

from bot.assembly.chat import build_application
from bot.db import SessionFactory
from bot.playground.botapi import FakeTelegram, FakeUser, OfflineRequest, SentMessage
from bot.runtime.context import BotApplication
from bot.settings import Settings
from jobs import outbox

ROOT = Path(__file__).resolve().parent.parent


class FakeClock:
    """A clock the test moves by hand (timezone-aware UTC)."""

    def __init__(self, start: datetime) -> None:
        self.current = start.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.current

    def set(self, moment: datetime) -> None:
        """Jump to `moment`."""
        self.current = moment.astimezone(UTC)

    def advance(self, **delta: float) -> datetime:
        """Move forward by a timedelta given as keywords (minutes=5)."""
        self.current += timedelta(**delta)
        return self.current


class PaceClock:
    """The clock of the per-account update budget in tests (seconds).

    A test's updates delivered one by one come at a person's pace, one a second (`deliver`
    moves this clock); a batch delivered concurrently arrives at one instant, like a flood.
    """

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class BotHarness:
    """The real Application, driven in-process: users write, the harness delivers updates."""

    def __init__(
        self,
        settings: Settings,
        sessions: SessionFactory,
        tg: FakeTelegram,
        clock: FakeClock,
        setup: Callable[[BotApplication], None] | None = None,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.tg = tg
        self.clock = clock
        self.setup = setup
        # Carry out the outbox sender's wake-ups after each update (off: the test sends).
        self.auto_send = True
        self.pace = PaceClock()
        self.app: BotApplication = self._build()

    def _build(self) -> BotApplication:
        request = OfflineRequest(self.tg)
        app = build_application(
            self.settings,
            sessions=self.sessions,
            clock=self.clock,
            request=request,
            get_updates_request=request,
            flood_clock=self.pace,
        )
        if self.setup is not None:
            self.setup(app)
        return app

    async def start(self) -> None:
        """Initialize the application and run its start-up hook (jobs are added, not run)."""
        await self.app.initialize()
        if self.app.post_init is not None:
            await self.app.post_init(self.app)

    async def stop(self) -> None:
        """Flush persistence and shut the application down, as a clean stop does."""
        await self.app.update_persistence()
        if self.app.post_stop is not None:
            await self.app.post_stop(self.app)
        await self.app.shutdown()

    async def restart(self) -> None:
        """Stop this application and start a fresh one on the same database and Telegram."""
        await self.stop()
        self.app = self._build()
        await self.start()

    def user(self, user_id: int, first_name: str = "Siti", language_code: str = "id") -> FakeUser:
        """A user of this fake Telegram."""
        return self.tg.user(user_id, first_name, language_code)

    async def deliver(self, *, concurrently: bool = False) -> None:
        """Process every queued update through the app's update processor (as polling does)."""
        updates = [Update.de_json(data, self.app.bot) for data in self.tg.take_updates()]
        processor = self.app.update_processor
        runs = [processor.process_update(u, self.app.process_update(u)) for u in updates]
        if concurrently:
            await asyncio.gather(*runs)
        else:
            for run in runs:
                self.pace.now += 1.0
                await run
        await self.run_woken_sender()

    async def run_woken_sender(self) -> None:
        """What the job queue does when a handler woke the outbox sender: send what is due.

        The harness does not start the job queue (time is the test's), so a wake is carried
        out here, right after the update that asked for it, as it would be within moments.
        """
        queue = self.app.job_queue
        assert queue is not None
        if not self.auto_send:
            return
        woken = [job for job in queue.get_jobs_by_name(outbox.WAKE_NAME) if not job.removed]
        for job in woken:
            job.schedule_removal()
        if woken:
            await outbox.sender_of(self.app).run()

    async def send(self, user: FakeUser, text: str) -> list[SentMessage]:
        """The user types `text`; returns what the bot sent this user in answer."""
        before = len(user.messages())
        user.send_text(text)
        await self.deliver()
        return user.messages()[before:]

    async def press(self, user: FakeUser, message: SentMessage, label: str) -> list[SentMessage]:
        """The user taps a button; returns the new messages (edits show in `message`)."""
        before = len(user.messages())
        user.press(message, label)
        await self.deliver()
        return user.messages()[before:]

    def answers(self) -> list[dict[str, Any]]:
        """Every answerCallbackQuery call so far."""
        return self.tg.calls_of("answerCallbackQuery")


def test_settings(base: Settings, **changes: Any) -> Settings:
    """`base` with some fields replaced."""
    return replace(base, **changes)


class BotProcess:
    """`python -m bot` as a real subprocess, with its environment and captured output."""

    def __init__(self, env: dict[str, str], log_path: Path, args: Iterable[str] = ()) -> None:
        self.env = env
        self.log_path = log_path
        self.args = list(args)
        self.process: asyncio.subprocess.Process | None = None
        self._log: Any = None

    async def start(self) -> None:
        """Start the process, logging to `log_path`."""
        self._log = self.log_path.open("ab")
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *self.args,
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=asyncio.subprocess.STDOUT,
            stdin=asyncio.subprocess.DEVNULL,
        )

    async def stop(self, sig: int = signal.SIGINT, timeout: float = 15.0) -> int | None:
        """Stop the process with `sig` and wait for it."""
        if self.process is None:
            return None
        if self.process.returncode is None:
            self.process.send_signal(sig)
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if self._log is not None:
            self._log.close()
        return self.process.returncode

    def output(self) -> str:
        """Everything the process printed so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


async def run_cli(env: dict[str, str], *args: str, timeout: float = 120) -> tuple[int, str, str]:
    """Run `python -m bot ARGS` to the end: exit status, stdout and stderr."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        stdin=asyncio.subprocess.DEVNULL,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def bot_env(token: str, api_base_url: str, database: Path, **values: str) -> dict[str, str]:
    """`subprocess_env` for `python -m bot` on the SQLite file `database` against a Bot API."""
    return subprocess_env(
        TELEGRAM_BOT_TOKEN=token,
        TELEGRAM_API_BASE_URL=api_base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        **values,
    )


def subprocess_env(**values: str) -> dict[str, str]:
    """The current environment without bot settings, plus `values` (no `.env` is read)."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    keep.pop("DATABASE_URL", None)
    keep.pop("ADMIN_IDS", None)
    keep["PYTHONUNBUFFERED"] = "1"
    keep["ENV_FILE"] = ""
    keep["FOLLOW_UP_DAYS"] = ""  # off unless a test turns them on: registration asks no baseline
    keep.update(values)
    return keep
