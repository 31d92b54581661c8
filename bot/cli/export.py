"""`python -m bot export CODE --format xlsx|csv -o FILE`: a training's participants as a file."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from bot.cli.base import Command, Reader, Subparsers, cli_reader, read_training
from bot.db import SessionFactory
from bot.models import Training
from bot.services.reports import export_training
from bot.settings import Settings

FORMATS = ("xlsx", "csv")


def _reader(settings: Settings, file_format: str) -> Reader[bytes]:
    from bot.documents.exports import write_csv, write_xlsx

    async def export_file(sessions: SessionFactory, training: Training) -> bytes:
        async with sessions() as session:
            export = await export_training(
                session, training, settings.timezone, reader=cli_reader()
            )
        lang = settings.default_language
        if file_format == "csv":
            return write_csv(export, lang)
        printed_at = datetime.now(settings.timezone).replace(tzinfo=None)
        return write_xlsx([export], lang, printed_at)

    return export_file


def run_export(settings: Settings, args: argparse.Namespace) -> int:
    """Write the participant list of training `args.code` to `args.output`."""
    from bot.documents.exports import export_filename

    content = read_training(settings, args.code, _reader(settings, args.format))
    if isinstance(content, int):
        return content
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
