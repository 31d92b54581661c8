"""`python -m bot export CODE --format xlsx|csv -o FILE`: a training's participants as a file."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.cli.base import Command, Subparsers
from bot.db import create_engine, create_session_factory
from bot.documents.exports import export_filename, write_csv, write_xlsx
from bot.services.reports import export_training
from bot.services.staff import find_training_by_code
from bot.settings import Settings

FORMATS = ("xlsx", "csv")


async def _export(settings: Settings, code: str, file_format: str) -> bytes | None:
    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            training = await find_training_by_code(session, code)
            if training is None:
                return None
            export = await export_training(session, training, settings.timezone)
    finally:
        await engine.dispose()
    lang = settings.default_language
    if file_format == "csv":
        return write_csv(export, lang)
    printed_at = datetime.now(settings.timezone).replace(tzinfo=None)
    return write_xlsx([export], lang, printed_at)


def run_export(settings: Settings, args: argparse.Namespace) -> int:
    """Write the participant list of training `args.code` to `args.output`."""
    try:
        content = asyncio.run(_export(settings, args.code, args.format))
    except (OperationalError, ProgrammingError) as exc:
        # Read-only tool: it never creates or upgrades the schema (`python -m bot` does).
        print(f"cannot read the database: {type(exc.orig).__name__}", file=sys.stderr)
        return 2
    if content is None:
        print(f"no training with code {args.code!r}", file=sys.stderr)
        return 1
    output = Path(args.output or export_filename(args.code, args.format))
    output.write_bytes(content)
    print(f"wrote {output}")
    return 0


def add_export(
    sub: Subparsers,
) -> dict[str, Command]:
    """`export`: a training's participants as .xlsx or .csv."""
    parser = sub.add_parser("export", help="export a training's participants as xlsx or csv")
    parser.add_argument("code", metavar="CODE", help="the training code")
    parser.add_argument("--format", choices=FORMATS, default="xlsx", help="file format")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="where to write (default: peserta-CODE.xlsx)"
    )
    return {"export": run_export}
