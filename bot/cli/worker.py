"""`python -m bot worker`: a process that only sends the outbox, on PostgreSQL.

One process receives updates (`python -m bot`) and any number of workers share the sending
with it: every outbox row is claimed in the database (`FOR UPDATE SKIP LOCKED`) and marked as
leaving right before it is sent, so no message goes out twice whatever process dies; the
processes agree their shares of BROADCAST_RATE in the database (`bot.sending.budget`), so
together they stay within it. A worker builds no chat handlers.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from typing import TYPE_CHECKING

from bot.cli.base import Command, Subparsers
from bot.db import upgrade_database_sync
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.runtime.context import BotApplication

log = logging.getLogger("bot.cli.worker")

SQLITE_REFUSAL = (
    "error: `worker` needs PostgreSQL: several processes share the sending only there "
    "(DATABASE_URL is SQLite; run one `python -m bot` instead)"
)


async def serve(application: BotApplication, stop: asyncio.Event) -> None:
    """Run the application's jobs (no updater) until `stop` is set, then stop cleanly."""
    from bot.runtime.context import deps_of

    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)  # schedules the jobs
        await application.start()
        log.info(
            "worker sending, sharing BROADCAST_RATE %s with the other processes",
            deps_of(application).settings.broadcast_rate,
        )
        await stop.wait()
        log.info("stopping: finishing the messages in hand, claiming no more")
        # stop() ends the job queue, waiting for running jobs; they finish their batch.
        await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def _main(settings: Settings) -> None:
    from bot.assembly.core import build_core

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await serve(build_core(settings, role="worker"), stop)


def run_worker(settings: Settings, _args: argparse.Namespace) -> int:
    """The `worker` command: upgrade the database, then send until SIGTERM/SIGINT."""
    if settings.is_sqlite:
        print(SQLITE_REFUSAL, file=sys.stderr)
        return 2
    upgrade_database_sync(settings.database_url)
    log.info("starting a sending-only worker")
    asyncio.run(_main(settings))
    log.info("worker stopped")
    return 0


def add_worker(
    sub: Subparsers,
) -> dict[str, Command]:
    """`worker`: a sending-only process next to the bot (PostgreSQL)."""
    sub.add_parser(
        "worker",
        help="send reminders and announcements without receiving updates (PostgreSQL only)",
        description="A sending-only process: sends the outbox (reminders, announcements, "
        "notices) next to one `python -m bot`; the processes share BROADCAST_RATE by themselves.",
    )
    return {"worker": run_worker}
