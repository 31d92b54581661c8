"""What every command-line tool shares: the shape of a command and of its parser hook."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeAlias

from bot.db import SessionFactory
from bot.runtime.app import build_core
from bot.settings import Settings

# A tool's function: settings and parsed arguments in, exit status out.
Command = Callable[[Settings, argparse.Namespace], int]
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
# Each tool module has one: it adds its sub-command(s) and says which function runs each.
AddTool = Callable[[Subparsers], dict[str, Command]]


async def bot_username(settings: Settings, sessions: SessionFactory) -> str:
    """The bot's @username, asked of Telegram (getMe) with the configured token."""
    application = build_core(settings, role="cli", sessions=sessions)
    await application.bot.initialize()
    try:
        return application.bot.username
    finally:
        await application.bot.shutdown()
