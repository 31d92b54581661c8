"""`python -m bot purge`: the daily retention run, now, printing counts (never who).

Operators run it after lowering `DATA_RETENTION_DAYS`, instead of waiting for the night. It
erases what the daily job erases (`jobs.retention.purge_now`) and deletes the purged people's
stored conversation data; a bot running beside it drops its in-memory copy at its next run.
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import UTC, datetime

from bot.cli.base import Command, Subparsers
from bot.db import create_engine, create_session_factory, upgrade_database_sync
from bot.settings import Settings


async def _purge(settings: Settings) -> str:
    from bot.runtime.persistence import forget_stored_user_data
    from jobs.retention import purge_now

    engine = create_engine(settings.database_url)
    try:
        sessions = create_session_factory(engine)
        run = await purge_now(sessions, settings, datetime.now(UTC))
        await forget_stored_user_data(sessions, run.purge.telegram_ids)
        return run.summary()
    finally:
        await engine.dispose()


def run_purge(settings: Settings, _args: argparse.Namespace) -> int:
    """Erase personal data older than the retention period now, and print the counts."""
    upgrade_database_sync(settings.database_url)
    print(f"retention {settings.data_retention_days} days: {asyncio.run(_purge(settings))}")
    return 0


def add_purge(sub: Subparsers) -> dict[str, Command]:
    """`purge`: the retention run, now."""
    sub.add_parser(
        "purge",
        help="erase personal data older than DATA_RETENTION_DAYS now (what the nightly job does)",
        description=__doc__,
    )
    return {"purge": run_purge}
