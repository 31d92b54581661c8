"""docs/reference.md names everything the code has: every command the chat registers, every
command-line tool, every key of a training file (the settings: tests/test_settings.py); and the
README stays a five-minute read."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from telegram.ext import BaseHandler, CommandHandler, ConversationHandler

from bot.assembly.chat import build_application
from bot.cli.main import build_parser
from bot.services.training_file import DAY_FIELDS, TRAINING_FIELDS
from bot.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference.md"
# About five minutes of reading at 200-250 words a minute.
README_WORDS = 1200


def _table_cells(heading: str, columns: int) -> str:
    """The first `columns` cells of every row of the table under `heading`, as one text."""
    section = REFERENCE.read_text(encoding="utf-8").split(f"\n{heading}\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    rows = [line.split("|")[1 : 1 + columns] for line in section.splitlines()]
    return " ".join(cell for row in rows if row and row[0].startswith(" `") for cell in row)


def _commands(handlers: Iterable[BaseHandler[Any, Any, Any]], found: set[str]) -> set[str]:
    for handler in handlers:
        if isinstance(handler, CommandHandler):
            found |= set(handler.commands)
        elif isinstance(handler, ConversationHandler):
            _commands(handler.entry_points, found)
            _commands(handler.fallbacks, found)
            for state in handler.states.values():
                _commands(state, found)
    return found


def test_the_reference_names_every_command_of_the_chat_and_no_other(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "1:x", "DATABASE_URL": database}, env_file="")
    application = build_application(settings)
    registered: set[str] = set()
    for group in application.handlers.values():
        _commands(group, registered)
    named = set(re.findall(r"`/([a-z]+)", _table_cells("## Commands in the chat", 2)))
    assert registered == named, (sorted(registered - named), sorted(named - registered))


def test_the_reference_names_every_command_line_tool_and_no_other() -> None:
    parser, _ = build_parser()
    [tools] = [a for a in parser._actions if a.dest == "command"]
    assert tools.choices is not None
    named = set(re.findall(r"`([a-z-]+)`", _table_cells("## Command line", 1)))
    assert set(tools.choices) == named, sorted(set(tools.choices) ^ named)


def test_the_reference_names_every_key_of_a_training_file() -> None:
    named = set(re.findall(r"`([a-z_]+)`", _table_cells("## Training files", 1)))
    assert set(TRAINING_FIELDS) | set(DAY_FIELDS) == named


def test_the_readme_reads_in_five_minutes_and_opens_with_the_demo() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.split()) <= README_WORDS
    opening = readme[: readme.index("\n## ")]
    assert "docs/img/demo.png" in opening and "Try it: `make run`" in opening
    assert (ROOT / "docs" / "img" / "demo.png").read_bytes()[:4] == b"\x89PNG"
    for link in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (ROOT / link).exists(), link
