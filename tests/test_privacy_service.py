"""Erasing a participant's data: personal fields gone, counts kept, seats given up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from bot.db import SessionFactory
from bot.models import Participant, Registration, RegistrationStatus
from bot.services.privacy import erase_participant, personal_data
from tests.factories import make_participant, make_registration, make_training

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
CONFIRMED = RegistrationStatus.CONFIRMED
WAITING = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED


async def test_erase_clears_personal_fields_and_keeps_counts(sessions: SessionFactory) -> None:
    async with sessions() as s:
        upcoming = await make_training(s, capacity=1)
        other = await make_training(s, capacity=5)
        past = await make_training(s, days=[(date(2026, 11, 20), "08:00", "12:00", "Dulu")])
        me = await make_participant(s, 1, full_name="Siti Aminah", phone="+6281234567890")
        await make_registration(s, me, upcoming, CONFIRMED)
        await make_registration(s, me, other, WAITING)
        await make_registration(s, me, past, CONFIRMED)
        waiting = await make_registration(s, await make_participant(s, 2), upcoming, WAITING, NOW)
    async with sessions() as s:
        result = await erase_participant(s, 1, NOW)
    assert result.found
    assert sorted(result.cancelled_titles) == sorted([upcoming.title, other.title])
    assert result.promoted == 1
    async with sessions() as s:
        row = (await s.scalars(select(Participant).where(Participant.telegram_id == 1))).one()
        assert (row.full_name, row.phone, row.business_name, row.sector, row.district) == (
            None,
            None,
            None,
            None,
            None,
        )
        assert row.consent_at is None and row.erased_at == NOW
        assert row.telegram_id == 1 and row.language == "id"
        rows = (
            await s.execute(
                select(
                    Registration.training_id, Registration.status, Registration.cancel_reason
                ).where(Registration.participant_id == row.id)
            )
        ).all()
        assert sorted(rows) == sorted(
            [
                (upcoming.id, CANCELLED, "erased"),
                (other.id, CANCELLED, "erased"),
                (past.id, CONFIRMED, None),  # history of a finished training stays as it was
            ]
        )
        total = await s.scalar(select(func.count()).select_from(Registration))
        assert total == 4
        promoted = await s.get(Registration, waiting.id)
        assert promoted is not None and promoted.status == CONFIRMED


async def test_erasing_an_unknown_user_or_twice_is_harmless(sessions: SessionFactory) -> None:
    async with sessions() as s:
        assert not (await erase_participant(s, 77, NOW)).found
        await make_participant(s, 1)
    async with sessions() as s:
        assert (await erase_participant(s, 1, NOW)).found
    async with sessions() as s:
        again = await erase_participant(s, 1, NOW + timedelta(minutes=1))
    assert again.found and again.cancelled_titles == [] and again.promoted == 0


async def test_personal_data_lists_the_record_and_registrations(sessions: SessionFactory) -> None:
    async with sessions() as s:
        assert await personal_data(s, 5, NOW) is None
        training = await make_training(s)
        me = await make_participant(s, 5, business_name="Warung <b>Bu Sri</b>")
        await make_registration(s, me, training, CONFIRMED)
    async with sessions() as s:
        data = await personal_data(s, 5, NOW)
    assert data is not None
    assert data.participant.business_name == "Warung <b>Bu Sri</b>"
    assert [v.training.code for v in data.registrations] == [training.code]
