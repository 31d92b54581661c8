"""A reminder as it is shown (the outbox renders it from these views), and the participant's
answer to it: coming or not, one answer per registration and day (a second tap changes it)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.models.messaging import Delivery, DeliveryState
from bot.models.people import Participant
from bot.models.registrations import Registration, RegistrationStatus, Rsvp, RsvpAnswer
from bot.models.trainings import Training, TrainingDay
from bot.services.outbox import Kind, insert_ignoring_duplicates
from bot.services.participants import owned_by


@dataclass(frozen=True)
class DueReminder:
    """Everything needed to render one reminder (or re-render it after an answer)."""

    delivery_id: int
    registration_id: int
    chat_id: int
    language: str
    title: str
    venue: str
    day_number: int
    total_days: int
    day_date: date
    starts_at: datetime
    topic: str
    note: str
    rsvp: Rsvp | None = None
    # The day's date when the row was queued; the reminder no longer applies if it moved.
    queued_for: date | None = None
    latitude: float | None = None
    longitude: float | None = None


class RsvpStatus(enum.StrEnum):
    """How an attempt to answer a reminder ended."""

    RECORDED = "recorded"
    NOT_FOUND = "not_found"  # no such reminder for this user (forged or someone else's)
    CLOSED = "closed"  # the day is over
    CANCELLED = "cancelled"  # the registration no longer holds a seat


@dataclass(frozen=True)
class RsvpResult:
    """The outcome of `record_rsvp`; `offer_cancel` when every remaining day is a "no"."""

    status: RsvpStatus
    reminder: DueReminder | None = None
    offer_cancel: bool = False


def _of_reminder(*columns: Any) -> Any:
    """SQL: `columns` of reminder rows with their registration, person and day."""
    return (
        select(*columns)
        .join(Registration, Registration.id == Delivery.registration_id)
        .join(Participant, Participant.id == Registration.participant_id)
        .join(TrainingDay, TrainingDay.id == Delivery.training_day_id)
    )


def _view_query(kind: Kind = Kind.REMINDER) -> Any:
    """Reminder rows (of one kind) joined with everything a reminder shows."""
    all_days = aliased(TrainingDay)
    total_days = (
        select(func.count(all_days.id))
        .where(all_days.training_id == TrainingDay.training_id)
        .scalar_subquery()
    )
    return (
        _of_reminder(
            Delivery.id,
            Delivery.registration_id,
            Delivery.chat_id,
            Participant.language,
            Training.title,
            Training.venue,
            TrainingDay.day_number,
            total_days,
            TrainingDay.date,
            TrainingDay.starts_at,
            TrainingDay.topic,
            TrainingDay.note,
            RsvpAnswer.answer,
            Delivery.payload,
            Training.latitude,
            Training.longitude,
        )
        .join(Training, Training.id == TrainingDay.training_id)
        .outerjoin(
            RsvpAnswer,
            (RsvpAnswer.registration_id == Delivery.registration_id)
            & (RsvpAnswer.training_day_id == Delivery.training_day_id),
        )
        .where(Delivery.kind == kind.value)
    )


def _to_view(row: Sequence[Any]) -> DueReminder:
    payload = row[13] or {}
    queued_for = date.fromisoformat(payload["date"]) if payload.get("date") else None
    return DueReminder(
        delivery_id=row[0],
        registration_id=row[1],
        chat_id=row[2],
        language=row[3],
        title=row[4],
        venue=row[5],
        day_number=row[6],
        total_days=row[7],
        day_date=row[8],
        starts_at=row[9],
        topic=row[10] or "",
        note=row[11] or "",
        rsvp=row[12],
        queued_for=queued_for,
        latitude=row[14],
        longitude=row[15],
    )


async def reminder_views(
    session: AsyncSession, delivery_ids: Sequence[int], kind: Kind = Kind.REMINDER
) -> dict[int, DueReminder]:
    """Reminders (of one kind) still worth sending, by delivery id: the registration holds its
    seat and the day is still on the date the row was queued for (a moved day has a row of its
    own)."""
    rows = await session.execute(
        _view_query(kind).where(
            Delivery.id.in_(delivery_ids),
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    )
    views = (_to_view(row) for row in rows.all())
    return {v.delivery_id: v for v in views if v.queued_for in (None, v.day_date)}


def due_reminders_query(now: datetime, limit: int) -> Any:
    """The reminders due now, with what they show (the benchmark's view of the due query)."""
    return (
        _view_query()
        .where(
            Delivery.state == DeliveryState.PENDING,
            Delivery.due_at <= now,
            Delivery.expires_at > now,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(Delivery.due_at, Delivery.id)
        .limit(limit)
    )


async def reminder_for(
    session: AsyncSession, delivery_id: int, telegram_id: int
) -> DueReminder | None:
    """The reminder `delivery_id` if it belongs to this Telegram user, else None."""
    row = (
        await session.execute(
            _view_query().where(Delivery.id == delivery_id, owned_by(telegram_id))
        )
    ).first()
    return _to_view(row) if row is not None else None


async def record_rsvp(
    session: AsyncSession, delivery_id: int, telegram_id: int, answer: Rsvp, now: datetime
) -> RsvpResult:
    """Record a participant's answer to one day's reminder (only their own, while it counts)."""
    row = (
        await session.execute(
            _of_reminder(
                Delivery.registration_id,
                Delivery.training_day_id,
                Registration.status,
                TrainingDay.ends_at,
            ).where(
                Delivery.id == delivery_id,
                Delivery.kind == Kind.REMINDER.value,
                owned_by(telegram_id),
            )
        )
    ).first()
    if row is None:
        return RsvpResult(RsvpStatus.NOT_FOUND)
    registration_id, day_id, status, ends_at = row
    assert registration_id is not None and day_id is not None  # reminder rows have both
    if status != RegistrationStatus.CONFIRMED:
        return RsvpResult(RsvpStatus.CANCELLED)
    if ends_at <= now:
        return RsvpResult(RsvpStatus.CLOSED)
    await _store_rsvp(session, registration_id, day_id, answer, now)
    offer_cancel = answer == Rsvp.NO and await _no_for_every_remaining_day(
        session, registration_id, now
    )
    reminder = await reminder_for(session, delivery_id, telegram_id)
    await session.commit()
    return RsvpResult(RsvpStatus.RECORDED, reminder, offer_cancel)


async def _store_rsvp(
    session: AsyncSession, registration_id: int, day_id: int, answer: Rsvp, now: datetime
) -> None:
    """One answer per registration and day: a second tap changes it."""
    statement = insert_ignoring_duplicates(session, RsvpAnswer).values(
        registration_id=registration_id, training_day_id=day_id, answer=answer, answered_at=now
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["registration_id", "training_day_id"],
            set_={"answer": answer.value, "answered_at": now},
        )
    )


async def _no_for_every_remaining_day(
    session: AsyncSession, registration_id: int, now: datetime
) -> bool:
    """Whether every day of the training not yet over has a "no" from this registration."""
    training_id = (
        select(Registration.training_id).where(Registration.id == registration_id).scalar_subquery()
    )
    remaining = select(func.count(TrainingDay.id)).where(
        TrainingDay.training_id == training_id, TrainingDay.ends_at > now
    )
    answered_no = (
        select(func.count(RsvpAnswer.id))
        .join(TrainingDay, TrainingDay.id == RsvpAnswer.training_day_id)
        .where(
            RsvpAnswer.registration_id == registration_id,
            RsvpAnswer.answer == Rsvp.NO,
            TrainingDay.ends_at > now,
        )
    )
    counts = (
        await session.execute(select(remaining.scalar_subquery(), answered_no.scalar_subquery()))
    ).one()
    return int(counts[0]) == int(counts[1])
