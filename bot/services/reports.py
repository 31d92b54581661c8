"""Participant counts, pages and export rows of a training, for staff (no Telegram here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.models.people import Participant
from bot.models.registrations import Attendance, Registration, RegistrationStatus, Rsvp, RsvpAnswer
from bot.models.trainings import Training, TrainingDay, TrainingStatus
from bot.services import audit

PAGE_SIZE = 20

# Confirmed first (in order of getting a seat), then the waiting list in its order, then
# cancelled ones: the order staff read and print.
_STATUS_ORDER = case(
    (Registration.status == RegistrationStatus.CONFIRMED, 0),
    (Registration.status == RegistrationStatus.WAITLISTED, 1),
    else_=2,
)


@dataclass(frozen=True)
class DayCounts:
    """Answers and attendance of one training day (confirmed registrations only for RSVPs)."""

    day_id: int
    day_number: int
    date: date
    rsvp_yes: int
    rsvp_no: int
    attended: int


@dataclass(frozen=True)
class TrainingCounts:
    """How many registrations a training has in each state, and per day."""

    training_id: int
    code: str
    title: str
    status: TrainingStatus
    capacity: int
    confirmed: int
    waitlisted: int
    cancelled: int
    days: tuple[DayCounts, ...]

    @property
    def total(self) -> int:
        """Every registration ever made for the training."""
        return self.confirmed + self.waitlisted + self.cancelled


async def _rsvps_by_day(session: AsyncSession, training_id: int) -> dict[tuple[int, Rsvp], int]:
    """The confirmed people's answers to each day's reminder, by day and answer."""
    rows = await session.execute(
        select(RsvpAnswer.training_day_id, RsvpAnswer.answer, func.count())
        .join(Registration, Registration.id == RsvpAnswer.registration_id)
        .where(
            Registration.training_id == training_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .group_by(RsvpAnswer.training_day_id, RsvpAnswer.answer)
    )
    return {(day_id, answer): int(n) for day_id, answer, n in rows.all()}


async def _attended_by_day(session: AsyncSession, training_id: int) -> dict[int, int]:
    """Check-ins per day of the training."""
    rows = await session.execute(
        select(Attendance.training_day_id, func.count())
        .join(TrainingDay, TrainingDay.id == Attendance.training_day_id)
        .where(TrainingDay.training_id == training_id)
        .group_by(Attendance.training_day_id)
    )
    return {day_id: int(n) for day_id, n in rows.all()}


async def training_counts(session: AsyncSession, training: Training) -> TrainingCounts:
    """Counts by status, RSVPs and attendance per day (the training's days must be loaded)."""
    by_status = dict(
        (
            await session.execute(
                select(Registration.status, func.count())
                .where(Registration.training_id == training.id)
                .group_by(Registration.status)
            )
        ).all()
    )
    rsvps = await _rsvps_by_day(session, training.id)
    attended = await _attended_by_day(session, training.id)
    return TrainingCounts(
        training_id=training.id,
        code=training.code,
        title=training.title,
        status=training.status,
        capacity=training.capacity,
        confirmed=int(by_status.get(RegistrationStatus.CONFIRMED, 0)),
        waitlisted=int(by_status.get(RegistrationStatus.WAITLISTED, 0)),
        cancelled=int(by_status.get(RegistrationStatus.CANCELLED, 0)),
        days=tuple(
            DayCounts(
                day_id=d.id,
                day_number=d.day_number,
                date=d.date,
                rsvp_yes=rsvps.get((d.id, Rsvp.YES), 0),
                rsvp_no=rsvps.get((d.id, Rsvp.NO), 0),
                attended=int(attended.get(d.id, 0)),
            )
            for d in training.days
        ),
    )


@dataclass(frozen=True)
class ParticipantRow:
    """One registration as staff see it in lists and exports."""

    number: int
    registration_id: int
    name: str
    phone: str
    business: str
    sector: str
    district: str
    status: RegistrationStatus
    waitlist_position: int | None
    registered_at: datetime  # local, naive (for spreadsheets)
    rsvp: tuple[Rsvp | None, ...]  # per training day, in day order
    attended: tuple[bool, ...]  # per training day, in day order
    registered_by: str = ""  # for a colleague: the name of whoever registered them


@dataclass(frozen=True)
class ParticipantPage:
    """One page of a training's participant list."""

    rows: tuple[ParticipantRow, ...]
    page: int
    pages: int
    total: int


def _rows_query(training_id: int) -> Select[Registration]:
    return (
        select(Registration)
        .where(Registration.training_id == training_id)
        .order_by(_STATUS_ORDER, Registration.queue_seq)
    )


async def _rows(
    session: AsyncSession,
    training: Training,
    tz: tzinfo,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[ParticipantRow]:
    query = _rows_query(training.id).options(
        selectinload(Registration.participant).selectinload(Participant.registered_by)
    )
    query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    registrations = list((await session.execute(query)).scalars())
    ids = [r.id for r in registrations]
    answers: dict[tuple[int, int], Rsvp | None] = {}
    present: set[tuple[int, int]] = set()
    if ids:
        for reg_id, day_id, answer in (
            await session.execute(
                select(
                    RsvpAnswer.registration_id,
                    RsvpAnswer.training_day_id,
                    RsvpAnswer.answer,
                ).where(RsvpAnswer.registration_id.in_(ids))
            )
        ).all():
            answers[(reg_id, day_id)] = answer
        present = {
            (reg_id, day_id)
            for reg_id, day_id in (
                await session.execute(
                    select(Attendance.registration_id, Attendance.training_day_id).where(
                        Attendance.registration_id.in_(ids)
                    )
                )
            ).all()
        }
    # Waiting-list positions follow from the order: count the waiting rows before this one.
    waiting_before = await _waiting_before(session, training.id, offset) if offset else 0
    rows: list[ParticipantRow] = []
    for index, registration in enumerate(registrations):
        person: Participant = registration.participant
        position = None
        if registration.status == RegistrationStatus.WAITLISTED:
            waiting_before += 1
            position = waiting_before
        rows.append(
            ParticipantRow(
                number=offset + index + 1,
                registration_id=registration.id,
                name=person.full_name or "",
                phone=person.phone or "",
                business=person.business_name or "",
                sector=person.sector or "",
                district=person.district or "",
                status=registration.status,
                waitlist_position=position,
                registered_at=registration.created_at.astimezone(tz).replace(tzinfo=None),
                rsvp=tuple(answers.get((registration.id, d.id)) for d in training.days),
                attended=tuple((registration.id, d.id) in present for d in training.days),
                registered_by=_registered_by(person),
            )
        )
    return rows


def _registered_by(person: Participant) -> str:
    """Who registered a colleague (a name, or "" for someone who registered themselves)."""
    holder = person.registered_by
    return (holder.full_name or "") if holder is not None and person.full_name else ""


async def _waiting_before(session: AsyncSession, training_id: int, offset: int) -> int:
    """How many waiting registrations come before position `offset` of the list order."""
    statuses = (
        await session.execute(
            _rows_query(training_id).with_only_columns(Registration.status).limit(offset)
        )
    ).scalars()
    return sum(1 for s in statuses if s == RegistrationStatus.WAITLISTED)


async def participant_page(
    session: AsyncSession,
    training: Training,
    page: int,
    tz: tzinfo,
    page_size: int = PAGE_SIZE,
    *,
    reader: audit.Reader | None = None,
) -> ParticipantPage:
    """Page `page` (0-based, clamped) of the training's registrations in list order (with
    phones: a `reader` is recorded in the audit trail)."""
    total = int(
        await session.scalar(
            select(func.count())
            .select_from(Registration)
            .where(Registration.training_id == training.id)
        )
        or 0
    )
    pages = max(1, -(-total // page_size))
    page = min(max(page, 0), pages - 1)
    rows = await _rows(session, training, tz, offset=page * page_size, limit=page_size)
    await audit.note_access(session, reader, audit.Action.PARTICIPANTS, training.id, len(rows))
    return ParticipantPage(rows=tuple(rows), page=page, pages=pages, total=total)


@dataclass(frozen=True)
class TrainingExport:
    """Everything an export file holds about one training."""

    code: str
    title: str
    venue: str
    status: TrainingStatus
    capacity: int
    days: tuple[tuple[int, date], ...]  # (day number, date)
    counts: TrainingCounts
    rows: tuple[ParticipantRow, ...]


async def export_training(
    session: AsyncSession, training: Training, tz: tzinfo, *, reader: audit.Reader | None = None
) -> TrainingExport:
    """Rows and counts of one training for the export files (its days must be loaded); a
    `reader` is recorded in the audit trail."""
    rows = tuple(await _rows(session, training, tz))
    await audit.note_access(session, reader, audit.Action.EXPORT, training.id, len(rows))
    return TrainingExport(
        code=training.code,
        title=training.title,
        venue=training.venue,
        status=training.status,
        capacity=training.capacity,
        days=tuple((d.day_number, d.date) for d in training.days),
        counts=await training_counts(session, training),
        rows=rows,
    )
