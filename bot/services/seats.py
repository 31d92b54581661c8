"""Seat arithmetic shared by registration, cancellation and staff counts.

Whoever changes who holds a seat must first take the training's lock (`lock_training`): on
PostgreSQL a row lock (`SELECT ... FOR UPDATE`), on SQLite the database's write lock, which every
transaction already takes at BEGIN (see `bot.db`). Counting after the lock is then exact.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Registration, RegistrationStatus, Training

# Built once, with bound parameters: SQLAlchemy keys a statement once per statement object, and
# building and keying these on every call cost about a quarter of their execution.
_LOCK = select(Training).where(Training.id == bindparam("training_id")).with_for_update()
_CONFIRMED = (
    select(func.count())
    .select_from(Registration)
    .where(
        Registration.training_id == bindparam("training_id"),
        Registration.status == RegistrationStatus.CONFIRMED,
    )
)
_LAST_SEQ = select(func.max(Registration.queue_seq)).where(
    Registration.training_id == bindparam("training_id")
)
_FIRST_WAITING = (
    select(Registration)
    .where(
        Registration.training_id == bindparam("training_id"),
        Registration.status == RegistrationStatus.WAITLISTED,
    )
    .order_by(Registration.queue_seq)
    .limit(1)
)


async def lock_training(session: AsyncSession, training_id: int) -> Training | None:
    """Load the training and hold its lock until the transaction ends."""
    result = await session.execute(_LOCK, {"training_id": training_id})
    return result.scalar_one_or_none()


async def confirmed_count(session: AsyncSession, training_id: int) -> int:
    """How many registrations of this training hold a seat."""
    result = await session.execute(_CONFIRMED, {"training_id": training_id})
    return int(result.scalar_one())


async def seats_left(session: AsyncSession, training: Training) -> int:
    """Free seats (never negative)."""
    return max(0, training.capacity - await confirmed_count(session, training.id))


async def waitlist_position(session: AsyncSession, registration: Registration) -> int | None:
    """1-based place on the waiting list, or None when not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    result = await session.execute(
        select(func.count())
        .select_from(Registration)
        .where(
            Registration.training_id == registration.training_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            Registration.queue_seq < registration.queue_seq,
        )
    )
    return int(result.scalar_one()) + 1


async def next_queue_seq(session: AsyncSession, training_id: int) -> int:
    """The next number in the order seats are decided (call with the training locked, so no
    two registrations get the same one)."""
    result = await session.execute(_LAST_SEQ, {"training_id": training_id})
    return int(result.scalar_one() or 0) + 1


async def first_waiting(session: AsyncSession, training_id: int) -> Registration | None:
    """The registration at the head of the waiting list (call with the training locked)."""
    result = await session.execute(_FIRST_WAITING, {"training_id": training_id})
    return result.scalar_one_or_none()
