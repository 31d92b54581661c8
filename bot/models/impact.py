"""Months after the training: what a person says about their business, before (the baseline,
asked at registration) and after (the follow-ups)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
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
