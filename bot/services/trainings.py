"""Trainings as participants see them: the list open for registration, and one training with
the seats left. (Staff write trainings through `bot.services.training_writer`.)"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from bot.models import Registration, RegistrationStatus, Training, TrainingStatus


@dataclass(frozen=True)
class DayView:
    """A training day for display."""

    day_number: int
    starts_at: datetime
    ends_at: datetime
    topic: str
    note: str


@dataclass(frozen=True)
class TrainingView:
    """A training as participants see it, with the seats left."""

    id: int
    code: str
    title: str
    description: str
    venue: str
    capacity: int
    seats_left: int
    registration_closes_at: datetime | None
    days: tuple[DayView, ...]
    is_open: bool


def first_start(training: Training) -> datetime | None:
    """When the training's first day starts (None for a training without days)."""
    return min((day.starts_at for day in training.days), default=None)


def is_open_for_registration(training: Training, now: datetime) -> bool:
    """Open status, deadline not passed, not started (days must be loaded)."""
    start = first_start(training)
    return (
        training.status == TrainingStatus.OPEN
        and start is not None
        and start > now
        and (training.registration_closes_at is None or training.registration_closes_at > now)
    )


# Statements built once, with bound parameters: SQLAlchemy computes a statement's cache key
# once per statement object, and building and keying one on every call cost about a quarter
# of its execution (these run on nearly every update of a registration).
_CONFIRMED_COUNTS = (
    select(Registration.training_id, func.count())
    .where(
        Registration.training_id.in_(bindparam("ids", expanding=True)),
        Registration.status == RegistrationStatus.CONFIRMED,
    )
    .group_by(Registration.training_id)
)
# The days joined in (not a second SELECT): these run whenever someone opens the list or a
# training.
_OPEN_TRAININGS = (
    select(Training)
    .where(Training.status == TrainingStatus.OPEN)
    .options(joinedload(Training.days))
)
_TRAINING_BY_ID = (
    select(Training).options(joinedload(Training.days)).where(Training.id == bindparam("key"))
)
_TRAINING_BY_CODE = (
    select(Training).options(joinedload(Training.days)).where(Training.code == bindparam("key"))
)


async def _confirmed_counts(session: AsyncSession, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = await session.execute(_CONFIRMED_COUNTS, {"ids": ids})
    return {training_id: int(count) for training_id, count in rows.all()}


def _views(
    trainings: list[Training], counts: dict[int, int], now: datetime
) -> Iterator[TrainingView]:
    for training in trainings:
        yield TrainingView(
            id=training.id,
            code=training.code,
            title=training.title,
            description=training.description,
            venue=training.venue,
            capacity=training.capacity,
            seats_left=max(0, training.capacity - counts.get(training.id, 0)),
            registration_closes_at=training.registration_closes_at,
            days=tuple(
                DayView(d.day_number, d.starts_at, d.ends_at, d.topic, d.note)
                for d in training.days
            ),
            is_open=is_open_for_registration(training, now),
        )


async def open_trainings(session: AsyncSession, now: datetime) -> list[TrainingView]:
    """Trainings one can register for now, soonest first."""
    rows = await session.execute(_OPEN_TRAININGS)
    trainings = [t for t in rows.unique().scalars() if is_open_for_registration(t, now)]
    trainings.sort(key=lambda t: (first_start(t) or now, t.id))
    counts = await _confirmed_counts(session, [t.id for t in trainings])
    return list(_views(trainings, counts, now))


async def training_view(
    session: AsyncSession,
    now: datetime,
    *,
    training_id: int | None = None,
    code: str | None = None,
    seats: bool = True,
) -> TrainingView | None:
    """One training (by id or code) for display, open for registration or not.

    With `seats=False` the seats are not counted (`seats_left` is then the capacity): for
    callers that do not show them, one query less on a path every registration takes.
    """
    # One statement with the days joined (not a second SELECT for them): a single training.
    key: int | str
    if training_id is not None:
        query, key = _TRAINING_BY_ID, training_id
    elif code is not None:
        query, key = _TRAINING_BY_CODE, code
    else:
        return None
    training = (await session.execute(query, {"key": key})).unique().scalar_one_or_none()
    if training is None:
        return None
    counts = await _confirmed_counts(session, [training.id]) if seats else {}
    return next(_views([training], counts, now))
