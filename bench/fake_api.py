"""The fake Bot API for the sending benchmarks, in a process of its own (as Telegram is remote).

    python -m bench.fake_api --rate 30          # prints "PORT <n>" once it listens

It is `bot.playground.botapi.FakeTelegram` served over loopback HTTP with Telegram's limits
switched on: at most `--rate` messages in any one-second window (a sliding window: 429 with
`retry_after` beyond it) and one per chat per second. Two endpoints serve the benchmarks:
`GET /_bench/stats` (every accepted message with its arrival time, and the 429 count) and
`POST /_bench/walk` (participants who chat with the bot; see `bench.walk`). Times are
`time.monotonic()`, which on Linux is one clock for every process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from bench.walk import surge, walk
from bot.playground.botapi import FakeBotApiServer, FakeTelegram, RateRule

TOKEN = "123456:BENCH-token"


def stats_of(tg: FakeTelegram) -> dict[str, Any]:
    """Every accepted message (method, chat, arrival time) and how many calls got a 429."""
    sends = [
        (m.method, m.chat_id, m.sent_at)
        for messages in tg.messages.values()
        for m in messages
        if m.sent_at is not None
    ]
    return {"sends": sends, "too_many_requests": tg.too_many_requests}


async def serve(rate: float, per_chat: float) -> None:
    """Serve the Bot API with the limits on, plus the benchmark endpoints, until killed."""
    tg = FakeTelegram(TOKEN)
    tg.rate = RateRule(global_per_second=rate, per_chat_per_second=per_chat)
    api = FakeBotApiServer(tg)

    async def stats(_request: web.Request) -> web.Response:
        return web.json_response(stats_of(tg))

    async def run_walk(request: web.Request) -> web.Response:
        options = await request.json()
        return web.json_response(await walk(tg, **options))

    async def run_surge(request: web.Request) -> web.Response:
        options = await request.json()
        return web.json_response(await surge(tg, **options))

    app = web.Application(client_max_size=50 * 1024 * 1024)
    app.router.add_get("/_bench/stats", stats)
    app.router.add_post("/_bench/walk", run_walk)
    app.router.add_post("/_bench/surge", run_surge)
    app.router.add_route("*", "/bot{token}/{method}", api._api)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(f"PORT {runner.addresses[0][1]}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


@dataclass
class FakeApi:
    """A running fake Bot API subprocess, seen from the benchmark."""

    process: asyncio.subprocess.Process
    port: int

    @property
    def base_url(self) -> str:
        """What to put in TELEGRAM_API_BASE_URL."""
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    async def start(cls, rate: float, per_chat: float = 1.0) -> FakeApi:
        """Start `python -m bench.fake_api` and wait until it listens."""
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bench.fake_api",
            "--rate",
            str(rate),
            "--per-chat",
            str(per_chat),
            stdout=asyncio.subprocess.PIPE,
        )
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        if not line.startswith("PORT "):
            process.kill()
            raise RuntimeError(f"fake Bot API did not start: {line!r}")
        return cls(process, int(line.split()[1]))

    async def _call(self, method: str, path: str, body: Any = None) -> Any:
        timeout = aiohttp.ClientTimeout(total=600)
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.request(method, self.base_url + path, json=body) as response,
        ):
            return json.loads(await response.text())

    async def stats(self) -> dict[str, Any]:
        """What the fake accepted and refused so far."""
        return dict(await self._call("GET", "/_bench/stats"))

    async def walk(self, **options: Any) -> dict[str, Any]:
        """Let participants chat with the bot (see `bench.walk.walk`); returns the latencies."""
        return dict(await self._call("POST", "/_bench/walk", options))

    async def surge(self, **options: Any) -> dict[str, Any]:
        """Let people arrive and register at a person's pace (see `bench.walk.surge`)."""
        return dict(await self._call("POST", "/_bench/surge", options))

    async def stop(self) -> None:
        """Stop the subprocess."""
        if self.process.returncode is None:
            self.process.terminate()
            await self.process.wait()


def main() -> None:
    """Parse arguments and serve."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--per-chat", type=float, default=1.0)
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.rate, args.per_chat))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
