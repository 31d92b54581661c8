"""Day-before reminders: which are due, who sends them, what became of them, and the answers.

The database is the source of truth. There is one `ReminderDelivery` row per registration and
training day; `sync_reminders` keeps those rows in step with registrations and training dates,
`claim_due_reminders` reserves due rows for one sender, `start_sending` marks each one as it
leaves (a row is sent at most once), `record_outcome` stores the result
and `record_rsvp` the participant's answer.

The rule (PRODUCT "Reminders", refined by the reminders issue):
- A day's reminder time is `REMINDER_TIME` in `TIMEZONE` on the calendar day before the day's
  date. Its sending window runs from that moment until the day starts.
- Only confirmed registrations of open or closed trainings get reminders; waiting-list entries
  get rows only once promoted; rows of cancelled registrations are skipped.
- A row is created for every day that has not started yet. A row created (or a bot that comes
  back) inside the sending window is due at once: so a registration made on the day before after
  the reminder time, or early on the day itself, gets its reminder immediately. A day that has
  already started gets nothing: its row is never created, or no longer claimed.
- A changed date resets the row, even a sent one (the participant must learn the new date). A
  changed start time on the same date only updates the row: a sent reminder is not sent again.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import case, exists, func, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.models import (
    DeliveryState,
    Participant,
    Registration,
    RegistrationStatus,
    ReminderDelivery,
    Rsvp,
    Training,
    TrainingDay,
    TrainingStatus,
)
from bot.services.deliveries import mark_sending

# Trainings whose confirmed participants are reminded (draft has none, cancelled is over).
ACTIVE_TRAININGS = (TrainingStatus.OPEN, TrainingStatus.CLOSED)
# A row left in "sending" this long belongs to a process that died mid-send.
STALE_SENDING_AFTER = timedelta(minutes=15)
_INSERTED_COLUMNS = (
    "registration_id",
    "training_day_id",
    "due_at",
    "day_starts_at",
    "state",
    "attempts",
)


@dataclass(frozen=True)
class DueReminder:
    """Everything needed to render one reminder (or re-render it after an answer)."""

    delivery_id: int
    registration_id: int
    chat_id: int
    language: str
    title: str
    venue: str
    day_number: int
    total_days: int
    day_date: date
    starts_at: datetime
    topic: str
    note: str
    rsvp: Rsvp | None = None


class DeliveryResult(Protocol):
    """What a sender reports about one send (`bot.sending.deliver.SendResult` fits)."""

    @property
    def outcome(self) -> str: ...

    @property
    def message_id(self) -> int | None: ...

    @property
    def error(self) -> str | None: ...


class RsvpStatus(enum.StrEnum):
    """How an attempt to answer a reminder ended."""

    RECORDED = "recorded"
    NOT_FOUND = "not_found"  # no such reminder for this user (forged or someone else's)
    CLOSED = "closed"  # the day is over
    CANCELLED = "cancelled"  # the registration no longer holds a seat


@dataclass(frozen=True)
class RsvpResult:
    """The outcome of `record_rsvp`; `offer_cancel` when every remaining day is a "no"."""

    status: RsvpStatus
    reminder: DueReminder | None = None
    offer_cancel: bool = False


def reminder_due_at(day_date: date, reminder_time: time, tz: ZoneInfo) -> datetime:
    """The moment (UTC) the reminder for a day on `day_date` becomes due."""
    local = datetime.combine(day_date - timedelta(days=1), reminder_time, tzinfo=tz)
    return local.astimezone(UTC)


def _local_day_bounds(day_date: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day_date, time(0), tzinfo=tz)
    end = datetime.combine(day_date + timedelta(days=1), time(0), tzinfo=tz)
    return start, end


def _insert_ignoring_duplicates(session: AsyncSession) -> Any:
    # Two processes may sync at once: the unique key decides, the loser inserts nothing.
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(ReminderDelivery)
    return sqlite.insert(ReminderDelivery)


def _rowcount(result: Any) -> int:
    # CursorResult of a DML statement; -1 when the driver cannot tell.
    return max(int(result.rowcount or 0), 0)


def _confirmed_registrations(training_id: Any) -> Any:
    return select(Registration.id).where(
        Registration.training_id == training_id,
        Registration.status == RegistrationStatus.CONFIRMED,
    )


async def sync_reminders(
    session: AsyncSession, now: datetime, reminder_time: time, tz: ZoneInfo
) -> int:
    """Bring reminder rows in step with registrations and dates; returns rows created or reset.

    Set-based: a few statements per upcoming training day, never a loop over registrations.
    """
    rd = ReminderDelivery
    not_confirmed = select(Registration.id).where(
        or_(
            Registration.status != RegistrationStatus.CONFIRMED,
            Registration.training_id.in_(
                select(Training.id).where(Training.status.not_in(ACTIVE_TRAININGS))
            ),
        )
    )
    await session.execute(
        update(rd)
        .where(rd.state == DeliveryState.PENDING, rd.registration_id.in_(not_confirmed))
        .values(state=DeliveryState.SKIPPED, error="registration not confirmed")
        .execution_options(synchronize_session=False)
    )

    days = (
        await session.execute(
            select(TrainingDay.id, TrainingDay.training_id, TrainingDay.date, TrainingDay.starts_at)
            .join(Training, Training.id == TrainingDay.training_id)
            .where(TrainingDay.starts_at > now, Training.status.in_(ACTIVE_TRAININGS))
        )
    ).all()
    stats = await _day_stats(session, now)
    confirmed_counts = await _confirmed_counts(session)
    changed = 0
    for day_id, training_id, day_date, starts_at in days:
        due_at = reminder_due_at(day_date, reminder_time, tz)
        covered, first_due, last_due, moved = stats.get(day_id, (0, due_at, due_at, 0))
        in_step = covered == confirmed_counts.get(training_id, 0) and not moved
        if in_step and first_due == due_at and last_due == due_at:
            continue  # every confirmed registration has its row, all up to date
        date_lo, date_hi = _local_day_bounds(day_date, tz)
        confirmed = _confirmed_registrations(training_id)

        # A new date (or a promoted registration whose row was skipped) starts over; a row
        # being sent right now is left alone and looked at again on the next sync.
        reset = await session.execute(
            update(rd)
            .where(
                rd.training_day_id == day_id,
                rd.registration_id.in_(confirmed),
                rd.state != DeliveryState.SENDING,
                or_(
                    rd.day_starts_at < date_lo,
                    rd.day_starts_at >= date_hi,
                    rd.state == DeliveryState.SKIPPED,
                ),
            )
            .values(
                state=DeliveryState.PENDING,
                due_at=due_at,
                day_starts_at=starts_at,
                attempts=0,
                claimed_by=None,
                claimed_at=None,
                sent_at=None,
                message_id=None,
                error=None,
                rsvp=None,
                rsvp_at=None,
            )
            .execution_options(synchronize_session=False)
        )
        # Same date, other start time or another REMINDER_TIME: keep what was sent.
        await session.execute(
            update(rd)
            .where(
                rd.training_day_id == day_id,
                rd.state != DeliveryState.SENDING,
                or_(rd.day_starts_at != starts_at, rd.due_at != due_at),
            )
            .values(due_at=due_at, day_starts_at=starts_at)
            .execution_options(synchronize_session=False)
        )
        source = select(
            Registration.id,
            literal(day_id),
            literal(due_at, type_=rd.due_at.type),
            literal(starts_at, type_=rd.day_starts_at.type),
            literal(DeliveryState.PENDING.value),
            literal(0),
        ).where(
            Registration.training_id == training_id,
            Registration.status == RegistrationStatus.CONFIRMED,
            ~exists().where(rd.registration_id == Registration.id, rd.training_day_id == day_id),
        )
        inserted = await session.execute(
            _insert_ignoring_duplicates(session)
            .from_select(
                [
                    "registration_id",
                    "training_day_id",
                    "due_at",
                    "day_starts_at",
                    "state",
                    "attempts",
                ],
                source,
            )
            .on_conflict_do_nothing()
        )
        changed += _rowcount(reset) + _rowcount(inserted)
    await session.commit()
    return changed


async def _day_stats(
    session: AsyncSession, now: datetime
) -> dict[int, tuple[int, datetime, datetime, int]]:
    """Per upcoming day: rows of confirmed registrations that are not skipped, the first and
    last due time, and rows computed for another start; one grouped scan, so that a sync with
    nothing to change costs one query instead of three per day."""
    rd = ReminderDelivery
    live = case(
        (
            (Registration.status == RegistrationStatus.CONFIRMED)
            & (rd.state != DeliveryState.SKIPPED),
            1,
        ),
        else_=0,
    )
    moved = case((rd.day_starts_at != TrainingDay.starts_at, 1), else_=0)
    rows = await session.execute(
        select(
            rd.training_day_id,
            func.sum(live),
            func.min(rd.due_at),
            func.max(rd.due_at),
            func.sum(moved),
        )
        .join(Registration, Registration.id == rd.registration_id)
        .join(TrainingDay, TrainingDay.id == rd.training_day_id)
        .where(TrainingDay.starts_at > now)
        .group_by(rd.training_day_id)
    )
    return {day: (int(n or 0), lo, hi, int(m or 0)) for day, n, lo, hi, m in rows.all()}


async def _confirmed_counts(session: AsyncSession) -> dict[int, int]:
    rows = await session.execute(
        select(Registration.training_id, func.count())
        .where(Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(Registration.training_id)
    )
    return {training: int(count) for training, count in rows.all()}


async def expire_stale_sending(
    session: AsyncSession, now: datetime, older_than: timedelta = STALE_SENDING_AFTER
) -> int:
    """Mark rows stuck in "sending" (their process died) as "unknown"; never resend them."""
    result = await session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.state == DeliveryState.SENDING,
            ReminderDelivery.claimed_at < now - older_than,
        )
        .values(state=DeliveryState.UNKNOWN, error="sender stopped while sending")
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return _rowcount(result)


def _view_query() -> Any:
    """Rows joined with everything a reminder shows (one indexed scan of the deliveries)."""
    all_days = aliased(TrainingDay)
    total_days = (
        select(func.count(all_days.id))
        .where(all_days.training_id == TrainingDay.training_id)
        .scalar_subquery()
    )
    return (
        select(
            ReminderDelivery.id,
            ReminderDelivery.registration_id,
            Participant.chat_id,
            Participant.language,
            Training.title,
            Training.venue,
            TrainingDay.day_number,
            total_days,
            TrainingDay.date,
            TrainingDay.starts_at,
            TrainingDay.topic,
            TrainingDay.note,
            ReminderDelivery.rsvp,
        )
        .join(Registration, Registration.id == ReminderDelivery.registration_id)
        .join(Participant, Participant.id == Registration.participant_id)
        .join(TrainingDay, TrainingDay.id == ReminderDelivery.training_day_id)
        .join(Training, Training.id == TrainingDay.training_id)
    )


def _to_view(row: Sequence[Any]) -> DueReminder:
    return DueReminder(
        delivery_id=row[0],
        registration_id=row[1],
        chat_id=row[2],
        language=row[3],
        title=row[4],
        venue=row[5],
        day_number=row[6],
        total_days=row[7],
        day_date=row[8],
        starts_at=row[9],
        topic=row[10] or "",
        note=row[11] or "",
        rsvp=row[12],
    )


def due_reminders_query(now: datetime, limit: int) -> Any:
    """The claim's selection: pending, due, day not started, date unchanged since the sync."""
    return (
        _view_query()
        .where(
            ReminderDelivery.state == DeliveryState.PENDING,
            ReminderDelivery.due_at <= now,
            ReminderDelivery.day_starts_at > now,
            TrainingDay.starts_at == ReminderDelivery.day_starts_at,
            Registration.status == RegistrationStatus.CONFIRMED,
            Participant.chat_id.is_not(None),
        )
        .order_by(ReminderDelivery.due_at, ReminderDelivery.id)
        .limit(limit)
    )


async def claim_due_reminders(
    session: AsyncSession,
    now: datetime,
    worker: str,
    limit: int,
    lease: timedelta = STALE_SENDING_AFTER,
) -> list[DueReminder]:
    """Reserve up to `limit` due reminders for `worker` for `lease` (rows stay "pending").

    A reserved row is sent only after `start_sending` moved it to "sending"; a reservation
    whose worker died runs out after `lease`, and the row goes to the next claimer (it never
    left). PostgreSQL: `FOR UPDATE SKIP LOCKED` lets concurrent claimers pass each other's
    rows; SQLite: the transaction's BEGIN IMMEDIATE already excludes every other writer.
    """
    query = (
        due_reminders_query(now, limit)
        .where(
            or_(
                ReminderDelivery.claimed_at.is_(None),
                ReminderDelivery.claimed_at < now - lease,
            )
        )
        .with_for_update(skip_locked=True, of=ReminderDelivery)
    )
    reminders = [_to_view(row) for row in (await session.execute(query)).all()]
    if reminders:
        await session.execute(
            update(ReminderDelivery)
            .where(ReminderDelivery.id.in_([r.delivery_id for r in reminders]))
            .values(claimed_by=worker[:64], claimed_at=now)
            .execution_options(synchronize_session=False)
        )
    await session.commit()
    return reminders


async def start_sending(
    session: AsyncSession, delivery_id: int, worker: str, now: datetime
) -> bool:
    """Mark a reserved reminder "sending" right before it goes out (see `mark_sending`)."""
    started = await mark_sending(session, ReminderDelivery, [delivery_id], worker, now)
    return delivery_id in started


async def start_sending_many(
    session: AsyncSession, delivery_ids: Sequence[int], worker: str, now: datetime
) -> set[int]:
    """`start_sending` for many rows in one transaction; returns the ids marked."""
    return await mark_sending(session, ReminderDelivery, delivery_ids, worker, now)


async def record_outcome(
    session: AsyncSession, delivery_id: int, result: DeliveryResult, now: datetime
) -> None:
    """Store what became of a claimed reminder; a blocked bot marks the participant unreachable."""
    state = DeliveryState(str(result.outcome))
    values: dict[str, Any] = {"state": state, "error": result.error}
    if state == DeliveryState.SENT:
        values.update(sent_at=now, message_id=result.message_id, error=None)
    # "unknown" too: a stale claim may have been given up on while the answer was on its way.
    await session.execute(
        update(ReminderDelivery)
        .where(
            ReminderDelivery.id == delivery_id,
            ReminderDelivery.state.in_((DeliveryState.SENDING, DeliveryState.UNKNOWN)),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if state == DeliveryState.BLOCKED:
        participant_id = (
            select(Registration.participant_id)
            .join(ReminderDelivery, ReminderDelivery.registration_id == Registration.id)
            .where(ReminderDelivery.id == delivery_id)
            .scalar_subquery()
        )
        await session.execute(
            update(Participant)
            .where(Participant.id == participant_id)
            .values(unreachable_at=now)
            .execution_options(synchronize_session=False)
        )
    await session.commit()


async def reminder_for(
    session: AsyncSession, delivery_id: int, telegram_id: int
) -> DueReminder | None:
    """The reminder `delivery_id` if it belongs to this Telegram user, else None."""
    row = (
        await session.execute(
            _view_query().where(
                ReminderDelivery.id == delivery_id, Participant.telegram_id == telegram_id
            )
        )
    ).first()
    return _to_view(row) if row is not None else None


async def record_rsvp(
    session: AsyncSession, delivery_id: int, telegram_id: int, answer: Rsvp, now: datetime
) -> RsvpResult:
    """Record a participant's answer to one day's reminder (only their own, while it counts)."""
    row = (
        await session.execute(
            select(ReminderDelivery, Registration.status, TrainingDay.ends_at)
            .join(Registration, Registration.id == ReminderDelivery.registration_id)
            .join(Participant, Participant.id == Registration.participant_id)
            .join(TrainingDay, TrainingDay.id == ReminderDelivery.training_day_id)
            .where(ReminderDelivery.id == delivery_id, Participant.telegram_id == telegram_id)
            .with_for_update(of=ReminderDelivery)
        )
    ).first()
    if row is None:
        await session.rollback()
        return RsvpResult(RsvpStatus.NOT_FOUND)
    delivery, status, ends_at = row
    if status != RegistrationStatus.CONFIRMED:
        await session.rollback()
        return RsvpResult(RsvpStatus.CANCELLED)
    if ends_at <= now:
        await session.rollback()
        return RsvpResult(RsvpStatus.CLOSED)
    delivery.rsvp = answer
    delivery.rsvp_at = now
    await session.flush()
    offer_cancel = answer == Rsvp.NO and await _no_for_every_remaining_day(
        session, delivery.registration_id, now
    )
    reminder = await reminder_for(session, delivery_id, telegram_id)
    await session.commit()
    return RsvpResult(RsvpStatus.RECORDED, reminder, offer_cancel)


async def _no_for_every_remaining_day(
    session: AsyncSession, registration_id: int, now: datetime
) -> bool:
    """Whether every day of the training not yet over has a "no" from this registration."""
    training_id = (
        select(Registration.training_id).where(Registration.id == registration_id).scalar_subquery()
    )
    remaining = select(func.count(TrainingDay.id)).where(
        TrainingDay.training_id == training_id, TrainingDay.ends_at > now
    )
    answered_no = (
        select(func.count(ReminderDelivery.id))
        .join(TrainingDay, TrainingDay.id == ReminderDelivery.training_day_id)
        .where(
            ReminderDelivery.registration_id == registration_id,
            ReminderDelivery.rsvp == Rsvp.NO,
            TrainingDay.ends_at > now,
        )
    )
    counts = (
        await session.execute(select(remaining.scalar_subquery(), answered_no.scalar_subquery()))
    ).one()
    return int(counts[0]) == int(counts[1])
