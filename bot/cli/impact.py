"""`python -m bot impact CODE -o FILE.xlsx`: a training's attendees with their baseline and
each follow-up side by side (the PDF with charts is not made yet)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.base import Command, Reader, Subparsers, cli_reader, read_training
from bot.db import SessionFactory
from bot.models import Training
from bot.services.impact import impact_view
from bot.settings import Settings


def _reader(settings: Settings) -> Reader[bytes]:
    from bot.documents.impact import write_impact_xlsx

    async def impact_file(sessions: SessionFactory, training: Training) -> bytes:
        async with sessions() as session:
            view = await impact_view(
                session, training, settings.follow_up_days, reader=cli_reader()
            )
        return write_impact_xlsx(view, settings.default_language)

    return impact_file


def run_impact(settings: Settings, args: argparse.Namespace) -> int:
    """Write the impact workbook of training `args.code` to `args.output`."""
    output = Path(args.output)
    if output.suffix.lower() != ".xlsx":
        print("impact: only an .xlsx workbook can be written (-o FILE.xlsx)", file=sys.stderr)
        return 2
    content = read_training(settings, args.code, _reader(settings))
    if isinstance(content, int):
        return content
    output.write_bytes(content)
    print(f"wrote {output}")
    return 0


def add_impact(sub: Subparsers) -> dict[str, Command]:
    """`impact`: the baseline and the follow-ups of a training's attendees, as .xlsx."""
    parser = sub.add_parser(
        "impact", help="a training's attendees with their baseline and follow-ups (xlsx)"
    )
    parser.add_argument("code", metavar="CODE", help="the training code")
    parser.add_argument("-o", "--output", metavar="FILE.xlsx", required=True, help="where to write")
    return {"impact": run_impact}
