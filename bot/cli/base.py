"""What every command-line tool shares: the shape of a command and of its parser hook."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeAlias

from bot.settings import Settings

# A tool's function: settings and parsed arguments in, exit status out.
Command = Callable[[Settings, argparse.Namespace], int]
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
# Each tool module has one: it adds its sub-command(s) and says which function runs each.
AddTool = Callable[[Subparsers], dict[str, Command]]
