"""Announcements end to end: the `broadcast` command and `python -m bot` as subprocesses."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db import SessionFactory
from bot.models import Announcement, AnnouncementState, Audience
from bot.playground.botapi import FakeBotApiServer, FakeTelegram
from bot.services.announcements import create_announcement, start_announcement
from bot.texts import t
from tests.announce_factories import training_with
from tests.conftest import ADMIN_ID, TOKEN
from tests.harness import BotProcess, FakeClock, run_cli, subprocess_env

pytestmark = pytest.mark.e2e


async def test_cli_broadcast_sends_and_reports(
    tg: FakeTelegram,
    fake_server: FakeBotApiServer,
    db_url: str,
    sessions: SessionFactory,
    wall_clock: FakeClock,
) -> None:
    chats = list(range(1300, 1306))
    training = await training_with(sessions, wall_clock(), chats)
    tg.block(1303)
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=fake_server.base_url,
        DATABASE_URL=db_url,
        BROADCAST_RATE="200",
    )
    text = "Gedung pindah ke <lantai 2> & parkir di belakang"
    code, out, err = await run_cli(env, "broadcast", training.code, "--text", text)
    output = out + err
    assert code == 0, output
    assert "6 recipients" in output and "no bot is running: sending from this process" in output
    assert "Terkirim: 5" in output and "Memblokir bot: 1" in output and "Gagal: 0" in output
    assert TOKEN not in output and "Traceback" not in output
    for chat in chats:
        received = [m.text for m in tg.sent_to(chat)]
        assert received == ([] if chat == 1303 else [f"📢 Pengumuman — {training.title}\n\n{text}"])
    async with sessions() as session:
        state = await session.scalar(select(Announcement.state))
    assert state is AnnouncementState.DONE

    # Bad input is refused before anything is created.
    code, _, err = await run_cli(env, "broadcast", "NO-SUCH", "--text", "x")
    assert code == 1 and "no training with code 'NO-SUCH'" in err
    code, _, err = await run_cli(env, "broadcast", "--text", "x")
    assert code == 2 and "CODE is required" in err


async def test_staff_announce_through_the_running_bot(
    tg: FakeTelegram,
    fake_server: FakeBotApiServer,
    db_url: str,
    sessions: SessionFactory,
    wall_clock: FakeClock,
    tmp_path: Path,
) -> None:
    chats = [1401, 1402, 1403]
    training = await training_with(sessions, wall_clock(), chats, title="Melukis Kain")
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=fake_server.base_url,
        DATABASE_URL=db_url,
        ADMIN_IDS=str(ADMIN_ID),
    )
    bot = BotProcess(env, tmp_path / "bot.log")
    await bot.start()
    try:
        await tg.wait_for(lambda: tg.get_updates_calls > 0, timeout=30)
        staff = tg.user(ADMIN_ID, "Ani")
        staff.send_text("/umumkan")
        menu = await staff.wait_for_text(t("announce.choose_audience"), timeout=15)
        staff.press(menu, "Peserta terdaftar")
        await tg.wait_for(lambda: menu.text == t("staff.choose_training"), timeout=15)
        staff.press(menu, f"ann:tr:{training.id}")
        await tg.wait_for(lambda: "3 penerima" in menu.text, timeout=15)
        staff.send_text("Jangan lupa bawa <b>kuas</b> sendiri.")
        confirm = await staff.wait_for_text("Kirim pengumuman di atas", timeout=15)
        staff.press(confirm, "Kirim")
        for chat in chats:
            participant = tg.user(chat)
            await participant.wait_for_text("bawa <b>kuas</b> sendiri", timeout=30)
        report = await staff.wait_for_text("Terkirim: 3", timeout=30)
        assert "Memblokir bot: 0" in report.text
    finally:
        exit_code = await bot.stop()
    output = bot.output()
    assert exit_code == 0, output
    assert "Traceback" not in output
    for chat in chats:
        assert len(tg.sent_to(chat)) == 1


async def test_cli_broadcast_beside_a_running_bot_shares_one_budget(
    tg: FakeTelegram,
    fake_server: FakeBotApiServer,
    db_url: str,
    sessions: SessionFactory,
    wall_clock: FakeClock,
    tmp_path: Path,
) -> None:
    """The bot is sending an announcement to 40 when the command line sends another to them:
    the command line only queues it, the bot sends both within one BROADCAST_RATE, and
    Telegram (enforcing that rate) never answers 429."""
    rate = 10
    tg.rate.global_per_second = rate
    chats = list(range(1500, 1540))
    training = await training_with(sessions, wall_clock(), chats)
    async with sessions() as session:
        first = await create_announcement(
            session,
            training_id=training.id,
            audience=Audience.CONFIRMED,
            text="Pengumuman pertama",
            created_by=None,
            now=wall_clock(),
        )
        await start_announcement(session, first.id, None, None, wall_clock())
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=fake_server.base_url,
        DATABASE_URL=db_url,
        BROADCAST_RATE=str(rate),
    )
    bot = BotProcess(env, tmp_path / "bot.log")
    await bot.start()
    try:
        await tg.wait_for(lambda: len(tg.calls_of("sendMessage")) >= 5, timeout=30)
        code, out, err = await run_cli(
            env, "broadcast", training.code, "--text", "Pengumuman kedua", timeout=60
        )
    finally:
        exit_code = await bot.stop()
    assert code == 0, out + err
    assert "the running bot sends it" in out and "Terkirim: 40" in out
    assert exit_code == 0 and "Traceback" not in bot.output()
    assert tg.too_many_requests == 0
    for chat in chats:
        texts = sorted(m.text.splitlines()[-1] for m in tg.sent_to(chat))
        assert texts == ["Pengumuman kedua", "Pengumuman pertama"], chat
