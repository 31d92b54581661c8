"""Small builders for domain rows, for tests of any feature (they commit what they make)."""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Participant,
    Registration,
    RegistrationStatus,
    Training,
    TrainingDay,
    TrainingStatus,
)

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


async def make_participant(session: AsyncSession, telegram_id: int, **profile: Any) -> Participant:
    """A participant with a complete profile (and consent); keywords override any field."""
    now = profile.pop("now", CREATED)
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
) -> Registration:
    """A registration in `status`, queued at `now` (the waiting-list order)."""
    registration = Registration(
        participant_id=participant.id,
        training_id=training.id,
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
