"""After the training: survey answers and topics, and certificates."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base


class SurveyResponse(Base):
    """One participant's answers to the feedback survey after a training, stored as they come.

    A rating is null until given; `helped` is null until answered ("" when skipped);
    `finished_at` is set when the topics are confirmed with "done".
    """

    __tablename__ = "survey_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id", ondelete="CASCADE"), index=True
    )
    overall: Mapped[int | None] = mapped_column(Integer)
    material: Mapped[int | None] = mapped_column(Integer)
    trainer: Mapped[int | None] = mapped_column(Integer)
    helped: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]

    topics: Mapped[list[SurveyTopic]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="SurveyTopic.id"
    )


class SurveyTopic(Base):
    """A topic a participant wants a training on next (several per survey answer)."""

    __tablename__ = "survey_topics"
    __table_args__ = (UniqueConstraint("response_id", "topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(String(40))

    response: Mapped[SurveyResponse] = relationship(back_populates="topics")


class Certificate(Base):
    """A certificate of attendance: its printed number, the name on it, and a code that a
    QR deep link carries so anyone can check it in the chat.

    The number (`KP-2026-01/0007/XII/2026`) never changes; a corrected name is a new
    `revision` of the same certificate.
    """

    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("training_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), unique=True
    )
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(80), unique=True)
    verify_code: Mapped[str] = mapped_column(String(24), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    business: Mapped[str] = mapped_column(String(120), default="")
    # When the participant confirmed the spelling of the name in the chat (null: on file).
    name_confirmed_at: Mapped[datetime | None]
    revision: Mapped[int] = mapped_column(Integer, default=1)
    issued_at: Mapped[datetime]
    updated_at: Mapped[datetime]
