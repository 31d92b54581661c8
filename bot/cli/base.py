"""What every command-line tool shares: the shape of a command and of its parser hook, reading
one training, and the bot's username."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeAlias, TypeVar

from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.db import SessionFactory, create_engine, create_session_factory
from bot.models import Training
from bot.services import audit
from bot.services.staff import find_training_by_code
from bot.settings import Settings

# A tool's function: settings and parsed arguments in, exit status out.
Command = Callable[[Settings, argparse.Namespace], int]
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
# Each tool module has one: it adds its sub-command(s) and says which function runs each.
AddTool = Callable[[Subparsers], dict[str, Command]]
T = TypeVar("T")
# What reads a training: the sessions (for more reading) and the training, its days loaded.
Reader = Callable[[SessionFactory, Training], Awaitable[T]]


async def _read(settings: Settings, code: str, read: Reader[T]) -> T | None:
    engine = create_engine(settings.database_url)
    try:
        sessions = create_session_factory(engine)
        async with sessions() as session:
            training = await find_training_by_code(session, code)
        return None if training is None else await read(sessions, training)
    finally:
        await engine.dispose()


def read_training(settings: Settings, code: str, read: Reader[T]) -> T | int:
    """`read` the training with this code (any case); when the database cannot be read or has
    no such training, one line and the exit status instead."""
    try:
        found = asyncio.run(_read(settings, code, read))
    except (OperationalError, ProgrammingError) as exc:
        # Read-only tools never create or upgrade the schema (`python -m bot` does).
        print(f"cannot read the database: {type(exc.orig).__name__}", file=sys.stderr)
        return 2
    if found is None:
        print(f"no training with code {code!r}", file=sys.stderr)
        return 1
    return found


async def with_sessions(settings: Settings, work: Callable[[SessionFactory], Awaitable[T]]) -> T:
    """`work` on sessions of the configured database, its engine closed after."""
    engine = create_engine(settings.database_url)
    try:
        return await work(create_session_factory(engine))
    finally:
        await engine.dispose()


def cli_reader() -> audit.Reader:
    """The operator at the shell, as the audit trail records a read of personal data."""
    return audit.Reader(None, datetime.now(UTC))


async def bot_username(settings: Settings, sessions: SessionFactory) -> str:
    """The bot's @username, asked of Telegram (getMe) with the configured token."""
    from bot.assembly.core import build_core  # the Bot API client, only for the tools that call

    application = build_core(settings, role="cli", sessions=sessions)
    await application.bot.initialize()
    try:
        return application.bot.username
    finally:
        await application.bot.shutdown()
