"""Announcements: who receives one, one delivery row per recipient, claimed and sent once.

Life of an announcement: `create_announcement` stores a draft (staff see its preview);
`start_announcement` moves it from draft to sending exactly once and materialises one
`AnnouncementDelivery` per recipient with a single INSERT ... SELECT. Senders (the bot's job, the
command line, several processes at once) reserve work with `claim_deliveries` (rows stay
`pending`, with the worker's name and a lease), mark each row `sending` with `start_delivery`
right before it goes out, and report the answers with `record_deliveries` (many in one
transaction). A row is sent at most once: nothing ever puts a `sending` row back to
`pending`; rows left `sending` by a crashed process become `unknown` (`expire_stale_claims`),
while rows it had only reserved go to another worker once the lease has run out (they never
left).

Who gets a row: participants who erased their data get none (they asked to be forgotten).
Participants already known to have blocked the bot (`unreachable_at`) get a row that starts as
`blocked`: they count as "blocked the bot" in the report and are not sent to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, case, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementState,
    Audience,
    DeliveryState,
    Participant,
    Registration,
    RegistrationStatus,
    Training,
    TrainingStatus,
)
from bot.services.deliveries import mark_sending
from bot.texts import LANGUAGES, Safe, t

# Visible characters of the staff's text: the header (title up to 200) still fits in 4096.
MAX_TEXT_CHARS = 3500
# A claimed row not answered for this long belongs to a process that died: it becomes unknown.
STALE_CLAIM = timedelta(minutes=10)
# The cancel reason of registrations ended because the training was cancelled; such
# registrations still hear about the cancellation.
TRAINING_CANCELLED_REASON = "training_cancelled"
FINAL_STATES = (
    DeliveryState.SENT,
    DeliveryState.BLOCKED,
    DeliveryState.FAILED,
    DeliveryState.UNKNOWN,
)


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
class ClaimedDelivery:
    """One delivery this worker now owns: where to send what."""

    delivery_id: int
    announcement_id: int
    chat_id: int
    language: str
    text: str


def announcement_message(body: str, title: str | None, lang: str) -> str:
    """The message participants receive: a header (with the training's title) and the body.

    `body` is HTML the bot trusts (the staff member's formatted text, already escaped).
    """
    if title:
        return t("announce.message", lang, title=title, body=Safe(body))
    return t("announce.message_all", lang, body=Safe(body))


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
        return query
    if training_id is None:
        raise AnnouncementError(f"audience {audience.value} needs a training")
    query = query.where(Registration.training_id == training_id)
    if audience is Audience.CONFIRMED:
        return query.where(Registration.status == RegistrationStatus.CONFIRMED)
    if audience is Audience.WAITLIST:
        return query.where(Registration.status == RegistrationStatus.WAITLISTED)
    return query.where(
        Registration.status.in_([RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED])
        | (Registration.cancel_reason == TRAINING_CANCELLED_REASON)
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


async def announceable_trainings(session: AsyncSession, limit: int = 30) -> list[Training]:
    """The newest trainings staff may announce to (published, not cancelled)."""
    result = await session.execute(
        select(Training)
        .where(Training.status.in_([TrainingStatus.OPEN, TrainingStatus.CLOSED]))
        .order_by(Training.id.desc())
        .limit(limit)
    )
    return list(result.scalars())


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


async def _materialise(
    session: AsyncSession, announcement_id: int, training_id: int | None, audience: Audience
) -> None:
    recipients = (
        select(
            literal(announcement_id),
            Participant.id,
            case(
                (Participant.unreachable_at.is_not(None), DeliveryState.BLOCKED.value),
                else_=DeliveryState.PENDING.value,
            ),
            literal(0),
        )
        .where(
            Participant.id.in_(_audience_filter(training_id, audience)),
            Participant.erased_at.is_(None),
        )
        .order_by(Participant.id)
    )
    await session.execute(
        insert(AnnouncementDelivery).from_select(
            ["announcement_id", "participant_id", "state", "attempts"], recipients
        )
    )


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
        .returning(Announcement.training_id, Announcement.audience)
    )
    row = moved.one_or_none()
    if row is None:
        await session.rollback()
        return False
    await _materialise(session, announcement_id, row.training_id, Audience(row.audience))
    await session.commit()
    return True


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


async def claim_deliveries(
    session: AsyncSession,
    announcement_id: int | None,
    worker: str,
    limit: int,
    now: datetime,
    lease: timedelta = STALE_CLAIM,
) -> list[ClaimedDelivery]:
    """Reserve up to `limit` pending deliveries (of one announcement, or of any being sent).

    The rows are locked (PostgreSQL: `FOR UPDATE SKIP LOCKED`, so concurrent workers take
    different rows; SQLite: the transaction's write lock) and get this worker's name and the
    time before the transaction ends, so no one else takes them for `lease`; `start_delivery`
    then marks each one `sending` as it goes out. Rows of participants who blocked the bot
    meanwhile are marked blocked instead.
    """
    query = (
        select(AnnouncementDelivery.id)
        .join(Announcement, Announcement.id == AnnouncementDelivery.announcement_id)
        .where(
            AnnouncementDelivery.state == DeliveryState.PENDING,
            Announcement.state == AnnouncementState.SENDING,
            or_(
                AnnouncementDelivery.claimed_at.is_(None),
                AnnouncementDelivery.claimed_at < now - lease,
            ),
        )
        .order_by(AnnouncementDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=AnnouncementDelivery)
    )
    if announcement_id is not None:
        query = query.where(AnnouncementDelivery.announcement_id == announcement_id)
    ids = list((await session.execute(query)).scalars())
    if not ids:
        await session.rollback()
        return []
    rows = (
        await session.execute(
            select(
                AnnouncementDelivery.id,
                AnnouncementDelivery.announcement_id,
                Participant.chat_id,
                Participant.telegram_id,
                Participant.language,
                Participant.unreachable_at,
                Participant.erased_at,
                Announcement.text,
                Announcement.texts,
                Training.title,
            )
            .join(Participant, Participant.id == AnnouncementDelivery.participant_id)
            .join(Announcement, Announcement.id == AnnouncementDelivery.announcement_id)
            .outerjoin(Training, Training.id == Announcement.training_id)
            .where(AnnouncementDelivery.id.in_(ids))
            .order_by(AnnouncementDelivery.id)
        )
    ).all()
    claimed: list[ClaimedDelivery] = []
    blocked: list[int] = []
    skipped: list[int] = []
    for row in rows:
        if row.erased_at is not None:
            skipped.append(row.id)
        elif row.unreachable_at is not None:
            blocked.append(row.id)
        else:
            body = _body_for(row.text, row.texts, row.language)
            claimed.append(
                ClaimedDelivery(
                    delivery_id=row.id,
                    announcement_id=row.announcement_id,
                    chat_id=row.chat_id if row.chat_id is not None else row.telegram_id,
                    language=row.language,
                    text=announcement_message(body, row.title, row.language),
                )
            )
    if claimed:
        await session.execute(
            update(AnnouncementDelivery)
            .where(AnnouncementDelivery.id.in_([c.delivery_id for c in claimed]))
            .values(claimed_by=worker[:64], claimed_at=now)
        )
    for ids_, state, error in (
        (blocked, DeliveryState.BLOCKED, "unreachable"),
        (skipped, DeliveryState.SKIPPED, "erased"),
    ):
        if ids_:
            await session.execute(
                update(AnnouncementDelivery)
                .where(AnnouncementDelivery.id.in_(ids_))
                .values(state=state, error=error)
            )
    await session.commit()
    return claimed


async def start_delivery(
    session: AsyncSession, delivery_id: int, worker: str, now: datetime
) -> bool:
    """Mark a reserved announcement delivery "sending" right before it goes out."""
    return delivery_id in await mark_sending(
        session, AnnouncementDelivery, [delivery_id], worker, now
    )


async def start_delivery_many(
    session: AsyncSession, delivery_ids: Sequence[int], worker: str, now: datetime
) -> set[int]:
    """`start_delivery` for many rows in one transaction; returns the ids marked."""
    return await mark_sending(session, AnnouncementDelivery, delivery_ids, worker, now)


def _body_for(text: str, texts: dict[str, Any] | None, language: str) -> str:
    if texts and isinstance(texts.get(language), str):
        return str(texts[language])
    return text


@dataclass(frozen=True)
class DeliveryOutcome:
    """The answer to one claimed delivery, to be recorded."""

    delivery_id: int
    state: DeliveryState
    error: str | None = None


async def record_delivery(
    session: AsyncSession,
    delivery_id: int,
    result: DeliveryState,
    now: datetime,
    *,
    error: str | None = None,
) -> bool:
    """Store the outcome of one send; a blocked bot marks the participant unreachable.

    Only a row still `sending` is changed (False otherwise: e.g. it was declared unknown after
    the stale timeout). No outcome puts a row back to pending: failed and unknown are final.
    """
    return bool(
        await record_deliveries(session, [DeliveryOutcome(delivery_id, result, error)], now)
    )


async def record_deliveries(
    session: AsyncSession, outcomes: list[DeliveryOutcome], now: datetime
) -> int:
    """Store many outcomes in one transaction (as `record_delivery`); returns how many changed.

    One transaction for a few hundred answers instead of one each: at hundreds of messages a
    second, SQLite writers queueing for the write lock would otherwise set the pace.
    """
    if any(o.state not in FINAL_STATES for o in outcomes):
        raise ValueError(f"not an outcome: {[o.state for o in outcomes]}")
    groups: dict[tuple[DeliveryState, str | None], list[int]] = {}
    for outcome in outcomes:
        error = outcome.error[:200] if outcome.error else None
        groups.setdefault((outcome.state, error), []).append(outcome.delivery_id)
    changed = 0
    for (state, error), ids in groups.items():
        result = await session.execute(
            update(AnnouncementDelivery)
            .where(
                AnnouncementDelivery.id.in_(ids),
                AnnouncementDelivery.state == DeliveryState.SENDING,
            )
            .values(state=state, sent_at=now if state is DeliveryState.SENT else None, error=error)
            .returning(AnnouncementDelivery.participant_id)
            .execution_options(synchronize_session=False)
        )
        participants = list(result.scalars())
        changed += len(participants)
        if participants and state is DeliveryState.BLOCKED:
            await session.execute(
                update(Participant)
                .where(Participant.id.in_(participants), Participant.unreachable_at.is_(None))
                .values(unreachable_at=now, updated_at=now)
                .execution_options(synchronize_session=False)
            )
    await session.commit()
    return changed


async def expire_stale_claims(
    session: AsyncSession, now: datetime, stale_after: timedelta = STALE_CLAIM
) -> int:
    """Declare `unknown` the rows claimed longer ago than `stale_after` (never resent)."""
    result = await session.execute(
        update(AnnouncementDelivery)
        .where(
            AnnouncementDelivery.state == DeliveryState.SENDING,
            AnnouncementDelivery.claimed_at < now - stale_after,
        )
        .values(state=DeliveryState.UNKNOWN, error="no answer recorded (worker stopped)")
        .returning(AnnouncementDelivery.id)
    )
    expired = len(result.all())
    await session.commit()
    return expired


async def announcement_progress(session: AsyncSession, announcement_id: int) -> Progress:
    """How far an announcement is: totals per outcome (skipped rows are not counted)."""
    result = await session.execute(
        select(AnnouncementDelivery.state, func.count())
        .where(AnnouncementDelivery.announcement_id == announcement_id)
        .group_by(AnnouncementDelivery.state)
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
    """Mark the announcement done when no delivery is left; True only for the one caller that
    did so (that caller sends the report)."""
    remaining = await session.execute(
        select(func.count())
        .select_from(AnnouncementDelivery)
        .where(
            AnnouncementDelivery.announcement_id == announcement_id,
            AnnouncementDelivery.state.in_([DeliveryState.PENDING, DeliveryState.SENDING]),
        )
    )
    if int(remaining.scalar_one()):
        await session.rollback()
        return False
    finished = await session.execute(
        update(Announcement)
        .where(Announcement.id == announcement_id, Announcement.state == AnnouncementState.SENDING)
        .values(state=AnnouncementState.DONE, finished_at=now)
        .returning(Announcement.id)
    )
    done = finished.one_or_none() is not None
    await session.commit()
    return done


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


async def announce_training_cancelled(
    session: AsyncSession, training_id: int, now: datetime
) -> Announcement | None:
    """Tell every registrant of a training that it is cancelled, each in their language.

    Creates and starts an announcement to `Audience.REGISTRANTS` (confirmed, waiting, and
    registrations cancelled with `TRAINING_CANCELLED_REASON`); the announcement job sends it.
    Returns None when the training does not exist.
    """
    training = await session.get(Training, training_id)
    if training is None:
        return None
    texts = {
        lang: t("announce.training_cancelled", lang, title=training.title) for lang in LANGUAGES
    }
    announcement = await create_announcement(
        session,
        training_id=training_id,
        audience=Audience.REGISTRANTS,
        text=texts["id"],
        texts=texts,
        created_by=None,
        now=now,
    )
    await start_announcement(session, announcement.id, None, None, now)
    await session.refresh(announcement)
    return announcement
