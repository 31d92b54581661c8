"""Small builders for domain rows, for tests of any feature (they commit what they make)."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Delivery,
    DeliveryState,
    Participant,
    Registration,
    RegistrationStatus,
    Rsvp,
    RsvpAnswer,
    Training,
    TrainingDay,
    TrainingStatus,
)
from bot.services.outbox import BULK, Kind
from bot.services.reminders import reminder_key
from bot.services.seats import next_queue_seq

JAKARTA = ZoneInfo("Asia/Jakarta")
CREATED = datetime(2026, 11, 1, 0, 0, tzinfo=UTC)
DEFAULT_DAYS: tuple[tuple[date, str, str, str], ...] = (
    (date(2026, 12, 8), "08:00", "15:00", "Kain perca"),
    (date(2026, 12, 9), "08:00", "15:00", "Melukis kain"),
    (date(2026, 12, 10), "08:00", "12:00", "Pemasaran produk"),
)
_codes = itertools.count(1)


def _at(day: date, hhmm: str, tz: ZoneInfo) -> datetime:
    hours, minutes = (int(p) for p in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=tz).astimezone(UTC)


async def make_training(
    session: AsyncSession,
    *,
    code: str | None = None,
    capacity: int = 30,
    days: Sequence[tuple[date, str, str, str]] = DEFAULT_DAYS,
    tz: ZoneInfo = JAKARTA,
    title: str = "Pelatihan Kain Perca dan Melukis Kain",
    venue: str = "Hotel Sahid Montana Dua, Malang",
    description: str = "Pembinaan kemampuan dan keterampilan kerja bagi usaha mikro.",
    status: TrainingStatus = TrainingStatus.OPEN,
    notes: Sequence[str] = (),
    now: datetime = CREATED,
) -> Training:
    """A training with its days given as (date, "HH:MM" start, "HH:MM" end, topic) in `tz`."""
    training = Training(
        code=code or f"T-{next(_codes):04d}",
        title=title,
        description=description,
        venue=venue,
        capacity=capacity,
        status=status,
        created_at=now,
        updated_at=now,
    )
    for number, (day, start, end, topic) in enumerate(days, start=1):
        training.days.append(
            TrainingDay(
                day_number=number,
                date=day,
                starts_at=_at(day, start, tz),
                ends_at=_at(day, end, tz),
                topic=topic,
                note=notes[number - 1] if number <= len(notes) else "",
            )
        )
    session.add(training)
    await session.commit()
    return training


async def make_participant(
    session: AsyncSession, telegram_id: int, *, now: datetime = CREATED, **profile: Any
) -> Participant:
    """A participant with a complete profile (and consent at `now`); keywords override any field."""
    values: dict[str, Any] = {
        "telegram_id": telegram_id,
        "chat_id": telegram_id,
        "language": "id",
        "full_name": f"Peserta {telegram_id}",
        "phone": f"+62812{telegram_id % 10**7:07d}",
        "business_name": f"Usaha {telegram_id}",
        "sector": "kuliner",
        "district": "Klojen",
        "consent_at": now,
        "created_at": now,
        "updated_at": now,
    }
    values.update(profile)
    participant = Participant(**values)
    session.add(participant)
    await session.commit()
    return participant


async def make_registration(
    session: AsyncSession,
    participant: Participant,
    training: Training,
    status: RegistrationStatus = RegistrationStatus.CONFIRMED,
    now: datetime = CREATED,
    *,
    queue_seq: int | None = None,
) -> Registration:
    """A registration in `status`, queued at `now`; its seat decided after every earlier one
    (or at `queue_seq`: the waiting-list order)."""
    registration = Registration(
        participant_id=participant.id,
        training_id=training.id,
        queue_seq=queue_seq or await next_queue_seq(session, training.id),
        status=status,
        queued_at=now,
        confirmed_at=now if status == RegistrationStatus.CONFIRMED else None,
        cancelled_at=now if status == RegistrationStatus.CANCELLED else None,
        checkin_token=secrets.token_hex(16),
        created_at=now,
        updated_at=now,
    )
    session.add(registration)
    await session.commit()
    return registration


async def make_reminder_row(
    session: AsyncSession,
    registration: Registration,
    day: TrainingDay,
    *,
    state: DeliveryState = DeliveryState.PENDING,
    due_at: datetime | None = None,
    now: datetime = CREATED,
) -> Delivery:
    """The outbox row of one day's reminder for one registration, as the sync makes it."""
    participant = await session.get(Participant, registration.participant_id)
    assert participant is not None
    row = Delivery(
        kind=Kind.REMINDER,
        key=reminder_key(registration.id, day.id, day.date),
        chat_id=participant.chat_id or participant.telegram_id,
        participant_id=participant.id,
        registration_id=registration.id,
        training_day_id=day.id,
        payload={"date": day.date.isoformat()},
        priority=BULK,
        due_at=due_at or day.starts_at - timedelta(hours=16),
        expires_at=day.starts_at,
        state=state,
        attempts=0,
        created_at=now,
    )
    session.add(row)
    await session.commit()
    return row


async def answer_reminder(
    session: AsyncSession,
    registration: Registration,
    day: TrainingDay,
    answer: Rsvp,
    *,
    at: datetime = CREATED,
) -> None:
    """This registration's answer to the day's reminder (committed)."""
    session.add(
        RsvpAnswer(
            registration_id=registration.id,
            training_day_id=day.id,
            answer=answer,
            answered_at=at,
        )
    )
    await session.commit()
