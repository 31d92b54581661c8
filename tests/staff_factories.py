"""Data for staff tests, made directly with the models (trainings, participants, registrations)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import SessionFactory
from bot.models import (
    Participant,
    Registration,
    RegistrationStatus,
    Training,
    TrainingDay,
    TrainingStatus,
)
from bot.services import access
from bot.services.access import GrantResult, Role
from tests import factories
from tests.conftest import ADMIN_ID

if TYPE_CHECKING:
    from tests.harness import BotHarness

JAKARTA = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 09:00 in Jakarta, the `clock` fixture's start
DAYS = (date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 10))


async def make_training(
    session: AsyncSession,
    code: str = "KP-2026-01",
    *,
    title: str = "Pelatihan Kain Perca dan Melukis Kain",
    capacity: int = 30,
    status: TrainingStatus = TrainingStatus.OPEN,
    days: tuple[date, ...] = DAYS,
    start: time = time(8, 0),
    end: time = time(15, 0),
    now: datetime = NOW,
) -> Training:
    """A training with days at `start`-`end` Jakarta time (committed)."""
    training = Training(
        code=code,
        title=title,
        description="Pembinaan kemampuan dan keterampilan kerja.",
        venue="Hotel Sahid Montana Dua, Malang",
        capacity=capacity,
        status=status,
        created_at=now,
        updated_at=now,
    )
    session.add(training)
    await session.flush()
    for number, day in enumerate(days, start=1):
        session.add(
            TrainingDay(
                training_id=training.id,
                day_number=number,
                date=day,
                starts_at=datetime.combine(day, start, tzinfo=JAKARTA),
                ends_at=datetime.combine(day, end, tzinfo=JAKARTA),
                topic=f"Materi {number}",
                note="",
            )
        )
    await session.commit()
    return training


async def make_participant(
    session: AsyncSession,
    telegram_id: int,
    name: str = "Siti Aminah",
    *,
    phone: str | None = None,
    business: str = "Warung Siti",
    sector: str = "kuliner",
    district: str = "Klojen",
    now: datetime = NOW,
) -> Participant:
    """A participant with a complete profile, consenting at `now` (committed)."""
    participant = Participant(
        telegram_id=telegram_id,
        chat_id=telegram_id,
        language="id",
        full_name=name,
        phone=phone or f"+62812{telegram_id % 10_000_000:07d}",
        business_name=business,
        sector=sector,
        district=district,
        consent_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(participant)
    await session.commit()
    return participant


async def register(
    session: AsyncSession,
    participant: Participant,
    training: Training,
    status: RegistrationStatus = RegistrationStatus.CONFIRMED,
    *,
    at: datetime = NOW,
) -> Registration:
    """A registration in `status`, queued at `at` (committed)."""
    return await factories.make_registration(session, participant, training, status, at)


async def populate(
    sessions: SessionFactory,
    *,
    confirmed: int = 3,
    waiting: int = 2,
    cancelled: int = 1,
    code: str = "KP-2026-01",
    capacity: int | None = None,
    days: tuple[date, ...] = DAYS,
    now: datetime = NOW,
) -> tuple[Training, list[Registration]]:
    """A training with confirmed, waiting and cancelled registrations, in that order, made at
    `now` a minute apart."""
    async with sessions() as session:
        training = await make_training(
            session, code, capacity=capacity or confirmed, days=days, now=now
        )
        registrations = []
        plan = (
            [RegistrationStatus.CONFIRMED] * confirmed
            + [RegistrationStatus.WAITLISTED] * waiting
            + [RegistrationStatus.CANCELLED] * cancelled
        )
        for index, status in enumerate(plan):
            person = await make_participant(
                session, 500_000 + index + training.id * 1000, f"Peserta {index + 1:03d}", now=now
            )
            registrations.append(
                await register(session, person, training, status, at=now + timedelta(minutes=index))
            )
    return training, registrations


async def telegram_ids(sessions: SessionFactory) -> list[int]:
    """Every participant's Telegram id, in order of creation."""
    async with sessions() as session:
        result = await session.execute(select(Participant.telegram_id).order_by(Participant.id))
        return [telegram_id for telegram_id in result.scalars() if telegram_id is not None]


async def stored_training(sessions: SessionFactory) -> tuple[Training, list[TrainingDay]]:
    """The one training in the database, and its days in order."""
    async with sessions() as session:
        training = (await session.execute(select(Training))).scalar_one()
        days = await session.scalars(
            select(TrainingDay)
            .where(TrainingDay.training_id == training.id)
            .order_by(TrainingDay.day_number)
        )
        return training, list(days)


async def grant(
    harness: BotHarness, user_id: int, role: Role, codes: Sequence[str] = ()
) -> GrantResult:
    """Give `user_id` a role (on these trainings) as the test admin would, at the harness's
    clock."""
    async with harness.sessions() as session:
        return await access.grant_role(
            session,
            user_id,
            role,
            codes,
            actor_id=ADMIN_ID,
            admin_ids=harness.settings.admin_ids,
            now=harness.clock(),
        )
