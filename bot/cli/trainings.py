"""`python -m bot import-trainings FILE.yaml`: load a training file from the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.cli.base import Command, Subparsers
from bot.db import create_engine, create_session_factory, upgrade_database_sync
from bot.services.trainings import (
    ImportResult,
    TrainingFileError,
    import_trainings,
    parse_training_file,
)
from bot.settings import Settings


async def _import(settings: Settings, text: str) -> ImportResult:
    specs = parse_training_file(text, settings.timezone)
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            return await import_trainings(session, specs, datetime.now(UTC))
    finally:
        await engine.dispose()


def import_trainings_command(settings: Settings, args: argparse.Namespace) -> int:
    """Check the whole file, then import it in one transaction; print one line."""
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {path}: {exc}", file=sys.stderr)
        return 1
    try:
        # Check before touching the database, so a bad file changes nothing at all.
        parse_training_file(text, settings.timezone)
    except TrainingFileError as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
        return 1
    upgrade_database_sync(settings.database_url)
    result = asyncio.run(_import(settings, text))
    print(result.summary())
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
