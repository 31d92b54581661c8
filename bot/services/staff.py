"""What staff read about trainings: the list with counts, one training with its days, a
training by code. Trainings are written by `bot.services.training_writer` only."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.models import Registration, RegistrationStatus, Training, TrainingDay, TrainingStatus
from bot.services.training_writer import same_code


@dataclass(frozen=True)
class TrainingLine:
    """A training in the staff list with its counts."""

    id: int
    code: str
    title: str
    status: TrainingStatus
    capacity: int
    confirmed: int
    waitlisted: int
    first_day: date | None


async def _counts_by_status(session: AsyncSession) -> dict[tuple[int, RegistrationStatus], int]:
    """Registrations per training and status."""
    rows = await session.execute(
        select(Registration.training_id, Registration.status, func.count()).group_by(
            Registration.training_id, Registration.status
        )
    )
    return {(training_id, status): int(n) for training_id, status, n in rows.all()}


async def _first_days(session: AsyncSession) -> dict[int, date]:
    """The date of each training's first day."""
    rows = await session.execute(
        select(TrainingDay.training_id, func.min(TrainingDay.date)).group_by(
            TrainingDay.training_id
        )
    )
    return {training_id: first for training_id, first in rows.all()}


async def list_trainings(
    session: AsyncSession, statuses: Collection[TrainingStatus] | None = None
) -> list[TrainingLine]:
    """Every training (newest first), or those in `statuses`, with confirmed and waiting
    counts."""
    counts = await _counts_by_status(session)
    first_days = await _first_days(session)
    query = select(Training).order_by(Training.id.desc())
    if statuses is not None:
        query = query.where(Training.status.in_(list(statuses)))
    trainings = (await session.execute(query)).scalars()
    return [
        TrainingLine(
            id=t.id,
            code=t.code,
            title=t.title,
            status=t.status,
            capacity=t.capacity,
            confirmed=counts.get((t.id, RegistrationStatus.CONFIRMED), 0),
            waitlisted=counts.get((t.id, RegistrationStatus.WAITLISTED), 0),
            first_day=first_days.get(t.id),
        )
        for t in trainings
    ]


async def get_training(session: AsyncSession, training_id: int) -> Training | None:
    """The training with its days loaded."""
    result = await session.execute(
        select(Training).where(Training.id == training_id).options(selectinload(Training.days))
    )
    return result.scalar_one_or_none()


async def find_training_by_code(session: AsyncSession, code: str) -> Training | None:
    """The training with this code (case-insensitive), days loaded."""
    result = await session.execute(
        select(Training).where(same_code(code)).options(selectinload(Training.days))
    )
    return result.scalar_one_or_none()
