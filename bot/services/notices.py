"""Notices the bot owes a person after a change: a seat came free for them, or their training
changed (dates, times, venue) or was cancelled. Both are queued in the outbox in the
transaction that made the change, so the change and its notice stand or fall together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, String, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.models.messaging import Delivery, DeliveryState
from bot.models.people import Participant
from bot.models.registrations import Registration, RegistrationStatus
from bot.models.trainings import Training, TrainingChange, TrainingDay
from bot.services.outbox import NOTICE, Kind, insert_deliveries

_COLUMNS = (
    "kind",
    "key",
    "chat_id",
    "participant_id",
    "registration_id",
    "payload",
    "priority",
    "due_at",
    "state",
    "attempts",
    "created_at",
)


@dataclass(frozen=True)
class FieldChange:
    """One thing that changed: `field` is "venue", "date", "start", "end", "day_added" or
    "day_removed"; `day` the day's number (None for the training as a whole); values are
    ISO strings ("2026-12-08", "08:00") or plain text (a venue)."""

    field: str
    old: str | None
    new: str | None
    day: int | None = None

    def as_json(self) -> dict[str, Any]:
        """The change as stored in `TrainingChange.changes`."""
        return {"field": self.field, "day": self.day, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class ChangeView:
    """What a change notice says to one person."""

    change_id: int
    training_id: int
    title: str
    code: str
    venue: str
    description: str
    cancelled: bool
    fields: tuple[FieldChange, ...]
    status: RegistrationStatus  # the person's registration now (confirmed, waiting, cancelled)
    registration_id: int


@dataclass(frozen=True)
class SeatView:
    """What a seat notice says: the training now confirmed for this person (and what its
    calendar file needs)."""

    registration_id: int
    title: str
    venue: str
    first_day: date | None
    last_day: date | None
    training_id: int
    code: str
    description: str


def _recipients(
    kind: Kind, key_prefix: str, registration_ids: Sequence[int], payload: dict[str, Any] | None
) -> Any:
    return (
        select(
            literal(kind.value),
            literal(key_prefix) + cast(Registration.id, String),
            func.coalesce(Participant.chat_id, Participant.telegram_id),
            Participant.id,
            Registration.id,
            literal(payload, type_=JSON),
            literal(NOTICE),
        )
        .join(Participant, Participant.id == Registration.participant_id)
        .where(Registration.id.in_(registration_ids), Participant.erased_at.is_(None))
    )


async def _queue(
    session: AsyncSession,
    source: Any,
    now: datetime,
) -> int:
    """Insert the notices selected by `source` (columns as `_recipients`), pending now."""
    full = source.add_columns(
        literal(now, type_=Delivery.due_at.type),
        literal(DeliveryState.PENDING.value),
        literal(0),
        literal(now, type_=Delivery.due_at.type),
    )
    result = await session.execute(
        insert_deliveries(session)
        .from_select(_COLUMNS, full)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return max(int(getattr(result, "rowcount", 0) or 0), 0)


async def queue_seat_notices(
    session: AsyncSession, registrations: Sequence[Registration], now: datetime
) -> int:
    """Tell each registration just moved up from the waiting list (call in its transaction)."""
    total = 0
    for registration in registrations:
        prefix = f"{Kind.SEAT.value}:{registration.queue_seq}:"
        source = _recipients(Kind.SEAT, prefix, [registration.id], None)
        total += await _queue(session, source, now)
    return total


async def queue_change_notices(
    session: AsyncSession,
    training_id: int,
    fields: Sequence[FieldChange],
    registration_ids: Sequence[int],
    *,
    cancelled: bool = False,
    changed_by: int | None,
    now: datetime,
) -> TrainingChange:
    """Record a change of the training and tell each of `registration_ids` (no commit)."""
    change = TrainingChange(
        training_id=training_id,
        changes={"cancelled": cancelled, "fields": [f.as_json() for f in fields]},
        changed_by=changed_by,
        changed_at=now,
    )
    session.add(change)
    await session.flush()
    if registration_ids:
        prefix = f"{Kind.CHANGE.value}:{change.id}:"
        payload = {"change_id": change.id}
        await _queue(session, _recipients(Kind.CHANGE, prefix, registration_ids, payload), now)
    return change


async def seat_views(session: AsyncSession, registration_ids: Sequence[int]) -> dict[int, SeatView]:
    """The seat notices still true: registrations that hold their seat now."""
    rows = await session.execute(
        select(Registration)
        .where(
            Registration.id.in_(registration_ids),
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .options(selectinload(Registration.training).selectinload(Training.days))
    )
    views = {}
    for registration in rows.scalars():
        training = registration.training
        dates = sorted(day.date for day in training.days)
        views[registration.id] = SeatView(
            registration.id,
            training.title,
            training.venue,
            dates[0] if dates else None,
            dates[-1] if dates else None,
            training.id,
            training.code,
            training.description,
        )
    return views


async def change_views(
    session: AsyncSession, pairs: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], ChangeView]:
    """Change notices by (change id, registration id)."""
    change_ids = {change for change, _ in pairs}
    registration_ids = {registration for _, registration in pairs}
    changes = {
        c.id: c
        for c in (
            await session.execute(select(TrainingChange).where(TrainingChange.id.in_(change_ids)))
        ).scalars()
    }
    registrations = {
        r.id: r
        for r in (
            await session.execute(
                select(Registration)
                .where(Registration.id.in_(registration_ids))
                .options(selectinload(Registration.training))
            )
        ).scalars()
    }
    views = {}
    for change_id, registration_id in pairs:
        change, registration = changes.get(change_id), registrations.get(registration_id)
        if change is not None and registration is not None:
            views[(change_id, registration_id)] = _change_view(change, registration)
    return views


def _change_view(change: TrainingChange, registration: Registration) -> ChangeView:
    training = registration.training
    fields = tuple(
        FieldChange(f["field"], f.get("old"), f.get("new"), f.get("day"))
        for f in change.changes.get("fields", [])
    )
    return ChangeView(
        change_id=change.id,
        training_id=training.id,
        title=training.title,
        code=training.code,
        venue=training.venue,
        description=training.description,
        cancelled=bool(change.changes.get("cancelled")),
        fields=fields,
        status=registration.status,
        registration_id=registration.id,
    )


async def training_days_of(session: AsyncSession, training_id: int) -> list[TrainingDay]:
    """A training's days in order (for the calendar file of a notice)."""
    rows = await session.execute(
        select(TrainingDay)
        .where(TrainingDay.training_id == training_id)
        .order_by(TrainingDay.day_number)
    )
    return list(rows.scalars())
