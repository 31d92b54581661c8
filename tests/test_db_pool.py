"""The PostgreSQL connection pool in a surge: the connections it opens, it keeps."""

from __future__ import annotations

import asyncio

import asyncpg
from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from bot.db import create_engine, create_session_factory


async def test_bursts_reuse_the_pools_connections(postgres_worker_url: str) -> None:
    engine = create_engine(postgres_worker_url)
    opened = 0

    @event.listens_for(engine.sync_engine, "connect")
    def count(*_args: object) -> None:
        nonlocal opened
        opened += 1

    sessions = create_session_factory(engine)

    async def one() -> int:
        async with sessions() as session:
            return int((await session.execute(text("SELECT 1 FROM pg_sleep(0.01)"))).scalar_one())

    try:
        for _burst in range(3):  # three waves of a surge, more at once than the pool holds
            assert await asyncio.gather(*(one() for _ in range(60))) == [1] * 60
    finally:
        await engine.dispose()
    # A new PostgreSQL connection is a new server process: opened once, not for every wave.
    assert 0 < opened <= engine.pool.size()  # type: ignore[attr-defined]


async def test_connections_dropped_by_the_server_are_replaced_unnoticed(
    postgres_worker_url: str,
) -> None:
    """A PostgreSQL restart (or an administrator) ends the pool's connections: the next session
    gets a fresh one instead of failing."""
    engine = create_engine(postgres_worker_url)
    sessions = create_session_factory(engine)

    async def backend() -> int:
        async with sessions() as session:
            return int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())

    try:
        before = set(await asyncio.gather(*(backend() for _ in range(5))))
        admin = await asyncpg.connect(
            make_url(postgres_worker_url).set(drivername="postgresql").render_as_string(False)
        )
        try:  # a connection of its own ends every pooled one, as a server restart would
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) pid", sorted(before)
            )
        finally:
            await admin.close()
        after = set(await asyncio.gather(*(backend() for _ in range(5))))
    finally:
        await engine.dispose()
    assert not before & after
