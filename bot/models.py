"""The domain as database tables: participants, trainings, registrations and what is sent."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp stored in UTC; SQLite gets it back aware too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store timezone-aware values only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with constraint names that migrations can rely on."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON()}


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as plain strings with a CHECK-free VARCHAR so new states need no type migration.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=False,
        length=20,
        values_callable=lambda e: [m.value for m in e],
    )


class TrainingStatus(enum.StrEnum):
    """Lifecycle of a training as staff see it."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class RegistrationStatus(enum.StrEnum):
    """Where a registration stands."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class DeliveryState(enum.StrEnum):
    """States of one message in the outbox."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    BLOCKED = "blocked"
    FAILED = "failed"
    UNKNOWN = "unknown"
    SKIPPED = "skipped"


class Rsvp(enum.StrEnum):
    """A participant's answer to a reminder."""

    YES = "yes"
    NO = "no"


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


class Sector(enum.StrEnum):
    """Business sectors, stored as these stable codes (labels live in the text catalog)."""

    KULINER = "kuliner"
    FESYEN_KRIYA = "fesyen_kriya"
    JASA = "jasa"
    PERDAGANGAN = "perdagangan"
    PERTANIAN = "pertanian_peternakan"
    LAINNYA = "lainnya"


# The district stored for a business outside the configured ones.
OUTSIDE_DISTRICT = "luar kota"


class Participant(Base):
    """A person who registers: a Telegram user of the bot, or a colleague that user registered.

    Personal fields are null until given or after erasure. A colleague (`registered_by_id`
    set) has no Telegram account of their own (`telegram_id` null): everything the bot sends
    about them goes to the registering account's chat (`chat_id` is that chat), and that
    account sees, cancels and erases their registrations. A colleague is one person per
    registering account and phone number.
    """

    __tablename__ = "participants"
    __table_args__ = (
        Index("uq_participants_registered_by_id_phone", "registered_by_id", "phone", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(5), default="id")
    full_name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    business_name: Mapped[str | None] = mapped_column(String(120))
    sector: Mapped[str | None] = mapped_column(String(40))
    district: Mapped[str | None] = mapped_column(String(60))
    consent_at: Mapped[datetime | None]
    unreachable_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    registrations: Mapped[list[Registration]] = relationship(back_populates="participant")
    registered_by: Mapped[Participant | None] = relationship(remote_side=[id])

    @property
    def is_colleague(self) -> bool:
        """Whether another account registered this person (they have no account of their own)."""
        return self.registered_by_id is not None

    @property
    def has_profile(self) -> bool:
        """Whether every field a registration needs is on file (and consent was given)."""
        return all(
            (
                self.consent_at,
                self.full_name,
                self.phone,
                self.business_name,
                self.sector,
                self.district,
            )
        )


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
        _enum(TrainingStatus, "training_status"), default=TrainingStatus.OPEN
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
        _enum(RegistrationStatus, "registration_status")
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
    answer: Mapped[Rsvp] = mapped_column(_enum(Rsvp, "rsvp"))
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


class Announcement(Base):
    """A message from staff to an audience; its deliveries are rows of their own."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int | None] = mapped_column(
        ForeignKey("trainings.id", ondelete="SET NULL"), index=True
    )
    audience: Mapped[Audience] = mapped_column(_enum(Audience, "audience"))
    text: Mapped[str] = mapped_column(Text)
    # The text per language ({"id": ..., "en": ...}) when the bot itself wrote it from the
    # catalog (a cancelled training); `text` is then the default language's version.
    texts: Mapped[dict[str, Any] | None]
    state: Mapped[AnnouncementState] = mapped_column(
        _enum(AnnouncementState, "announcement_state"), default=AnnouncementState.DRAFT
    )
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    # Where the staff member's progress message lives, so any process can edit it.
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


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
        _enum(DeliveryState, "delivery_state"), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]


class HelpdeskMessage(Base):
    """A participant's question to the staff group, or a staff member's reply to one.

    Each is carried by one outbox row (`delivery_id`). A question's row goes to the staff group
    and records the message id its copy got there (`Delivery.message_id`): a staff member's
    reply to that copy finds the participant through it, across restarts. Messages a person
    sends while their last question still waits in the outbox are added to its `text`, so a
    flood becomes one forward. Erasing a person's data blanks the texts and names here.
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
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


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


class BotState(Base):
    """Conversation states and per-user scratch data of the Telegram layer (the persistence)."""

    __tablename__ = "bot_state"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class Erasure(Base):
    """A person erased their data (/hapusdata): which Telegram id and when, nothing else.

    Kept so that restoring an older backup erases them again (`bot/cli/backup.py`).
    """

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    erased_at: Mapped[datetime]
