"""What the bot sends: announcements, the outbox's deliveries, the shared sending budget, and the
helpdesk's messages."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, enum_column


class Audience(enum.StrEnum):
    """Who an announcement goes to."""

    CONFIRMED = "confirmed"
    WAITLIST = "waitlist"
    REGISTRANTS = "registrants"
    EVERYONE = "everyone"


class AnnouncementState(enum.StrEnum):
    """Lifecycle of an announcement."""

    DRAFT = "draft"
    SENDING = "sending"
    DONE = "done"
    CANCELLED = "cancelled"


class Announcement(Base):
    """A message from staff to an audience; its deliveries are rows of their own."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int | None] = mapped_column(
        ForeignKey("trainings.id", ondelete="SET NULL"), index=True
    )
    audience: Mapped[Audience] = mapped_column(enum_column(Audience, "audience"))
    text: Mapped[str] = mapped_column(Text)
    # The text per language ({"id": ..., "en": ...}) when the bot itself wrote it from the
    # catalog (a cancelled training); `text` is then the default language's version.
    texts: Mapped[dict[str, Any] | None]
    state: Mapped[AnnouncementState] = mapped_column(
        enum_column(AnnouncementState, "announcement_state"), default=AnnouncementState.DRAFT
    )
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    # Where the staff member's progress message lives, so any process can edit it.
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class DeliveryState(enum.StrEnum):
    """States of one message in the outbox."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"
    UNKNOWN = "unknown"
    SKIPPED = "skipped"


class Delivery(Base):
    """One message the bot sends on its own: the outbox.

    Reminders, announcements, seat and change notices, reports to staff: every kind is a row
    here with one state machine (pending -> sending -> sent / blocked / failed / unknown, or
    skipped when it no longer applies). `key` makes each message unique (a reminder is
    `reminder:<registration>:<day>:<date>`), so enqueuing twice is harmless. A row is claimed
    (`claimed_by`, `claimed_at`: a lease) before it is sent and marked `sending` right before
    the request; a `sending` row is never sent again.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_state_due", "state", "due_at"),
        Index("ix_deliveries_announcement_state", "announcement_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(160), unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    training_day_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_days.id", ondelete="CASCADE"), index=True
    )
    announcement_id: Mapped[int | None] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE")
    )
    # What the kind needs to render the message that is not in the rows above.
    payload: Mapped[dict[str, Any] | None]
    # The id of the row this message follows (a reminder's map pin): claimed only once that
    # one is sent, skipped when it ends any other way. No foreign key: both belong to one
    # registration and go with it.
    after_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # Lower goes first: seat notices and reports before reminders and announcements.
    priority: Mapped[int] = mapped_column(Integer, default=10)
    due_at: Mapped[datetime]
    # Not sent after this moment (a reminder once its day has started).
    expires_at: Mapped[datetime | None]
    state: Mapped[DeliveryState] = mapped_column(
        enum_column(DeliveryState, "delivery_state"), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]


class SendBudget(Base):
    """One sending process's share of BROADCAST_RATE, renewed while it lives.

    Every process that sends on the token (the bot, workers, the command line) keeps a row;
    the shares never add up to more than the budget, so together they stay within it.
    """

    __tablename__ = "send_budget"

    process: Mapped[str] = mapped_column(String(100), primary_key=True)
    # "bot", "worker" or "cli": a bot or worker row means someone is sending the outbox.
    role: Mapped[str] = mapped_column(String(20))
    slots: Mapped[int] = mapped_column(Integer)
    wanted: Mapped[int] = mapped_column(Integer)
    renewed_at: Mapped[datetime]


class HelpdeskMessage(Base):
    """A participant's question to the staff group, or a staff member's reply to one.

    Each is carried by one outbox row (`delivery_id`). A question's row goes to the staff group
    and records the message id its copy got there (`Delivery.message_id`): a staff member's
    reply to that copy finds the participant through it, across restarts. Messages a person
    sends while their last question still waits in the outbox are added to its `text`, so a
    flood becomes one forward. Erasing a person's data blanks the texts, names and media here.
    """

    __tablename__ = "helpdesk_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    # "question" (participant -> group) or "reply" (group -> participant).
    direction: Mapped[str] = mapped_column(String(10))
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("deliveries.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    # A question: the sender's Telegram name and @username when they wrote.
    sender_name: Mapped[str | None] = mapped_column(String(200))
    username: Mapped[str | None] = mapped_column(String(40))
    # A reply: the staff member who wrote it, and their message in the group.
    staff_id: Mapped[int | None] = mapped_column(BigInteger)
    staff_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # A voice note, photo, video or file: its kind ("voice", "photo"…) and the message that
    # holds it (in the participant's chat for a question, in the staff group for a reply), which
    # the bot copies; the text is then its caption.
    media: Mapped[str | None] = mapped_column(String(16))
    media_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    media_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
