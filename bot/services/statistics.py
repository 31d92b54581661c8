"""The numbers of one training, for the activity report, /statistik and the staff dashboard:
registrations over time, by status, attendance per day, and people by district and sector."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, tzinfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models.people import Participant
from bot.models.registrations import Attendance, Registration, RegistrationStatus
from bot.models.trainings import Training, TrainingDay

_ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


@dataclass(frozen=True)
class DayAttendance:
    """Who was present on one training day."""

    day_number: int
    date: date
    present: int


@dataclass(frozen=True)
class TrainingStatistics:
    """One training in numbers. Districts and sectors count registrations that hold a seat
    or wait for one, as stored (codes: the reader's labels are the renderer's business)."""

    training_id: int
    code: str
    title: str
    capacity: int
    confirmed: int
    waitlisted: int
    cancelled: int
    registrations_per_day: tuple[tuple[date, int], ...]  # new registrations, by local date
    attendance: tuple[DayAttendance, ...]
    by_district: tuple[tuple[str, int], ...]  # most first
    by_sector: tuple[tuple[str, int], ...]  # most first


async def _status_counts(session: AsyncSession, training_id: int) -> Counter[RegistrationStatus]:
    rows = await session.execute(
        select(Registration.status, func.count())
        .where(Registration.training_id == training_id)
        .group_by(Registration.status)
    )
    return Counter({RegistrationStatus(s): int(n) for s, n in rows.all()})


async def _per_day(session: AsyncSession, training_id: int, tz: tzinfo) -> list[tuple[date, int]]:
    created = await session.scalars(
        select(Registration.created_at).where(Registration.training_id == training_id)
    )
    counts = Counter(moment.astimezone(tz).date() for moment in created)
    return sorted(counts.items())


async def _attendance(session: AsyncSession, training_id: int) -> list[DayAttendance]:
    rows = await session.execute(
        select(TrainingDay.day_number, TrainingDay.date, func.count(Attendance.id))
        .outerjoin(Attendance, Attendance.training_day_id == TrainingDay.id)
        .where(TrainingDay.training_id == training_id)
        .group_by(TrainingDay.id, TrainingDay.day_number, TrainingDay.date)
        .order_by(TrainingDay.day_number)
    )
    return [DayAttendance(n, d, int(present)) for n, d, present in rows.all()]


async def _people_by(session: AsyncSession, training_id: int, column: str) -> list[tuple[str, int]]:
    field = getattr(Participant, column)
    rows = await session.execute(
        select(field, func.count())
        .join(Registration, Registration.participant_id == Participant.id)
        .where(
            Registration.training_id == training_id,
            Registration.status.in_(_ACTIVE),
            field.is_not(None),
        )
        .group_by(field)
    )
    return sorted(((str(v), int(n)) for v, n in rows.all()), key=lambda item: (-item[1], item[0]))


async def training_statistics(
    session: AsyncSession, training_id: int, tz: tzinfo
) -> TrainingStatistics | None:
    """The numbers of one training (None when there is no such training)."""
    training = await session.get(Training, training_id)
    if training is None:
        return None
    statuses = await _status_counts(session, training_id)
    return TrainingStatistics(
        training_id=training.id,
        code=training.code,
        title=training.title,
        capacity=training.capacity,
        confirmed=statuses[RegistrationStatus.CONFIRMED],
        waitlisted=statuses[RegistrationStatus.WAITLISTED],
        cancelled=statuses[RegistrationStatus.CANCELLED],
        registrations_per_day=tuple(await _per_day(session, training_id, tz)),
        attendance=tuple(await _attendance(session, training_id)),
        by_district=tuple(await _people_by(session, training_id, "district")),
        by_sector=tuple(await _people_by(session, training_id, "sector")),
    )
