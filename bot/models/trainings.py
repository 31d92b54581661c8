"""Trainings, their days, and the changes staff made to them."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from bot.models.base import Base, enum_column

if TYPE_CHECKING:
    from bot.models.registrations import Registration
from sqlalchemy import (
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship


class TrainingStatus(enum.StrEnum):
    """Lifecycle of a training as staff see it."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Training(Base):
    """A training programme with seats and one or more days."""

    __tablename__ = "trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    venue: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int] = mapped_column(Integer)
    registration_closes_at: Mapped[datetime | None]
    # The venue on a map (optional): reminders carry it as a pin.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    status: Mapped[TrainingStatus] = mapped_column(
        enum_column(TrainingStatus, "training_status"), default=TrainingStatus.OPEN
    )
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    days: Mapped[list[TrainingDay]] = relationship(
        back_populates="training", order_by="TrainingDay.day_number", cascade="all, delete-orphan"
    )
    registrations: Mapped[list[Registration]] = relationship(back_populates="training")


class TrainingDay(Base):
    """One day of a training: when it starts and ends (UTC), its topic and note."""

    __tablename__ = "training_days"
    __table_args__ = (UniqueConstraint("training_id", "day_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id", ondelete="CASCADE"))
    day_number: Mapped[int] = mapped_column(Integer)
    date: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    topic: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    training: Mapped[Training] = relationship(back_populates="days")


class TrainingChange(Base):
    """A change to a training that participants were told about (dates, times, venue, or its
    cancellation): what changed, from what to what, by whom."""

    __tablename__ = "training_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id", ondelete="CASCADE"), index=True
    )
    # {"cancelled": bool, "fields": [{"field": "venue", "day": null, "old": ..., "new": ...}]}
    changes: Mapped[dict[str, Any]]
    changed_by: Mapped[int | None] = mapped_column(BigInteger)
    changed_at: Mapped[datetime]
