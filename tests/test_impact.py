"""`python -m bot impact CODE -o F.xlsx`: one row per attendee, the baseline and each follow-up
side by side, read back and checked against the answers given; nobody absent appears."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from bot.db import SessionFactory, create_engine, create_session_factory
from bot.models import FollowUpResponse, Registration, TrainingDay
from bot.services import business_follow_up
from bot.services.baseline import Baseline, keep_baseline
from bot.services.business_follow_up import Step
from tests.after_factories import finished_training, telegram_id_of
from tests.conftest import JAKARTA, TOKEN
from tests.harness import FakeClock, run_cli, subprocess_env

HEADER_ROW = 4
SITI_ANSWERS = (
    (Step.RUNNING, True),
    (Step.SALES, "15_50"),
    (Step.WORKERS, 4),
    (Step.APPLIED, "partly"),
    (Step.NEW_PRODUCT, False),
    (Step.MENTORING, True),
)


async def _made_up_data(sessions: SessionFactory, wall_clock: FakeClock) -> None:
    """A training that ended 200 days ago: Siti (every day, a baseline, the 90-day follow-up
    answered), Budi (one day, nothing answered), Wayan (absent). Both rounds were sent."""
    today = wall_clock().astimezone(JAKARTA).date()
    days = tuple(today - timedelta(days=n) for n in (202, 201, 200))
    start = wall_clock() - timedelta(days=230)
    _, regs = await finished_training(
        sessions, ["Siti", "Budi", "Wayan"], [[1, 2, 3], [1], []], days=days, now=start
    )
    async with sessions() as session:
        keep_baseline(session, regs[0].participant_id, Baseline("5_15", 2, False), start)
        await session.commit()
        end = await session.scalar(select(func.max(TrainingDay.ends_at)))
    assert end is not None
    for days_after in (91, 181):
        async with sessions() as session:
            moment = end + timedelta(days=days_after)
            await business_follow_up.queue_follow_ups(session, moment, (90, 180))
    await _answer(sessions, regs[0], end + timedelta(days=92))


async def _answer(sessions: SessionFactory, registration: Registration, at: datetime) -> None:
    telegram_id = await telegram_id_of(sessions, registration)
    async with sessions() as session:
        response_id = await session.scalar(
            select(FollowUpResponse.id).where(
                FollowUpResponse.registration_id == registration.id, FollowUpResponse.round == 90
            )
        )
        assert response_id is not None
        steps = []
        for step, value in SITI_ANSWERS:
            state = await business_follow_up.answer(
                session, response_id, telegram_id, step, value, at
            )
            steps.append(state.step if state else None)
    assert steps[-1] == Step.DONE


@pytest.mark.e2e
async def test_the_impact_workbook_from_the_command_line(
    sqlite_url: str, tmp_path: Path, wall_clock: FakeClock
) -> None:
    engine = create_engine(sqlite_url)
    try:
        await _made_up_data(create_session_factory(engine), wall_clock)
    finally:
        await engine.dispose()
    env = subprocess_env(TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=sqlite_url)
    code, _, err = await run_cli(env, "impact", "KP-2026-01", "-o", str(tmp_path / "d.pdf"))
    assert code == 2 and ".xlsx" in err  # the PDF is not made yet: said, nothing written
    output = tmp_path / "dampak.xlsx"
    code, out, err = await run_cli(env, "impact", "KP-2026-01", "-o", str(output))
    assert code == 0, err
    assert f"wrote {output}" in out
    sheet = openpyxl.load_workbook(output).active
    assert sheet is not None
    rows = [list(r) for r in sheet.iter_rows(min_row=HEADER_ROW, values_only=True)]
    header, people = rows[0], rows[1:]
    assert header[:7] == [
        "No", "Nama", "Usaha", "Hari hadir",
        "Omzet per bulan (awal)", "Pekerja (awal)", "Jualan online (awal)",
    ]  # fmt: skip
    assert header[7] == "Masih berjalan (90 hari)" and header[14] == "Masih berjalan (180 hari)"
    assert len(header) == 7 + 2 * 7
    assert [p[1] for p in people] == ["Siti", "Budi"]  # Wayan never came: not in it
    siti, budi = people
    assert siti[2:7] == ["Usaha Siti", 3, "Rp 5–15 juta", 2, "Tidak"]
    assert siti[7:14] == ["Ya", "Rp 15–50 juta", 4, "Sebagian", "Tidak", None, "Ya"]
    assert siti[14:] == [None] * 7  # the second round sent, not answered
    assert budi[3] == 1 and budi[4:] == [None] * 17
