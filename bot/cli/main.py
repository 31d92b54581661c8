"""Command line: run the bot (default) and the operator's tools."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import warnings
from collections.abc import Sequence

from bot.cli.backup import add_backup
from bot.cli.base import AddTool, Command
from bot.cli.broadcast import add_broadcast
from bot.cli.copy_database import add_copy_database
from bot.cli.demo import add_demo, run_demo
from bot.cli.documents import add_documents
from bot.cli.export import add_export
from bot.cli.front import add_front
from bot.cli.impact import add_impact
from bot.cli.poster import add_poster
from bot.cli.purge import add_purge
from bot.cli.run import add_run
from bot.cli.staff import add_staff
from bot.cli.trainings import add_import_trainings
from bot.cli.worker import add_worker
from bot.db import CONNECTION_ERRORS, database_problem
from bot.runtime.logging_setup import configure_logging
from bot.services.access import Right, Role, Staff
from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("bot")
# Whatever starts us (systemd, cron, a shell with umask 022): the database with its -wal and
# -shm, backups and exports hold personal data, so every file we create is the owner's alone.
OWNER_ONLY = 0o077


# Each feature that has a command-line tool adds its sub-commands here.
TOOLS: tuple[AddTool, ...] = (
    add_run,
    add_worker,
    add_front,
    add_import_trainings,
    add_export,
    add_impact,
    add_poster,
    add_broadcast,
    add_backup,
    add_copy_database,
    add_documents,
    add_purge,
    add_demo,
    add_staff,
)


# The right each tool needs, by the one rule of who may do what (`bot.services.access`). The
# operator at the server's shell holds the database and the token and acts as a full admin
# (`OPERATOR`); what a tool records in the audit trail names no Telegram id.
OPERATOR = Staff(0, Role.ADMIN)
TOOL_RIGHTS: dict[str, Right] = {
    "run": Right.MANAGE_STAFF,
    "worker": Right.MANAGE_STAFF,
    "front": Right.MANAGE_STAFF,
    "import-trainings": Right.EDIT_TRAININGS,
    "export": Right.EXPORT,
    "impact": Right.EXPORT,
    "poster": Right.EDIT_TRAININGS,
    "broadcast": Right.ANNOUNCE,
    "backup": Right.MANAGE_STAFF,
    "restore": Right.MANAGE_STAFF,
    "copy-database": Right.MANAGE_STAFF,
    "attendance-sheet": Right.EXPORT,
    "certificates": Right.EXPORT,
    "report": Right.SEE_COUNTS,
    "purge": Right.MANAGE_STAFF,
    "staff grant": Right.MANAGE_STAFF,
    "staff revoke": Right.MANAGE_STAFF,
    "staff list": Right.MANAGE_STAFF,
    "audit": Right.MANAGE_STAFF,
}


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
    os.umask(OWNER_ONLY)
    parser, commands = build_parser()
    args = parser.parse_args(argv)
    # Our conversations keep per-chat state on purpose; the library's advice is noise to operators.
    warnings.filterwarnings("ignore", message="If 'per_message=False'", category=UserWarning)
    if args.command == "demo":
        # The one command that reads no settings: it brings its own, so it needs no token.
        configure_logging("WARNING", [], "text")
        return run_demo(args)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    configure_logging(
        settings.log_level, [settings.token, settings.webhook_secret or ""], settings.log_format
    )
    for name in settings.obsolete:
        log.warning("%s is no longer used and is ignored: see .env.example", name)
    if args.command not in (None, "run", "worker") and settings.log_level != "DEBUG":
        # A tool's output is its result; the schema upgrade it may run is not news there.
        logging.getLogger("alembic").setLevel(logging.WARNING)
    name = args.command or "run"
    if not OPERATOR.has(TOOL_RIGHTS[name]):
        print("not allowed", file=sys.stderr)
        return 2
    return _run(commands[name], settings, args)


def _run(command: Command, settings: Settings, args: argparse.Namespace) -> int:
    """Run `command`; what stops it before it could start is one line, not a traceback."""
    from sqlalchemy.exc import DBAPIError
    from telegram.error import InvalidToken, NetworkError

    try:
        return command(settings, args)
    except KeyboardInterrupt:
        return 130
    except InvalidToken:
        problem = "Telegram rejected TELEGRAM_BOT_TOKEN"
    except NetworkError as exc:
        # The reason without the URL: the request's messages never hold it, the token stays out.
        problem = f"cannot reach the Bot API at {settings.api_base_url} ({exc})"
    except (DBAPIError, *CONNECTION_ERRORS) as exc:
        problem = database_problem(settings.database_url, exc)
    print(f"start-up failed: {problem}", file=sys.stderr)
    return 1
