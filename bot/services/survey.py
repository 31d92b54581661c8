"""The feedback survey after a training: who gets it, the answers as they come, the summary.

Everyone who was present on at least one day gets one survey (`Kind.SURVEY`, key
`survey:<registration>`: the outbox sends a key once) `SURVEY_DELAY_HOURS` after the last day
ends. Each answer is stored the moment it is given, so the survey picks up where it was after
a restart or a break: the next question is the first one without an answer.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models.after_training import SurveyResponse, SurveyTopic
from bot.models.people import Participant
from bot.models.registrations import Attendance, Registration, RegistrationStatus
from bot.models.trainings import Training, TrainingDay, TrainingStatus
from bot.services.outbox import BULK, Kind, NewDelivery, enqueue
from bot.services.participants import chat_of

RATINGS = ("overall", "material", "trainer")
# Topics people can ask for next (labels live in the catalog: survey.topic.<code>).
TOPICS = (
    "digital_marketing",
    "bookkeeping",
    "packaging",
    "licensing",
    "product_photo",
    "capital",
)
MAX_HELPED = 500
Person = tuple[int, int, int | None, int | None]  # registration, participant, chat, Telegram id
# Trainings that ended longer ago than this get no survey (a new install stays quiet).
SURVEY_WINDOW = timedelta(days=14)


class Step(enum.StrEnum):
    """Where a participant is in the survey."""

    OVERALL = "overall"
    MATERIAL = "material"
    TRAINER = "trainer"
    HELPED = "helped"
    TOPICS = "topics"
    DONE = "done"


@dataclass(frozen=True)
class SurveyState:
    """A participant's survey as far as it went: what to ask next and the topics chosen."""

    registration_id: int
    training_title: str
    step: Step
    topics: frozenset[str]


def _step(response: SurveyResponse | None) -> Step:
    if response is None:
        return Step.OVERALL
    if response.finished_at is not None:
        return Step.DONE
    for name in RATINGS:
        if getattr(response, name) is None:
            return Step(name)
    return Step.HELPED if response.helped is None else Step.TOPICS


async def _attendee(
    session: AsyncSession, registration_id: int, telegram_id: int
) -> tuple[Registration, Training] | None:
    """The registration if it is this user's and they were present at least one day."""
    row = (
        await session.execute(
            select(Registration, Training)
            .join(Participant, Participant.id == Registration.participant_id)
            .join(Training, Training.id == Registration.training_id)
            .where(Registration.id == registration_id, Participant.telegram_id == telegram_id)
        )
    ).first()
    if row is None:
        return None
    present = await session.scalar(
        select(func.count())
        .select_from(Attendance)
        .where(Attendance.registration_id == registration_id)
    )
    return (row[0], row[1]) if present else None


async def _response(session: AsyncSession, registration_id: int) -> SurveyResponse | None:
    return await session.scalar(
        select(SurveyResponse)
        .where(SurveyResponse.registration_id == registration_id)
        .execution_options(populate_existing=True)
    )


async def _topics(session: AsyncSession, response: SurveyResponse | None) -> frozenset[str]:
    if response is None:
        return frozenset()
    rows = await session.scalars(
        select(SurveyTopic.topic).where(SurveyTopic.response_id == response.id)
    )
    return frozenset(rows)


async def survey_state(
    session: AsyncSession, registration_id: int, telegram_id: int
) -> SurveyState | None:
    """The survey of this registration for this user, or None when it is not theirs to answer."""
    found = await _attendee(session, registration_id, telegram_id)
    if found is None:
        return None
    response = await _response(session, registration_id)
    return SurveyState(
        registration_id, found[1].title, _step(response), await _topics(session, response)
    )


async def _ensure_response(
    session: AsyncSession, registration: Registration, now: datetime
) -> SurveyResponse:
    # Read before the flush: a rollback expires `registration`, and reading it again then
    # would be IO outside the session's await.
    registration_id, training_id = registration.id, registration.training_id
    response = await _response(session, registration_id)
    if response is not None:
        return response
    response = SurveyResponse(
        registration_id=registration_id,
        training_id=training_id,
        started_at=now,
        updated_at=now,
    )
    session.add(response)
    try:
        await session.flush()
    except IntegrityError:
        # A double tap: the other tap made the row; use it.
        await session.rollback()
        found = await _response(session, registration_id)
        assert found is not None
        return found
    return response


async def answer(
    session: AsyncSession,
    registration_id: int,
    telegram_id: int,
    step: Step,
    value: object,
    now: datetime,
) -> SurveyState | None:
    """Store one answer (a rating 1-5, the "what helped" text, a topic to toggle, or "done")
    when it is the question being asked, commit, and return where the survey now stands.

    None when the survey is not this user's. An answer to a question already answered (an old
    button) changes nothing: the state says what to ask now.
    """
    found = await _attendee(session, registration_id, telegram_id)
    if found is None:
        return None
    registration = found[0]
    response = await _response(session, registration_id)
    current = _step(response)
    if current == step or (step == Step.DONE and current == Step.TOPICS):
        response = await _ensure_response(session, registration, now)
        await _apply(session, response, step, value, now)
        response.updated_at = now
        await session.commit()
    return await survey_state(session, registration_id, telegram_id)


async def _apply(
    session: AsyncSession, response: SurveyResponse, step: Step, value: object, now: datetime
) -> None:
    if step.value in RATINGS and isinstance(value, int) and 1 <= value <= 5:
        setattr(response, step.value, value)
    elif step == Step.HELPED and isinstance(value, str):
        response.helped = value.strip()[:MAX_HELPED]
    elif step == Step.TOPICS and value in TOPICS:
        await _toggle_topic(session, response, str(value))
    elif step == Step.DONE:
        response.finished_at = now


async def _toggle_topic(session: AsyncSession, response: SurveyResponse, topic: str) -> None:
    removed = await session.execute(
        delete(SurveyTopic).where(
            SurveyTopic.response_id == response.id, SurveyTopic.topic == topic
        )
    )
    if not getattr(removed, "rowcount", 0):
        session.add(SurveyTopic(response_id=response.id, topic=topic))


# ---- who gets the survey ----------------------------------------------------------------------
async def _finished_trainings(session: AsyncSession, now: datetime, delay: timedelta) -> list[int]:
    """Trainings whose last day ended at least `delay` ago, within the survey window."""
    last_end = func.max(TrainingDay.ends_at)
    rows = await session.execute(
        select(Training.id)
        .join(TrainingDay, TrainingDay.training_id == Training.id)
        .where(Training.status.in_((TrainingStatus.OPEN, TrainingStatus.CLOSED)))
        .group_by(Training.id)
        .having(and_(last_end <= now - delay, last_end > now - delay - SURVEY_WINDOW))
    )
    return [int(training_id) for training_id in rows.scalars()]


async def _attendees(session: AsyncSession, training_ids: list[int]) -> list[Person]:
    """(registration, participant, chat) of everyone present at least once in these trainings."""
    rows = await session.execute(
        select(Registration.id, Participant.id, Participant.chat_id, Participant.telegram_id)
        .join(Participant, Participant.id == Registration.participant_id)
        .where(
            Registration.training_id.in_(training_ids),
            Registration.status == RegistrationStatus.CONFIRMED,
            Participant.erased_at.is_(None),
            # A colleague has no chat of their own: the account that registered them is not
            # asked how someone else found the training.
            Participant.registered_by_id.is_(None),
            Registration.id.in_(select(Attendance.registration_id).distinct()),
        )
    )
    return [(row[0], row[1], row[2], row[3]) for row in rows.all()]


def person_deliveries(kind: Kind, people: list[Person], priority: int) -> list[NewDelivery]:
    """One row of `kind` per registration, keyed `<kind>:<registration>`: sent once each."""
    return [
        NewDelivery(
            kind=kind,
            key=f"{kind.value}:{registration_id}",
            chat_id=chat_of(chat_id, telegram_id),
            participant_id=participant_id,
            registration_id=registration_id,
            priority=priority,
        )
        for registration_id, participant_id, chat_id, telegram_id in people
    ]


async def queue_surveys(session: AsyncSession, now: datetime, delay_hours: int) -> int:
    """Queue the survey for every attendee of a training that has just ended (each once) and
    commit; returns how many were new."""
    training_ids = await _finished_trainings(session, now, timedelta(hours=delay_hours))
    if not training_ids:
        return 0
    people = await _attendees(session, training_ids)
    added = await enqueue(session, person_deliveries(Kind.SURVEY, people, BULK), now)
    await session.commit()
    return added


async def finished_training_ids(
    session: AsyncSession, now: datetime, delay_hours: int
) -> list[int]:
    """Trainings past their last day (and the delay) whose attendees are being followed up."""
    return await _finished_trainings(session, now, timedelta(hours=delay_hours))


async def pending_survey(session: AsyncSession, registration_id: int) -> SurveyState | None:
    """The survey of this registration while it is unfinished (for the outbox: one finished in
    the meantime, or for a person who erased their data, is not sent)."""
    row = (
        await session.execute(
            select(Training.title, Participant.erased_at)
            .join(Registration, Registration.training_id == Training.id)
            .join(Participant, Participant.id == Registration.participant_id)
            .where(Registration.id == registration_id)
        )
    ).first()
    if row is None or row[1] is not None:
        return None
    response = await _response(session, registration_id)
    step = _step(response)
    if step == Step.DONE:
        return None
    return SurveyState(registration_id, str(row[0]), step, await _topics(session, response))


# ---- the summary --------------------------------------------------------------------------------
@dataclass(frozen=True)
class SurveySummary:
    """The answers of one training in numbers, and a few in people's own words."""

    invited: int
    answered: int  # gave at least one rating
    finished: int
    averages: tuple[tuple[str, float | None], ...]  # (rating, average) in RATINGS order
    topics: tuple[tuple[str, int], ...]  # most asked first
    quotes: tuple[str, ...]  # the latest answers to "what helped most"


async def survey_summary(session: AsyncSession, training_id: int, quotes: int = 5) -> SurveySummary:
    """The averages, counts, topics and a few free-text answers of a training's survey."""
    invited = await session.scalar(
        select(func.count(func.distinct(Attendance.registration_id)))
        .join(Registration, Registration.id == Attendance.registration_id)
        .where(Registration.training_id == training_id)
    )
    columns = [func.avg(getattr(SurveyResponse, name)) for name in RATINGS]
    row = (
        await session.execute(
            select(
                func.count(SurveyResponse.overall),
                func.count(SurveyResponse.finished_at),
                *columns,
            ).where(SurveyResponse.training_id == training_id)
        )
    ).one()
    return SurveySummary(
        invited=int(invited or 0),
        answered=int(row[0]),
        finished=int(row[1]),
        averages=tuple(
            (name, None if value is None else round(float(value), 2))
            for name, value in zip(RATINGS, row[2:], strict=True)
        ),
        topics=await _topic_counts(session, training_id),
        quotes=await _quotes(session, training_id, quotes),
    )


async def _topic_counts(session: AsyncSession, training_id: int) -> tuple[tuple[str, int], ...]:
    """The topics asked for, most asked first (then by name)."""
    rows = await session.execute(
        select(SurveyTopic.topic, func.count())
        .join(SurveyResponse, SurveyResponse.id == SurveyTopic.response_id)
        .where(SurveyResponse.training_id == training_id)
        .group_by(SurveyTopic.topic)
    )
    return tuple(sorted(((t, int(n)) for t, n in rows.all()), key=lambda i: (-i[1], i[0])))


async def _quotes(session: AsyncSession, training_id: int, count: int) -> tuple[str, ...]:
    """The latest answers to "what helped most" (the later row first at the same moment)."""
    said = await session.scalars(
        select(SurveyResponse.helped)
        .where(SurveyResponse.training_id == training_id, SurveyResponse.helped != "")
        .order_by(SurveyResponse.updated_at.desc(), SurveyResponse.id.desc())
        .limit(count)
    )
    return tuple(text for text in said if text)
