"""`python -m bot` (or `python -m bot run`): the bot itself, polling or behind a webhook."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.cli.base import Command, Subparsers
from bot.db import upgrade_database_sync
from bot.runtime.locking import AlreadyRunningError, acquire_process_lock
from bot.settings import Settings

log = logging.getLogger("bot")


def run_bot(settings: Settings, _args: argparse.Namespace) -> int:
    """Take the SQLite lock, upgrade the database, then serve updates until stopped."""
    try:
        lock = acquire_process_lock(settings.database_url)
    except AlreadyRunningError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        upgrade_database_sync(settings.database_url)
        return _serve(settings)
    finally:
        if lock is not None:
            lock.release()


def _serve(settings: Settings) -> int:
    # The chat and the web server are imported here, not above: the other tools of the command
    # line load without them (and start in a fraction of the time).
    from telegram import Update

    from bot.assembly.chat import build_application
    from bot.web.webhook import WebhookStartError, serve_polling_with_dashboard, serve_webhook

    application = build_application(settings)
    if not (settings.webhook_mode or settings.webapp_url):
        log.info("starting in polling mode")
        application.run_polling(allowed_updates=Update.ALL_TYPES)
        return 0
    serve = serve_webhook if settings.webhook_mode else serve_polling_with_dashboard
    log.info(
        "starting in %s mode with the web server", "webhook" if settings.webhook_mode else "polling"
    )
    try:
        asyncio.run(serve(application, settings))
    except WebhookStartError as exc:
        log.error("%s", exc)
        return 1
    return 0


def add_run(sub: Subparsers) -> dict[str, Command]:
    """`run`: the bot itself."""
    sub.add_parser("run", help="run the bot (the default when no command is given)")
    return {"run": run_bot}
