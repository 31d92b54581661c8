"""The participant's rights over their data: see everything stored, and erase it.

Erasure nulls every personal field, the name printed on certificates and what the person wrote
in the feedback survey (their ratings stay, without a name), and deletes what they said about
their business (the baseline, the follow-ups and their photo's file id). Sector and district
are erased too: the participant row keeps the Telegram id (the bot must still know the user
and their language), so anything left on it stays linked to a person and is not anonymous.
What remains for statistics are the registration rows (training, status, dates) and
attendance, tied to a row without a name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import checkpoint
from bot.models.after_training import Certificate, SurveyResponse
from bot.models.impact import BusinessBaseline, FollowUpResponse
from bot.models.messaging import HelpdeskMessage
from bot.models.people import Erasure, Participant
from bot.models.registrations import Registration
from bot.models.trainings import Training
from bot.services.baseline import forget_baselines
from bot.services.business_follow_up import forget_follow_ups
from bot.services.cancellation import (
    ACTIVE_STATUSES,
    REASON_ERASED,
    training_has_ended,
    withdraw,
)
from bot.services.helpdesk import QUESTION, forget_messages
from bot.services.my_registrations import RegistrationView, registrations_of
from bot.services.participants import find_participant, owned_by
from bot.services.seats import lock_training

PERSONAL_FIELDS = ("full_name", "phone", "business_name", "sector", "district")


@dataclass(frozen=True)
class EraseResult:
    """Whether anything was stored, which trainings were given up, and who moved up."""

    found: bool
    cancelled_titles: list[str] = field(default_factory=list)
    promoted: int = 0


@dataclass(frozen=True)
class Said:
    """Something the person wrote in a training's survey."""

    where: str  # the training, "title (code)"
    text: str
    at: datetime


@dataclass(frozen=True)
class OfficeMessage:
    """A message between the person and the office: theirs, or the office's reply."""

    theirs: bool
    text: str
    at: datetime


@dataclass(frozen=True)
class CertificateName:
    """The name (and business) a certificate prints for the person."""

    training: str
    name: str
    business: str


@dataclass(frozen=True)
class BusinessSaid:
    """What the person said about their business: when registering (`where` None: the
    baseline) or in a training's follow-up `round` days after it (None: not answered)."""

    where: str | None
    round: int
    sales_band: str | None
    workers: int | None
    at: datetime


@dataclass(frozen=True)
class PersonalData:
    """Everything the bot stores about one user."""

    participant: Participant
    registrations: list[RegistrationView]
    messages: list[OfficeMessage] = field(default_factory=list)
    telegram_names: list[str] = field(default_factory=list)  # "name (@username)" as written
    survey: list[Said] = field(default_factory=list)
    certificates: list[CertificateName] = field(default_factory=list)
    colleagues: list[str] = field(default_factory=list)
    business: list[BusinessSaid] = field(default_factory=list)


async def personal_data(
    session: AsyncSession, telegram_id: int, now: datetime
) -> PersonalData | None:
    """The user's stored record and registrations, or None when nothing is stored."""
    participant = await find_participant(session, telegram_id)
    if participant is None:
        return None
    return PersonalData(
        participant,
        await registrations_of(session, telegram_id, now),
        messages=await _messages(session, participant.id),
        telegram_names=await _telegram_names(session, participant.id),
        survey=await _survey(session, participant.id),
        certificates=await _certificate_names(session, participant.id),
        colleagues=await colleague_names(session, telegram_id),
        business=await _business(session, participant.id),
    )


async def _business(session: AsyncSession, participant_id: int) -> list[BusinessSaid]:
    """The person's baselines, then their follow-ups' answers, oldest first."""
    baselines = await session.scalars(
        select(BusinessBaseline)
        .where(BusinessBaseline.participant_id == participant_id)
        .order_by(BusinessBaseline.id)
    )
    said = [BusinessSaid(None, 0, b.sales_band, b.workers, b.asked_at) for b in baselines]
    rows = await session.execute(
        select(_training_label(), FollowUpResponse)
        .join(Registration, Registration.id == FollowUpResponse.registration_id)
        .join(Training, Training.id == Registration.training_id)
        .where(Registration.participant_id == participant_id)
        .order_by(FollowUpResponse.id)
    )
    said += [
        BusinessSaid(where, r.round, r.sales_band, r.workers, r.updated_at)
        for where, r in rows.all()
    ]
    return said


def _training_label() -> ColumnElement[str]:
    return Training.title + " (" + Training.code + ")"


async def _messages(session: AsyncSession, participant_id: int) -> list[OfficeMessage]:
    rows = await session.execute(
        select(HelpdeskMessage.direction, HelpdeskMessage.text, HelpdeskMessage.created_at)
        .where(HelpdeskMessage.participant_id == participant_id, HelpdeskMessage.text != "")
        .order_by(HelpdeskMessage.id)
    )
    return [OfficeMessage(way == QUESTION, text, at) for way, text, at in rows.all()]


async def _telegram_names(session: AsyncSession, participant_id: int) -> list[str]:
    rows = await session.execute(
        select(HelpdeskMessage.sender_name, HelpdeskMessage.username)
        .where(HelpdeskMessage.participant_id == participant_id)
        .where(or_(HelpdeskMessage.sender_name.is_not(None), HelpdeskMessage.username.is_not(None)))
        .distinct()
    )
    names = {f"{name or ''} (@{username})" if username else name or "" for name, username in rows}
    return sorted(names)


async def _survey(session: AsyncSession, participant_id: int) -> list[Said]:
    rows = await session.execute(
        select(_training_label(), SurveyResponse.helped, SurveyResponse.updated_at)
        .join(Registration, Registration.id == SurveyResponse.registration_id)
        .join(Training, Training.id == Registration.training_id)
        .where(Registration.participant_id == participant_id, SurveyResponse.helped.is_not(None))
        .order_by(SurveyResponse.id)
    )
    return [Said(where, text or "", at) for where, text, at in rows.all()]


async def _certificate_names(session: AsyncSession, participant_id: int) -> list[CertificateName]:
    rows = await session.execute(
        select(_training_label(), Certificate.name, Certificate.business)
        .join(Registration, Registration.id == Certificate.registration_id)
        .join(Training, Training.id == Registration.training_id)
        .where(Registration.participant_id == participant_id, Certificate.name != "")
        .order_by(Certificate.id)
    )
    return [CertificateName(where, name, business) for where, name, business in rows.all()]


async def erase_personal_fields(
    session: AsyncSession, participant: Participant, now: datetime
) -> None:
    """Null the personal fields and consent and note when (for /hapusdata and retention), and
    what else names the person: their certificates' printed name, their own words in a survey."""
    for name in PERSONAL_FIELDS:
        setattr(participant, name, None)
    participant.consent_at = None
    participant.erased_at = now
    participant.updated_at = now
    await forget_messages(session, [participant.id])  # what they wrote to the staff group
    await forget_baselines(session, [participant.id])  # what they said about their business
    await forget_follow_ups(session, [participant.id])  # and after the training, with the photo
    theirs = select(Registration.id).where(Registration.participant_id == participant.id)
    await session.execute(
        update(Certificate)
        .where(Certificate.registration_id.in_(theirs))
        .values(name="", business="", updated_at=now)
    )
    await session.execute(
        update(SurveyResponse)
        .where(SurveyResponse.registration_id.in_(theirs))
        .values(helped=None, updated_at=now)
    )


async def colleagues_of(session: AsyncSession, telegram_id: int) -> list[Participant]:
    """The colleagues this user registered whose data is still stored, by name."""
    return list(
        await session.scalars(
            select(Participant)
            .where(owned_by(telegram_id), Participant.telegram_id.is_(None))
            .where(Participant.erased_at.is_(None))
            .order_by(Participant.full_name, Participant.id)
        )
    )


async def colleague_names(session: AsyncSession, telegram_id: int) -> list[str]:
    """The names of the colleagues erasing this user's data erases too."""
    return [c.full_name or "" for c in await colleagues_of(session, telegram_id)]


async def erase_participant(session: AsyncSession, telegram_id: int, now: datetime) -> EraseResult:
    """Erase the user's personal fields and consent, give up their seats, keep the counts;
    the same for the colleagues they registered (only they could reach or erase them). The
    erasure is recorded (id and time only), so a restored backup can apply it again."""
    result = await _erase(session, telegram_id, now)
    if result.found:
        session.add(Erasure(telegram_id=telegram_id, erased_at=now))
    await _finish_erasure(session)
    return result


async def _finish_erasure(session: AsyncSession) -> None:
    await session.commit()
    await checkpoint(session)


async def erasures(session: AsyncSession) -> list[tuple[int, datetime]]:
    """Every recorded erasure: (Telegram id, when), oldest first."""
    rows = await session.execute(
        select(Erasure.telegram_id, Erasure.erased_at).order_by(Erasure.id)
    )
    return [(telegram_id, erased_at) for telegram_id, erased_at in rows.all()]


async def reapply_erasures(
    session: AsyncSession, recorded: Sequence[tuple[int, datetime]], now: datetime
) -> int:
    """After a restore: erase again whoever the restored data does not know as erased (they
    erased their data after the backup was made); the records join it. How many."""
    known = set(await erasures(session))
    again = 0
    for telegram_id, erased_at in recorded:
        if (telegram_id, erased_at) in known:
            continue
        again += (await _erase(session, telegram_id, now)).found
        session.add(Erasure(telegram_id=telegram_id, erased_at=erased_at))
        await session.commit()
    await _finish_erasure(session)
    return again


async def _erase(session: AsyncSession, telegram_id: int, now: datetime) -> EraseResult:
    """The erasure itself, not committed."""
    participant = await find_participant(session, telegram_id)
    if participant is None:
        return EraseResult(found=False)
    people = [participant, *await colleagues_of(session, telegram_id)]
    rows = (
        await session.execute(
            select(Registration.id, Registration.training_id)
            .where(
                Registration.participant_id.in_([p.id for p in people]),
                Registration.status.in_(ACTIVE_STATUSES),
            )
            # One lock order for everyone, so two erasures can never wait on each other.
            .order_by(Registration.training_id, Registration.id)
        )
    ).all()
    titles: list[str] = []
    given_up: set[int] = set()
    promoted: list[Registration] = []
    for registration_id, training_id in rows:
        training = await lock_training(session, training_id)
        registration = await session.scalar(
            select(Registration)
            .where(Registration.id == registration_id)
            .execution_options(populate_existing=True)
        )
        if training is None or registration is None or registration.status not in ACTIVE_STATUSES:
            continue
        if await training_has_ended(session, training_id, now):
            continue  # a finished training's registration is history, kept as it was
        promoted += await withdraw(session, registration, REASON_ERASED, now)
        if training_id not in given_up:  # the user and a colleague in the same training
            titles.append(training.title)
        given_up.add(training_id)
    for person in people:
        await erase_personal_fields(session, person, now)
    return EraseResult(found=True, cancelled_titles=titles, promoted=len(promoted))
