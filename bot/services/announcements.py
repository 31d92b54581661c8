"""Announcements: who receives one, and one outbox row per recipient, sent once.

Life of an announcement: `create_announcement` stores a draft (staff see its preview);
`start_announcement` moves it from draft to sending exactly once and queues one outbox row
(`Kind.ANNOUNCEMENT`) per recipient with a single INSERT ... SELECT. The outbox sender does the
rest; `finish_if_done` marks it done once no row is left open and queues the report to the staff
member who sent it (an outbox row too, so it arrives after an outage as well).

Who gets a row: participants who erased their data get none (they asked to be forgotten).
Participants already known to have blocked the bot (`unreachable_at`) get a row that starts as
`blocked`: they count as "blocked the bot" in the report and are not sent to.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, case, cast, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models.messaging import Announcement, AnnouncementState, Audience, Delivery, DeliveryState
from bot.models.people import Participant
from bot.models.registrations import Registration, RegistrationStatus
from bot.models.trainings import Training, TrainingStatus
from bot.services import audit
from bot.services.cancellation import REASON_TRAINING_CANCELLED
from bot.services.outbox import (
    BULK,
    NOTICE,
    OPEN_STATES,
    Kind,
    NewDelivery,
    enqueue,
    insert_deliveries,
)
from bot.services.staff import TrainingLine, list_trainings

# Visible characters of the staff's text: the header (title up to 200) still fits in 4096.
MAX_TEXT_CHARS = 3500


class AnnouncementError(ValueError):
    """An announcement that cannot be made as asked (bad audience, empty or too long text)."""


@dataclass(frozen=True)
class Progress:
    """Counts of an announcement's deliveries; `pending` includes those being sent."""

    total: int
    sent: int
    blocked: int
    failed: int
    unknown: int
    pending: int

    @property
    def done(self) -> int:
        """Deliveries with a final outcome."""
        return self.total - self.pending


@dataclass(frozen=True)
class AnnouncementBody:
    """What every recipient of one announcement reads: the text (per language when the bot
    wrote it) and the training's title for the heading."""

    text: str
    texts: dict[str, Any] | None
    title: str | None

    def body_for(self, language: str) -> str:
        """The body in `language` when the bot wrote one, else the staff's text."""
        if self.texts and isinstance(self.texts.get(language), str):
            return str(self.texts[language])
        return self.text


def check_text(visible_text: str) -> None:
    """Raise AnnouncementError when the visible text is empty or too long."""
    if not visible_text.strip():
        raise AnnouncementError("the announcement text is empty")
    if len(visible_text) > MAX_TEXT_CHARS:
        raise AnnouncementError(
            f"the announcement text has {len(visible_text)} characters, at most {MAX_TEXT_CHARS}"
        )


def _audience_filter(training_id: int | None, audience: Audience) -> Select[Any]:
    """Ids of the participants an audience means (possibly with repeats)."""
    query = select(Registration.participant_id)
    if audience is Audience.EVERYONE:
        # Each account once: for a colleague, the account that registered them (their
        # messages go to its chat; a training's audiences name the colleague instead).
        return select(func.coalesce(Participant.registered_by_id, Participant.id)).join(
            Registration, Registration.participant_id == Participant.id
        )
    if training_id is None:
        raise AnnouncementError(f"audience {audience.value} needs a training")
    query = query.where(Registration.training_id == training_id)
    if audience is Audience.CONFIRMED:
        return query.where(Registration.status == RegistrationStatus.CONFIRMED)
    if audience is Audience.WAITLIST:
        return query.where(Registration.status == RegistrationStatus.WAITLISTED)
    return query.where(
        Registration.status.in_([RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED])
        | (Registration.cancel_reason == REASON_TRAINING_CANCELLED)
    )


async def count_recipients(
    session: AsyncSession, training_id: int | None, audience: Audience
) -> int:
    """How many participants would receive an announcement to this audience now."""
    result = await session.execute(
        select(func.count())
        .select_from(Participant)
        .where(
            Participant.id.in_(_audience_filter(training_id, audience)),
            Participant.erased_at.is_(None),
            Participant.unreachable_at.is_(None),
        )
    )
    return int(result.scalar_one())


async def announceable_trainings(session: AsyncSession, limit: int = 30) -> list[TrainingLine]:
    """The newest trainings staff may announce to (published, not cancelled), with counts."""
    statuses = (TrainingStatus.OPEN, TrainingStatus.CLOSED)
    return (await list_trainings(session, statuses))[:limit]


async def create_announcement(
    session: AsyncSession,
    *,
    training_id: int | None,
    audience: Audience,
    text: str,
    created_by: int | None,
    now: datetime,
    texts: dict[str, str] | None = None,
) -> Announcement:
    """Store a draft announcement (`text` is trusted HTML); nothing is sent yet."""
    _audience_filter(training_id, audience)  # validates the audience/training pair
    if not text.strip():
        raise AnnouncementError("the announcement text is empty")
    announcement = Announcement(
        training_id=None if audience is Audience.EVERYONE else training_id,
        audience=audience,
        text=text,
        texts=texts,
        state=AnnouncementState.DRAFT,
        created_by=created_by,
        created_at=now,
    )
    session.add(announcement)
    await session.commit()
    return announcement


# The columns `_materialise` fills, in the order of its SELECT.
_INSERTED_COLUMNS = (
    "kind",
    "key",
    "chat_id",
    "participant_id",
    "announcement_id",
    "priority",
    "due_at",
    "state",
    "attempts",
    "created_at",
)


async def _materialise(
    session: AsyncSession,
    announcement_id: int,
    training_id: int | None,
    audience: Audience,
    now: datetime,
) -> None:
    recipients = (
        select(
            literal(Kind.ANNOUNCEMENT.value),
            literal(f"{Kind.ANNOUNCEMENT.value}:{announcement_id}:") + cast(Participant.id, String),
            func.coalesce(Participant.chat_id, Participant.telegram_id),
            Participant.id,
            literal(announcement_id),
            literal(BULK),
            literal(now, type_=Delivery.due_at.type),
            case(
                (Participant.unreachable_at.is_not(None), DeliveryState.BLOCKED.value),
                else_=DeliveryState.PENDING.value,
            ),
            literal(0),
            literal(now, type_=Delivery.due_at.type),
        )
        .where(
            Participant.id.in_(_audience_filter(training_id, audience)),
            Participant.erased_at.is_(None),
        )
        .order_by(Participant.id)
    )
    await session.execute(insert_deliveries(session).from_select(_INSERTED_COLUMNS, recipients))


async def start_announcement(
    session: AsyncSession,
    announcement_id: int,
    progress_chat_id: int | None,
    progress_message_id: int | None,
    now: datetime,
) -> bool:
    """Move a draft to sending and create its deliveries; False when it was not a draft.

    The state check and the change are one UPDATE, so a second "Kirim" (a double tap, a stale
    preview, another process) finds the announcement no longer a draft and creates nothing.
    """
    moved = await session.execute(
        update(Announcement)
        .where(Announcement.id == announcement_id, Announcement.state == AnnouncementState.DRAFT)
        .values(
            state=AnnouncementState.SENDING,
            started_at=now,
            progress_chat_id=progress_chat_id,
            progress_message_id=progress_message_id,
        )
        .returning(Announcement.training_id, Announcement.audience, Announcement.created_by)
    )
    row = moved.one_or_none()
    if row is None:
        await session.rollback()
        return False
    await _materialise(session, announcement_id, row.training_id, Audience(row.audience), now)
    await _record_start(session, announcement_id, row.created_by, row.training_id, now)
    await session.commit()
    return True


async def _record_start(
    session: AsyncSession,
    announcement_id: int,
    staff_id: int | None,
    training_id: int | None,
    now: datetime,
) -> None:
    """The audit entry of an announcement sent: who wrote it, to how many people."""
    people = await session.scalar(
        select(func.count()).where(Delivery.announcement_id == announcement_id)
    )
    audit.record(
        session,
        staff_id,
        audit.Action.ANNOUNCEMENT,
        now,
        training_id=training_id,
        people=int(people or 0),
    )


async def cancel_announcement(session: AsyncSession, announcement_id: int) -> bool:
    """Drop a draft (staff pressed "Batal"); False when it was already started or dropped."""
    result = await session.execute(
        update(Announcement)
        .where(Announcement.id == announcement_id, Announcement.state == AnnouncementState.DRAFT)
        .values(state=AnnouncementState.CANCELLED)
        .returning(Announcement.id)
    )
    changed = result.one_or_none() is not None
    await session.commit()
    return changed


async def announcement_bodies(
    session: AsyncSession, announcement_ids: Collection[int]
) -> dict[int, AnnouncementBody]:
    """The text and heading of each announcement being sent."""
    rows = await session.execute(
        select(Announcement.id, Announcement.text, Announcement.texts, Training.title)
        .outerjoin(Training, Training.id == Announcement.training_id)
        .where(Announcement.id.in_(announcement_ids))
    )
    return {row.id: AnnouncementBody(row.text, row.texts, row.title) for row in rows.all()}


async def announcement_progress(session: AsyncSession, announcement_id: int) -> Progress:
    """How far an announcement is: totals per outcome (skipped rows are not counted)."""
    result = await session.execute(
        select(Delivery.state, func.count())
        .where(Delivery.announcement_id == announcement_id, Delivery.kind == Kind.ANNOUNCEMENT)
        .group_by(Delivery.state)
    )
    counts = {DeliveryState(state): int(n) for state, n in result.all()}
    pending = counts.get(DeliveryState.PENDING, 0) + counts.get(DeliveryState.SENDING, 0)
    sent = counts.get(DeliveryState.SENT, 0)
    blocked = counts.get(DeliveryState.BLOCKED, 0)
    failed = counts.get(DeliveryState.FAILED, 0)
    unknown = counts.get(DeliveryState.UNKNOWN, 0)
    return Progress(
        total=pending + sent + blocked + failed + unknown,
        sent=sent,
        blocked=blocked,
        failed=failed,
        unknown=unknown,
        pending=pending,
    )


async def finish_if_done(session: AsyncSession, announcement_id: int, now: datetime) -> bool:
    """Mark the announcement done when no row is left open, and queue the report to the staff
    member who sent it; True only for the one caller that did so."""
    remaining = await session.execute(
        select(func.count())
        .select_from(Delivery)
        .where(
            Delivery.announcement_id == announcement_id,
            Delivery.kind == Kind.ANNOUNCEMENT,
            Delivery.state.in_(OPEN_STATES),
        )
    )
    if int(remaining.scalar_one()):
        await session.rollback()
        return False
    finished = await session.execute(
        update(Announcement)
        .where(Announcement.id == announcement_id, Announcement.state == AnnouncementState.SENDING)
        .values(state=AnnouncementState.DONE, finished_at=now)
        .returning(Announcement.progress_chat_id, Announcement.created_by)
    )
    row = finished.one_or_none()
    if row is not None and row.progress_chat_id is not None:
        await enqueue(session, [_report(announcement_id, row.progress_chat_id)], now)
    await session.commit()
    return row is not None


def _report(announcement_id: int, chat_id: int) -> NewDelivery:
    return NewDelivery(
        kind=Kind.REPORT,
        key=f"{Kind.REPORT.value}:{announcement_id}",
        chat_id=chat_id,
        announcement_id=announcement_id,
        priority=NOTICE,
    )


async def announcements_in_progress(session: AsyncSession) -> list[Announcement]:
    """Every announcement being sent (the job finishes them and reports)."""
    result = await session.execute(
        select(Announcement)
        .where(Announcement.state == AnnouncementState.SENDING)
        .order_by(Announcement.id)
    )
    return list(result.scalars())


async def get_announcement(session: AsyncSession, announcement_id: int) -> Announcement | None:
    """One announcement by id."""
    return await session.get(Announcement, announcement_id)
