"""`python -m bot demo [--port 8090]`: try the bot without a token, in a web page on loopback.

It needs no settings: the demo makes its own (bot/playground/demo.py), so it runs on a fresh
clone; `python -m bot` itself still refuses to start without TELEGRAM_BOT_TOKEN.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.cli.base import Command, Subparsers

DEFAULT_PORT = 8090
DEFAULT_DATA = Path("data") / "demo"


def run_demo(args: argparse.Namespace) -> int:
    """Serve the demo until SIGINT or SIGTERM."""
    # The chat and the web server are loaded here only (as `run` does): other tools start fast.
    from bot.playground.demo import GO_LIVE, database_url, running_demo
    from bot.runtime.locking import AlreadyRunningError, acquire_process_lock
    from bot.web.webhook import WebhookStartError

    async def serve() -> None:
        async with running_demo(args.data, args.port) as demo:
            print(f"demo: open {demo.url} (the bot runs on this machine only; Ctrl-C stops it)")
            print(GO_LIVE, flush=True)
            await demo.stop.wait()

    try:
        lock = acquire_process_lock(database_url(args.data))
    except AlreadyRunningError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        asyncio.run(serve())
    except WebhookStartError as exc:
        print(f"demo: {exc} (choose another with --port)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        if lock is not None:
            lock.release()
    return 0


def add_demo(sub: Subparsers) -> dict[str, Command]:
    """`demo`: the bot in a web page, with no token (run by `main` before settings are read)."""
    parser = sub.add_parser("demo", help="try the bot in a web page on this machine, no token")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="the page's port")
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="folder of the demo's database"
    )
    return {}
