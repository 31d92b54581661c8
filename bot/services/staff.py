"""Staff work on trainings: drafts as plain values, save, publish, close and cancel.

Times are entered by staff in the configured local zone and stored in UTC. A day keeps its
`TrainingDay` row when its date or time changes (updated in place), so the reminders feature
sees the new start (its outbox rows no longer match the day) and recomputes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.models import (
    Delivery,
    DeliveryState,
    Registration,
    RegistrationStatus,
    Training,
    TrainingDay,
    TrainingStatus,
)
from bot.services.cancellation import promote_waitlist
from bot.services.notices import queue_change_notices
from bot.services.outbox import Kind
from bot.services.seats import lock_training

CANCEL_REASON_TRAINING = "training_cancelled"
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{1,39}$")
MAX_TITLE = 200
MAX_VENUE = 200
MAX_DESCRIPTION = 2000
MAX_TOPIC = 200
MAX_NOTE = 1000
MAX_CAPACITY = 10_000
# The check-in deep link payload starts with this; a training code must not.
RESERVED_CODE_PREFIX = "ci_"


class InvalidValueError(ValueError):
    """A value staff typed is not acceptable; `hint` is a catalog key explaining why."""

    def __init__(self, hint: str) -> None:
        super().__init__(hint)
        self.hint = hint


# ---- parsing what staff type -------------------------------------------------------------
def parse_code(text: str) -> str:
    """A training code: 2-40 letters, digits, '-' or '_' (used in deep links)."""
    code = text.strip()
    if not CODE_RE.match(code) or code.lower().startswith(RESERVED_CODE_PREFIX):
        raise InvalidValueError("staff.hint.code")
    return code


def parse_text(text: str, maximum: int, *, required: bool = True) -> str:
    """Trimmed free text of at most `maximum` characters."""
    value = text.strip()
    if required and not value:
        raise InvalidValueError("staff.hint.required")
    if len(value) > maximum:
        raise InvalidValueError("staff.hint.too_long")
    return value


def parse_capacity(text: str) -> int:
    """A number of seats, 1 to MAX_CAPACITY."""
    value = text.strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_CAPACITY:
        raise InvalidValueError("staff.hint.seats")
    return int(value)


def parse_date(text: str) -> date:
    """A date as DD-MM-YYYY (also with / or .) or YYYY-MM-DD."""
    value = text.strip()
    match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", value)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise InvalidValueError("staff.hint.date")


def parse_time(text: str) -> time:
    """A time of day as HH:MM (08.00 is accepted too)."""
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidValueError("staff.hint.time")
    return time(int(match[1]), int(match[2]))


def parse_deadline(text: str) -> datetime:
    """A local deadline: a date (meaning 23:59 that day) optionally followed by HH:MM (naive)."""
    parts = text.strip().replace("T", " ").split()
    if not 1 <= len(parts) <= 2:
        raise InvalidValueError("staff.hint.deadline")
    try:
        day = parse_date(parts[0])
        moment = parse_time(parts[1]) if len(parts) == 2 else time(23, 59)
    except InvalidValueError:
        raise InvalidValueError("staff.hint.deadline") from None
    return datetime.combine(day, moment)


# ---- drafts ---------------------------------------------------------------------------------
@dataclass
class DayDraft:
    """One training day as staff entered it (local date and times)."""

    date: date
    start: time
    end: time
    topic: str = ""
    note: str = ""
    day_id: int | None = None


@dataclass
class TrainingDraft:
    """A training as staff entered it; `registration_closes` is local and naive."""

    code: str
    title: str
    venue: str
    capacity: int
    description: str = ""
    registration_closes: datetime | None = None
    days: list[DayDraft] = field(default_factory=list)
    training_id: int | None = None


def draft_problems(draft: TrainingDraft) -> list[str]:
    """Catalog keys of what stops this draft from being saved (empty when it can be)."""
    problems: list[str] = []
    if not draft.days:
        problems.append("staff.problem.no_days")
    if any(d.end <= d.start for d in draft.days):
        problems.append("staff.problem.end_before_start")
    dates = [d.date for d in draft.days]
    if len(set(dates)) != len(dates):
        problems.append("staff.problem.same_date")
    if draft.registration_closes is not None and draft.days:
        first = min(draft.days, key=lambda d: (d.date, d.start))
        if draft.registration_closes > datetime.combine(first.date, first.start):
            problems.append("staff.problem.deadline_after_start")
    return problems


def draft_of(training: Training, tz: tzinfo) -> TrainingDraft:
    """The draft that edits an existing training (its days must be loaded)."""
    closes = training.registration_closes_at
    return TrainingDraft(
        code=training.code,
        title=training.title,
        venue=training.venue,
        capacity=training.capacity,
        description=training.description,
        registration_closes=closes.astimezone(tz).replace(tzinfo=None) if closes else None,
        days=[
            DayDraft(
                date=d.date,
                start=d.starts_at.astimezone(tz).time().replace(tzinfo=None),
                end=d.ends_at.astimezone(tz).time().replace(tzinfo=None),
                topic=d.topic,
                note=d.note,
                day_id=d.id,
            )
            for d in training.days
        ],
        training_id=training.id,
    )


# ---- reading --------------------------------------------------------------------------------
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


async def list_trainings(session: AsyncSession) -> list[TrainingLine]:
    """Every training (newest first) with confirmed and waiting counts."""
    counts: dict[tuple[int, RegistrationStatus], int] = {
        (training_id, status): int(n)
        for training_id, status, n in (
            await session.execute(
                select(Registration.training_id, Registration.status, func.count()).group_by(
                    Registration.training_id, Registration.status
                )
            )
        ).all()
    }
    first_days = dict(
        (
            await session.execute(
                select(TrainingDay.training_id, func.min(TrainingDay.date)).group_by(
                    TrainingDay.training_id
                )
            )
        ).all()
    )
    trainings = (await session.execute(select(Training).order_by(Training.id.desc()))).scalars()
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
        select(Training)
        .where(func.lower(Training.code) == code.strip().lower())
        .options(selectinload(Training.days))
    )
    return result.scalar_one_or_none()


# ---- writing --------------------------------------------------------------------------------
class SaveOutcome(StrEnum):
    """How saving a draft went."""

    CREATED = "created"
    UPDATED = "updated"
    CODE_TAKEN = "code_taken"
    NOT_FOUND = "not_found"
    INVALID = "invalid"


@dataclass(frozen=True)
class SaveResult:
    """The outcome of `save_training`, the training's id, and any draft problems."""

    outcome: SaveOutcome
    training_id: int | None = None
    problems: tuple[str, ...] = ()
    capacity_raised: bool = False
    # How many moved up from the waiting list by a raised capacity (each is told).
    promoted: int = 0


def _utc(day: date, moment: time, tz: tzinfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=tz)


async def save_training(
    session: AsyncSession, draft: TrainingDraft, *, staff_id: int, now: datetime, tz: tzinfo
) -> SaveResult:
    """Create the training as a draft, or update it; days are updated in place and renumbered
    in date order."""
    problems = draft_problems(draft)
    if problems:
        return SaveResult(SaveOutcome.INVALID, draft.training_id, tuple(problems))
    clash = await find_training_by_code(session, draft.code)
    if clash is not None and clash.id != draft.training_id:
        return SaveResult(SaveOutcome.CODE_TAKEN, draft.training_id)

    training: Training | None
    if draft.training_id is None:
        training = Training(
            code=draft.code,
            status=TrainingStatus.DRAFT,
            created_by=staff_id,
            created_at=now,
            title=draft.title,
            venue=draft.venue,
            capacity=draft.capacity,
        )
        session.add(training)
        old_capacity = draft.capacity
    else:
        locked = await lock_training(session, draft.training_id)
        if locked is None:
            return SaveResult(SaveOutcome.NOT_FOUND, draft.training_id)
        training = await get_training(session, draft.training_id)
        if training is None:
            return SaveResult(SaveOutcome.NOT_FOUND, draft.training_id)
        old_capacity = training.capacity
    training.code = draft.code
    training.title = draft.title
    training.description = draft.description
    training.venue = draft.venue
    training.capacity = draft.capacity
    training.registration_closes_at = (
        draft.registration_closes.replace(tzinfo=tz) if draft.registration_closes else None
    )
    training.updated_at = now
    await session.flush()

    existing = {d.id: d for d in (training.days if draft.training_id is not None else [])}
    # Move current numbers out of the way first: (training, day_number) is unique.
    for index, day in enumerate(existing.values()):
        day.day_number = -1 - index
    await session.flush()
    ordered = sorted(draft.days, key=lambda d: (d.date, d.start))
    for number, entered in enumerate(ordered, start=1):
        row = existing.pop(entered.day_id, None) if entered.day_id is not None else None
        if row is None:
            row = TrainingDay(training_id=training.id)
            session.add(row)
        row.day_number = number
        row.date = entered.date
        row.starts_at = _utc(entered.date, entered.start, tz)
        row.ends_at = _utc(entered.date, entered.end, tz)
        row.topic = entered.topic
        row.note = entered.note
    for removed in existing.values():
        await session.delete(removed)
    promoted = 0
    if draft.training_id is not None and draft.capacity > old_capacity:
        await session.flush()  # the training is locked above; count with the new capacity
        promoted = len(await promote_waitlist(session, training.id, now))
    await session.commit()
    return SaveResult(
        SaveOutcome.CREATED if draft.training_id is None else SaveOutcome.UPDATED,
        training.id,
        capacity_raised=draft.capacity > old_capacity,
        promoted=promoted,
    )


class StatusOutcome(StrEnum):
    """How a status change went."""

    DONE = "done"
    UNCHANGED = "unchanged"
    NOT_FOUND = "not_found"
    NOT_ALLOWED = "not_allowed"


# Which status each staff action may start from.
_ALLOWED_FROM = {
    TrainingStatus.OPEN: (TrainingStatus.DRAFT, TrainingStatus.CLOSED),
    TrainingStatus.CLOSED: (TrainingStatus.OPEN,),
}


async def _set_status(
    session: AsyncSession, training_id: int, status: TrainingStatus, now: datetime
) -> StatusOutcome:
    training = await lock_training(session, training_id)
    if training is None:
        return StatusOutcome.NOT_FOUND
    if training.status == status:
        return StatusOutcome.UNCHANGED
    if training.status not in _ALLOWED_FROM[status]:
        return StatusOutcome.NOT_ALLOWED
    if status == TrainingStatus.OPEN:
        has_days = await session.scalar(
            select(func.count())
            .select_from(TrainingDay)
            .where(TrainingDay.training_id == training_id)
        )
        if not has_days:
            return StatusOutcome.NOT_ALLOWED
    training.status = status
    training.updated_at = now
    await session.commit()
    return StatusOutcome.DONE


async def publish_training(session: AsyncSession, training_id: int, now: datetime) -> StatusOutcome:
    """Open registration (from draft, or again after closing); needs at least one day."""
    return await _set_status(session, training_id, TrainingStatus.OPEN, now)


async def close_training(session: AsyncSession, training_id: int, now: datetime) -> StatusOutcome:
    """Stop registration; registrations already made stay."""
    return await _set_status(session, training_id, TrainingStatus.CLOSED, now)


@dataclass(frozen=True)
class CancelTrainingResult:
    """What cancelling a training changed; `participant_ids` are `Participant.id` values of
    every registration that was active (confirmed or waiting) and is now cancelled."""

    outcome: StatusOutcome
    training_id: int
    code: str = ""
    title: str = ""
    participant_ids: tuple[int, ...] = ()
    registration_ids: tuple[int, ...] = ()


async def cancel_training(
    session: AsyncSession, training_id: int, now: datetime
) -> CancelTrainingResult:
    """Cancel the training and every active registration (reason "training_cancelled");
    pending reminders are skipped, and an announcement to every registrant is queued."""
    training = await lock_training(session, training_id)
    if training is None:
        return CancelTrainingResult(StatusOutcome.NOT_FOUND, training_id)
    if training.status == TrainingStatus.CANCELLED:
        return CancelTrainingResult(
            StatusOutcome.UNCHANGED, training_id, training.code, training.title
        )
    active = (
        await session.execute(
            select(Registration)
            .where(
                Registration.training_id == training_id,
                Registration.status.in_(
                    (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
                ),
            )
            .order_by(Registration.id)
        )
    ).scalars()
    registrations = list(active)
    for registration in registrations:
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.cancel_reason = CANCEL_REASON_TRAINING
        registration.updated_at = now
    if registrations:
        await session.execute(
            update(Delivery)
            .where(
                Delivery.kind == Kind.REMINDER,
                Delivery.registration_id.in_([r.id for r in registrations]),
                Delivery.state == DeliveryState.PENDING,
            )
            .values(state=DeliveryState.SKIPPED)
        )
    training.status = TrainingStatus.CANCELLED
    training.updated_at = now
    if registrations:
        # Queued in the same transaction: a cancelled training always has its notice.
        await queue_change_notices(
            session,
            training_id,
            [],
            [r.id for r in registrations],
            cancelled=True,
            changed_by=None,
            now=now,
        )
    await session.commit()
    return CancelTrainingResult(
        StatusOutcome.DONE,
        training_id,
        training.code,
        training.title,
        participant_ids=tuple(r.participant_id for r in registrations),
        registration_ids=tuple(r.id for r in registrations),
    )
