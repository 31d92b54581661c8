"""Cancelling a registration and handing freed seats to the waiting list, in queue order.

Both happen in one transaction under the training's lock (`bot.services.seats.lock_training`),
so a freed seat can never be given twice nor overbooked by a registration arriving meanwhile.
Each person promoted is told through the outbox, queued in the same transaction: a message
never announces a seat that a rolled-back transaction did not give, and is never lost.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models.messaging import Delivery, DeliveryState
from bot.models.registrations import Registration, RegistrationStatus
from bot.models.trainings import Training, TrainingDay, TrainingStatus
from bot.services.my_registrations import own_registration
from bot.services.notices import queue_seat_notices
from bot.services.outbox import Kind
from bot.services.seats import first_waiting, lock_training, seats_left

ACTIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)
# Waiting people only move up while the training can still take them.
PROMOTING_STATUSES = (TrainingStatus.OPEN, TrainingStatus.CLOSED)
REASON_PARTICIPANT = "participant"
REASON_ERASED = "erased"
REASON_TRAINING_CANCELLED = "training_cancelled"  # still hears about the training


class CancelOutcome(enum.StrEnum):
    """What became of a cancellation request."""

    CANCELLED = "cancelled"
    ALREADY_CANCELLED = "already_cancelled"  # a double tap, or an old button
    NOT_FOUND = "not_found"  # no such registration, or not this user's
    TOO_LATE = "too_late"  # the training is over


@dataclass(frozen=True)
class CancelResult:
    """The outcome, the training concerned (when found) and who moved up."""

    outcome: CancelOutcome
    training_code: str = ""
    training_title: str = ""
    was_confirmed: bool = False
    promoted: int = 0


async def training_has_started(session: AsyncSession, training_id: int, now: datetime) -> bool:
    """Whether the first day of the training has begun."""
    first = await session.scalar(
        select(TrainingDay.starts_at)
        .where(TrainingDay.training_id == training_id)
        .order_by(TrainingDay.starts_at)
        .limit(1)
    )
    return first is not None and first <= now


async def training_has_ended(session: AsyncSession, training_id: int, now: datetime) -> bool:
    """Whether the last day of the training is over."""
    last = await session.scalar(
        select(TrainingDay.ends_at)
        .where(TrainingDay.training_id == training_id)
        .order_by(TrainingDay.ends_at.desc())
        .limit(1)
    )
    return last is not None and last <= now


async def promote_waitlist(
    session: AsyncSession, training_id: int, now: datetime
) -> list[Registration]:
    """Give every free seat to the waiting list in queue order and queue a notice to each
    person promoted (training locked; no commit).

    Call it after anything that frees seats (a cancellation, staff raising the capacity) in the
    same transaction, after `lock_training`. Nobody moves up once the training has started or
    when it is not open or closed (a draft or a cancelled training).
    """
    training = await session.get(Training, training_id)
    if training is None or training.status not in PROMOTING_STATUSES:
        return []
    if await training_has_started(session, training_id, now):
        return []
    promoted: list[Registration] = []
    free = await seats_left(session, training)
    while free > 0:
        registration = await first_waiting(session, training_id)
        if registration is None:
            break
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.updated_at = now
        await session.flush()  # the next `first_waiting` must not see this one again
        promoted.append(registration)
        free -= 1
    await queue_seat_notices(session, promoted, now)
    return promoted


async def drop_pending_reminders(session: AsyncSession, registration_id: int) -> None:
    """Forget reminders not yet sent for a registration that no longer holds a seat."""
    # Deleted rather than skipped: should the person register again, the reminder job can
    # create them afresh.
    await session.execute(
        delete(Delivery).where(
            Delivery.kind == Kind.REMINDER,
            Delivery.registration_id == registration_id,
            Delivery.state == DeliveryState.PENDING,
        )
    )


async def withdraw(
    session: AsyncSession, registration: Registration, reason: str, now: datetime
) -> list[Registration]:
    """Cancel an active registration and fill the freed seat (training locked; no commit)."""
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.cancel_reason = reason
    registration.updated_at = now
    await drop_pending_reminders(session, registration.id)
    await session.flush()
    return await promote_waitlist(session, registration.training_id, now)


async def cancel_registration(
    session: AsyncSession, registration_id: int, telegram_id: int, now: datetime
) -> CancelResult:
    """Cancel the user's own registration, free the seat and promote the waiting list."""
    owned = await own_registration(session, registration_id, telegram_id)
    if owned is None:
        await session.rollback()
        return CancelResult(CancelOutcome.NOT_FOUND)
    training = await lock_training(session, owned.training_id)
    # Read again under the lock: a double tap may have cancelled it a moment ago.
    registration = await session.scalar(
        select(Registration)
        .where(Registration.id == registration_id)
        .execution_options(populate_existing=True)
    )
    if training is None or registration is None:
        await session.rollback()
        return CancelResult(CancelOutcome.NOT_FOUND)
    code, title = training.code, training.title
    if registration.status == RegistrationStatus.CANCELLED:
        await session.rollback()
        return CancelResult(CancelOutcome.ALREADY_CANCELLED, code, title)
    if await training_has_ended(session, training.id, now):
        await session.rollback()
        return CancelResult(CancelOutcome.TOO_LATE, code, title)
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    promoted = await withdraw(session, registration, REASON_PARTICIPANT, now)
    await session.commit()
    return CancelResult(CancelOutcome.CANCELLED, code, title, was_confirmed, len(promoted))
