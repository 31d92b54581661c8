"""`python -m bot copy-database --to URL`: move everything to another database (SQLite to
PostgreSQL when an office outgrows one file).

The target is created or upgraded to the current schema and must be empty; then every table is
copied in the order of its foreign keys, in chunks, in one transaction on the target, and the
row counts of both sides are compared. Conversation state (`bot_state`) and the outbox come
along, so people continue where they were. The SQLite source must not be in use by a bot
(copying a database that changes underneath gives a copy of no moment in particular).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.cli.base import Command, Subparsers
from bot.db import create_engine, upgrade_database_sync
from bot.models import Base, SendBudget
from bot.runtime.locking import AlreadyRunningError, acquire_process_lock
from bot.settings import Settings, SettingsError, parse_database_url

CHUNK = 5_000
# Live state of running processes: it means nothing in another database.
SKIPPED = {SendBudget.__tablename__}


class CopyError(Exception):
    """The copy cannot go on; the message is one line for the operator."""


@dataclass
class CopyResult:
    """Rows copied per table (tables in copy order)."""

    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        """One line for the operator."""
        total = sum(self.counts.values())
        tables = sum(1 for n in self.counts.values() if n)
        return f"copied {total} rows in {tables} tables; counts checked"


def tables() -> list[Table]:
    """The application's tables, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED]


async def _count(connection: AsyncConnection, table: Table) -> int:
    return int((await connection.execute(select(func.count()).select_from(table))).scalar_one())


async def _chunks(connection: AsyncConnection, table: Table) -> AsyncIterator[list[dict[str, Any]]]:
    order = list(table.primary_key.columns)
    result = await connection.stream(select(table).order_by(*order))
    async for partition in result.mappings().partitions(CHUNK):
        yield [dict(row) for row in partition]


async def _refuse_unless_empty(target: AsyncEngine) -> None:
    async with target.connect() as connection:
        filled = [t.name for t in tables() if await _count(connection, t)]
    if filled:
        raise CopyError(
            f"the target is not empty ({', '.join(filled[:5])} have rows); nothing copied"
        )


async def _reset_sequences(connection: AsyncConnection) -> None:
    """PostgreSQL: ids given explicitly do not move the sequences; the next insert must not
    collide with a copied row."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables():
        if "id" in table.columns and table.columns["id"].autoincrement in (True, "auto"):
            await connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


async def _copy_tables(source: AsyncEngine, target: AsyncEngine) -> CopyResult:
    result = CopyResult()
    async with source.connect() as reading, target.begin() as writing:
        for table in tables():
            copied = 0
            async for rows in _chunks(reading, table):
                await writing.execute(insert(table), rows)
                copied += len(rows)
            result.counts[table.name] = copied
        await _reset_sequences(writing)
    return result


async def _check_counts(source: AsyncEngine, target: AsyncEngine, result: CopyResult) -> None:
    async with source.connect() as left, target.connect() as right:
        for table in tables():
            here, there = await _count(left, table), await _count(right, table)
            if not here == there == result.counts[table.name]:
                raise CopyError(f"{table.name}: {here} rows in the source, {there} in the target")


async def copy_database(source_url: str, target_url: str) -> CopyResult:
    """Copy every row of `source_url` into the empty, migrated `target_url`, then check."""
    source, target = create_engine(source_url), create_engine(target_url)
    try:
        await _refuse_unless_empty(target)
        result = await _copy_tables(source, target)
        await _check_counts(source, target, result)
        return result
    finally:
        await source.dispose()
        await target.dispose()


def _target_url(raw: str, source: str) -> str:
    try:
        url = parse_database_url(raw)
    except SettingsError as exc:
        raise CopyError(str(exc).replace("DATABASE_URL", "--to")) from None
    if make_url(url) == make_url(source):
        raise CopyError("--to names the database the bot uses now; give another one")
    return url


def run_copy(settings: Settings, args: argparse.Namespace) -> int:
    """The `copy-database` command."""
    try:
        target = _target_url(args.to, settings.database_url)
        lock = acquire_process_lock(settings.database_url)
    except (CopyError, AlreadyRunningError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        upgrade_database_sync(settings.database_url)
        upgrade_database_sync(target)
        result = asyncio.run(copy_database(settings.database_url, target))
    except CopyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (SQLAlchemyError, OSError) as exc:
        first = (str(getattr(exc, "orig", exc)).splitlines() or [""])[0][:200]
        print(f"error: copy failed, nothing kept: {type(exc).__name__}: {first}", file=sys.stderr)
        return 1
    finally:
        if lock is not None:
            lock.release()
    print(result.summary())
    print(f"now set DATABASE_URL={make_url(target).render_as_string(hide_password=True)}")
    return 0


def add_copy_database(sub: Subparsers) -> dict[str, Command]:
    """`copy-database --to URL`: copy everything to another (empty) database."""
    parser = sub.add_parser(
        "copy-database",
        help="copy everything to another, empty database (e.g. SQLite to PostgreSQL)",
        description="Copy trainings, people, registrations, the outbox and conversation state "
        "to an empty database, and check the counts. Stop the bot first.",
    )
    parser.add_argument("--to", required=True, metavar="URL", help="the target DATABASE_URL")
    return {"copy-database": run_copy}
