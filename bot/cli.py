"""Command line: run the bot (default) and the operator's tools."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from telegram import Update

from bot.app import build_application
from bot.broadcast_cli import add_broadcast
from bot.db import upgrade_database_sync
from bot.export_cli import add_export
from bot.logging_setup import configure_logging
from bot.settings import Settings, SettingsError, load_settings
from bot.trainings_cli import add_import_trainings
from bot.worker import add_worker

log = logging.getLogger("bot")

Command = Callable[[Settings, argparse.Namespace], int]


def run_bot(settings: Settings, _args: argparse.Namespace) -> int:
    """Upgrade the database, then serve updates until stopped."""
    upgrade_database_sync(settings.database_url)
    application = build_application(settings)
    if settings.webhook_mode:
        assert settings.webhook_url is not None
        log.info("starting in webhook mode on port %s", settings.webhook_port)
        application.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path="telegram",
            webhook_url=f"{settings.webhook_url}/telegram",
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        log.info("starting in polling mode")
        application.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


def add_run(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> dict[str, Command]:
    """`run`: the bot itself."""
    sub.add_parser("run", help="run the bot (the default when no command is given)")
    return {"run": run_bot}


# Each feature that has a command-line tool adds its sub-commands here.
TOOLS: tuple[
    Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], dict[str, Command]], ...
] = (add_run, add_worker, add_import_trainings, add_export, add_broadcast)


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Command]]:
    """The argument parser and the function behind each sub-command."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="pelatihan-bot: run the Telegram bot (default) or an operator tool.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands: dict[str, Command] = {}
    for add_tool in TOOLS:
        commands.update(add_tool(sub))
    return parser, commands


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, load settings, and run the chosen command."""
    parser, commands = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, [settings.token, settings.webhook_secret or ""])
    command = commands[args.command or "run"]
    try:
        return command(settings, args)
    except KeyboardInterrupt:
        return 130
