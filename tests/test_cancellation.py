"""Cancelling a registration: ownership, idempotency, freed seats and the waiting list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.db import SessionFactory
from bot.models import (
    Delivery,
    DeliveryState,
    Registration,
    RegistrationStatus,
    TrainingStatus,
)
from bot.services.cancellation import CancelOutcome, cancel_registration, promote_waitlist
from bot.services.outbox import Kind
from bot.services.seats import confirmed_count, lock_training
from tests.factories import make_participant, make_registration, make_reminder_row, make_training

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
CONFIRMED = RegistrationStatus.CONFIRMED
WAITING = RegistrationStatus.WAITLISTED


async def _statuses(sessions: SessionFactory, training_id: int) -> dict[int, RegistrationStatus]:
    async with sessions() as session:
        rows = await session.scalars(
            select(Registration).where(Registration.training_id == training_id)
        )
        return {r.id: r.status for r in rows}


async def test_cancel_frees_the_seat_and_promotes_the_first_waiting(
    sessions: SessionFactory,
) -> None:
    async with sessions() as s:
        training = await make_training(s, capacity=1)
        owner = await make_participant(s, 1)
        second = await make_participant(s, 2, language="en")
        third = await make_participant(s, 3)
        mine = await make_registration(s, owner, training, CONFIRMED, NOW)
        # Decided later but inserted first: the order is the seats' order, not the row id.
        later = await make_registration(s, third, training, WAITING, NOW, queue_seq=9)
        first = await make_registration(s, second, training, WAITING, NOW, queue_seq=5)
    async with sessions() as s:
        result = await cancel_registration(s, mine.id, 1, NOW)
    assert result.outcome is CancelOutcome.CANCELLED
    assert result.was_confirmed
    assert result.promoted == 1
    async with sessions() as s:
        [notice] = (await s.scalars(select(Delivery).where(Delivery.kind == Kind.SEAT))).all()
    # Told through the outbox, queued with the promotion itself.
    assert (notice.registration_id, notice.chat_id, notice.state) == (first.id, 2, "pending")
    statuses = await _statuses(sessions, training.id)
    assert statuses == {
        mine.id: RegistrationStatus.CANCELLED,
        first.id: CONFIRMED,
        later.id: WAITING,
    }
    async with sessions() as s:
        row = await s.get(Registration, mine.id)
        assert row is not None and row.cancelled_at == NOW and row.cancel_reason == "participant"
        assert await confirmed_count(s, training.id) == 1


async def test_cancelling_a_waiting_place_promotes_nobody(sessions: SessionFactory) -> None:
    async with sessions() as s:
        training = await make_training(s, capacity=1)
        holder = await make_registration(s, await make_participant(s, 1), training, CONFIRMED)
        waiting = await make_registration(s, await make_participant(s, 2), training, WAITING, NOW)
        behind = await make_registration(s, await make_participant(s, 3), training, WAITING, NOW)
    async with sessions() as s:
        result = await cancel_registration(s, waiting.id, 2, NOW)
    assert result.outcome is CancelOutcome.CANCELLED and not result.was_confirmed
    assert result.promoted == 0
    statuses = await _statuses(sessions, training.id)
    assert statuses[holder.id] == CONFIRMED and statuses[behind.id] == WAITING


async def test_someone_elses_registration_is_refused(sessions: SessionFactory) -> None:
    async with sessions() as s:
        training = await make_training(s)
        theirs = await make_registration(s, await make_participant(s, 1), training, CONFIRMED)
        await make_participant(s, 2)
    for forged_user, forged_id in ((2, theirs.id), (999, theirs.id), (1, 424242), (1, 2**40)):
        async with sessions() as s:
            result = await cancel_registration(s, forged_id, forged_user, NOW)
        assert result.outcome is CancelOutcome.NOT_FOUND
    assert (await _statuses(sessions, training.id))[theirs.id] == CONFIRMED


async def test_a_second_cancel_changes_nothing(sessions: SessionFactory) -> None:
    async with sessions() as s:
        training = await make_training(s, capacity=1)
        mine = await make_registration(s, await make_participant(s, 1), training, CONFIRMED)
        first = await make_registration(s, await make_participant(s, 2), training, WAITING, NOW)
        second = await make_registration(s, await make_participant(s, 3), training, WAITING, NOW)
    async with sessions() as s:
        assert (await cancel_registration(s, mine.id, 1, NOW)).outcome is CancelOutcome.CANCELLED
    async with sessions() as s:
        again = await cancel_registration(s, mine.id, 1, NOW + timedelta(seconds=1))
    assert again.outcome is CancelOutcome.ALREADY_CANCELLED and again.promoted == 0
    statuses = await _statuses(sessions, training.id)
    assert statuses[first.id] == CONFIRMED and statuses[second.id] == WAITING
    async with sessions() as s:
        row = await s.get(Registration, mine.id)
        assert row is not None and row.cancelled_at == NOW


async def test_a_finished_training_cannot_be_cancelled(sessions: SessionFactory) -> None:
    async with sessions() as s:
        training = await make_training(s)
        mine = await make_registration(s, await make_participant(s, 1), training, CONFIRMED)
    after = datetime(2026, 12, 11, tzinfo=UTC)
    async with sessions() as s:
        result = await cancel_registration(s, mine.id, 1, after)
    assert result.outcome is CancelOutcome.TOO_LATE
    assert (await _statuses(sessions, training.id))[mine.id] == CONFIRMED


async def test_pending_reminders_of_the_cancelled_registration_are_dropped(
    sessions: SessionFactory,
) -> None:
    async with sessions() as s:
        training = await make_training(s)
        mine = await make_registration(s, await make_participant(s, 1), training, CONFIRMED)
        for day, state in zip(
            training.days, (DeliveryState.SENT, DeliveryState.PENDING), strict=False
        ):
            await make_reminder_row(s, mine, day, state=state)
    async with sessions() as s:
        await cancel_registration(s, mine.id, 1, NOW)
    async with sessions() as s:
        left = (await s.scalars(select(Delivery.state))).all()
    assert left == [DeliveryState.SENT]


async def test_promotion_fills_every_free_seat_in_queue_order(sessions: SessionFactory) -> None:
    async with sessions() as s:
        training = await make_training(s, capacity=1)
        await make_registration(s, await make_participant(s, 1), training, CONFIRMED)
        # Inserted in another order than their seats were decided in (10 + i).
        waiting = [
            await make_registration(
                s, await make_participant(s, 10 + i), training, WAITING, NOW, queue_seq=10 + i
            )
            for i in (3, 1, 2, 4)
        ]
    async with sessions() as s:
        locked = await lock_training(s, training.id)
        assert locked is not None
        locked.capacity = 3  # staff raise the capacity
        promoted = await promote_waitlist(s, training.id, NOW)
        await s.commit()
    # Decided 1st and 2nd in the queue: the 2nd and 3rd made above.
    assert [r.id for r in promoted] == [waiting[1].id, waiting[2].id]
    statuses = await _statuses(sessions, training.id)
    assert statuses[waiting[0].id] == WAITING and statuses[waiting[3].id] == WAITING
    async with sessions() as s:
        assert await confirmed_count(s, training.id) == 3


async def test_nobody_moves_up_once_started_or_when_cancelled(sessions: SessionFactory) -> None:
    async with sessions() as s:
        started = await make_training(s, capacity=2)
        called_off = await make_training(s, capacity=2, status=TrainingStatus.CANCELLED)
        for training in (started, called_off):
            await make_registration(
                s, await make_participant(s, 100 + training.id), training, WAITING, NOW
            )
    async with sessions() as s:
        assert await promote_waitlist(s, started.id, datetime(2026, 12, 8, 3, tzinfo=UTC)) == []
        assert await promote_waitlist(s, called_off.id, NOW) == []
        assert await promote_waitlist(s, 987654, NOW) == []
