"""What the office's printed documents show: the attendance sheet of a day and the activity
report of a training (its numbers, its days and the feedback)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Attendance, Participant, Registration, RegistrationStatus, TrainingDay
from bot.services import audit
from bot.services.staff import get_training
from bot.services.statistics import TrainingStatistics, training_statistics
from bot.services.survey import SurveySummary, survey_summary


@dataclass(frozen=True)
class SheetRow:
    """One line of the attendance sheet."""

    name: str
    business: str
    district: str
    phone: str
    present: bool


@dataclass(frozen=True)
class DayInfo:
    """A training day as printed: number, date, hours and topic."""

    day_number: int
    date: date
    starts_at: datetime
    ends_at: datetime
    topic: str


@dataclass(frozen=True)
class TrainingInfo:
    """The training a document is about."""

    training_id: int
    code: str
    title: str
    venue: str
    capacity: int
    days: tuple[DayInfo, ...]


@dataclass(frozen=True)
class AttendanceSheetView:
    """The daftar hadir of one training day: everyone holding a seat, by name."""

    training: TrainingInfo
    day: DayInfo
    rows: tuple[SheetRow, ...]


@dataclass(frozen=True)
class ActivityReportView:
    """The laporan kegiatan of a training: its numbers and the feedback."""

    training: TrainingInfo
    statistics: TrainingStatistics
    survey: SurveySummary


def _day(day: TrainingDay) -> DayInfo:
    return DayInfo(day.day_number, day.date, day.starts_at, day.ends_at, day.topic)


async def training_info(session: AsyncSession, training_id: int) -> TrainingInfo | None:
    """The training with its days, or None."""
    training = await get_training(session, training_id)
    if training is None:
        return None
    return TrainingInfo(
        training.id,
        training.code,
        training.title,
        training.venue,
        training.capacity,
        tuple(_day(d) for d in training.days),
    )


async def attendance_sheet_view(
    session: AsyncSession,
    training_id: int,
    day_number: int,
    *,
    reader: audit.Reader | None = None,
) -> AttendanceSheetView | None:
    """The sheet of day `day_number` (None when the training or the day does not exist); a
    `reader` is recorded in the audit trail (names and phones)."""
    info = await training_info(session, training_id)
    day = next((d for d in info.days if d.day_number == day_number), None) if info else None
    if info is None or day is None:
        return None
    day_id = await session.scalar(
        select(TrainingDay.id).where(
            TrainingDay.training_id == training_id, TrainingDay.day_number == day_number
        )
    )
    lines = await _sheet_rows(session, training_id, day_id)
    await audit.note_access(session, reader, audit.Action.SHEET, training_id, len(lines))
    return AttendanceSheetView(info, day, tuple(lines))


async def _sheet_rows(
    session: AsyncSession, training_id: int, day_id: int | None
) -> list[SheetRow]:
    """Everyone holding a seat, by name, and whether they were present on the day."""
    present = set(
        await session.scalars(
            select(Attendance.registration_id).where(Attendance.training_day_id == day_id)
        )
    )
    rows = await session.execute(
        select(
            Registration.id,
            Participant.full_name,
            Participant.business_name,
            Participant.district,
            Participant.phone,
        )
        .join(Participant, Participant.id == Registration.participant_id)
        .where(
            Registration.training_id == training_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    )
    lines = [
        SheetRow(name or "", business or "", district or "", phone or "", reg_id in present)
        for reg_id, name, business, district, phone in rows.all()
    ]
    lines.sort(key=lambda row: (row.name.casefold(), row.phone))
    return lines


async def activity_report_view(
    session: AsyncSession, training_id: int, tz: tzinfo
) -> ActivityReportView | None:
    """Everything the activity report shows (None when there is no such training)."""
    info = await training_info(session, training_id)
    statistics = await training_statistics(session, training_id, tz)
    if info is None or statistics is None:
        return None
    return ActivityReportView(info, statistics, await survey_summary(session, training_id))
