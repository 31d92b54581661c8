"""`python -m bot broadcast CODE --text "..."`: an announcement from the command line.

The command queues the announcement in the outbox. When a bot (or a worker) is running, it
sends it, within the one budget every process on the token shares, and this command only shows
its progress until the report. With no sender running, this process sends it itself, saying so,
and still takes its share of the budget like any other process.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from typing import Any

from bot.cli.base import Command, Subparsers
from bot.clock import system_clock
from bot.db import SessionFactory, create_engine, create_session_factory, upgrade_database_sync
from bot.models import Audience
from bot.sending.budget import LEASE
from bot.services.announcements import (
    AnnouncementError,
    Progress,
    announcement_progress,
    check_text,
    count_recipients,
    create_announcement,
    finish_if_done,
    start_announcement,
)
from bot.services.budget import live_senders
from bot.services.staff import find_training_by_code
from bot.settings import Settings
from bot.texts import escape
from bot.texts.announcements import progress_text, report_text

AUDIENCES = {
    "confirmed": Audience.CONFIRMED,
    "waitlist": Audience.WAITLIST,
    "everyone": Audience.EVERYONE,
}
PRINT_EVERY_SECONDS = 2.0
POLL_SECONDS = 0.5
Out = Callable[[str], Any]


def _line(text: str) -> str:
    return " ".join(text.split("\n"))


async def _queue(
    sessions: SessionFactory, code: str | None, text: str, audience: Audience
) -> tuple[int, int] | str:
    """Create and start the announcement; (its id, recipients), or why not."""
    async with sessions() as session:
        training_id: int | None = None
        if audience is not Audience.EVERYONE:
            training = await find_training_by_code(session, code or "")
            if training is None:
                return f"no training with code {code!r}"
            training_id = training.id
        count = await count_recipients(session, training_id, audience)
        if count == 0:
            return "nobody would receive this announcement"
        announcement = await create_announcement(
            session,
            training_id=training_id,
            audience=audience,
            text=escape(text),
            created_by=None,
            now=system_clock(),
        )
    async with sessions() as session:
        await start_announcement(session, announcement.id, None, None, system_clock())
    return announcement.id, count


async def _progress(sessions: SessionFactory, announcement_id: int) -> Progress:
    async with sessions() as session:
        return await announcement_progress(session, announcement_id)


async def _watch(sessions: SessionFactory, announcement_id: int, lang: str, out: Out) -> Progress:
    """Show the progress someone else makes until no row is left open."""
    last_print = 0.0
    while True:
        progress = await _progress(sessions, announcement_id)
        if progress.pending == 0:
            return progress
        if time.monotonic() - last_print >= PRINT_EVERY_SECONDS:
            last_print = time.monotonic()
            out(_line(progress_text(progress, lang)))
        await asyncio.sleep(POLL_SECONDS)


async def _send_here(
    settings: Settings, sessions: SessionFactory, announcement_id: int, out: Out
) -> None:
    """No sender is running: this process sends the announcement (and only it)."""
    from bot.assembly.core import build_core
    from jobs.outbox import sender_of

    application = build_core(settings, role="cli", sessions=sessions)
    await application.initialize()
    sender = sender_of(application, "cli")
    try:
        await sender.budget.renew()
        watcher = asyncio.create_task(
            _watch(sessions, announcement_id, settings.default_language, out)
        )
        while not watcher.done():
            await sender.run(announcement_id=announcement_id)
            await sender.budget.renew()
            await asyncio.sleep(POLL_SECONDS)
    finally:
        await sender.close()
        await application.shutdown()


async def broadcast(
    settings: Settings, code: str | None, text: str, audience: Audience, out: Out = print
) -> int:
    """Queue the announcement, get it sent (by the running bot or here), print the report."""
    engine = create_engine(settings.database_url)
    sessions = create_session_factory(engine)
    try:
        queued = await _queue(sessions, code, text, audience)
        if isinstance(queued, str):
            print(f"error: {queued}", file=sys.stderr)
            return 1
        announcement_id, count = queued
        out(f"announcement {announcement_id}: {count} recipients")
        async with sessions() as session:
            running = await live_senders(session, system_clock(), LEASE)
        if running:
            out("the running bot sends it; progress follows")
        else:
            out("no bot is running: sending from this process")
            await _send_here(settings, sessions, announcement_id, out)
        progress = await _watch(sessions, announcement_id, settings.default_language, out)
        async with sessions() as session:
            await finish_if_done(session, announcement_id, system_clock())
        out(_line(progress_text(progress, settings.default_language)))
        out(report_text(progress, settings.default_language))
        return 0
    finally:
        await engine.dispose()


def run_broadcast(settings: Settings, args: argparse.Namespace) -> int:
    """The `broadcast` command."""
    audience = AUDIENCES[args.audience]
    if audience is Audience.EVERYONE and args.code:
        print("error: --audience everyone goes to every registrant; give no CODE", file=sys.stderr)
        return 2
    if audience is not Audience.EVERYONE and not args.code:
        print(f"error: CODE is required for --audience {args.audience}", file=sys.stderr)
        return 2
    try:
        check_text(args.text)
    except AnnouncementError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    upgrade_database_sync(settings.database_url)
    return asyncio.run(broadcast(settings, args.code, args.text, audience))


def add_broadcast(sub: Subparsers) -> dict[str, Command]:
    """`broadcast`: send an announcement to a training's participants (or everyone)."""
    parser = sub.add_parser(
        "broadcast",
        help="send an announcement (plain text) and wait until it is delivered",
        description="Queue an announcement; the running bot sends it (or this process, when no "
        "bot runs), with progress and a final report.",
    )
    parser.add_argument("code", metavar="CODE", nargs="?", help="the training's code")
    parser.add_argument("--text", required=True, help="the announcement (plain text)")
    parser.add_argument(
        "--audience",
        choices=sorted(AUDIENCES),
        default="confirmed",
        help="confirmed participants (default), the waiting list, or everyone who registered",
    )
    return {"broadcast": run_broadcast}
