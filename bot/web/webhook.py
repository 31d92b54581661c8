"""The bot's own aiohttp server: in webhook mode it feeds Telegram's updates to the
Application; in either mode it serves the staff Mini App (`bot.web.miniapp`) when
`WEBAPP_URL` is set.

`POST` on the path of the registered URL takes updates (checked against WEBHOOK_SECRET) and
`GET /healthz` answers load balancers. The webhook is never deleted on shutdown: several
processes may share one URL, and one of them restarting must not cut the others off.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
import os
import signal
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlsplit

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.error import TelegramError

from bot.db import create_engine, error_reason
from bot.runtime.context import AnyApplication
from bot.runtime.throttle import Clock, Cooldown, since_last
from bot.settings import Settings
from bot.web.miniapp import APP_PATH, add_dashboard

log = logging.getLogger(__name__)

# The path added to a WEBHOOK_URL that has none (what every earlier version listened on).
DEFAULT_WEBHOOK_PATH = "/telegram"
HEALTH_PATH = "/healthz"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_TIMEOUT = 2.0
# Seconds between two warnings about refused requests of one kind.
REFUSAL_LOG_PERIOD = 60.0
_HEALTH_ENGINE = web.AppKey("health_engine", dict[str, AsyncEngine])


class WebhookStartError(Exception):
    """The bot's web server (webhook or Mini App) could not start; the message is one line
    for the operator."""


def webhook_route(webhook_url: str) -> tuple[str, str]:
    """The URL registered with Telegram and the path the server listens on.

    A URL with a path is registered exactly as given and served on that path; a bare
    `https://host` gets `/telegram` appended, as before paths were allowed.
    """
    path = urlsplit(webhook_url).path
    if path in ("", "/"):
        return webhook_url.rstrip("/") + DEFAULT_WEBHOOK_PATH, DEFAULT_WEBHOOK_PATH
    return webhook_url, path


def _short(exc: BaseException) -> str:
    """One line about a database error, without SQL or connection strings."""
    name = type(getattr(exc, "orig", None) or exc).__name__
    reason = error_reason(exc)
    return f"{name}: {reason}" if reason else name


def _sqlite_answers(path: str) -> None:
    # A separate read-only look at the file: the app's engine begins every transaction with
    # BEGIN IMMEDIATE, so its SELECT 1 would queue behind any writer and make health flap.
    uri = f"file:{quote(path)}?mode=rw"
    connection = sqlite3.connect(uri, uri=True, timeout=HEALTH_TIMEOUT)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        connection.close()


async def _postgres_answers(engines: dict[str, AsyncEngine], url: str) -> None:
    # A fresh connection each time (NullPool): the check stays truthful and never waits for
    # the app's pool when it is busy.
    engine = engines.get("engine")
    if engine is None:
        engine = engines["engine"] = create_engine(url, pool_size=0)
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def database_problem(settings: Settings, engines: dict[str, AsyncEngine]) -> str | None:
    """Why the database does not answer `SELECT 1` within HEALTH_TIMEOUT, or None if it does."""
    try:
        async with asyncio.timeout(HEALTH_TIMEOUT + 1):
            if settings.is_sqlite:
                database = make_url(settings.database_url).database or ""
                await asyncio.to_thread(_sqlite_answers, database)
            else:
                await _postgres_answers(engines, settings.database_url)
    except TimeoutError:
        return f"database did not answer within {HEALTH_TIMEOUT:g}s"
    except Exception as exc:  # any failure means "not healthy"; the reason says which
        return f"database: {_short(exc)}"
    return None


def secret_refusal(given: str | None, expected: bytes) -> str | None:
    """Why a request's secret header is refused, or None when it is the right one."""
    if given is None:
        return "missing secret token"
    if not hmac.compare_digest(given.encode("utf-8", "replace"), expected):
        return "wrong secret token"
    return None


async def _read_update(request: web.Request, bot: Any) -> Update | str:
    """The update in the request's body, or why it cannot be read (the exception's type)."""
    try:
        data = await request.json()
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return Update.de_json(data, bot)
    except Exception as exc:  # whatever the body breaks in the parser, it is one bad update
        return type(exc).__name__


Receiver = Callable[[web.Request], Awaitable[web.Response]]


def _update_receiver(application: AnyApplication, secret: str, clock: Clock) -> Receiver:
    """The handler of Telegram's POSTs: check the secret, read the update, queue it."""
    expected = secret.encode()
    # A scan or a misconfigured proxy can send thousands of bad requests: one line per reason
    # a minute, with the count of those not logged.
    warnings = Cooldown(REFUSAL_LOG_PERIOD, clock)

    def note(request: web.Request, reason: str, detail: str = "") -> None:
        held = warnings.allow(reason)
        if held is not None:
            log.warning(
                "webhook request from %s refused: %s%s%s",
                request.remote,
                reason,
                detail,
                since_last(held),
            )

    async def receive_update(request: web.Request) -> web.Response:
        refusal = secret_refusal(request.headers.get(SECRET_HEADER), expected)
        if refusal is not None:
            note(request, refusal)
            return web.json_response({"error": "forbidden"}, status=403)
        update = await _read_update(request, application.bot)
        if isinstance(update, str):
            note(request, "malformed update", f" ({update})")
            # 200 all the same: Telegram resends an update until it gets a 200, and one it
            # cannot deliver would hold back every update after it.
            return web.json_response({"ok": False, "error": "malformed update"})
        # Answer at once: Telegram waits for this response before sending the next update.
        await application.update_queue.put(update)
        return web.json_response({"ok": True})

    return receive_update


def _add_health(app: web.Application, application: AnyApplication, settings: Settings) -> None:
    """`GET /healthz`: 200 while the bot runs and the database answers, 503 with a reason."""

    async def health(_request: web.Request) -> web.Response:
        if not application.running:
            return web.json_response(
                {"status": "unavailable", "reason": "application is not running"}, status=503
            )
        problem = await database_problem(settings, app[_HEALTH_ENGINE])
        if problem is not None:
            log.warning("health check failed: %s", problem)
            return web.json_response({"status": "unavailable", "reason": problem}, status=503)
        return web.json_response({"status": "ok"})

    async def dispose_health_engine(app: web.Application) -> None:
        engine = app[_HEALTH_ENGINE].pop("engine", None)
        if engine is not None:
            await engine.dispose()

    app[_HEALTH_ENGINE] = {}
    app.router.add_get(HEALTH_PATH, health)
    app.on_cleanup.append(dispose_health_engine)


def _dashboard_here(settings: Settings) -> bool:
    """Whether the webhook server also serves the Mini App (one port for both)."""
    return bool(settings.webapp_url) and settings.webapp_listen_port == settings.webhook_port


def build_webhook_app(
    application: AnyApplication, settings: Settings, *, clock: Clock = time.monotonic
) -> web.Application:
    """The aiohttp app: `POST` on the webhook path for updates, `GET /healthz` for health, and
    the Mini App when it is served on the webhook's port."""
    if not settings.webhook_secret:
        raise ValueError("webhook mode needs WEBHOOK_SECRET")
    app = web.Application()
    receive_update = _update_receiver(application, settings.webhook_secret, clock)
    app.router.add_post(webhook_route(settings.webhook_url or "")[1], receive_update)
    _add_health(app, application, settings)
    if _dashboard_here(settings):
        add_dashboard(app, application)
    return app


def build_dashboard_app(application: AnyApplication, settings: Settings) -> web.Application:
    """The aiohttp app of the Mini App on a port of its own (and `GET /healthz`)."""
    app = web.Application()
    _add_health(app, application, settings)
    add_dashboard(app, application)
    return app


async def listen(runner: web.AppRunner, host: str, port: int) -> None:
    """Start serving `runner` on host:port; ServerStartError says why it cannot."""
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise WebhookStartError(f"cannot listen on {host}:{port}: {reason}") from None


@contextlib.asynccontextmanager
async def serving(
    application: AnyApplication, runners: list[web.AppRunner]
) -> AsyncIterator[asyncio.Event]:
    """Initialise the application and run its start-up hook; yield the event SIGTERM and
    SIGINT set; then stop taking updates and requests, finish what is queued, shut down."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await application.initialize()
    try:
        if application.post_init is not None:
            await application.post_init(application)
        yield stop
        log.info("stopping")
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        # Stop taking updates first, then finish the ones already queued.
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        for runner in runners:
            await runner.cleanup()
        if application.running:
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


async def serve_webhook(application: AnyApplication, settings: Settings) -> None:
    """Start the app and the server, register the webhook, serve until SIGTERM or SIGINT."""
    assert settings.webhook_url is not None
    registered_url, _path = webhook_route(settings.webhook_url)
    runner = web.AppRunner(build_webhook_app(application, settings), access_log=None)
    runners = [runner]
    if settings.webapp_url and not _dashboard_here(settings):
        runners.append(web.AppRunner(build_dashboard_app(application, settings), access_log=None))
    async with serving(application, runners) as stop:
        await listen(runner, settings.listen_host, settings.webhook_port)
        if len(runners) > 1:
            await listen(runners[1], settings.listen_host, settings.webapp_listen_port)
        # Updates that arrive before this wait in the queue; /healthz says 503 until then.
        await application.start()
        try:
            await application.bot.set_webhook(
                url=registered_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        except TelegramError as exc:
            raise WebhookStartError(f"Telegram refused the webhook: {exc.message}") from None
        log.info(
            "webhook mode: listening on %s:%s, Telegram posts to %s",
            settings.listen_host,
            settings.webhook_port,
            registered_url,
        )
        _log_dashboard(settings)
        await stop.wait()


async def serve_polling_with_dashboard(application: AnyApplication, settings: Settings) -> None:
    """Polling mode with the Mini App: poll for updates and serve the page and `/healthz` on
    `WEBAPP_PORT` until SIGTERM or SIGINT."""
    runner = web.AppRunner(build_dashboard_app(application, settings), access_log=None)
    async with serving(application, [runner]) as stop:
        await listen(runner, settings.listen_host, settings.webapp_listen_port)
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        log.info("polling mode")
        _log_dashboard(settings)
        await stop.wait()


def _log_dashboard(settings: Settings) -> None:
    if settings.webapp_url:
        log.info(
            "staff dashboard at %s, served on %s:%s%s",
            settings.webapp_url,
            settings.listen_host,
            settings.webapp_listen_port,
            APP_PATH,
        )
