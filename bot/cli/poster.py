"""`python -m bot poster CODE -o F.pdf|F.png`: a training's A4 poster; prints its registration
link and the WhatsApp text too.

The link needs the bot's @username. The tool asks Telegram (getMe) with the configured token
rather than reading a setting: a poster is printed and pinned up for weeks, so its QR code must
point at the bot this token really runs, whatever it was renamed to in @BotFather; a setting
could silently disagree. It costs one Bot API call, and the tool says so in one line when
Telegram cannot be reached.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.base import Command, Reader, Subparsers, bot_username, read_training
from bot.db import SessionFactory
from bot.models import Training, TrainingStatus
from bot.services.sharing import TrainingShare, share_of
from bot.settings import Settings
from bot.texts.links import training_link
from bot.texts.sharing import whatsapp_text

FORMATS = ("pdf", "png")


def _reader(settings: Settings) -> Reader[tuple[TrainingShare, str]]:
    async def share_and_link(
        sessions: SessionFactory, training: Training
    ) -> tuple[TrainingShare, str]:
        username = await bot_username(settings, sessions)
        return share_of(training, settings.timezone), training_link(username, training.code)

    return share_and_link


def print_share(settings: Settings, share: TrainingShare, link: str) -> None:
    """The registration link and the WhatsApp text of a training, for the operator to pass on."""
    print(f"link: {link}")
    print("WhatsApp text:")
    text = whatsapp_text(
        share, link, settings.org_name, settings.default_language, settings.timezone
    )
    print(text)


def run_poster(settings: Settings, args: argparse.Namespace) -> int:
    """Write the poster of training `args.code` as PDF or PNG (by the file's extension)."""
    from bot.documents.poster import make_poster, poster_filename

    output = Path(args.output or poster_filename(args.code, "pdf"))
    extension = output.suffix.lower().lstrip(".")
    if extension not in FORMATS:
        print(f"error: {output}: the poster is written as .pdf or .png", file=sys.stderr)
        return 2
    found = read_training(settings, args.code, _reader(settings))
    if isinstance(found, int):
        return found
    share, link = found
    if share.status == TrainingStatus.CANCELLED:
        print(f"error: {share.spec.code} is cancelled: no poster", file=sys.stderr)
        return 1
    poster = make_poster(
        share, link, settings.org_name, settings.default_language, settings.timezone
    )
    output.write_bytes(poster.pdf if extension == "pdf" else poster.png)
    print(f"wrote {output}")
    print_share(settings, share, link)
    if not share.open:
        print(
            f"note: {share.spec.code} is not open for registration ({share.status.value}): "
            "the link registers nobody until it is published",
            file=sys.stderr,
        )
    return 0


def add_poster(sub: Subparsers) -> dict[str, Command]:
    """`poster`: a training's A4 poster (PDF or PNG) with the QR code of its link."""
    parser = sub.add_parser(
        "poster",
        help="a training's A4 poster (PDF or PNG, by the file's extension) with a QR code",
        description="Write a training's A4 poster with the QR code of its registration link, "
        "and print the link and a WhatsApp text. Asks Telegram for the bot's username.",
    )
    parser.add_argument("code", metavar="CODE", help="the training code")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="poster.pdf or poster.png (default: poster-CODE.pdf)"
    )
    return {"poster": run_poster}
