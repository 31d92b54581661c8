"""Update handling with several bot processes behind one webhook, on PostgreSQL.

    TEST_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test \\
      python -m bench.bench_processes --processes 1 2

The registration of `bench.bench_updates` (500 users × 10 updates, name, contact and business
typed in one burst, every user confirmed with exactly their own fields at the end), with the
bot as it is deployed for a surge: N `python -m bot` processes in webhook mode on one
PostgreSQL database, behind `python -m bot front --workers N`, which sends each person's
updates to process `user id % N` in order. The fake Telegram (`bot.playground.botapi`, served
over loopback HTTP in this process) answers every Bot API call after 20 ms as
`bench.bench_updates` does and posts each update to the front as Telegram's webhook would (one
person's updates one after another, everyone's at once). `BROADCAST_RATE` is 1,000 (the most the
settings allow, shared by the processes; `bench.bench_updates` sets 10,000 in-process): the bot's
processing is measured, not Telegram's limit. The baseline is `bench.bench_updates`'s sequential
echo (in-process, same 20 ms), measured in the same run. Printed with each run: the CPU seconds
of every process (the bot processes, the front, this process with the fake and the people) and
the load average, so that what one would need on a machine of its own can be read off.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp

from bench.bench_updates import (
    DELAY,
    STEPS,
    TIMEOUT,
    TOKEN,
    Driver,
    Run,
    Wakeups,
    add_training,
    check_registrations,
    echo_run,
    register_one,
)
from bench.databases import postgres_admin_url, scratch_postgres
from bot.playground.botapi import FakeBotApiServer, FakeTelegram
from bot.settings import Settings
from bot.web.front import update_owner
from bot.web.webhook import SECRET_HEADER
from tests.harness import subprocess_env

SECRET = "bench-Secret_123"
PATH = "/telegram"
WEBHOOK_CONNECTIONS = 40  # Telegram's default max_connections for a webhook


class WebhookTelegram(FakeTelegram):
    """The fake Telegram that posts each update to a webhook, one person's in order."""

    def __init__(self, url: str) -> None:
        super().__init__(TOKEN)
        self.url = url
        self.session: aiohttp.ClientSession | None = None
        self._chains: dict[int, asyncio.Lock] = {}
        self._posts: set[asyncio.Task[None]] = set()
        self.failed_posts = 0

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue the update and post it (after the same person's earlier ones)."""
        update = super().push_update(update)
        self._updates.clear()  # nobody polls
        task = asyncio.get_running_loop().create_task(self._post(update))
        self._posts.add(task)
        task.add_done_callback(self._posts.discard)
        return update

    async def _post(self, update: dict[str, Any]) -> None:
        owner = update_owner(update)
        lock = self._chains.setdefault(owner, asyncio.Lock())
        async with lock:
            assert self.session is not None
            for _attempt in range(5):  # Telegram retries what was not answered 200
                async with self.session.post(
                    self.url, json=update, headers={SECRET_HEADER: SECRET}
                ) as response:
                    await response.read()
                    if response.status == 200:
                        return
                self.failed_posts += 1
                await asyncio.sleep(0.5)


class ChatWakeups(Wakeups):
    """`bench_updates`' waits, woken by the fake's calls to each chat."""

    def __init__(self, tg: FakeTelegram) -> None:
        super().__init__()
        self.tg = tg

    async def until(self, chat_id: int, predicate: Any) -> float:
        """Wait until `predicate()` holds; the perf_counter moment it did."""
        await self.tg.wait_for_chat(chat_id, predicate, TIMEOUT)
        return time.perf_counter()


def _stat(pid: int | str) -> list[str]:
    """The fields of /proc/PID/stat after the command's name (state first)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _cpu_of(pid: int) -> float:
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _postgres_cpu() -> float:
    """CPU seconds of the local PostgreSQL server: every `postgres` process alive, and the
    backends that have exited (counted in the postmaster's children's times)."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError, IndexError):
            if not entry.name.isdigit() or (entry / "comm").read_text().strip() != "postgres":
                continue
            fields = _stat(entry.name)
            ticks += int(fields[11]) + int(fields[12])
            if Path(f"/proc/{fields[1]}/comm").read_text().strip() != "postgres":
                ticks += int(fields[13]) + int(fields[14])  # the postmaster: its reaped children
    return ticks / os.sysconf("SC_CLK_TCK")


def _cpu_self() -> float:
    times = os.times()
    return times.user + times.system


def _cpu_now(children: list[Any]) -> list[float]:
    """CPU seconds so far: each child, then this process, then PostgreSQL (`report` reads them
    in this order)."""
    return [_cpu_of(c.pid) for c in children] + [_cpu_self(), _postgres_cpu()]


async def _spawn(args: list[str], env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("wb") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *args, env=env, stdout=out, stderr=out
        )


def _tail(log: Path) -> str:
    return log.read_text()[-3000:]


async def _healthy(http: aiohttp.ClientSession, port: int, process: Any, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise RuntimeError(f"process on port {port} exited:\n{_tail(log)}")
        with contextlib.suppress(aiohttp.ClientError):
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                if response.status == 200:
                    return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"process on port {port} did not become healthy:\n{_tail(log)}")


def _free_ports(count: int) -> int:
    """A base port with `count` free ports after it (good enough on a quiet loopback)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        base: int = probe.getsockname()[1]
    return base if base + count < 65_000 else 20_000


@contextlib.asynccontextmanager
async def deployment(
    url: str, api: str, processes: int, port: int, logs: Path
) -> AsyncIterator[list[Any]]:
    """N bot processes in webhook mode and the front on `port`; yields the processes."""
    base = {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api,
        "DATABASE_URL": url,
        "WEBHOOK_URL": f"http://127.0.0.1:{port}{PATH}",
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "BROADCAST_RATE": "1000",  # the most the settings allow; shared by the processes
        "LOG_LEVEL": "INFO",
    }
    started: list[tuple[int, Any, Path]] = []
    try:
        for i in range(processes):
            env = subprocess_env(**base, WEBHOOK_PORT=str(port + 1 + i))
            log = logs / f"bot-{i}.log"
            started.append((port + 1 + i, await _spawn([], env, log), log))
        env = subprocess_env(**base, WEBHOOK_PORT=str(port))
        log = logs / "front.log"
        started.append((port, await _spawn(["front", "--workers", str(processes)], env, log), log))
        async with aiohttp.ClientSession() as http:
            for each_port, process, each_log in started:
                await _healthy(http, each_port, process, each_log)
        yield [process for _, process, _ in started]
    finally:
        for _, process, _ in started:
            if process.returncode is None:
                process.terminate()
        for _, process, log in started:
            await process.wait()
            text = _tail(log)
            if "Traceback" in text:
                print(f"{log.name}:\n{text}")


async def processes_run(admin: str, processes: int, users: int, logs: Path) -> dict[str, Any]:
    """`users` people registering at once through N processes behind the front."""
    async with scratch_postgres(admin) as url:
        await add_training(url, capacity=users + 10)
        port = _free_ports(processes + 1)
        tg = WebhookTelegram(f"http://127.0.0.1:{port}{PATH}")
        server = FakeBotApiServer(tg)
        await server.start()
        try:
            async with deployment(url, server.base_url, processes, port, logs) as children:
                tg.delay = DELAY
                connector = aiohttp.TCPConnector(limit=WEBHOOK_CONNECTIONS)
                async with aiohttp.ClientSession(connector=connector) as session:
                    tg.session = session
                    figures = await _measure(tg, children, users)
        finally:
            await server.stop()
        await check_registrations(Settings(token=TOKEN, database_url=url), users)
    return figures


async def _measure(tg: WebhookTelegram, children: list[Any], users: int) -> dict[str, Any]:
    driver = Driver(tg, ChatWakeups(tg))
    people = [tg.user(1_000_000 + i, "Siti") for i in range(users)]
    cpu_before = _cpu_now(children)
    started = time.perf_counter()
    await asyncio.gather(*(register_one(driver, u, i) for i, u in enumerate(people)))
    run = Run(updates=users * STEPS, seconds=time.perf_counter() - started)
    run.latencies = driver.latencies
    cpu = [after - before for after, before in zip(_cpu_now(children), cpu_before, strict=True)]
    return {"run": run, "cpu": cpu, "load": os.getloadavg()[0], "failed_posts": tg.failed_posts}


def report(processes: int, figures: dict[str, Any], baseline: Run) -> None:
    """The run's line, its ratio to the baseline and where the CPU went."""
    run: Run = figures["run"]
    print(run.line(f"{processes} process{'es' if processes > 1 else ''} + front"))
    *bots, front, here, postgres = figures["cpu"]
    total = sum(bots) + front
    deployed = (total + postgres) / run.updates  # what an office's machine runs (not Telegram)
    print(
        f"{'':<28}ratio to the echo baseline: {run.rate / baseline.rate:.1f}x; CPU s: bots "
        f"{' + '.join(f'{c:.1f}' for c in bots)}, front {front:.1f}, PostgreSQL {postgres:.1f}, "
        f"fake and people {here:.1f}; {1000 * total / run.updates:.2f} ms of bot + front CPU "
        f"per update; load average {figures['load']:.1f}; webhook posts retried "
        f"{figures['failed_posts']}"
    )
    print(
        f"{'':<28}bots + front + PostgreSQL: {1000 * deployed:.2f} ms of CPU per update, so "
        f"10x the baseline ({10 * baseline.rate:.0f}/s) needs {10 * baseline.rate * deployed:.1f} "
        f"cores for them alone"
    )


async def main_async(args: argparse.Namespace) -> None:
    """Baseline, then each number of processes."""
    admin = postgres_admin_url()
    if admin is None:
        raise SystemExit("set TEST_POSTGRES_URL: several processes share PostgreSQL only")
    print(f"{args.users} users, {DELAY * 1000:.0f} ms per Bot API call; load average "
          f"{os.getloadavg()[0]:.1f}")  # fmt: skip
    baseline = await echo_run(args.users)
    print(baseline.line("echo, sequential (baseline)"))
    with tempfile.TemporaryDirectory() as tmp:
        for processes in args.processes:
            figures = await processes_run(admin, processes, args.users, Path(tmp))
            report(processes, figures, baseline)


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
