"""Months after the training (FOLLOW_UP_DAYS): how each attendee's business does.

For each round N, everyone present on at least one day of a training whose last day ended N
days ago gets one follow-up: a response row (unique per registration and round) and an outbox
row keyed `follow_up:<registration>:<round>`, made in one transaction, so a restart or a
second process queues nothing twice. The answers are stored as they come; the next question is
the first without an answer, so a break or a restart picks up there. A follow-up left
unfinished for `REMINDER_AFTER` gets one reminder (`reminded_at`), then nothing more.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Attendance,
    FollowUpResponse,
    Participant,
    Registration,
    RegistrationStatus,
    Training,
    TrainingDay,
    TrainingStatus,
)
from bot.services.baseline import SALES_BANDS, WORKERS_MAX, WORKERS_MIN
from bot.services.outbox import BULK, Kind, NewDelivery, enqueue
from bot.services.participants import chat_of

# A training that ended longer ago than its round plus this gets no follow-up of that round
# (a new install, or follow-ups turned on later, stays quiet about old trainings).
ROUND_WINDOW = timedelta(days=14)
REMINDER_AFTER = timedelta(days=5)
APPLIED = ("yes", "partly", "not_yet")
SKIPPED_PHOTO = ""


class Step(enum.StrEnum):
    """The follow-up's questions, in their order."""

    RUNNING = "running"
    SALES = "sales"
    WORKERS = "workers"
    APPLIED = "applied"
    NEW_PRODUCT = "product"
    PHOTO = "photo"
    MENTORING = "mentoring"
    DONE = "done"


# A business no longer running is asked only whether it wants mentoring.
_RUNNING_STEPS = (
    (Step.SALES, "sales_band"),
    (Step.WORKERS, "workers"),
    (Step.APPLIED, "applied"),
    (Step.NEW_PRODUCT, "new_product"),
)


@dataclass(frozen=True)
class FollowUpState:
    """Where one follow-up stands: what to ask next, for which training and round."""

    response_id: int
    training_title: str
    round: int
    step: Step


def next_step(response: FollowUpResponse) -> Step:
    """The first question without an answer."""
    if response.finished_at is not None:
        return Step.DONE
    if response.running is None:
        return Step.RUNNING
    if response.running:
        for step, column in _RUNNING_STEPS:
            if getattr(response, column) is None:
                return step
        if response.new_product and response.photo_file_id is None:
            return Step.PHOTO
    return Step.MENTORING


# ---- who gets a follow-up -----------------------------------------------------------------------
async def _trainings_of_round(session: AsyncSession, now: datetime, days: int) -> list[int]:
    """Trainings whose last day ended `days` days ago (within the round's window)."""
    last_end = func.max(TrainingDay.ends_at)
    since = now - timedelta(days=days)
    rows = await session.execute(
        select(Training.id)
        .join(TrainingDay, TrainingDay.training_id == Training.id)
        .where(Training.status.in_((TrainingStatus.OPEN, TrainingStatus.CLOSED)))
        .group_by(Training.id)
        .having(and_(last_end <= since, last_end > since - ROUND_WINDOW))
    )
    return [int(training_id) for training_id in rows.scalars()]


async def _attendees_without(
    session: AsyncSession, training_ids: list[int], days: int
) -> list[tuple[int, int, int, int | None, int | None]]:
    """(registration, training, participant, chat, Telegram id) of everyone present at least
    once in these trainings who has no follow-up of this round yet."""
    rows = await session.execute(
        select(
            Registration.id,
            Registration.training_id,
            Participant.id,
            Participant.chat_id,
            Participant.telegram_id,
        )
        .join(Participant, Participant.id == Registration.participant_id)
        .where(
            Registration.training_id.in_(training_ids),
            Registration.status == RegistrationStatus.CONFIRMED,
            Participant.erased_at.is_(None),
            Registration.id.in_(select(Attendance.registration_id).distinct()),
            Registration.id.not_in(
                select(FollowUpResponse.registration_id).where(FollowUpResponse.round == days)
            ),
        )
    )
    return [(r[0], r[1], r[2], r[3], r[4]) for r in rows.all()]


def _delivery(
    registration_id: int, participant_id: int, chat_id: int, days: int, *, reminder: bool
) -> NewDelivery:
    """The follow-up's message (or its one reminder), keyed so that it is sent once."""
    key = f"follow_up{'_reminder' if reminder else ''}:{registration_id}:{days}"
    return NewDelivery(
        kind=Kind.FOLLOW_UP,
        key=key,
        chat_id=chat_id,
        participant_id=participant_id,
        registration_id=registration_id,
        payload={"round": days, "reminder": reminder},
        priority=BULK,
    )


async def queue_follow_ups(session: AsyncSession, now: datetime, rounds: tuple[int, ...]) -> int:
    """Queue the follow-ups due now, each person and round once, and commit; how many."""
    added = 0
    for days in rounds:
        training_ids = await _trainings_of_round(session, now, days)
        if not training_ids:
            continue
        for (
            registration_id,
            training_id,
            participant_id,
            chat,
            telegram_id,
        ) in await _attendees_without(session, training_ids, days):
            session.add(
                FollowUpResponse(
                    registration_id=registration_id, training_id=training_id, round=days,
                    sent_at=now, updated_at=now,
                )
            )  # fmt: skip
            new = _delivery(
                registration_id, participant_id, chat_of(chat, telegram_id), days, reminder=False
            )
            added += await enqueue(session, [new], now)
    await session.commit()
    return added


async def queue_reminders(session: AsyncSession, now: datetime) -> int:
    """One reminder for each follow-up left unfinished `REMINDER_AFTER` after it was sent
    (never a second), and commit; how many."""
    rows = await session.execute(
        select(FollowUpResponse, Participant.id, Participant.chat_id, Participant.telegram_id)
        .join(Registration, Registration.id == FollowUpResponse.registration_id)
        .join(Participant, Participant.id == Registration.participant_id)
        .where(
            FollowUpResponse.finished_at.is_(None),
            FollowUpResponse.reminded_at.is_(None),
            FollowUpResponse.sent_at <= now - REMINDER_AFTER,
            Participant.erased_at.is_(None),
        )
    )
    added = 0
    for response, participant_id, chat, telegram_id in rows.all():
        response.reminded_at = now
        new = _delivery(
            response.registration_id, participant_id, chat_of(chat, telegram_id), response.round,
            reminder=True,
        )  # fmt: skip
        added += await enqueue(session, [new], now)
    await session.commit()
    return added


# ---- the answers --------------------------------------------------------------------------------
async def _response_of(
    session: AsyncSession, response_id: int, telegram_id: int | None
) -> tuple[FollowUpResponse, str] | None:
    """The follow-up and its training's title, when it is this user's (any user's for None)
    and their data is not erased."""
    query = (
        select(FollowUpResponse, Training.title)
        .join(Registration, Registration.id == FollowUpResponse.registration_id)
        .join(Training, Training.id == FollowUpResponse.training_id)
        .join(Participant, Participant.id == Registration.participant_id)
        .where(FollowUpResponse.id == response_id, Participant.erased_at.is_(None))
        .execution_options(populate_existing=True)
    )
    if telegram_id is not None:
        owner = func.coalesce(Participant.telegram_id, Participant.chat_id)
        query = query.where(owner == telegram_id)
    row = (await session.execute(query)).first()
    return (row[0], str(row[1])) if row is not None else None


def _state(response: FollowUpResponse, title: str) -> FollowUpState:
    return FollowUpState(response.id, title, response.round, next_step(response))


async def follow_up_state(
    session: AsyncSession, response_id: int, telegram_id: int
) -> FollowUpState | None:
    """Where this user's follow-up stands (None when it is not theirs)."""
    found = await _response_of(session, response_id, telegram_id)
    return _state(*found) if found else None


async def pending_follow_up(
    session: AsyncSession, registration_id: int, days: int
) -> FollowUpState | None:
    """The follow-up of this registration and round while it is unfinished (for the outbox)."""
    response_id = await session.scalar(
        select(FollowUpResponse.id).where(
            FollowUpResponse.registration_id == registration_id, FollowUpResponse.round == days
        )
    )
    found = await _response_of(session, response_id, None) if response_id else None
    if found is None or next_step(found[0]) == Step.DONE:
        return None
    return _state(*found)


def valid_answer(step: Step, value: object) -> bool:
    """Whether `value` answers `step`."""
    if step in (Step.RUNNING, Step.NEW_PRODUCT, Step.MENTORING):
        return isinstance(value, bool)
    if step == Step.SALES:
        return value in SALES_BANDS
    if step == Step.WORKERS:
        return isinstance(value, int) and WORKERS_MIN <= value <= WORKERS_MAX
    if step == Step.APPLIED:
        return value in APPLIED
    return step == Step.PHOTO and isinstance(value, str) and len(value) <= 200


_COLUMNS = {
    Step.RUNNING: "running",
    Step.SALES: "sales_band",
    Step.WORKERS: "workers",
    Step.APPLIED: "applied",
    Step.NEW_PRODUCT: "new_product",
    Step.PHOTO: "photo_file_id",
    Step.MENTORING: "mentoring",
}


async def answer(
    session: AsyncSession,
    response_id: int,
    telegram_id: int,
    step: Step,
    value: object,
    now: datetime,
) -> FollowUpState | None:
    """Store one answer when it answers the question being asked, commit, and return where the
    follow-up now stands (None when it is not this user's). An old button changes nothing."""
    found = await _response_of(session, response_id, telegram_id)
    if found is None:
        return None
    response, title = found
    if next_step(response) == step and step != Step.DONE and valid_answer(step, value):
        setattr(response, _COLUMNS[step], value)
        if step == Step.MENTORING:
            response.finished_at = now
        response.updated_at = now
        await session.commit()
    return _state(response, title)


# ---- for staff, and erasure ---------------------------------------------------------------------
@dataclass(frozen=True)
class RoundCount:
    """One round of a training's follow-ups: how many were asked, how many answered all."""

    round: int
    asked: int
    answered: int


async def follow_up_counts(session: AsyncSession, training_id: int) -> list[RoundCount]:
    """Each round's numbers for a training, in round order (none before the first is sent)."""
    rows = await session.execute(
        select(FollowUpResponse.round, func.count(), func.count(FollowUpResponse.finished_at))
        .where(FollowUpResponse.training_id == training_id)
        .group_by(FollowUpResponse.round)
        .order_by(FollowUpResponse.round)
    )
    return [RoundCount(int(r), int(asked), int(done)) for r, asked, done in rows.all()]


async def forget_follow_ups(session: AsyncSession, participant_ids: list[int]) -> None:
    """Delete these people's follow-up answers, the photo's file id with them (erasure,
    retention)."""
    theirs = select(Registration.id).where(Registration.participant_id.in_(participant_ids))
    await session.execute(
        delete(FollowUpResponse).where(FollowUpResponse.registration_id.in_(theirs))
    )
