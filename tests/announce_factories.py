"""Test data for announcements: trainings, participants and registrations made with the models."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta

from sqlalchemy import insert

from bot.db import SessionFactory
from bot.models import (
    Participant,
    Registration,
    RegistrationStatus,
    Training,
    TrainingDay,
    TrainingStatus,
)
from bot.services.seats import next_queue_seq

_codes = itertools.count(1)


async def make_training(
    sessions: SessionFactory,
    now: datetime,
    *,
    title: str = "Pelatihan Kain Perca",
    code: str | None = None,
    capacity: int = 30,
    status: TrainingStatus = TrainingStatus.OPEN,
) -> Training:
    """An open training with one day a week from `now`."""
    starts = now + timedelta(days=7)
    training = Training(
        code=code or f"KP-{next(_codes):03d}",
        title=title,
        description="",
        venue="Hotel Sahid Montana Dua, Malang",
        capacity=capacity,
        status=status,
        created_at=now,
        updated_at=now,
        days=[
            TrainingDay(
                day_number=1,
                date=starts.date(),
                starts_at=starts,
                ends_at=starts + timedelta(hours=7),
                topic="Kain perca",
            )
        ],
    )
    async with sessions() as session:
        session.add(training)
        await session.commit()
    return training


async def make_participants(
    sessions: SessionFactory,
    now: datetime,
    telegram_ids: list[int],
    *,
    language: str = "id",
) -> list[int]:
    """Participants with these Telegram ids (chat = user id); returns their row ids."""
    async with sessions() as session:
        for telegram_id in telegram_ids:
            session.add(
                Participant(
                    telegram_id=telegram_id,
                    chat_id=telegram_id,
                    language=language,
                    full_name=f"Peserta {telegram_id}",
                    consent_at=now,
                    created_at=now,
                    updated_at=now,
                )
            )
        await session.commit()
        result = await session.execute(
            Participant.__table__.select().where(Participant.telegram_id.in_(telegram_ids))
        )
        return [row.id for row in result]


async def register(
    sessions: SessionFactory,
    now: datetime,
    training_id: int,
    participant_ids: list[int],
    status: RegistrationStatus = RegistrationStatus.CONFIRMED,
) -> None:
    """Registrations of these participants in one training, with one status."""
    if not participant_ids:
        return
    async with sessions() as session:
        first_seq = await next_queue_seq(session, training_id)
        await session.execute(
            insert(Registration),
            [
                {
                    "participant_id": pid,
                    "training_id": training_id,
                    "status": status,
                    "queued_at": now + timedelta(seconds=i),
                    "queue_seq": first_seq + i,
                    "confirmed_at": now if status is RegistrationStatus.CONFIRMED else None,
                    "checkin_token": uuid.uuid4().hex,
                    "created_at": now,
                    "updated_at": now,
                }
                for i, pid in enumerate(participant_ids)
            ],
        )
        await session.commit()


async def training_with(
    sessions: SessionFactory,
    now: datetime,
    telegram_ids: list[int],
    *,
    status: RegistrationStatus = RegistrationStatus.CONFIRMED,
    title: str = "Pelatihan Kain Perca",
    language: str = "id",
) -> Training:
    """A training whose registrants are new participants with these Telegram ids."""
    training = await make_training(sessions, now, title=title)
    ids = await make_participants(sessions, now, telegram_ids, language=language)
    await register(sessions, now, training.id, ids, status)
    return training
