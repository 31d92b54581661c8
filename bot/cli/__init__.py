"""The command line: `python -m bot` runs the bot; sub-commands are the operator's tools."""

from bot.cli.main import main

__all__ = ["main"]
