"""`python -m bot front --workers N`: one webhook URL for N bot processes on PostgreSQL.

The front listens on WEBHOOK_LISTEN:WEBHOOK_PORT and forwards each update to the bot process
of its sender (`bot.web.front`); bot process i (0 … N-1) is a `python -m bot` in webhook mode
with the same WEBHOOK_URL and WEBHOOK_SECRET, `WEBHOOK_LISTEN=127.0.0.1` and
`WEBHOOK_PORT` = the front's port + 1 + i. See docs/deploy.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from bot.cli.base import Command, Subparsers
from bot.settings import Settings

log = logging.getLogger("bot.cli.front")


def worker_urls(settings: Settings, workers: int) -> list[str]:
    """Where bot process i listens: loopback, the front's port + 1 + i, the webhook's path."""
    from bot.web.webhook import webhook_route

    path = webhook_route(settings.webhook_url or "")[1]
    return [f"http://127.0.0.1:{settings.webhook_port + 1 + i}{path}" for i in range(workers)]


async def _serve(settings: Settings, workers: int) -> None:
    from aiohttp import web

    from bot.web.front import Front, build_front_app
    from bot.web.webhook import webhook_route

    assert settings.webhook_secret is not None
    path = webhook_route(settings.webhook_url or "")[1]
    front = Front(worker_urls(settings, workers), settings.webhook_secret)
    runner = web.AppRunner(build_front_app(front, path), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.listen_host, settings.webhook_port).start()
    log.info(
        "front on %s:%s%s forwarding to %s bot processes (ports %s-%s)",
        settings.listen_host, settings.webhook_port, path, workers,
        settings.webhook_port + 1, settings.webhook_port + workers,
    )  # fmt: skip
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def run_front(settings: Settings, args: argparse.Namespace) -> int:
    """Serve the front until SIGTERM or SIGINT."""
    if not settings.webhook_mode or settings.is_sqlite:
        print(
            "error: `front` needs webhook mode (WEBHOOK_URL, WEBHOOK_SECRET) and PostgreSQL: "
            "several bot processes share one database only there",
            file=sys.stderr,
        )
        return 2
    asyncio.run(_serve(settings, args.workers))
    return 0


def add_front(sub: Subparsers) -> dict[str, Command]:
    """`front`: one webhook URL for several bot processes."""
    parser = sub.add_parser(
        "front", help="forward webhook updates to N bot processes, each person's to the same one"
    )
    parser.add_argument("--workers", type=int, required=True, help="how many bot processes")
    return {"front": run_front}
