"""The one writer of trainings. The chat, the training file and (later) the dashboard create,
change, publish, close and cancel trainings here, under one set of rules.

Besides a spec's own rules (`bot.services.training_spec`), writing checks what needs the
database: the code is free; there are at least as many seats as confirmed participants; the
training is not entirely in the past, nor a day added or moved into the past (history is not
rewritten; a typo in a training that is over stays, and a training file keeps only what is to
come); a cancelled training stays as it is. Then:
- more seats move the waiting list up (`promote_waitlist` tells each person promoted);
- a new date, start or end time, a new venue, or a day added or removed, of a training with
  registrations, is recorded once, in `_tell_registrants`, which queues a change notice
  (old → new) to every confirmed and waiting registration; cancelling goes through it too;
- days keep their `TrainingDay` rows when matched (`DaySpec.day_id`), so reminders and
  attendance keep pointing at them (the reminder sync re-keys a moved day's reminder).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models.messaging import Delivery
from bot.models.registrations import Registration, RegistrationStatus
from bot.models.trainings import Training, TrainingDay, TrainingStatus
from bot.services import audit, outbox
from bot.services.cancellation import (
    ACTIVE_STATUSES,
    REASON_TRAINING_CANCELLED,
    promote_waitlist,
)
from bot.services.notices import FieldChange, queue_change_notices
from bot.services.outbox import Kind
from bot.services.seats import confirmed_count, lock_training
from bot.services.training_spec import DaySpec, Problem, TrainingSpec, spec_problems

# Changes that put a day at a new moment: such a day must not start in the past.
_MOVES = ("date", "start", "day_added")


@dataclass(frozen=True)
class Written:
    """A training written: whether it is new, how many moved up from the waiting list, how
    many registrations were told of a change, and whether this write opened registration
    (created published, or a draft published)."""

    training_id: int
    code: str
    created: bool
    promoted: int = 0
    told: int = 0
    published: bool = False


@dataclass(frozen=True)
class WriteRefusal:
    """Why the spec at `index` (of those written together) was not written; nothing was."""

    problems: tuple[Problem, ...]
    index: int = 0


@dataclass(frozen=True)
class _DayWas:
    number: int
    date: date
    start: time
    end: time


def same_code(code: str) -> ColumnElement[bool]:
    """Codes are one whatever their case: `KP-01` and `kp-01` name one training."""
    return func.lower(Training.code) == code.strip().lower()


def _record(
    session: AsyncSession,
    changed_by: int | None,
    now: datetime,
    training_id: int,
    detail: str,
    people: int = 0,
) -> None:
    """The audit entry of a change to a training, in the change's transaction."""
    action = audit.Action.TRAINING_CHANGE
    audit.record(
        session, changed_by, action, now, training_id=training_id, people=people, detail=detail
    )


async def training_id_of_code(session: AsyncSession, code: str) -> int | None:
    """The id of the training with this code, if any."""
    return await session.scalar(select(Training.id).where(same_code(code)))


# ---- writing -------------------------------------------------------------------------------
async def write_trainings(
    session: AsyncSession, specs: Sequence[TrainingSpec], *, now: datetime, changed_by: int | None
) -> list[Written] | WriteRefusal:
    """Write every spec in one transaction and commit; at the first refusal, nothing."""
    written: list[Written] = []
    try:
        for index, spec in enumerate(specs):
            outcome = await _write(session, spec, now, changed_by)
            if isinstance(outcome, WriteRefusal):
                await session.rollback()
                return WriteRefusal(outcome.problems, index)
            written.append(outcome)
            _record(session, changed_by, now, outcome.training_id, f"write {spec.code}")
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    return written


async def _write(
    session: AsyncSession, spec: TrainingSpec, now: datetime, changed_by: int | None
) -> Written | WriteRefusal:
    problems = spec_problems(spec)
    clash = await training_id_of_code(session, spec.code)
    if clash is not None and clash != spec.training_id:
        problems.append(Problem("training.problem.code_taken", "code"))
    if problems:
        return WriteRefusal(tuple(problems))
    if spec.training_id is None:
        return await _create(session, spec, now, changed_by)
    return await _update(session, spec, spec.training_id, now, changed_by)


async def _create(
    session: AsyncSession, spec: TrainingSpec, now: datetime, staff_id: int | None
) -> Written | WriteRefusal:
    added = [FieldChange("day_added", None, d.date.isoformat(), n) for n, d in _numbered(spec)]
    problems = _time_problems(spec, added, now)
    if problems:
        return WriteRefusal(problems)
    status = TrainingStatus.OPEN if spec.published else TrainingStatus.DRAFT
    training = Training(code=spec.code, status=status, created_by=staff_id, created_at=now)
    _apply_fields(training, spec, now)
    session.add(training)
    await session.flush()
    await _apply_days(session, training.id, spec, {})
    return Written(training.id, spec.code, created=True, published=spec.published)


async def _update(
    session: AsyncSession, spec: TrainingSpec, training_id: int, now: datetime, staff: int | None
) -> Written | WriteRefusal:
    training = await lock_training(session, training_id)
    if training is None:
        return WriteRefusal((Problem("training.problem.not_found"),))
    rows = await _day_rows(session, training_id)
    changes = _field_changes(training.venue, _days_were(rows.values(), spec), spec)
    old_capacity = training.capacity
    problems = await _update_problems(session, training, spec, changes, now)
    if problems:
        return WriteRefusal(problems)
    _apply_fields(training, spec, now)
    published = spec.published and training.status == TrainingStatus.DRAFT
    if published:
        training.status = TrainingStatus.OPEN
    await _apply_days(session, training_id, spec, rows)
    promoted: list[Registration] = []
    if spec.capacity > old_capacity:
        promoted = await promote_waitlist(session, training_id, now)
    told = await _tell_registrants(session, training_id, changes, staff, now) if changes else []
    return Written(training_id, spec.code, False, len(promoted), len(told), published)


async def _update_problems(
    session: AsyncSession,
    training: Training,
    spec: TrainingSpec,
    changes: list[FieldChange],
    now: datetime,
) -> tuple[Problem, ...]:
    if training.status == TrainingStatus.CANCELLED:
        return (Problem("training.problem.cancelled"),)
    confirmed = await confirmed_count(session, training.id)
    if spec.capacity < confirmed:
        values = {"capacity": spec.capacity, "confirmed": confirmed}
        return (Problem("training.problem.capacity_below_confirmed", "capacity", None, values),)
    return _time_problems(spec, changes, now)


def _time_problems(
    spec: TrainingSpec, changes: Sequence[FieldChange], now: datetime
) -> tuple[Problem, ...]:
    """A training entirely in the past, or a day put at a moment already past, is refused."""
    if spec.days and max(spec.ends_at(d) for d in spec.days) <= now:
        return (Problem("training.problem.past", "days"),)
    moved = {c.day for c in changes if c.field in _MOVES}
    return tuple(
        Problem("training.problem.day_past", "date", number)
        for number, day in _numbered(spec)
        if number in moved and spec.starts_at(day) <= now
    )


def _numbered(spec: TrainingSpec) -> Iterator[tuple[int, DaySpec]]:
    return enumerate(spec.days, start=1)


def _apply_fields(training: Training, spec: TrainingSpec, now: datetime) -> None:
    training.code = spec.code
    training.title = spec.title
    training.description = spec.description
    training.venue = spec.venue
    training.capacity = spec.capacity
    training.registration_closes_at = spec.closes_at()
    training.latitude = spec.latitude
    training.longitude = spec.longitude
    training.updated_at = now


async def _day_rows(session: AsyncSession, training_id: int) -> dict[int, TrainingDay]:
    rows = await session.scalars(
        select(TrainingDay)
        .where(TrainingDay.training_id == training_id)
        .order_by(TrainingDay.day_number)
    )
    return {row.id: row for row in rows}


async def _apply_days(
    session: AsyncSession, training_id: int, spec: TrainingSpec, rows: dict[int, TrainingDay]
) -> None:
    """The days as the spec lists them, numbered in its order; matched rows are kept."""
    # Move current numbers out of the way first: (training, day_number) is unique.
    for index, kept in enumerate(rows.values()):
        kept.day_number = -1 - index
    await session.flush()
    unmatched = dict(rows)
    for number, day in _numbered(spec):
        row: TrainingDay | None = unmatched.pop(day.day_id or 0, None)
        if row is None:
            row = TrainingDay(training_id=training_id)
            session.add(row)
        row.day_number = number
        row.date = day.date
        row.starts_at = spec.starts_at(day)
        row.ends_at = spec.ends_at(day)
        row.topic = day.topic
        row.note = day.note
    for removed in unmatched.values():
        await session.delete(removed)
    await session.flush()


# ---- what changed --------------------------------------------------------------------------
def _days_were(rows: Iterable[TrainingDay], spec: TrainingSpec) -> dict[int, _DayWas]:
    return {
        row.id: _DayWas(
            row.day_number,
            row.date,
            row.starts_at.astimezone(spec.tz).time(),
            row.ends_at.astimezone(spec.tz).time(),
        )
        for row in rows
    }


def _field_changes(
    old_venue: str, old_days: dict[int, _DayWas], spec: TrainingSpec
) -> list[FieldChange]:
    """What a participant must learn about: venue, and each day's date and times, old → new."""
    changes: list[FieldChange] = []
    if old_venue != spec.venue:
        changes.append(FieldChange("venue", old_venue, spec.venue))
    kept: set[int] = set()
    for number, day in _numbered(spec):
        was = old_days.get(day.day_id or 0)
        if was is None:
            changes.append(FieldChange("day_added", None, day.date.isoformat(), number))
            continue
        kept.add(day.day_id or 0)
        changes += _day_changes(was, day, number)
    for day_id, was in old_days.items():
        if day_id not in kept:
            changes.append(FieldChange("day_removed", was.date.isoformat(), None, was.number))
    return changes


def _day_changes(was: _DayWas, day: DaySpec, number: int) -> list[FieldChange]:
    pairs = (
        ("date", was.date.isoformat(), day.date.isoformat()),
        ("start", was.start.strftime("%H:%M"), day.start.strftime("%H:%M")),
        ("end", was.end.strftime("%H:%M"), day.end.strftime("%H:%M")),
    )
    return [FieldChange(name, old, new, number) for name, old, new in pairs if old != new]


async def _tell_registrants(
    session: AsyncSession,
    training_id: int,
    fields: Sequence[FieldChange],
    changed_by: int | None,
    now: datetime,
    *,
    cancelled: bool = False,
) -> list[Registration]:
    """Record a change (or the cancellation) of the training and queue a notice to every
    confirmed and waiting registration (no commit); returns those registrations."""
    active = list(
        await session.scalars(
            select(Registration)
            .where(
                Registration.training_id == training_id,
                Registration.status.in_(ACTIVE_STATUSES),
            )
            .order_by(Registration.id)
        )
    )
    if active:
        ids = [r.id for r in active]
        await queue_change_notices(
            session, training_id, fields, ids, cancelled=cancelled, changed_by=changed_by, now=now
        )
    return active


# ---- status --------------------------------------------------------------------------------
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
    session: AsyncSession,
    training_id: int,
    status: TrainingStatus,
    now: datetime,
    changed_by: int | None,
) -> StatusOutcome:
    training = await lock_training(session, training_id)
    if training is None:
        return StatusOutcome.NOT_FOUND
    if training.status == status:
        return StatusOutcome.UNCHANGED
    if training.status not in _ALLOWED_FROM[status]:
        return StatusOutcome.NOT_ALLOWED
    if status == TrainingStatus.OPEN and not await _day_rows(session, training_id):
        return StatusOutcome.NOT_ALLOWED
    training.status = status
    training.updated_at = now
    _record(session, changed_by, now, training_id, f"status {status.value}")
    await session.commit()
    return StatusOutcome.DONE


async def publish_training(
    session: AsyncSession, training_id: int, now: datetime, *, changed_by: int | None = None
) -> StatusOutcome:
    """Open registration (from draft, or again after closing); needs at least one day."""
    return await _set_status(session, training_id, TrainingStatus.OPEN, now, changed_by)


async def close_training(
    session: AsyncSession, training_id: int, now: datetime, *, changed_by: int | None = None
) -> StatusOutcome:
    """Stop registration; registrations already made stay."""
    return await _set_status(session, training_id, TrainingStatus.CLOSED, now, changed_by)


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
    session: AsyncSession, training_id: int, *, changed_by: int | None, now: datetime
) -> CancelTrainingResult:
    """Cancel the training and every active registration (reason "training_cancelled"), each
    registrant told; their pending reminders are skipped."""
    training = await lock_training(session, training_id)
    if training is None:
        return CancelTrainingResult(StatusOutcome.NOT_FOUND, training_id)
    if training.status == TrainingStatus.CANCELLED:
        return CancelTrainingResult(
            StatusOutcome.UNCHANGED, training_id, training.code, training.title
        )
    registrations = await _tell_registrants(
        session, training_id, [], changed_by, now, cancelled=True
    )
    await _cancel_registrations(session, registrations, now)
    training.status = TrainingStatus.CANCELLED
    training.updated_at = now
    _record(session, changed_by, now, training_id, "status cancelled", len(registrations))
    await session.commit()
    return CancelTrainingResult(
        StatusOutcome.DONE,
        training_id,
        training.code,
        training.title,
        participant_ids=tuple(r.participant_id for r in registrations),
        registration_ids=tuple(r.id for r in registrations),
    )


async def _cancel_registrations(
    session: AsyncSession, registrations: Sequence[Registration], now: datetime
) -> None:
    for registration in registrations:
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.cancel_reason = REASON_TRAINING_CANCELLED
        registration.updated_at = now
    if registrations:
        await outbox.skip_pending_where(
            session,
            Delivery.kind == Kind.REMINDER,
            Delivery.registration_id.in_([r.id for r in registrations]),
            reason="training cancelled",
        )
