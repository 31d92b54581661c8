"""Reminders: which are due, and their rows in the outbox kept in step.

The database is the source of truth. `sync_reminders` keeps one outbox row (`Kind.REMINDER`)
per confirmed registration and upcoming training day, keyed by the day's date
(`reminder:<registration>:<day>:<date>`): the outbox sends each key once, so a moved date is a
new key (the participant must learn the new date) while a new start time on the same date
updates the row (a reminder already sent is not sent again). How a reminder shows and the
answer to it are in `bot.services.rsvp`.
With `REMINDER_MORNING_TIME` set, a second schedule (`Kind.MORNING`, `morning:...` keys) does
the same on the morning of the day itself; a day that starts before (or at) that time gets no
morning reminder. A training with coordinates gets its venue as a map pin after each
day-before reminder: a row of its own (`Kind.VENUE`, `venue:...`) that follows the reminder's.

The rule (PRODUCT "Reminders", refined by the reminders issue):
- A day's reminder time is `REMINDER_TIME` in `TIMEZONE` on the calendar day before the day's
  date. Its sending window runs from that moment until the day starts (`expires_at`).
- Only confirmed registrations of open or closed trainings get reminders; waiting-list entries
  get rows only once promoted; pending rows of registrations that lost their seat are skipped.
- A row is created for every day that has not started yet. A row created (or a bot that comes
  back) inside the sending window is due at once: so a registration made on the day before after
  the reminder time, or early on the day itself, gets its reminder immediately. A day that has
  already started gets nothing: its row is never created, or expires unsent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, String, case, cast, func, literal, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.models.messaging import Delivery, DeliveryState
from bot.models.people import Participant
from bot.models.registrations import Registration, RegistrationStatus
from bot.models.trainings import Training, TrainingDay, TrainingStatus
from bot.services import outbox
from bot.services.outbox import (
    BULK,
    Kind,
    follows_row_in,
    insert_deliveries,
)

# The kinds of reminder rows this module keeps (and skips when their seat is gone).
REMINDER_KINDS = (Kind.REMINDER, Kind.MORNING, Kind.VENUE)

# Trainings whose confirmed participants are reminded (draft has none, cancelled is over).
ACTIVE_TRAININGS = (TrainingStatus.OPEN, TrainingStatus.CLOSED)
_INSERTED_COLUMNS = (
    "kind",
    "key",
    "chat_id",
    "participant_id",
    "registration_id",
    "training_day_id",
    "payload",
    "priority",
    "due_at",
    "expires_at",
    "state",
    "attempts",
    "created_at",
)


@dataclass(frozen=True)
class Schedule:
    """When one kind of reminder is due: at `at` (local time), `days_before` the day."""

    kind: Kind
    at: time
    days_before: int

    def due_at(self, day_date: date, tz: ZoneInfo) -> datetime:
        """The moment (UTC) this reminder for a day on `day_date` becomes due."""
        local = datetime.combine(day_date - timedelta(days=self.days_before), self.at, tzinfo=tz)
        return local.astimezone(UTC)


def schedules(reminder_time: time, morning_time: time | None) -> list[Schedule]:
    """The day-before reminder, and the morning-of one when it is set."""
    day_before = [Schedule(Kind.REMINDER, reminder_time, 1)]
    return day_before + ([Schedule(Kind.MORNING, morning_time, 0)] if morning_time else [])


def reminder_due_at(day_date: date, reminder_time: time, tz: ZoneInfo) -> datetime:
    """The moment (UTC) the day-before reminder for a day on `day_date` becomes due."""
    return Schedule(Kind.REMINDER, reminder_time, 1).due_at(day_date, tz)


@dataclass(frozen=True)
class DayBefore:
    """The day-before reminder's time (`REMINDER_TIME` in `TIMEZONE`)."""

    at: time
    tz: ZoneInfo

    def due_now(self, days: Iterable[TrainingDay], now: datetime) -> bool:
        """Whether the reminder of one of these days is due now (its window is open: worth
        sending at once rather than at the reminder job's next run)."""
        return any(
            reminder_due_at(day.starts_at.astimezone(self.tz).date(), self.at, self.tz)
            <= now
            < day.starts_at
            for day in days
        )


def _local_day_bounds(day_date: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day_date, time(0), tzinfo=tz)
    end = datetime.combine(day_date + timedelta(days=1), time(0), tzinfo=tz)
    return start, end


def reminder_key(
    registration_id: int, day_id: int, day_date: date, kind: Kind = Kind.REMINDER
) -> str:
    """The outbox key of one reminder: one per kind, registration, day and date."""
    return f"{kind.value}:{registration_id}:{day_id}:{day_date.isoformat()}"


def _key_sql(kind: Kind, registration_id: Any, day_id: int, day_date: date) -> Any:
    """SQL for `reminder_key` of a registration id column, for one day and date."""
    return (
        literal(f"{kind.value}:")
        + cast(registration_id, String)
        + literal(f":{day_id}:{day_date.isoformat()}")
    )


def _confirmed_registrations(training_id: Any) -> Any:
    return select(Registration.id).where(
        Registration.training_id == training_id,
        Registration.status == RegistrationStatus.CONFIRMED,
    )


@dataclass(frozen=True)
class _Day:
    id: int
    training_id: int
    date: date
    starts_at: datetime
    due_at: datetime
    kind: Kind = Kind.REMINDER
    pinned: bool = False  # the training has coordinates: its reminders are followed by a pin

    @property
    def too_late(self) -> bool:
        """The day starts before its reminder would be due: it gets none of this kind."""
        return self.due_at >= self.starts_at

    def key_of(self, registration_id: Any) -> Any:
        """SQL for the key of this day's reminder of a registration id column."""
        return _key_sql(self.kind, registration_id, self.id, self.date)


async def sync_reminders(
    session: AsyncSession,
    now: datetime,
    reminder_time: time,
    tz: ZoneInfo,
    morning_time: time | None = None,
) -> int:
    """Bring the reminder rows of the outbox in step with registrations, dates and the
    settings; returns rows created. Set-based: a few statements per upcoming day that changed,
    one scan per kind otherwise."""
    await _skip_unconfirmed(session)
    changed = 0
    for schedule in schedules(reminder_time, morning_time):
        for day in await _days_out_of_step(session, now, schedule, tz):
            await _resync_day(session, day)
            if not day.too_late:
                changed += await _insert_missing(session, day, now)
    changed += await _queue_pins(session, now)
    await session.commit()
    return changed


async def _skip_unconfirmed(session: AsyncSession) -> None:
    """Pending reminders of registrations that no longer hold a seat will not be sent."""
    not_confirmed = select(Registration.id).where(
        or_(
            Registration.status != RegistrationStatus.CONFIRMED,
            Registration.training_id.in_(
                select(Training.id).where(Training.status.not_in(ACTIVE_TRAININGS))
            ),
        )
    )
    await outbox.skip_pending_where(
        session,
        Delivery.kind.in_([k.value for k in REMINDER_KINDS]),
        Delivery.registration_id.in_(not_confirmed),
        reason="registration not confirmed",
    )


async def _days_out_of_step(
    session: AsyncSession, now: datetime, schedule: Schedule, tz: ZoneInfo
) -> list[_Day]:
    """Upcoming days of active trainings whose rows do not match their confirmed people."""
    rows = (
        await session.execute(
            select(
                TrainingDay.id,
                TrainingDay.training_id,
                TrainingDay.date,
                TrainingDay.starts_at,
                Training.latitude.is_not(None) & Training.longitude.is_not(None),
            )
            .join(Training, Training.id == TrainingDay.training_id)
            .where(TrainingDay.starts_at > now, Training.status.in_(ACTIVE_TRAININGS))
        )
    ).all()
    stats = await _day_stats(session, now, schedule.kind)
    confirmed = await _confirmed_counts(session)
    days = []
    for day_id, training_id, day_date, starts_at, pinned in rows:
        due_at = schedule.due_at(day_date, tz)
        day = _Day(day_id, training_id, day_date, starts_at, due_at, schedule.kind, bool(pinned))
        expected = 0 if day.too_late else confirmed.get(training_id, 0)
        live, first_due, last_due = stats.get(day_id, (0, day.due_at, day.due_at))
        in_step = live == expected and (live == 0 or first_due == last_due == day.due_at)
        if not in_step:
            days.append(day)
    return days


async def _resync_day(session: AsyncSession, day: _Day) -> None:
    """Pending rows for another date are dropped (all of them when the day starts before its
    reminder time); rows for this date follow its start time."""
    of_day = (
        Delivery.kind == day.kind.value,
        Delivery.training_day_id == day.id,
        Delivery.state != DeliveryState.SENDING,
    )
    dropped = true() if day.too_late else Delivery.key != day.key_of(Delivery.registration_id)
    reason = "the day starts before its reminder time" if day.too_late else "the day moved"
    await outbox.skip_pending_where(session, *of_day, dropped, reason=reason)
    if day.too_late:
        return
    this_date = Delivery.key == day.key_of(Delivery.registration_id)
    await _follow_start(session, day, *of_day, this_date)
    if day.kind == Kind.REMINDER and day.pinned:  # the pins that follow its reminders
        await _follow_start(session, day, Delivery.kind == Kind.VENUE.value, *of_day[1:])
    await _restore_promoted(session, day)


async def _follow_start(session: AsyncSession, day: _Day, *rows: Any) -> None:
    """These rows of the day are due at its reminder time and expire when it starts."""
    await session.execute(
        update(Delivery)
        .where(*rows, or_(Delivery.due_at != day.due_at, Delivery.expires_at != day.starts_at))
        .values(due_at=day.due_at, expires_at=day.starts_at)
        .execution_options(synchronize_session=False)
    )


async def _restore_promoted(session: AsyncSession, day: _Day) -> None:
    """A promoted registration whose earlier row was skipped gets it back (and its pin)."""
    await outbox.revive_skipped_where(
        session,
        Delivery.kind == day.kind.value,
        Delivery.training_day_id == day.id,
        Delivery.key == day.key_of(Delivery.registration_id),
        Delivery.registration_id.in_(_confirmed_registrations(day.training_id)),
    )
    if not (day.kind == Kind.REMINDER and day.pinned):
        return
    await outbox.revive_skipped_where(
        session,
        Delivery.kind == Kind.VENUE.value,
        Delivery.training_day_id == day.id,
        follows_row_in(DeliveryState.PENDING),
    )


async def _insert_missing(session: AsyncSession, day: _Day, now: datetime) -> int:
    """One pending row for each confirmed registration of the day that has none (yet)."""
    source = (
        select(
            literal(day.kind.value),
            day.key_of(Registration.id),
            func.coalesce(Participant.chat_id, Participant.telegram_id),
            Participant.id,
            Registration.id,
            literal(day.id),
            literal({"date": day.date.isoformat()}, type_=JSON),
            literal(BULK),
            literal(day.due_at, type_=Delivery.due_at.type),
            literal(day.starts_at, type_=Delivery.due_at.type),
            literal(DeliveryState.PENDING.value),
            literal(0),
            literal(now, type_=Delivery.due_at.type),
        )
        .join(Participant, Participant.id == Registration.participant_id)
        .where(
            Registration.training_id == day.training_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    )
    inserted = await session.execute(
        insert_deliveries(session)
        .from_select(_INSERTED_COLUMNS, source)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return max(int(getattr(inserted, "rowcount", 0) or 0), 0)


def _pinned_days(now: datetime) -> Any:
    """SQL: the upcoming days of trainings with coordinates."""
    return (
        select(TrainingDay.id)
        .join(Training, Training.id == TrainingDay.training_id)
        .where(
            TrainingDay.starts_at > now,
            Training.latitude.is_not(None),
            Training.longitude.is_not(None),
        )
    )


async def _queue_pins(session: AsyncSession, now: datetime) -> int:
    """A map pin after each pending day-before reminder of a training with coordinates: its
    own row (`venue:<registration>:<day>:<date>`), due with the reminder, following it."""
    reminder = aliased(Delivery)
    prefix = len(f"{Kind.REMINDER.value}:")
    source = select(
        literal(Kind.VENUE.value),
        literal(f"{Kind.VENUE.value}:") + func.substr(reminder.key, prefix + 1),
        reminder.chat_id,
        reminder.participant_id,
        reminder.registration_id,
        reminder.training_day_id,
        reminder.payload,
        reminder.priority,
        reminder.due_at,
        reminder.expires_at,
        literal(DeliveryState.PENDING.value),
        literal(0),
        literal(now, type_=Delivery.due_at.type),
        reminder.id,
    ).where(
        # Upcoming days of trainings with coordinates first: the day's index finds their rows.
        reminder.training_day_id.in_(_pinned_days(now)),
        reminder.kind == Kind.REMINDER.value,
        reminder.state == DeliveryState.PENDING,
        ~select(Delivery.id).where(Delivery.after_id == reminder.id).exists(),
    )
    inserted = await session.execute(
        insert_deliveries(session)
        .from_select((*_INSERTED_COLUMNS, "after_id"), source)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return max(int(getattr(inserted, "rowcount", 0) or 0), 0)


async def _day_stats(
    session: AsyncSession, now: datetime, kind: Kind
) -> dict[int, tuple[int, datetime, datetime]]:
    """Per upcoming day: live rows of confirmed registrations that match the day's start, and
    their first and last due time; one grouped scan, so that a sync with nothing to change
    costs one query instead of three per day."""
    live = case(
        (
            (Registration.status == RegistrationStatus.CONFIRMED)
            & (Delivery.state != DeliveryState.SKIPPED),
            1,
        ),
        else_=0,
    )
    rows = await session.execute(
        select(
            Delivery.training_day_id,
            func.sum(live),
            func.min(Delivery.due_at),
            func.max(Delivery.due_at),
        )
        .join(Registration, Registration.id == Delivery.registration_id)
        .join(TrainingDay, TrainingDay.id == Delivery.training_day_id)
        .where(
            Delivery.kind == kind.value,
            TrainingDay.starts_at > now,
            Delivery.expires_at == TrainingDay.starts_at,
            Delivery.state != DeliveryState.SKIPPED,
        )
        .group_by(Delivery.training_day_id)
    )
    return {day: (int(n or 0), lo, hi) for day, n, lo, hi in rows.all()}


async def _confirmed_counts(session: AsyncSession) -> dict[int, int]:
    rows = await session.execute(
        select(Registration.training_id, func.count())
        .where(Registration.status == RegistrationStatus.CONFIRMED)
        .group_by(Registration.training_id)
    )
    return {training: int(count) for training, count in rows.all()}
