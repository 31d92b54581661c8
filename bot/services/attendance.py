"""Attendance: check-in by a participant's personal token, or marked by staff from the list.

A participant's check-in ticket shows the QR code of their token's link and a short ticket code
(`ticket_code`: six characters of Crockford's base 32, derived from the token) that staff type
in /hadir's search when a QR code will not scan.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime, tzinfo
from enum import StrEnum

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from bot.models.people import Participant
from bot.models.registrations import Attendance, Registration, RegistrationStatus
from bot.models.trainings import Training, TrainingDay
from bot.services import audit
from bot.services.certificates import offer_if_earned
from bot.services.participants import owned_by

METHOD_QR = "qr"
METHOD_MANUAL = "manual"
# Crockford's base 32: no I, L, O or U, so a code read aloud or typed is hard to get wrong.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
TICKET_CODE_LENGTH = 6


def ticket_code(token: str) -> str:
    """The short code on a check-in ticket, e.g. "K7M-4QX" (30 bits of the token's hash: two
    participants of one training share one about once in a billion)."""
    number = int.from_bytes(hashlib.sha256(token.encode()).digest()[:4], "big") >> 2
    letters = "".join(_CODE_ALPHABET[(number >> shift) & 31] for shift in range(25, -1, -5))
    return f"{letters[:3]}-{letters[3:]}"


def normalize_ticket_code(text: str) -> str:
    """A ticket code as staff may type it ("k7m 4qx", "K7M-4QX"), in its printed form's
    letters without the dash; O, I and L read as 0, 1 and 1."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return cleaned.translate(_CODE_READS_AS)


class CheckInOutcome(StrEnum):
    """How a check-in went."""

    CHECKED_IN = "checked_in"
    UNKNOWN_TOKEN = "unknown_token"
    NOT_CONFIRMED = "not_confirmed"
    NO_DAY_TODAY = "no_day_today"
    ALREADY = "already"


@dataclass(frozen=True)
class CheckInResult:
    """The outcome of `check_in`, with what staff need to read it out."""

    outcome: CheckInOutcome
    name: str = ""
    training_code: str = ""
    training_title: str = ""
    day_number: int | None = None
    day_count: int = 0
    day_date: date | None = None
    checked_in_at: datetime | None = None  # when (this or an earlier) check-in was recorded
    certificate_offered: bool = False  # this check-in earned a certificate: its offer is queued


async def day_on(session: AsyncSession, training_id: int, today: date) -> TrainingDay | None:
    """The training's day on this local date, if any."""
    result = await session.execute(
        select(TrainingDay).where(TrainingDay.training_id == training_id, TrainingDay.date == today)
    )
    return result.scalars().first()


async def training_day(session: AsyncSession, day_id: int) -> TrainingDay | None:
    """The training day with this id."""
    return await session.get(TrainingDay, day_id)


async def _registration_by_token(session: AsyncSession, token: str) -> Registration | None:
    result = await session.execute(
        select(Registration)
        .where(Registration.checkin_token == token)
        .options(
            selectinload(Registration.participant),
            selectinload(Registration.training).selectinload(Training.days),
        )
    )
    return result.scalar_one_or_none()


async def check_in(
    session: AsyncSession,
    token: str,
    staff_id: int,
    now: datetime,
    method: str = METHOD_QR,
    *,
    tz: tzinfo,
    certificate_min_days: int | None = None,
) -> CheckInResult:
    """Record that the holder of `token` is present on the training day that is today in `tz`.

    With `certificate_min_days`, a check-in from the last day on that earns a certificate
    queues its offer in the same transaction (offices hand them out at the closing session).
    """
    registration = await _registration_by_token(session, token)
    if registration is None:
        return CheckInResult(CheckInOutcome.UNKNOWN_TOKEN)
    training = registration.training
    base = CheckInResult(
        CheckInOutcome.NOT_CONFIRMED,
        name=registration.participant.full_name or "",
        training_code=training.code,
        training_title=training.title,
        day_count=len(training.days),
    )
    if registration.status != RegistrationStatus.CONFIRMED:
        return base
    today = now.astimezone(tz).date()
    day = next((d for d in training.days if d.date == today), None)
    if day is None:
        return replace(base, outcome=CheckInOutcome.NO_DAY_TODAY)
    base = replace(base, day_number=day.day_number, day_date=day.date)
    earlier = await _attendance(session, registration.id, day.id)
    if earlier is not None:
        return replace(base, outcome=CheckInOutcome.ALREADY, checked_in_at=earlier.checked_in_at)
    session.add(
        Attendance(
            registration_id=registration.id,
            training_day_id=day.id,
            method=method,
            checked_in_by=staff_id,
            checked_in_at=now,
        )
    )
    audit.record(session, staff_id, audit.Action.CHECK_IN, now, training_id=training.id, people=1)
    offered = await _offer_certificate(session, registration.id, certificate_min_days, now)
    try:
        await session.commit()
    except IntegrityError:
        # Two staff scanned the same code at the same moment: the other one recorded it.
        await session.rollback()
        earlier = await _attendance(session, registration.id, day.id)
        return replace(
            base,
            outcome=CheckInOutcome.ALREADY,
            checked_in_at=earlier.checked_in_at if earlier else None,
        )
    return replace(
        base, outcome=CheckInOutcome.CHECKED_IN, checked_in_at=now, certificate_offered=offered
    )


async def _offer_certificate(
    session: AsyncSession, registration_id: int, min_days: int | None, now: datetime
) -> bool:
    """Queue the certificate offer when the last day has begun and this one earned it."""
    if min_days is None:
        return False
    last_start = await session.scalar(
        select(func.max(TrainingDay.starts_at))
        .join(Registration, Registration.training_id == TrainingDay.training_id)
        .where(Registration.id == registration_id)
    )
    if last_start is None or now < last_start:
        return False
    await session.flush()
    return await offer_if_earned(session, registration_id, min_days, now)


async def _attendance(
    session: AsyncSession, registration_id: int, day_id: int
) -> Attendance | None:
    result = await session.execute(
        select(Attendance).where(
            Attendance.registration_id == registration_id, Attendance.training_day_id == day_id
        )
    )
    return result.scalar_one_or_none()


class MarkOutcome(StrEnum):
    """How marking attendance from a list went."""

    PRESENT = "present"
    ABSENT = "absent"
    NOT_CONFIRMED = "not_confirmed"  # no such registration or day, or no seat for it
    FUTURE_DAY = "future_day"


async def set_attendance(
    session: AsyncSession,
    registration_id: int,
    day_id: int,
    present: bool,
    staff_id: int,
    now: datetime,
    *,
    tz: tzinfo | None = None,
    certificate_min_days: int | None = None,
) -> MarkOutcome:
    """Record a confirmed registration as present on a day, or not; the same answer twice
    changes nothing (a double tap). With `tz`, a day after today there is refused. Marking
    present may earn a certificate (see `check_in`)."""
    registration = await session.get(Registration, registration_id)
    day = await session.get(TrainingDay, day_id)
    if (
        registration is None
        or day is None
        or day.training_id != registration.training_id
        or registration.status != RegistrationStatus.CONFIRMED
    ):
        return MarkOutcome.NOT_CONFIRMED
    if tz is not None and day.date > now.astimezone(tz).date():
        return MarkOutcome.FUTURE_DAY
    earlier = await _attendance(session, registration_id, day_id)
    if not present:
        if earlier is not None:
            await session.execute(delete(Attendance).where(Attendance.id == earlier.id))
            audit.record(
                session, staff_id, audit.Action.CHECK_IN, now, training_id=day.training_id, people=1
            )
            await session.commit()
        return MarkOutcome.ABSENT
    if earlier is None:
        audit.record(
            session, staff_id, audit.Action.CHECK_IN, now, training_id=day.training_id, people=1
        )
        await _record_manual(session, registration_id, day_id, staff_id, now, certificate_min_days)
    return MarkOutcome.PRESENT


async def _record_manual(
    session: AsyncSession,
    registration_id: int,
    day_id: int,
    staff_id: int,
    now: datetime,
    certificate_min_days: int | None,
) -> None:
    session.add(
        Attendance(
            registration_id=registration_id,
            training_day_id=day_id,
            method=METHOD_MANUAL,
            checked_in_by=staff_id,
            checked_in_at=now,
        )
    )
    await _offer_certificate(session, registration_id, certificate_min_days, now)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()  # marked by someone else just now: present either way


async def toggle_attendance(
    session: AsyncSession,
    registration_id: int,
    day_id: int,
    staff_id: int,
    now: datetime,
    certificate_min_days: int | None = None,
) -> bool | None:
    """Mark a confirmed registration present on a day, or unmark it; returns whether it is now
    present, or None when the registration is not confirmed for that day's training."""
    present = await _attendance(session, registration_id, day_id) is not None
    outcome = await set_attendance(
        session, registration_id, day_id, not present, staff_id, now,
        certificate_min_days=certificate_min_days,
    )  # fmt: skip
    if outcome == MarkOutcome.NOT_CONFIRMED:
        return None
    return outcome == MarkOutcome.PRESENT


async def present_count(session: AsyncSession, day_id: int) -> int:
    """How many were recorded present on a training day."""
    result = await session.execute(
        select(func.count()).select_from(Attendance).where(Attendance.training_day_id == day_id)
    )
    return int(result.scalar_one())


@dataclass(frozen=True)
class CheckInSheetRow:
    """A confirmed participant on the attendance list of a day."""

    registration_id: int
    name: str
    present: bool
    ticket: str = ""

    def matches(self, query: str) -> bool:
        """Whether staff's search finds this row: part of the name, or the ticket code."""
        code = normalize_ticket_code(query)
        if len(code) == TICKET_CODE_LENGTH and code == self.ticket.replace("-", ""):
            return True
        return query.casefold() in self.name.casefold()


async def attendance_sheet(
    session: AsyncSession, training_id: int, day_id: int
) -> list[CheckInSheetRow]:
    """Every confirmed participant of the training (by name) and whether present on the day."""
    present = set(
        (
            await session.execute(
                select(Attendance.registration_id).where(Attendance.training_day_id == day_id)
            )
        ).scalars()
    )
    rows = (
        await session.execute(
            select(Registration.id, Participant.full_name, Registration.checkin_token)
            .join(Participant, Participant.id == Registration.participant_id)
            .where(
                Registration.training_id == training_id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
            .order_by(Participant.full_name, Registration.id)
        )
    ).all()
    return [
        CheckInSheetRow(reg_id, name or "", reg_id in present, ticket_code(token))
        for reg_id, name, token in rows
    ]


@dataclass(frozen=True)
class OwnRegistration:
    """A participant's own confirmed registration, for their check-in ticket."""

    registration_id: int
    checkin_token: str
    name: str
    training_title: str
    training_code: str
    venue: str = ""
    # Each training day's start and end.
    days: tuple[tuple[datetime, datetime], ...] = ()

    @property
    def ticket(self) -> str:
        """The short code printed on the ticket."""
        return ticket_code(self.checkin_token)


async def own_confirmed_registration(
    session: AsyncSession, registration_id: int, telegram_id: int
) -> OwnRegistration | None:
    """The registration if it belongs to this Telegram user (theirs, or a colleague's they
    registered) and holds a seat."""
    result = await session.execute(
        select(Registration, Participant, Training)
        .join(Participant, Participant.id == Registration.participant_id)
        .join(Training, Training.id == Registration.training_id)
        .where(Registration.id == registration_id, owned_by(telegram_id))
        .options(selectinload(Training.days))
    )
    found = result.first()
    if found is None:
        return None
    registration, participant, training = found
    if registration.status != RegistrationStatus.CONFIRMED:
        return None
    return OwnRegistration(
        registration.id,
        registration.checkin_token,
        participant.full_name or "",
        training.title,
        training.code,
        training.venue,
        tuple((day.starts_at, day.ends_at) for day in training.days),
    )


async def token_training(session: AsyncSession, token: str) -> int | None:
    """The training of the registration that holds this check-in token, if any."""
    return await session.scalar(
        select(Registration.training_id).where(Registration.checkin_token == token)
    )


async def token_owner(session: AsyncSession, token: str) -> int | None:
    """The Telegram user id of whoever holds this check-in token (for a colleague: the account
    that registered them, which shows it)."""
    holder = aliased(Participant)
    result = await session.execute(
        select(func.coalesce(holder.telegram_id, Participant.telegram_id))
        .select_from(Participant)
        .join(Registration, Registration.participant_id == Participant.id)
        .outerjoin(holder, holder.id == Participant.registered_by_id)
        .where(Registration.checkin_token == token)
    )
    return result.scalar_one_or_none()
