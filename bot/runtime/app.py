"""The one function that builds the python-telegram-bot Application."""

from __future__ import annotations

import logging
from typing import Any

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest

import handlers
from bot.clock import Clock, system_clock
from bot.db import SessionFactory, create_engine, create_session_factory
from bot.runtime.commands import publish_commands
from bot.runtime.concurrency import PerUserUpdateProcessor
from bot.runtime.context import DEPS_KEY, BotApplication, BotContext, Deps, deps_of
from bot.runtime.persistence import SqlPersistence
from bot.sending.gate import PriorityRateLimiter
from bot.settings import Settings
from handlers.base import LANG_KEY
from jobs.schedule import schedule_all

log = logging.getLogger(__name__)
ENGINE_KEY = "engine"


async def _post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    deps = deps_of(application)
    me = await application.bot.get_me()
    log.info("bot @%s (%s) ready", me.username, me.id)
    await publish_commands(application.bot, deps.settings)
    schedule_all(application)


async def _post_shutdown(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    engine = application.bot_data.get(ENGINE_KEY)
    if engine is not None:
        await engine.dispose()


def build_application(
    settings: Settings,
    *,
    sessions: SessionFactory | None = None,
    clock: Clock = system_clock,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    max_concurrent_updates: int = 256,
) -> BotApplication:
    """Build the bot: dependencies in `bot_data`, every handler, persistence and jobs.

    `sessions`, `clock` and the request objects are parameters so that tests can pass their own;
    when `sessions` is not given, an engine for `settings.database_url` is created and disposed
    of with the application.
    """
    engine = None
    if sessions is None:
        engine = create_engine(settings.database_url)
        sessions = create_session_factory(engine)

    processor = PerUserUpdateProcessor(max_concurrent_updates)
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(f"{settings.api_base_url}/bot")
        .base_file_url(f"{settings.api_base_url}/file/bot")
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                tzinfo=settings.timezone,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(processor)
        .rate_limiter(PriorityRateLimiter(settings.process_rate))
        .persistence(SqlPersistence(sessions, clock, cached_user_keys=(LANG_KEY,)))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    else:
        builder = builder.request(
            HTTPXRequest(connection_pool_size=64, read_timeout=15, connect_timeout=10)
        ).get_updates_request(HTTPXRequest(read_timeout=40, connect_timeout=10))
    application: BotApplication = builder.build()
    processor.after_update = application.update_persistence

    application.bot_data[DEPS_KEY] = Deps(settings=settings, sessions=sessions, clock=clock)
    if engine is not None:
        application.bot_data[ENGINE_KEY] = engine
    handlers.register_all(application)
    return application
