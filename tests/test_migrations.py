"""Migrations: every step up, down and up again, and the models agree with them."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text

from bot.db import (
    alembic_config,
    create_engine,
    downgrade_database_sync,
    upgrade_database,
    upgrade_database_sync,
)
from bot.models import Base
from tests.conftest import drop_postgres, fresh_postgres_url
from tests.harness import ROOT


@pytest.fixture(params=["sqlite", "postgres"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each engine."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'stairway.sqlite3'}"
        return
    request.getfixturevalue("postgres_template")  # skips with the reason when PG is absent
    url = fresh_postgres_url()
    yield url
    drop_postgres(url)


def _revisions(url: str) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(url))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_stairway_up_down_up(empty_db_url: str) -> None:
    revisions = _revisions(empty_db_url)
    assert revisions, "no migrations found"
    previous = "base"
    for revision in revisions:
        upgrade_database_sync(empty_db_url, revision)
        downgrade_database_sync(empty_db_url, previous)
        upgrade_database_sync(empty_db_url, revision)
        previous = revision


async def test_models_match_migrations(empty_db_url: str) -> None:
    await upgrade_database(empty_db_url)
    engine = create_engine(empty_db_url)

    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(diff)
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    assert differences == []
    assert set(Base.metadata.tables) <= tables


def test_single_head(tmp_path: Path) -> None:
    script = ScriptDirectory.from_config(alembic_config(f"sqlite+aiosqlite:///{tmp_path}/x.db"))
    assert len(script.get_heads()) == 1, "migrations have branched; merge the heads"


def test_offline_sql_renders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command.upgrade(alembic_config(f"sqlite+aiosqlite:///{tmp_path}/x.db"), "head", sql=True)
    assert "CREATE TABLE registrations" in capsys.readouterr().out


async def test_processes_starting_together_migrate_once(empty_db_url: str) -> None:
    # Four processes starting at the same moment on an empty database (Alembic's context is
    # per process, so they must be real processes).
    code = (
        "import sys; from bot.db import upgrade_database_sync; upgrade_database_sync(sys.argv[1])"
    )
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-c", code, empty_db_url, cwd=ROOT, stderr=asyncio.subprocess.PIPE
        )
        for _ in range(4)
    ]
    results = await asyncio.gather(*(p.communicate() for p in processes))
    assert [p.returncode for p in processes] == [0] * 4, [err.decode() for _, err in results]
    engine = create_engine(empty_db_url)
    try:
        async with engine.connect() as connection:
            versions = (
                await connection.execute(text("SELECT version_num FROM alembic_version"))
            ).all()
    finally:
        await engine.dispose()
    assert [v for (v,) in versions] == [_revisions(empty_db_url)[-1]]
