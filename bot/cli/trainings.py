"""`python -m bot import-trainings FILE.yaml`: load a training file from the command line; for
each training it published, print the registration link and the WhatsApp text to share."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.cli.base import Command, Subparsers, bot_username
from bot.cli.poster import print_share
from bot.db import SessionFactory, create_engine, create_session_factory, upgrade_database_sync
from bot.services.sharing import TrainingShare, training_share
from bot.services.training_file import (
    FileTraining,
    ImportResult,
    TrainingFileError,
    check_size,
    import_trainings,
    read_training_file,
)
from bot.settings import Settings
from bot.texts import unescape
from bot.texts.links import training_link
from bot.texts.trainings import file_error_text, import_summary

LANGUAGE = "en"


async def _import(settings: Settings, trainings: list[FileTraining]) -> ImportResult:
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            return await import_trainings(
                session, trainings, now=datetime.now(UTC), changed_by=None
            )
    finally:
        await engine.dispose()


async def _shares(settings: Settings, result: ImportResult) -> tuple[str, list[TrainingShare]]:
    """The bot's username and the trainings the import published."""
    engine = create_engine(settings.database_url)
    try:
        sessions: SessionFactory = create_session_factory(engine)
        shares = []
        async with sessions() as session:
            for written in result.published:
                share = await training_share(
                    session, settings.timezone, training_id=written.training_id
                )
                if share is not None:
                    shares.append(share)
        return await bot_username(settings, sessions), shares
    finally:
        await engine.dispose()


def _print_shares(settings: Settings, result: ImportResult) -> None:
    """What to pass on for each training the import published (needs Telegram's answer for
    the bot's username; without it, says how to get it later)."""
    from telegram.error import TelegramError

    from bot.documents.poster import poster_filename

    if not result.published:
        return
    try:
        username, shares = asyncio.run(_shares(settings, result))
    except TelegramError as exc:
        print(
            f"note: could not ask Telegram for the bot's username ({exc}); for the links and "
            "posters run: python -m bot poster CODE",
            file=sys.stderr,
        )
        return
    for share in shares:
        code = share.spec.code
        print(f"\n== {code} is open for registration ==")
        print_share(settings, share, training_link(username, code))
        print(f"poster: python -m bot poster {code} -o {poster_filename(code, 'pdf')}")


def _refused(path: Path, error: TrainingFileError) -> int:
    print(f"error: {path}: {unescape(file_error_text(error, LANGUAGE))}", file=sys.stderr)
    return 1


def import_trainings_command(settings: Settings, args: argparse.Namespace) -> int:
    """Check the whole file (its size before reading it), then import it in one transaction;
    print one line."""
    path = Path(args.file)
    try:
        check_size(path.stat().st_size)
        trainings = read_training_file(path.read_bytes(), settings.timezone)
    except OSError as exc:
        print(f"error: cannot read {path}: {exc}", file=sys.stderr)
        return 1
    except TrainingFileError as exc:
        return _refused(path, exc)
    upgrade_database_sync(settings.database_url)
    try:
        result = asyncio.run(_import(settings, trainings))
    except TrainingFileError as exc:
        return _refused(path, exc)
    print(unescape(import_summary(result, LANGUAGE)))
    _print_shares(settings, result)
    return 0


def add_import_trainings(
    sub: Subparsers,
) -> dict[str, Command]:
    """`import-trainings FILE`: create or update trainings from a YAML file."""
    parser = sub.add_parser(
        "import-trainings",
        help="create or update trainings from a YAML file (idempotent by code)",
    )
    parser.add_argument("file", help="the training file (YAML)")
    return {"import-trainings": import_trainings_command}
