"""Small builders of trainings, participants and registrations for the reminder tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SessionFactory
from bot.models import (
    Delivery,
    Participant,
    Registration,
    RegistrationStatus,
    Rsvp,
    RsvpAnswer,
    Training,
    TrainingDay,
    TrainingStatus,
)
from bot.services import outbox
from bot.services.outbox import Claimed, Kind
from tests import factories

JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class DayPlan:
    """One training day as staff write it: local date, start and end, topic, note."""

    day: date
    start: str = "08:00"
    end: str = "15:00"
    topic: str = ""
    note: str = ""


THREE_DAYS = (
    DayPlan(date(2026, 12, 8), topic="Kain perca", note="Bawa gunting & kain <perca>"),
    DayPlan(date(2026, 12, 9), topic="Melukis kain"),
    DayPlan(date(2026, 12, 10), end="12:00", topic="Pemasaran produk"),
)


def local(day: date, hhmm: str, tz: ZoneInfo = JAKARTA) -> datetime:
    """A local wall-clock time as an aware datetime."""
    hours, minutes = (int(p) for p in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=tz)


async def make_training(
    session: AsyncSession,
    now: datetime,
    *,
    code: str = "KP-2026-01",
    days: Sequence[DayPlan] = THREE_DAYS,
    tz: ZoneInfo = JAKARTA,
    capacity: int = 30,
    status: TrainingStatus = TrainingStatus.OPEN,
) -> Training:
    """An open training with its days (committed)."""
    training = Training(
        code=code,
        title="Pelatihan Kain Perca dan Melukis Kain",
        description="Pembinaan kemampuan dan keterampilan kerja bagi usaha mikro.",
        venue="Hotel Sahid Montana Dua, Malang",
        capacity=capacity,
        status=status,
        created_at=now,
        updated_at=now,
        days=[
            TrainingDay(
                day_number=number,
                date=plan.day,
                starts_at=local(plan.day, plan.start, tz),
                ends_at=local(plan.day, plan.end, tz),
                topic=plan.topic,
                note=plan.note,
            )
            for number, plan in enumerate(days, start=1)
        ],
    )
    session.add(training)
    await session.commit()
    return training


async def make_participant(
    session: AsyncSession, telegram_id: int, now: datetime, *, language: str = "id"
) -> Participant:
    """A participant with a full profile whose chat is their user id (committed)."""
    participant = Participant(
        telegram_id=telegram_id,
        chat_id=telegram_id,
        language=language,
        full_name=f"Peserta {telegram_id}",
        phone="+6281234567890",
        business_name="Warung",
        sector="kuliner",
        district="Klojen",
        consent_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(participant)
    await session.commit()
    return participant


async def make_registration(
    session: AsyncSession,
    participant: Participant,
    training: Training,
    now: datetime,
    *,
    status: RegistrationStatus = RegistrationStatus.CONFIRMED,
) -> Registration:
    """A registration in the given state (committed)."""
    return await factories.make_registration(session, participant, training, status, now)


async def register_people(
    sessions: SessionFactory,
    now: datetime,
    telegram_ids: Sequence[int],
    *,
    days: Sequence[DayPlan] = THREE_DAYS,
    tz: ZoneInfo = JAKARTA,
    status: RegistrationStatus = RegistrationStatus.CONFIRMED,
) -> tuple[Training, list[Registration]]:
    """One training and a registration for each of these users."""
    async with sessions() as session:
        training = await make_training(session, now, days=days, tz=tz)
        registrations = []
        for telegram_id in telegram_ids:
            participant = await make_participant(session, telegram_id, now)
            registrations.append(
                await make_registration(session, participant, training, now, status=status)
            )
    return training, registrations


async def deliveries(sessions: SessionFactory, kind: Kind = Kind.REMINDER) -> list[Delivery]:
    """Every outbox row of one kind (reminders unless said), by id."""
    async with sessions() as session:
        result = await session.execute(
            select(Delivery).where(Delivery.kind == kind).order_by(Delivery.id)
        )
        return list(result.scalars())


async def rsvps(sessions: SessionFactory) -> dict[tuple[int, int], Rsvp]:
    """Every RSVP answer, by (registration id, training day id)."""
    async with sessions() as session:
        rows = await session.execute(select(RsvpAnswer))
        return {(r.registration_id, r.training_day_id): r.answer for r in rows.scalars()}


async def claim_due(
    sessions: SessionFactory, now: datetime, worker: str, limit: int = 10
) -> list[Claimed]:
    """One claim of due outbox rows, as a sender makes it (ten-minute lease)."""
    async with sessions() as session:
        return await outbox.claim(session, worker, limit, now, timedelta(minutes=10))


async def mark_leaving(
    sessions: SessionFactory, delivery_id: int, worker: str, now: datetime
) -> bool:
    """Mark one claimed row as leaving, as a sender does right before the request."""
    async with sessions() as session:
        return delivery_id in await outbox.mark_sending(session, [delivery_id], worker, now)
