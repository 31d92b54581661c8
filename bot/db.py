"""Engine and session factory for SQLite (default) and PostgreSQL, and schema upgrades."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

if TYPE_CHECKING:
    # Alembic is loaded only to create or upgrade the schema: the tools that read start faster.
    from alembic.config import Config

ROOT = Path(__file__).resolve().parent.parent
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Every SQLite transaction takes the write lock (BEGIN IMMEDIATE), so more connections only add
# waiters that poll the lock in SQLite's busy handler; a few, queued fairly by the pool, serve
# 500 concurrent users faster (bench/bench_updates.py).
SQLITE_POOL_SIZE = 3

SessionFactory = async_sessionmaker[AsyncSession]
# Failures of reaching a database server that arrive unwrapped (refused, unknown host, reset).
CONNECTION_ERRORS = (ConnectionError, socket.gaierror)


def _prepare_sqlite(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(engine: AsyncEngine) -> None:
    """WAL, a busy timeout, foreign keys, erased bytes zeroed (`secure_delete`), and
    write-ready transactions on every connection."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's implicit transactions get in the way).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # What an erasure deletes or overwrites is zeroed on disk, not left in free space.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front: a read-then-write transaction then waits
        # for its turn (busy_timeout) instead of failing with "database is locked" halfway.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(url: str, *, pool_size: int = 20, echo: bool = False) -> AsyncEngine:
    """An async engine for `url` with this project's SQLite or PostgreSQL settings.

    `hide_parameters`: a failed statement's error (and a log of it) never carries the values it
    was writing: names, business names, what people wrote to the helpdesk."""
    if url.startswith("sqlite"):
        _prepare_sqlite(url)
        engine = create_async_engine(
            url,
            echo=echo,
            hide_parameters=True,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=0,
        )
        _configure_sqlite(engine)
        return engine
    if pool_size <= 0:
        return create_async_engine(url, echo=echo, hide_parameters=True, poolclass=NullPool)
    # No overflow: in a surge, connections opened past the pool and closed again at once made
    # PostgreSQL start a backend for every few updates, half of its CPU (docs/benchmarks.md).
    return create_async_engine(
        url,
        echo=echo,
        hide_parameters=True,
        pool_size=pool_size,
        max_overflow=0,
        pool_pre_ping=True,
    )


def error_reason(exc: BaseException) -> str:
    """The first line of a database error's own message (without SQL or parameters)."""
    original = getattr(exc, "orig", None) or exc
    if isinstance(original, OSError) and original.errno:
        # asyncio's "Connect call failed (address)" says less than the errno's own words.
        return os.strerror(original.errno) if original.errno > 0 else str(original.strerror)
    return (str(original).splitlines() or [""])[0][:200]


def database_problem(url: str, exc: BaseException) -> str:
    """One line for the operator: why the database failed and where, never the password."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        where = parsed.database or ":memory:"
    else:
        where = f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    reason = error_reason(exc) or type(exc).__name__
    if isinstance(exc, CONNECTION_ERRORS):
        return f"cannot reach the database at {where} ({reason})"
    return f"{reason} on {where}"


async def checkpoint(session: AsyncSession) -> None:
    """SQLite: copy the WAL into the database file and empty it, so erased values no longer
    sit in the -wal file (after an erasure; a reader holding an old snapshot makes it partial,
    and the next erasure or SQLite's own checkpoint finishes it). Nothing on PostgreSQL."""
    bind = session.bind
    if bind is None or bind.dialect.name != "sqlite":
        return
    engine = bind if isinstance(bind, AsyncEngine) else bind.engine
    # Outside any transaction (the session's is committed): a checkpoint cannot run in one.
    async with engine.connect() as connection:
        driver = (await connection.get_raw_connection()).driver_connection
        assert driver is not None  # a pooled connection that is open
        await driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions whose objects stay usable after commit (no lazy reloads in async code)."""
    return async_sessionmaker(engine, expire_on_commit=False)


# Work queued for a background consumer is woken once, after the commit that makes it visible:
# the service that queues marks its session with the consumer, the process says how to wake
# each, and no caller has to remember. The consumers: the outbox's sender, and the reminder
# sync (a registration whose reminder is due now).
OUTBOX, REMINDERS = "outbox", "reminders"
_QUEUED = "queued_work"
_WAKE = "wake_after_commit"


def note_queued_work(session: AsyncSession, consumer: str = OUTBOX) -> None:
    """This session queued work for `consumer`: wake it once the session commits."""
    queued = session.info.setdefault(_QUEUED, set())
    queued.add(consumer)


def waking_sessions(sessions: SessionFactory, wake: Callable[[str], None]) -> SessionFactory:
    """The same sessions (engine and options), whose commits after `note_queued_work` call
    `wake` with each consumer noted."""
    options = dict(sessions.kw)
    options["info"] = {**(options.get("info") or {}), _WAKE: wake}
    return async_sessionmaker(class_=sessions.class_, **options)


@event.listens_for(Session, "after_commit")
def _wake_after_commit(session: Session) -> None:
    queued = session.info.pop(_QUEUED, None)
    if queued and (wake := session.info.get(_WAKE)) is not None:
        for consumer in sorted(queued):
            wake(consumer)


@event.listens_for(Session, "after_rollback")
def _forget_queued_work(session: Session) -> None:
    session.info.pop(_QUEUED, None)


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at this project's migrations and `url`."""
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["configure_logger"] = False
    return config


def upgrade_database_sync(url: str, revision: str = "head") -> None:
    """Create or upgrade the schema to `revision` (blocking; runs its own event loop)."""
    if url.startswith("sqlite"):
        _prepare_sqlite(url)
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def downgrade_database_sync(url: str, revision: str) -> None:
    """Downgrade the schema to `revision` (blocking)."""
    from alembic import command

    command.downgrade(alembic_config(url), revision)


async def upgrade_database(url: str, revision: str = "head") -> None:
    """Create or upgrade the schema from async code (Alembic runs in a worker thread)."""
    await asyncio.to_thread(upgrade_database_sync, url, revision)
