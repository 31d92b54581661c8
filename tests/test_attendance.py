"""Attendance: the participant's QR code, check-in by deep link, and /hadir by list."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db import create_engine, create_session_factory
from bot.models import Attendance
from bot.playground.botapi import BOT_USERNAME, FakeBotApiServer, FakeTelegram
from bot.texts.links import checkin_link
from tests.conftest import ADMIN_ID, JAKARTA, TOKEN
from tests.dashboard_data import CLOCK_DAY
from tests.harness import BotHarness, BotProcess, FakeClock, subprocess_env
from tests.staff_factories import populate, telegram_ids
from tests.test_documents_base import decode_qr

TODAY = CLOCK_DAY  # the `clock` fixture's day


async def test_qr_code_photo_for_own_confirmed_registration(harness: BotHarness) -> None:
    _, registrations = await populate(harness.sessions, confirmed=1, waiting=1, cancelled=0)
    ids = await telegram_ids(harness.sessions)
    owner = harness.user(ids[0], "Peserta")
    [menu] = await harness.send(owner, "/start")
    owner.press_data(menu, f"qr:{registrations[0].id}")
    await harness.deliver()
    photo = owner.last()
    assert photo.method == "sendPhoto" and photo.photo is not None
    assert photo.photo.startswith(b"\x89PNG")
    expected = checkin_link(BOT_USERNAME, registrations[0].checkin_token)
    assert expected == f"https://t.me/{BOT_USERNAME}?start=ci_{registrations[0].checkin_token}"
    assert decode_qr(photo.photo) == [expected]  # the ticket's QR code
    assert "Peserta 001" in photo.text and "Kain Perca" in photo.text
    assert "Tunjukkan ke petugas" in photo.text

    waiting = harness.user(ids[1], "Antre")
    [menu2] = await harness.send(waiting, "/start")
    for data in (f"qr:{registrations[0].id}", f"qr:{registrations[1].id}", "qr:x", "qr:1:2"):
        before = len(waiting.messages())
        waiting.press_data(menu2, data)
        await harness.deliver()
        assert "tidak berlaku" in harness.answers()[-1]["text"], data
        assert len(waiting.messages()) == before


async def test_check_in_by_deep_link(harness: BotHarness) -> None:
    _, registrations = await populate(
        harness.sessions,
        confirmed=1,
        waiting=1,
        cancelled=0,
        days=(TODAY, TODAY + timedelta(days=1)),
    )
    ids = await telegram_ids(harness.sessions)
    token = registrations[0].checkin_token
    staff = harness.user(ADMIN_ID, "Staf")
    owner = harness.user(ids[0], "Peserta")
    stranger = harness.user(444, "Orang")

    [reply] = await harness.send(owner, f"/start ci_{token}")
    assert "Tunjukkan QR-nya ke petugas" in reply.text
    [reply] = await harness.send(stranger, f"/start ci_{token}")
    assert reply.text == "Perintah ini tidak tersedia."

    [reply] = await harness.send(staff, f"/start ci_{token}")
    assert "✅ Hadir: Peserta 001" in reply.text and "hari 1 dari 2" in reply.text
    harness.clock.advance(minutes=20)
    [reply] = await harness.send(staff, f"/start ci_{token}")
    assert "sudah tercatat hadir hari 1 (Sel, 1 Des 2026) pukul 09.00 WIB" in reply.text
    [reply] = await harness.send(staff, f"/start ci_{registrations[1].checkin_token}")
    assert "tidak terdaftar" in reply.text
    [reply] = await harness.send(staff, "/start ci_tidakada")
    assert "tidak dikenal" in reply.text
    harness.clock.set(datetime.combine(TODAY + timedelta(days=4), time(9), tzinfo=JAKARTA))
    [reply] = await harness.send(staff, f"/start ci_{token}")
    assert "tidak ada jadwal hari ini" in reply.text
    async with harness.sessions() as session:
        rows = (await session.execute(select(Attendance))).scalars().all()
    assert len(rows) == 1 and rows[0].method == "qr" and rows[0].checked_in_by == ADMIN_ID
    # A plain /start still opens the (staff) menu.
    [menu] = await harness.send(staff, "/start")
    assert "Menu staf" in menu.text


async def test_marking_attendance_from_the_list(harness: BotHarness) -> None:
    training, _ = await populate(
        harness.sessions, confirmed=2, waiting=1, cancelled=0, days=(TODAY,)
    )
    staff = harness.user(ADMIN_ID, "Staf")
    [sheet] = await harness.send(staff, "/hadir KP-2026-01")
    assert "0/2 hadir" in sheet.text
    assert [label for label, _ in sheet.buttons()][:2] == ["⬜ Peserta 001", "⬜ Peserta 002"]
    await harness.press(staff, sheet, "Peserta 001")
    assert "1/2 hadir" in sheet.text
    assert sheet.buttons()[0][0] == "✅ Peserta 001"
    [listing] = await harness.send(staff, "/peserta KP-2026-01")
    assert "✅ 1" in listing.text
    await harness.press(staff, sheet, "Peserta 001")
    assert "0/2 hadir" in sheet.text
    [chooser] = await harness.send(staff, "/checkin")
    await harness.press(staff, chooser, "KP-2026-01")
    assert "Kehadiran" in chooser.text
    harness.clock.set(datetime.combine(TODAY + timedelta(days=2), time(9), tzinfo=JAKARTA))
    [other] = await harness.send(staff, "/hadir KP-2026-01")
    assert "tidak ada jadwal hari ini" in other.text and training.id


@pytest.mark.e2e
async def test_e2e_staff_export_and_check_in(
    tg: FakeTelegram,
    fake_server: FakeBotApiServer,
    sqlite_url: str,
    tmp_path: Path,
    wall_clock: FakeClock,
) -> None:
    url = sqlite_url
    engine = create_engine(url)
    today = wall_clock().astimezone(JAKARTA).date()
    try:
        _, registrations = await populate(
            create_session_factory(engine),
            confirmed=2,
            waiting=0,
            cancelled=0,
            days=(today,),
            now=wall_clock() - timedelta(days=7),
        )
    finally:
        await engine.dispose()
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=fake_server.base_url,
        DATABASE_URL=url,
        ADMIN_IDS=str(ADMIN_ID),
    )
    bot = BotProcess(env, tmp_path / "bot.log")
    await bot.start()
    try:
        await tg.wait_for(lambda: tg.get_updates_calls > 0, timeout=30)
        staff = tg.user(ADMIN_ID, "Staf")
        staff.send_text("/ekspor KP-2026-01")
        [xlsx] = await staff.wait_for_count(1, timeout=15)
        staff.press(xlsx, "CSV")
        xlsx, csv_file = await staff.wait_for_count(2, timeout=15)
        assert [m.document[0] for m in (xlsx, csv_file) if m.document] == [
            "peserta-KP-2026-01.xlsx",
            "peserta-KP-2026-01.csv",
        ]
        staff.send_text(f"/start ci_{registrations[0].checkin_token}")
        reply = await staff.wait_for_text("Hadir:", timeout=15)
        assert "Peserta 001" in reply.text
    finally:
        code = await bot.stop()
    output = bot.output()
    assert code == 0, output
    assert "Traceback" not in output
    assert "+62812" not in output
