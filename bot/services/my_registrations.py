"""What a participant sees of their own registrations: status, waiting-list place, days."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.models import Participant, Registration, RegistrationStatus, Training, TrainingDay
from bot.services.seats import waitlist_position

MAX_ID = 2**31 - 1  # ids are 32-bit; a forged bigger number must not reach the database
HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


@dataclass(frozen=True)
class Held:
    """A seat or a waiting place a person holds in a training (for marking the list)."""

    registration_id: int
    confirmed: bool
    position: int | None  # on the waiting list


@dataclass(frozen=True)
class RegistrationView:
    """One registration with its training, days and place on the waiting list."""

    registration: Registration
    training: Training
    days: list[TrainingDay]
    position: int | None
    ended: bool

    @property
    def active(self) -> bool:
        """Whether it still holds (or waits for) a seat in a training that is not over."""
        return not self.ended and self.registration.status != RegistrationStatus.CANCELLED

    @property
    def confirmed(self) -> bool:
        """Whether it holds a seat."""
        return self.registration.status == RegistrationStatus.CONFIRMED


async def own_registration(
    session: AsyncSession, registration_id: int, telegram_id: int
) -> Registration | None:
    """The registration with this id if it belongs to this Telegram user, else None."""
    if not 0 < registration_id <= MAX_ID:
        return None
    return await session.scalar(
        select(Registration)
        .join(Participant, Participant.id == Registration.participant_id)
        .where(Registration.id == registration_id, Participant.telegram_id == telegram_id)
    )


async def _view(
    session: AsyncSession, registration: Registration, now: datetime
) -> RegistrationView:
    training = registration.training
    days = sorted(training.days, key=lambda d: d.day_number)
    ended = bool(days) and max(d.ends_at for d in days) <= now
    return RegistrationView(
        registration=registration,
        training=training,
        days=days,
        position=await waitlist_position(session, registration),
        ended=ended,
    )


def _loaded() -> list[object]:
    return [selectinload(Registration.training).selectinload(Training.days)]


async def registrations_of(
    session: AsyncSession, telegram_id: int, now: datetime
) -> list[RegistrationView]:
    """The user's registrations: active ones by date first, then past and cancelled ones."""
    rows = await session.scalars(
        select(Registration)
        .join(Participant, Participant.id == Registration.participant_id)
        .where(Participant.telegram_id == telegram_id)
        .options(*_loaded())  # type: ignore[arg-type]
    )
    views = [await _view(session, r, now) for r in rows]

    def first_start(view: RegistrationView) -> float:
        return min((d.starts_at.timestamp() for d in view.days), default=0.0)

    active = sorted((v for v in views if v.active), key=first_start)
    others = sorted((v for v in views if not v.active), key=first_start, reverse=True)
    return active + others


async def registration_view(
    session: AsyncSession, registration_id: int, telegram_id: int, now: datetime
) -> RegistrationView | None:
    """One of the user's registrations, or None when it is not theirs (or does not exist)."""
    if not 0 < registration_id <= MAX_ID:
        return None
    registration = await session.scalar(
        select(Registration)
        .join(Participant, Participant.id == Registration.participant_id)
        .where(Registration.id == registration_id, Participant.telegram_id == telegram_id)
        .options(*_loaded())  # type: ignore[arg-type]
    )
    return None if registration is None else await _view(session, registration, now)


async def held_places(
    session: AsyncSession, telegram_id: int, training_ids: Sequence[int]
) -> dict[int, Held]:
    """The seats and waiting places this user holds in these trainings, by training id."""
    if not training_ids:
        return {}
    rows = await session.scalars(
        select(Registration)
        .join(Participant, Participant.id == Registration.participant_id)
        .where(
            Participant.telegram_id == telegram_id,
            Registration.training_id.in_(training_ids),
            Registration.status.in_(HOLDING),
        )
    )
    return {
        r.training_id: Held(
            r.id, r.status == RegistrationStatus.CONFIRMED, await waitlist_position(session, r)
        )
        for r in list(rows)
    }


async def held_registration(
    session: AsyncSession, telegram_id: int, training_id: int, now: datetime
) -> RegistrationView | None:
    """The user's seat or waiting place in this training while it is not over, else None."""
    registration = await session.scalar(
        select(Registration)
        .join(Participant, Participant.id == Registration.participant_id)
        .where(
            Participant.telegram_id == telegram_id,
            Registration.training_id == training_id,
            Registration.status.in_(HOLDING),
        )
        .options(*_loaded())  # type: ignore[arg-type]
    )
    if registration is None:
        return None
    view = await _view(session, registration, now)
    return view if view.active else None
