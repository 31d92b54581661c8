"""What handlers and jobs can reach: the app's dependencies, typed, through the context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.db import SessionFactory
from bot.settings import Settings

DEPS_KEY = "deps"


@dataclass
class Deps:
    """Dependencies created once when the application is built."""

    settings: Settings
    sessions: SessionFactory
    clock: Clock
    # Feature-owned services that need a long life (the bulk sender, for example).
    services: dict[str, Any] = field(default_factory=dict)


class BotContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Callback context with typed access to settings, sessions and the clock."""

    @property
    def deps(self) -> Deps:
        """The application's dependencies."""
        deps: Deps = self.application.bot_data[DEPS_KEY]
        return deps

    @property
    def settings(self) -> Settings:
        """The validated settings."""
        return self.deps.settings

    @property
    def sessions(self) -> SessionFactory:
        """The session factory (one session per task, never shared)."""
        return self.deps.sessions

    def now(self) -> datetime:
        """The current time from the injected clock (timezone-aware, UTC)."""
        return self.deps.clock()


BotApplication = Application[
    ExtBot[Any], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any
]
# Any process's Application (the bot's, a worker's, the command line's): what jobs and the web
# server are handed.
AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def deps_of(application: AnyApplication) -> Deps:
    """The dependencies stored in an application (for jobs and post_init hooks)."""
    deps: Deps = application.bot_data[DEPS_KEY]
    return deps
