"""The python-telegram-bot Application every process builds: its dependencies, the Bot API
requests, the one rate gate, and the jobs. `bot.assembly.chat` adds the conversations of the
bot itself; a worker or the command line sends without them.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import Executor
from typing import Any

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.clock import Clock, system_clock
from bot.db import (
    REMINDERS,
    SessionFactory,
    create_engine,
    create_session_factory,
    waking_sessions,
)
from bot.runtime.context import DEPS_KEY, AnyApplication, BotApplication, BotContext, Deps, deps_of
from bot.runtime.jobqueue import DrainingJobQueue
from bot.sending.gate import PriorityRateLimiter
from bot.sending.request import AiohttpRequest, ClassifyingRequest
from bot.settings import Settings
from jobs import outbox, reminders
from jobs.schedule import start_jobs, stop_jobs

log = logging.getLogger(__name__)
ENGINE_KEY = "engine"
Hook = Callable[[AnyApplication], Coroutine[Any, Any, None]]


def _post_init(role: str, extra: Hook | None) -> Hook:
    async def post_init(application: AnyApplication) -> None:
        me = await application.bot.get_me()
        log.info("bot @%s (%s) ready as %s", me.username, me.id, role)
        if extra is not None:
            await extra(application)
        await start_jobs(application, role)

    return post_init


def _wake(application: AnyApplication, consumer: str) -> None:
    """Wake what a commit queued work for: the reminder sync (which then sends), or the
    outbox's sender."""
    if consumer == REMINDERS:
        reminders.wake(application)
    else:
        outbox.wake(application)


async def _post_stop(application: AnyApplication) -> None:
    await stop_jobs(application)


async def _post_shutdown(application: AnyApplication) -> None:
    for service in deps_of(application).services.values():
        if isinstance(service, Executor):  # a worker process (the training file parser)
            service.shutdown(wait=False, cancel_futures=True)
    engine = application.bot_data.get(ENGINE_KEY)
    if engine is not None:
        await engine.dispose()


def _builder(settings: Settings, role: str, post_init: Hook | None) -> Any:
    """The builder of every process's Application: HTML by default, the typed context, the
    draining job queue, the one rate gate, and the start and stop hooks."""
    return (
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
        .job_queue(DrainingJobQueue())
        .rate_limiter(PriorityRateLimiter(settings.broadcast_rate))
        .post_init(_post_init(role, post_init))
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )


def _requests(
    builder: Any,
    settings: Settings,
    request: BaseRequest | None,
    get_updates_request: BaseRequest | None,
) -> Any:
    if request is None:
        proxies = settings.proxy_variables
        request = AiohttpRequest(pool_size=64, read_timeout=15, proxy_variables=proxies)
        get_updates_request = AiohttpRequest(pool_size=1, read_timeout=40, proxy_variables=proxies)
    return builder.request(ClassifyingRequest(request)).get_updates_request(
        ClassifyingRequest(get_updates_request or request)
    )


def build_core(
    settings: Settings,
    *,
    role: str,
    sessions: SessionFactory | None = None,
    clock: Clock = system_clock,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    configure: Callable[[ApplicationBuilder[Any, Any, Any, Any, Any, Any]], Any] | None = None,
    post_init: Hook | None = None,
) -> BotApplication:
    """The Application with its dependencies in `bot_data`, the rate gate and the jobs.

    `sessions`, `clock` and the request objects are parameters so that tests can pass their own;
    when `sessions` is not given, an engine for `settings.database_url` is created and disposed
    of with the application. `role` ("bot", "worker", "cli") names the process in the sending
    budget.
    """
    engine = None
    if sessions is None:
        engine = create_engine(settings.database_url)
        sessions = create_session_factory(engine)
    builder = _requests(_builder(settings, role, post_init), settings, request, get_updates_request)
    if configure is not None:
        builder = configure(builder)
    application: BotApplication = builder.build()
    sessions = waking_sessions(sessions, functools.partial(_wake, application))
    application.bot_data[DEPS_KEY] = Deps(settings=settings, sessions=sessions, clock=clock)
    if engine is not None:
        application.bot_data[ENGINE_KEY] = engine
    return application


__all__ = ["ENGINE_KEY", "build_core", "deps_of"]
