"""Shared fixtures: databases (SQLite and PostgreSQL), the fake Telegram, the bot harness."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.db import SessionFactory, create_engine, create_session_factory, upgrade_database_sync
from bot.playground.botapi import FakeBotApiServer, FakeTelegram
from bot.settings import Settings
from tests.browser import Browser, Phone
from tests.harness import BotHarness, FakeClock

ADMIN_ID = 9000001
TOKEN = "123456:TEST-token"
JAKARTA = ZoneInfo("Asia/Jakarta")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
_pg_skip_reason: str | None = None
# What the bot's error handler (handlers/errors.py) logs to; a test that provokes a handler
# error on purpose says so with this marker.
ERROR_LOGGER = "bot.errors"
EXPECTS_HANDLER_ERROR = "handler_error"


class _Collector(logging.Handler):
    """Keeps every record at ERROR or above."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that start processes first: spread over the workers from the start, none of them is
    left running alone at the end while the others have finished."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is None)


@pytest.fixture(autouse=True)
def fail_on_handler_errors(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail the test when the bot's error handler logged an error during it (unless marked)."""
    if request.node.get_closest_marker(EXPECTS_HANDLER_ERROR) is not None:
        yield
        return
    collector = _Collector()
    logger = logging.getLogger(ERROR_LOGGER)
    logger.addHandler(collector)
    try:
        yield
    finally:
        logger.removeHandler(collector)
    if collector.records:
        lines = "\n".join(record.getMessage() for record in collector.records)
        pytest.fail(
            f"the bot's error handler logged (mark the test {EXPECTS_HANDLER_ERROR!r} "
            f"if that is what it tests):\n{lines}"
        )


def _pg_dsn(url: str, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


async def _pg_admin(sql: str) -> None:
    connection = await asyncpg.connect(_pg_dsn(POSTGRES_URL), timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


def _postgres_unavailable() -> str | None:
    global _pg_skip_reason
    if _pg_skip_reason is not None:
        return _pg_skip_reason or None
    if not POSTGRES_URL:
        _pg_skip_reason = "TEST_POSTGRES_URL is not set (.ci/run sets it to the local server)"
    else:
        try:
            asyncio.run(_pg_admin("SELECT 1"))
            _pg_skip_reason = ""
        except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
            _pg_skip_reason = f"PostgreSQL at TEST_POSTGRES_URL is not reachable: {exc}"
    return _pg_skip_reason or None


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    upgrade_database_sync(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture
def postgres_server() -> str:
    """TEST_POSTGRES_URL, for tests that need the server but none of its databases."""
    reason = _postgres_unavailable()
    if reason:
        pytest.skip(reason)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    """A PostgreSQL database migrated to head once; each test gets a copy (CREATE ... TEMPLATE)."""
    reason = _postgres_unavailable()
    if reason:
        pytest.skip(reason)
    name = f"pb_tmpl_{uuid.uuid4().hex[:10]}"
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"'))
    upgrade_database_sync(make_url(POSTGRES_URL).set(database=name).render_as_string(False))
    yield name
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_worker_url(postgres_template: str) -> Iterator[str]:
    """This test process's own PostgreSQL database, emptied before each test that uses it
    (emptying takes milliseconds where a new copy of the template takes most of a second)."""
    url = fresh_postgres_url(postgres_template)
    yield url
    drop_postgres(url)


async def _pg_empty(url: str) -> None:
    """Every table of the database emptied and every id sequence back at 1, as migrated."""
    connection = await asyncpg.connect(_pg_dsn(url), timeout=5)
    try:
        # A connection a test left behind (a killed bot, a task still running) goes first.
        await connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        tables = await connection.fetch(
            "SELECT tablename FROM pg_tables"
            " WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
        )
        sequences = await connection.fetch(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
        )
        statements = [f'DELETE FROM "{row[0]}";' for row in tables]
        statements += [f"SELECT setval('\"{row[0]}\"', 1, false);" for row in sequences]
        # Without the foreign keys' triggers the tables empty in any order.
        await connection.execute(
            "SET session_replication_role = replica;"
            + "".join(statements)
            + "SET session_replication_role = DEFAULT;"
        )
    finally:
        await connection.close()


def fresh_postgres_url(template: str | None = None) -> str:
    """A new PostgreSQL database, empty or a copy of `template`; see `drop_postgres`."""
    name = f"pb_{uuid.uuid4().hex[:12]}"
    suffix = f' TEMPLATE "{template}"' if template else ""
    asyncio.run(_pg_admin(f'CREATE DATABASE "{name}"{suffix}'))
    return make_url(POSTGRES_URL).set(database=name).render_as_string(False)


def drop_postgres(url: str) -> None:
    """Drop a database made by `fresh_postgres_url`."""
    asyncio.run(_pg_admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database of each engine, private to this test."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.sqlite3"
        shutil.copy(template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    url: str = request.getfixturevalue("postgres_worker_url")
    asyncio.run(_pg_empty(url))
    yield url


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated SQLite database only (for tests that need not run on both engines)."""
    path = tmp_path / "test.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def sessions(db_url: str) -> AsyncIterator[SessionFactory]:
    """A session factory on the test database."""
    engine = create_engine(db_url)
    yield create_session_factory(engine)
    await engine.dispose()


@pytest.fixture
def clock() -> FakeClock:
    """A clock at Tuesday 1 December 2026, 09:00 in Jakarta."""
    return FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=JAKARTA))


@pytest.fixture
def wall_clock() -> FakeClock:
    """The real time at the test's start: the clock that processes run on, so the data of a test
    that starts one is built from it (tests/test_calendar.py refuses fixed dates there)."""
    return FakeClock(datetime.now(UTC))


@pytest.fixture
def tg() -> FakeTelegram:
    """An empty fake Telegram."""
    return FakeTelegram(TOKEN)


@pytest.fixture
def settings(db_url: str) -> Settings:
    """Settings for tests: fake token, one staff member, the test database."""
    return Settings(
        token=TOKEN,
        api_base_url="http://127.0.0.1:9",
        database_url=db_url,
        admin_ids=frozenset({ADMIN_ID}),
        follow_up_days=(),  # off unless a test turns them on (`follow_ups`)
    )


@pytest.fixture
async def harness(
    settings: Settings, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> AsyncIterator[BotHarness]:
    """The bot, started in-process against the fake Telegram."""
    bot = BotHarness(settings, sessions, tg, clock)
    await bot.start()
    yield bot
    await bot.stop()


@pytest.fixture
async def fake_server(tg: FakeTelegram) -> AsyncIterator[FakeBotApiServer]:
    """The fake Telegram on a loopback HTTP port."""
    server = FakeBotApiServer(tg)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One chromium for every browser test of this worker (the dashboard's, the demo's)."""
    shared = Browser()
    yield shared
    shared.close()


@pytest.fixture
async def phone(browser: Browser) -> AsyncIterator[Phone]:
    """A fresh page at phone width."""
    page = await browser.new_phone()
    yield page
    await page.close()
