"""`python -m bot broadcast CODE --text "..."`: send an announcement from the command line.

It uses the same service and sender as the bot (the Application is built so its rate limiter
applies, but it does not poll), claims its rows in the database, and is therefore safe to run
beside a running bot: a row is sent by whoever claimed it, never twice.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from bot.clock import system_clock
from bot.db import SessionFactory, create_engine, create_session_factory, upgrade_database_sync
from bot.models import Audience, Training
from bot.runtime.app import build_application
from bot.runtime.context import BotApplication
from bot.services.announcements import (
    AnnouncementError,
    announcement_progress,
    check_text,
    count_recipients,
    create_announcement,
    expire_stale_claims,
    finish_if_done,
    start_announcement,
)
from bot.settings import Settings
from bot.texts import escape
from jobs.announcements import deliver_batch, progress_text, report_text, worker_name

AUDIENCES = {
    "confirmed": Audience.CONFIRMED,
    "waitlist": Audience.WAITLIST,
    "everyone": Audience.EVERYONE,
}
PRINT_EVERY_SECONDS = 2.0
# While other processes still hold claimed rows of this announcement, look again this often.
WAIT_SECONDS = 1.0


def _line(text: str) -> str:
    return " ".join(text.split("\n"))


async def broadcast(
    settings: Settings,
    code: str | None,
    text: str,
    audience: Audience,
    out: Callable[[str], Any] = print,
) -> int:
    """Create the announcement, send it in the foreground, print progress and the report."""
    engine = create_engine(settings.database_url)
    sessions = create_session_factory(engine)
    try:
        body = escape(text)
        async with sessions() as session:
            training_id: int | None = None
            if audience is not Audience.EVERYONE:
                training_id = await session.scalar(select(Training.id).where(Training.code == code))
                if training_id is None:
                    print(f"error: no training with code {code!r}", file=sys.stderr)
                    return 1
            count = await count_recipients(session, training_id, audience)
            if count == 0:
                print("error: nobody would receive this announcement", file=sys.stderr)
                return 1
            announcement = await create_announcement(
                session,
                training_id=training_id,
                audience=audience,
                text=body,
                created_by=None,
                now=system_clock(),
            )
        async with sessions() as session:
            await start_announcement(session, announcement.id, None, None, system_clock())
        out(f"announcement {announcement.id}: {count} recipients")

        application = build_application(settings, sessions=sessions)
        await application.initialize()
        try:
            return await _send(application, sessions, announcement.id, settings, out)
        finally:
            await application.shutdown()
    finally:
        await engine.dispose()


async def _send(
    application: BotApplication,
    sessions: SessionFactory,
    announcement_id: int,
    settings: Settings,
    out: Callable[[str], Any],
) -> int:
    lang = settings.default_language
    worker = worker_name("cli")
    last_print = 0.0

    async def show(_announcement_id: int) -> None:
        nonlocal last_print
        now = time.monotonic()
        if now - last_print < PRINT_EVERY_SECONDS:
            return
        last_print = now
        async with sessions() as session:
            progress = await announcement_progress(session, announcement_id)
        out(_line(progress_text(progress, lang)))

    while True:
        sent = await deliver_batch(
            application, worker=worker, announcement_id=announcement_id, on_recorded=show
        )
        if sent:
            continue
        async with sessions() as session:
            await expire_stale_claims(
                session, system_clock(), timedelta(seconds=settings.stale_claim_seconds)
            )
        async with sessions() as session:
            progress = await announcement_progress(session, announcement_id)
        if progress.pending == 0:
            break
        # Another process (the running bot) holds some rows; wait for its answers.
        await asyncio.sleep(WAIT_SECONDS)
    async with sessions() as session:
        await finish_if_done(session, announcement_id, system_clock())
    out(_line(progress_text(progress, lang)))
    out(report_text(progress, lang))
    return 0


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


def add_broadcast(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> dict[str, Callable[[Settings, argparse.Namespace], int]]:
    """`broadcast`: send an announcement to a training's participants (or everyone)."""
    parser = sub.add_parser(
        "broadcast",
        help="send an announcement (plain text) and wait until it is delivered",
        description="Send an announcement through the bot, with progress and a final report. "
        "Safe to run while the bot runs.",
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
