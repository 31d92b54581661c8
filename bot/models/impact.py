"""Months after the training: what a person says about their business, before (the baseline,
asked at registration) and after (the follow-ups)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base


class BusinessBaseline(Base):
    """A person's business as they described it when registering: monthly sales as a band
    (never a number), workers (the owner included), whether they sell online. Dated, one row
    per time it was asked; a recent one is not asked again."""

    __tablename__ = "business_baselines"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    sales_band: Mapped[str] = mapped_column(String(10))
    workers: Mapped[int] = mapped_column(Integer)
    sells_online: Mapped[bool] = mapped_column(Boolean)
    asked_at: Mapped[datetime]


class FollowUpResponse(Base):
    """One attendee's follow-up of one round (`round`: days after the training's last day),
    made when it is queued (one per registration and round, whatever restarts), its answers
    stored as they come: null until given. `photo_file_id` is "" when the photo was skipped;
    `reminded_at` is set by the one reminder; `finished_at` by the last answer."""

    __tablename__ = "follow_up_responses"
    __table_args__ = (UniqueConstraint("registration_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"))
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int] = mapped_column(Integer)
    running: Mapped[bool | None] = mapped_column(Boolean)
    sales_band: Mapped[str | None] = mapped_column(String(10))
    workers: Mapped[int | None] = mapped_column(Integer)
    applied: Mapped[str | None] = mapped_column(String(10))
    new_product: Mapped[bool | None] = mapped_column(Boolean)
    photo_file_id: Mapped[str | None] = mapped_column(String(200))
    mentoring: Mapped[bool | None] = mapped_column(Boolean)
    sent_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
