"""The bot that people chat with: the core Application plus persistence, per-user ordering,
every feature's handlers and the command menus."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from telegram.ext import Application, ApplicationBuilder
from telegram.request import BaseRequest

import handlers
from bot.assembly.core import ENGINE_KEY, build_core
from bot.clock import Clock, system_clock
from bot.db import SessionFactory, create_engine, create_session_factory
from bot.runtime.commands import publish_commands
from bot.runtime.concurrency import PerUserUpdateProcessor
from bot.runtime.context import BotApplication, deps_of
from bot.runtime.persistence import SqlPersistence
from bot.services.retention import draft_cutoff
from bot.settings import Settings
from handlers.base import LANG_KEY
from handlers.fallback import ask_to_slow_down


async def _publish_commands(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    deps = deps_of(application)
    await publish_commands(application.bot, deps.settings, deps.sessions)


def _persistence(settings: Settings, sessions: SessionFactory, clock: Clock) -> SqlPersistence:
    """Conversations and drafts in the database; those past their timeout are not loaded."""
    timeout = settings.conversation_timeout_minutes
    return SqlPersistence(
        sessions,
        clock,
        cached_user_keys=(LANG_KEY,),
        stale_before=lambda: draft_cutoff(clock(), timeout),
    )


def build_application(
    settings: Settings,
    *,
    sessions: SessionFactory | None = None,
    clock: Clock = system_clock,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    max_concurrent_updates: int = 256,
    flood_clock: Callable[[], float] = time.monotonic,
) -> BotApplication:
    """Build the bot: the core Application, persistence, ordering per user, every handler.

    `flood_clock` (seconds) paces each account's update budget; tests pass their own.
    """
    engine = None
    if sessions is None:
        engine = create_engine(settings.database_url)
        sessions = create_session_factory(engine)
    processor = PerUserUpdateProcessor(max_concurrent_updates, clock=flood_clock)
    persistence = _persistence(settings, sessions, clock)

    def configure(builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any]) -> Any:
        return builder.concurrent_updates(processor).persistence(persistence)

    application = build_core(
        settings,
        role="bot",
        sessions=sessions,
        clock=clock,
        request=request,
        get_updates_request=get_updates_request,
        configure=configure,
        post_init=_publish_commands,
    )
    processor.after_update = application.update_persistence
    processor.on_throttled = functools.partial(ask_to_slow_down, application)
    if engine is not None:
        application.bot_data[ENGINE_KEY] = engine
    handlers.register_all(application)
    return application
