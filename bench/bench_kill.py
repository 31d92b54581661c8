"""Kill test as a benchmark: three sending processes on PostgreSQL, one killed with SIGKILL.

    TEST_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/test \\
      python -m bench.bench_kill [--participants 2000] [--rate 150] [--runs 1]

Runs `python -m bot` (polling) and two `python -m bot worker` against one fake Bot API server
on loopback (tests/kill_scenario.py): 2,000 reminders due at once and an announcement to the
same 2,000. When a third of the messages have arrived, worker-1 gets `kill -9`. Prints
messages sent, duplicates, unknown, lost, the time, and who was killed at what count.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from pathlib import Path

from bot.db import upgrade_database_sync
from tests.kill_scenario import KillResult, run_kill_scenario


async def _run_once(args: argparse.Namespace, log_dir: Path) -> KillResult:
    # Imported here: tests.conftest reads TEST_POSTGRES_URL when it is imported.
    from tests.conftest import drop_postgres, fresh_postgres_url

    url = await asyncio.to_thread(fresh_postgres_url)
    try:
        await asyncio.to_thread(upgrade_database_sync, url)
        return await run_kill_scenario(
            url,
            log_dir,
            participants=args.participants,
            workers=2,
            rate=args.rate,
            stale_seconds=args.stale,
            kill=None if args.no_kill else "worker-1",
        )
    finally:
        await asyncio.to_thread(drop_postgres, url)


def main() -> int:
    """Run the scenario `--runs` times and print the figures of each run."""
    parser = argparse.ArgumentParser(prog="python -m bench.bench_kill")
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=150.0, help="BROADCAST_RATE (total)")
    parser.add_argument("--stale", type=int, default=15, help="STALE_CLAIM_SECONDS")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-kill", action="store_true", help="the same run without the kill")
    args = parser.parse_args()
    if not os.environ.get("TEST_POSTGRES_URL"):
        print("error: set TEST_POSTGRES_URL (a PostgreSQL server this may create databases on)")
        return 2
    # The fake server logs a traceback for the request the killed process left half-written.
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    for run in range(1, args.runs + 1):
        with tempfile.TemporaryDirectory(prefix="bench_kill_") as tmp:
            result = asyncio.run(_run_once(args, Path(tmp)))
        print(f"--- run {run}")
        print(result.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
