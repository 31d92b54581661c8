"""`python -m bot import-trainings FILE.yaml`: load a training file from the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.cli.base import Command, Subparsers
from bot.db import create_engine, create_session_factory, upgrade_database_sync
from bot.services.training_file import (
    FileTraining,
    ImportResult,
    TrainingFileError,
    check_size,
    import_trainings,
    read_training_file,
)
from bot.settings import Settings
from bot.texts.trainings import file_error_text, import_summary, plain

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


def _refused(path: Path, error: TrainingFileError) -> int:
    print(f"error: {path}: {plain(file_error_text(error, LANGUAGE))}", file=sys.stderr)
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
    print(plain(import_summary(result, LANGUAGE)))
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
