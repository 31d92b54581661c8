"""What the outbox holds: the kinds of message, who goes first, and the shapes of a row as it
is queued, claimed and answered (the state machine that moves it is `bot.services.outbox`)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

# Who goes first when both are due: notices to a person who is waiting for them, then bulk.
NOTICE = 5
BULK = 10


class Kind(enum.StrEnum):
    """What a delivery is; each kind has its renderer in the sender's registry."""

    REMINDER = "reminder"
    MORNING = "morning"  # the reminder on the morning of a training day (when set)
    VENUE = "venue"  # a reminder's venue as a map pin, right after the reminder's text
    ANNOUNCEMENT = "announcement"
    SEAT = "seat"  # a seat became free for someone on the waiting list
    CHANGE = "change"  # a training's dates, times or venue changed, or it was cancelled
    REPORT = "report"  # an announcement's final report to the staff member who sent it
    EXPORT = "export"  # a training's participant list, to the staff member who asked for it
    SURVEY = "survey"  # the feedback survey after a training's last day
    FOLLOW_UP = "follow_up"  # months after the training: how the business does (and its reminder)
    CERTIFICATE_OFFER = "cert_offer"  # "check the spelling of your name" before a certificate
    CERTIFICATE = "certificate"  # the certificate itself, a PDF (again when a name is fixed)
    HELPDESK_QUESTION = "helpdesk_question"  # what a participant asked, to the staff group
    HELPDESK_REPLY = "helpdesk_reply"  # a staff member's reply to it, to the participant
    HELPDESK_RECEIPT = "helpdesk_receipt"  # "delivered" (or not), to the staff group


class Result(enum.StrEnum):
    """What became of one send, as the sender reports it."""

    SENT = "sent"
    BLOCKED = "blocked"  # the person blocked the bot or is gone: never retried
    FAILED = "failed"  # Telegram refused this message: retrying would not help
    UNKNOWN = "unknown"  # it may have arrived (a timeout after the request was written)
    RETRY = "retry"  # it certainly did not leave: send it later


@dataclass(frozen=True)
class NewDelivery:
    """A message to queue."""

    kind: Kind
    key: str
    chat_id: int
    participant_id: int | None = None
    registration_id: int | None = None
    training_day_id: int | None = None
    announcement_id: int | None = None
    payload: dict[str, Any] | None = None
    priority: int = BULK
    due_at: datetime | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Claimed:
    """A row this sender now holds: everything a kind needs to find what to render."""

    id: int
    kind: str
    chat_id: int
    priority: int
    participant_id: int | None
    registration_id: int | None
    training_day_id: int | None
    announcement_id: int | None
    payload: dict[str, Any] | None


@dataclass(frozen=True)
class SendAnswer:
    """The answer to one send, to be recorded."""

    delivery_id: int
    result: Result
    message_id: int | None = None
    error: str | None = None


@dataclass
class Recorded:
    """What a `record` call changed: rows, the announcements they belong to, and the staff
    replies to participants whose send has ended (staff get a receipt for each)."""

    changed: int = 0
    announcements: set[int] = field(default_factory=set)
    helpdesk_replies: set[int] = field(default_factory=set)
    # Rows sent now have others waiting for them (worth another claim at once).
    followers: bool = False
