"""`python -m bot purge`: the nightly retention run, at once, as counts (never who)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db import SessionFactory
from bot.models import HelpdeskMessage, Participant, RegistrationStatus
from bot.services.helpdesk import Asker, ask_staff
from tests.conftest import TOKEN
from tests.factories import JAKARTA, make_participant, make_registration, make_training
from tests.harness import run_cli, subprocess_env

pytestmark = pytest.mark.e2e
STAFF_CHAT = -1001987654321


async def _wrote(sessions: SessionFactory, telegram_id: int, name: str, at: datetime) -> None:
    asker = Asker(telegram_id, telegram_id, name, f"{name.lower()}_ukm", "id")
    async with sessions() as session:
        await ask_staff(session, asker, "Kapan ada kelas lagi?", STAFF_CHAT, at)


async def _names(sessions: SessionFactory) -> dict[int | None, str | None]:
    async with sessions() as session:
        rows = await session.execute(
            select(Participant.telegram_id, Participant.full_name).order_by(Participant.id)
        )
        names: dict[int | None, str | None] = {tid: name for tid, name in rows.all()}
        for telegram_id, sender in await session.execute(
            select(Participant.telegram_id, HelpdeskMessage.sender_name).join(
                HelpdeskMessage, HelpdeskMessage.participant_id == Participant.id
            )
        ):
            names[telegram_id] = names[telegram_id] or sender
        return names


async def test_purge_erases_the_expired_now_and_prints_counts(
    db_url: str, sessions: SessionFactory
) -> None:
    today = datetime.now(JAKARTA)
    long_ago = today - timedelta(days=800)
    async with sessions() as session:
        day = (long_ago.date(), "08:00", "15:00", "Kain perca")
        old = await make_training(session, days=[day], now=long_ago)
        siti = await make_participant(session, 1, full_name="Siti Aminah", now=long_ago)
        await make_registration(session, siti, old, RegistrationStatus.CONFIRMED, long_ago)
        await make_participant(session, 2, full_name="Budi Santoso", now=today - timedelta(days=9))
    await _wrote(sessions, 3, "Rudi", long_ago.astimezone(UTC))  # only asked, long ago
    await _wrote(sessions, 4, "Wati", today.astimezone(UTC) - timedelta(days=3))

    env = subprocess_env(TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=db_url, DATA_RETENTION_DAYS="730")
    code, out, err = await run_cli(env, "purge")
    assert code == 0, err
    assert "retention 730 days: purged=2 colleagues=0 stale_drafts=0" in out, out
    assert await _names(sessions) == {1: None, 2: "Budi Santoso", 3: None, 4: "Wati"}
    for name in ("Siti", "Rudi", "Budi"):
        assert name not in out + err

    code, out, _ = await run_cli(env, "purge")  # nothing left to purge
    assert code == 0 and "purged=0" in out

    code, out, _ = await run_cli(env, "--help")
    assert code == 0 and "purge" in out
