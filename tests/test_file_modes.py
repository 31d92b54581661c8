"""Files the bot and its tools create hold personal data: readable by their owner only."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.playground.botapi import FakeBotApiServer, FakeTelegram
from tests.conftest import TOKEN
from tests.harness import BotProcess, FakeClock, bot_env, run_cli
from tests.training_files import kp_file

pytestmark = pytest.mark.e2e


def _mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """Start the subprocesses with the umask of most shells and services (files 0644)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.usefixtures("usual_umask")
async def test_the_database_and_its_wal_are_the_owners_alone(
    tg: FakeTelegram, fake_server: FakeBotApiServer, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    bot = BotProcess(
        bot_env(TOKEN, fake_server.base_url, data / "bot.sqlite3"), tmp_path / "bot.log"
    )
    await bot.start()
    try:
        user = tg.user(4242, "Rina")
        user.send_text("/start")
        await user.wait_for_text("Halo, Rina!", timeout=30)
        # While the bot runs: the file, its -wal and -shm, and the lock beside them.
        files = {path.name: _mode(path) for path in data.iterdir()}
    finally:
        assert await bot.stop() == 0, bot.output()
    assert {"bot.sqlite3", "bot.sqlite3-wal", "bot.sqlite3-shm"} <= files.keys()
    assert files == dict.fromkeys(files, "0o600")
    assert _mode(data) == "0o700"


@pytest.mark.usefixtures("usual_umask")
async def test_exports_and_backups_are_the_owners_alone(
    tmp_path: Path, wall_clock: FakeClock
) -> None:
    database = tmp_path / "bot.sqlite3"
    env = bot_env(TOKEN, "http://127.0.0.1:9", database)
    trainings = tmp_path / "trainings.yaml"
    trainings.write_text(kp_file(wall_clock().date() + timedelta(days=30)))
    written = [tmp_path / "peserta.xlsx", tmp_path / "peserta.csv", tmp_path / "copy.backup"]
    for args in (
        ["import-trainings", str(trainings)],
        ["export", "KP-2026-01", "--format", "xlsx", "-o", str(written[0])],
        ["export", "KP-2026-01", "--format", "csv", "-o", str(written[1])],
        ["backup", "-o", str(written[2])],
    ):
        code, _, err = await run_cli(env, *args)
        assert code == 0, err
    assert {path.name: _mode(path) for path in [database, *written]} == {
        path.name: "0o600" for path in [database, *written]
    }
