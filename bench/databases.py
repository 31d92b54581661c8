"""Scratch databases for benchmarks: an SQLite file in a temp dir, a fresh PostgreSQL database."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.engine import make_url

from bot.db import upgrade_database


def postgres_admin_url() -> str | None:
    """TEST_POSTGRES_URL, or None (the PostgreSQL part is then skipped)."""
    return os.environ.get("TEST_POSTGRES_URL") or None


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)


@asynccontextmanager
async def scratch_postgres(
    admin_url: str, *, migrate: bool = True, template: str | None = None
) -> AsyncIterator[str]:
    """A new database (migrated to head, or a copy of `template`), dropped afterwards."""
    import asyncpg

    name = f"bench_{secrets.token_hex(5)}"
    connection = await asyncpg.connect(_dsn(admin_url))
    suffix = f' TEMPLATE "{template}"' if template else ""
    await connection.execute(f'CREATE DATABASE "{name}"{suffix}')
    url = make_url(admin_url).set(database=name).render_as_string(False)
    try:
        if migrate and template is None:
            await upgrade_database(url)
        yield url
    finally:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.close()
