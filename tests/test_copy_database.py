"""`python -m bot copy-database --to URL`: an office moves from its SQLite file to PostgreSQL
and everyone carries on where they were."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from bot.db import create_engine, create_session_factory
from bot.models import BotState, Delivery, Registration
from bot.playground.botapi import FakeTelegram
from bot.settings import Settings
from tests.conftest import POSTGRES_URL, TOKEN, drop_postgres, fresh_postgres_url
from tests.harness import BotHarness, FakeClock, run_cli, subprocess_env
from tests.test_registration_handlers import fill_profile, go_to_name
from tests.training_files import add_training, kp_file

pytestmark = pytest.mark.e2e


@pytest.fixture
def postgres_target() -> Iterator[str]:
    """An empty PostgreSQL database to move to."""
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set: the copy goes from SQLite to PostgreSQL")
    url = fresh_postgres_url()
    yield url
    drop_postgres(url)


async def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            return {
                model.__tablename__: int(
                    await session.scalar(select(func.count()).select_from(model)) or 0
                )
                for model in (Registration, Delivery, BotState)
            }
    finally:
        await engine.dispose()


async def test_an_office_moves_to_postgresql_and_everyone_carries_on(
    sqlite_url: str,
    postgres_target: str,
    tg: FakeTelegram,
    wall_clock: FakeClock,
) -> None:
    on_sqlite = Settings(
        token=TOKEN, api_base_url="http://127.0.0.1:9", database_url=sqlite_url, follow_up_days=()
    )
    engine = create_engine(sqlite_url)
    sessions = create_session_factory(engine)
    closes = datetime.combine(wall_clock().date() + timedelta(days=28), time(23, 59))
    await add_training(
        sessions, kp_file(closes.date() + timedelta(days=2), closes=closes), wall_clock()
    )
    bot = BotHarness(on_sqlite, sessions, tg, wall_clock)
    await bot.start()
    done, halfway = bot.user(301, "Siti"), bot.user(302, "Rina")
    closes_text = f"{format_date(closes, 'EEEE, d MMMM y', locale='id')} pukul 23.59 WIB"
    await go_to_name(bot, done, closes=closes_text)
    await bot.press(done, await fill_profile(bot, done), "Konfirmasi")
    # Rina stops at her name: the conversation is stored.
    await go_to_name(bot, halfway, closes=closes_text)
    await bot.stop()
    await engine.dispose()
    before = await _counts(sqlite_url)
    assert before["registrations"] == 1 and before["bot_state"] >= 1

    env = subprocess_env(TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=sqlite_url)
    code, out, err = await run_cli(env, "copy-database", "--to", postgres_target)
    assert code == 0, err
    assert "counts checked" in out and "now set DATABASE_URL=" in out
    assert await _counts(postgres_target) == before

    # The bot now runs on PostgreSQL: Rina goes on from her name, and new rows get new ids.
    on_postgres = replace(on_sqlite, database_url=postgres_target)
    engine = create_engine(postgres_target)
    bot = BotHarness(on_postgres, create_session_factory(engine), tg, wall_clock)
    await bot.start()
    try:
        summary = await fill_profile(bot, halfway, "Rina Wati")
        await bot.press(halfway, summary, "Konfirmasi")
        assert "Pendaftaran berhasil" in summary.text
    finally:
        await bot.stop()
        await engine.dispose()
    assert (await _counts(postgres_target))["registrations"] == 2

    # A target with rows in it is refused, and nothing is written.
    code, _, err = await run_cli(env, "copy-database", "--to", postgres_target)
    assert code == 1 and "the target is not empty" in err
    assert (await _counts(postgres_target))["registrations"] == 2
    code, _, err = await run_cli(env, "copy-database", "--to", sqlite_url)
    assert code == 2 and "the bot uses now" in err
