"""Who holds a seat or waits for one, their answers to reminders, and who came."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from bot.models.base import Base, enum_column

if TYPE_CHECKING:
    from bot.models.people import Participant
    from bot.models.trainings import Training
from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship


class RegistrationStatus(enum.StrEnum):
    """Where a registration stands."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class Rsvp(enum.StrEnum):
    """A participant's answer to a reminder."""

    YES = "yes"
    NO = "no"


class Registration(Base):
    """One participant in one training: confirmed, on the waiting list, or cancelled."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("participant_id", "training_id"),
        Index("ix_registrations_training_status_seq", "training_id", "status", "queue_seq"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id", ondelete="CASCADE"))
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus, "registration_status")
    )
    # When the seat was decided (arrival); reset when someone registers again.
    queued_at: Mapped[datetime]
    # Order in which seats were decided for this training (1, 2, 3, ...), taken under the
    # training's lock: the waiting list is in this order, and positions are counted from it.
    queue_seq: Mapped[int] = mapped_column(Integer)
    confirmed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str | None] = mapped_column(String(40))
    checkin_token: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    participant: Mapped[Participant] = relationship(back_populates="registrations")
    training: Mapped[Training] = relationship(back_populates="registrations")


class RsvpAnswer(Base):
    """A participant's answer to a day's reminder: will they come?"""

    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("registration_id", "training_day_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    training_day_id: Mapped[int] = mapped_column(
        ForeignKey("training_days.id", ondelete="CASCADE"), index=True
    )
    answer: Mapped[Rsvp] = mapped_column(enum_column(Rsvp, "rsvp"))
    answered_at: Mapped[datetime]


class Attendance(Base):
    """A check-in: this registration was present on this training day."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("registration_id", "training_day_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    training_day_id: Mapped[int] = mapped_column(
        ForeignKey("training_days.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[str] = mapped_column(String(10))
    checked_in_by: Mapped[int] = mapped_column(BigInteger)
    checked_in_at: Mapped[datetime]
