"""Registering for a training: who may, who gets a seat, who waits, and the profile stored."""

from __future__ import annotations

import enum
import re
import secrets
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

import phonenumbers
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import REMINDERS, note_queued_work
from bot.models.people import Participant
from bot.models.registrations import Registration, RegistrationStatus
from bot.models.trainings import Training, TrainingStatus
from bot.services.baseline import Baseline, keep_baseline
from bot.services.participants import colleague_of, ensure_participant, find_participant
from bot.services.reminders import DayBefore
from bot.services.seats import (
    confirmed_count,
    first_waiting,
    lock_training,
    next_queue_seq,
    waitlist_position,
)

PHONE_REGION = "ID"
# What a typed phone number may hold besides digits: how people group and write numbers.
_PHONE_TYPED = re.compile(r"[\d\s+\-.()/]+")
# Names typed all in one case are capitalised word by word, except these words after the first
# (Indonesian joining words, "bin"/"binti" in a person's name), which stay lower case, and
# these business forms, which stay upper case.
_LOWER_WORDS = frozenset({"dan", "di", "ke", "dari", "yang", "untuk", "bin", "binti"})
_UPPER_WORDS = frozenset({"PT", "CV", "UD", "PD", "KUD", "UKM", "UMKM"})
NAME_MIN, NAME_MAX = 2, 100
BUSINESS_MIN, BUSINESS_MAX = 2, 100
# Built once, with bound parameters (SQLAlchemy keys a statement once per statement object).
_REGISTRATION_OF = select(Registration).where(
    Registration.participant_id == bindparam("participant_id"),
    Registration.training_id == bindparam("training_id"),
)


class RegistrationRefusal(enum.StrEnum):
    """Why a registration was not made."""

    NOT_FOUND = "not_found"
    CLOSED = "closed"
    DEADLINE_PASSED = "deadline_passed"
    STARTED = "started"
    CANCELLED = "cancelled"
    ALREADY = "already"
    OWN_PHONE = "own_phone"  # a colleague with the registering account's own number


@dataclass(frozen=True)
class Profile:
    """The personal fields a registration needs, and when consent to store them was given."""

    full_name: str
    phone: str
    business_name: str
    sector: str
    district: str
    consent_at: datetime
    # The business baseline, when the registration asked it (follow-ups on, none recent).
    baseline: Baseline | None = None


@dataclass(frozen=True)
class RegistrationResult:
    """The outcome: a status (with the waiting-list position), or a refusal.

    For `RegistrationRefusal.ALREADY`, `status` and `waitlist_position` describe the existing
    registration.
    """

    status: RegistrationStatus | None = None
    waitlist_position: int | None = None
    refusal: RegistrationRefusal | None = None
    registration_id: int | None = None

    @property
    def ok(self) -> bool:
        """Whether a registration was made (or re-activated) by this call."""
        return self.refusal is None


def phone_has_letters(raw: str) -> bool:
    """Whether a typed phone number holds a letter among its digits (an O for a 0)."""
    return any(ch.isalpha() for ch in raw) and sum(ch.isdigit() for ch in raw) >= 6


def normalize_phone(raw: str) -> str | None:
    """The number in +62 E.164 form, or None when it is not a valid Indonesian number.

    Only digits and the signs people group numbers with are taken: a letter in it is a typing
    mistake (`0812 3456 78O1`), not a number to guess at, so it is refused."""
    text = raw.strip()
    if not _PHONE_TYPED.fullmatch(text):
        return None
    digits = "".join(ch for ch in text if ch.isdigit())
    # Telegram hands shared contacts over without the plus ("6281...").
    if not text.startswith("+") and digits.startswith("62") and len(digits) >= 10:
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 62 or not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Unicode categories that never show in a name: format (zero-width, bidi controls), surrogates,
# private use and unassigned code points.
_INVISIBLE = frozenset({"Cf", "Cs", "Co", "Cn"})


def _capitalised(word: str, first: bool) -> str:
    if word.upper() in _UPPER_WORDS:
        return word.upper()
    if not first and word.lower() in _LOWER_WORDS:
        return word.lower()
    # Each part of "al-fatih" is capitalised; "ma'ruf" stays one word ("Ma'ruf", not "Ma'Ruf").
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def tidy_case(name: str) -> str:
    """A name typed all in lower or all in upper case, capitalised ("siti aminah" -> "Siti
    Aminah", "WARUNG BU SITI" -> "Warung Bu Siti", "ud sumber rejeki" -> "UD Sumber Rejeki");
    a name typed in mixed case is kept as typed ("Dewi McDonald")."""
    if not (name.islower() or name.isupper()):
        return name
    return " ".join(_capitalised(word, i == 0) for i, word in enumerate(name.split(" ")))


def visible_text(raw: str) -> str:
    """Typed text as it looks: composed (NFC, "e" + accent is "é"), without the characters
    that do not show but change what is shown (zero-width spaces, right-to-left overrides,
    other format and control characters), so a name cannot pose as another one."""
    kept = (
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in unicodedata.normalize("NFC", raw)
        if unicodedata.category(ch) not in _INVISIBLE
    )
    return unicodedata.normalize("NFC", "".join(kept))


def clean_name(raw: str, minimum: int = NAME_MIN, maximum: int = NAME_MAX) -> str | None:
    """A typed name made visible (`visible_text`), its spaces tidied and its case too
    (`tidy_case`), or None when too short or too long."""
    name = " ".join(visible_text(raw).split())
    if not minimum <= len(name) <= maximum:
        return None
    return tidy_case(name)


def refusal_for(training: Training, now: datetime) -> RegistrationRefusal | None:
    """Why nobody can register for this training now (days must be loaded), or None."""
    if training.status == TrainingStatus.CANCELLED:
        return RegistrationRefusal.CANCELLED
    if training.status != TrainingStatus.OPEN:
        return RegistrationRefusal.CLOSED
    start = min((day.starts_at for day in training.days), default=None)
    if start is None:
        return RegistrationRefusal.CLOSED
    if start <= now:
        return RegistrationRefusal.STARTED
    if training.registration_closes_at is not None and training.registration_closes_at <= now:
        return RegistrationRefusal.DEADLINE_PASSED
    return None


def new_checkin_token() -> str:
    """A random, URL-safe check-in token that fits the column (32 characters)."""
    return secrets.token_urlsafe(24)


async def profile_of(session: AsyncSession, telegram_id: int) -> Profile | None:
    """The stored profile of this user when it is complete (a returning participant)."""
    participant = await find_participant(session, telegram_id)
    if participant is None or not participant.has_profile or participant.erased_at is not None:
        return None
    assert participant.full_name and participant.phone and participant.business_name
    assert participant.sector and participant.district and participant.consent_at
    return Profile(
        full_name=participant.full_name,
        phone=participant.phone,
        business_name=participant.business_name,
        sector=participant.sector,
        district=participant.district,
        consent_at=participant.consent_at,
    )


def _store_profile(participant: Participant, profile: Profile, now: datetime) -> None:
    participant.full_name = profile.full_name
    participant.phone = profile.phone
    participant.business_name = profile.business_name
    participant.sector = profile.sector
    participant.district = profile.district
    participant.consent_at = profile.consent_at
    participant.erased_at = None
    participant.updated_at = now


# Finds (or makes) the person a registration is for, inside the registration's transaction,
# or says why that person cannot be registered.
PersonFinder = Callable[[AsyncSession], Awaitable[Participant | RegistrationRefusal]]


async def _register_once(
    session: AsyncSession,
    training_id: int,
    profile: Profile,
    now: datetime,
    person: PersonFinder,
    remind: DayBefore | None = None,
) -> RegistrationResult:
    training = await lock_training(session, training_id)
    if training is None:
        return RegistrationResult(refusal=RegistrationRefusal.NOT_FOUND)
    await session.refresh(training, ["days"])
    participant = await person(session)
    if isinstance(participant, RegistrationRefusal):
        return RegistrationResult(refusal=participant)
    registration = (
        await session.execute(
            _REGISTRATION_OF, {"participant_id": participant.id, "training_id": training.id}
        )
    ).scalar_one_or_none()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        return RegistrationResult(
            status=registration.status,
            waitlist_position=await waitlist_position(session, registration),
            refusal=RegistrationRefusal.ALREADY,
            registration_id=registration.id,
        )
    refusal = refusal_for(training, now)
    if refusal is not None:
        return RegistrationResult(refusal=refusal)
    _store_profile(participant, profile, now)
    if profile.baseline is not None:
        keep_baseline(session, participant.id, profile.baseline, now)
    result = await _take_place(session, training, participant, registration, now)
    confirmed = result.status == RegistrationStatus.CONFIRMED
    if confirmed and remind is not None and remind.due_now(training.days, now):
        note_queued_work(session, REMINDERS)  # registered late on the day before: remind now
    await session.commit()
    return result


async def _take_place(
    session: AsyncSession,
    training: Training,
    participant: Participant,
    registration: Registration | None,
    now: datetime,
) -> RegistrationResult:
    """A seat if one is free, else the end of the waiting list (a cancelled registration of
    the same person is re-activated)."""
    # Nobody jumps the waiting list: a free seat with people waiting is theirs to be promoted to.
    has_seat = (
        await confirmed_count(session, training.id) < training.capacity
        and await first_waiting(session, training.id) is None
    )
    status = RegistrationStatus.CONFIRMED if has_seat else RegistrationStatus.WAITLISTED
    queue_seq = await next_queue_seq(session, training.id)
    if registration is None:
        registration = Registration(
            participant_id=participant.id,
            training_id=training.id,
            checkin_token=new_checkin_token(),
            created_at=now,
        )
        session.add(registration)
    registration.status = status
    registration.queued_at = now
    registration.queue_seq = queue_seq
    registration.confirmed_at = now if has_seat else None
    registration.cancelled_at = None
    registration.cancel_reason = None
    registration.updated_at = now
    await session.flush()
    position = await waitlist_position(session, registration)
    return RegistrationResult(
        status=status, waitlist_position=position, registration_id=registration.id
    )


async def _register_with_retry(
    session: AsyncSession,
    training_id: int,
    profile: Profile,
    now: datetime,
    person: PersonFinder,
    remind: DayBefore | None,
) -> RegistrationResult:
    try:
        result = await _register_once(session, training_id, profile, now, person, remind)
    except IntegrityError:
        # Another process made the same participant or registration at the same moment:
        # the row exists now, so a second pass answers from it.
        await session.rollback()
        result = await _register_once(session, training_id, profile, now, person, remind)
    if not result.ok:
        await session.rollback()
    return result


async def register(
    session: AsyncSession,
    telegram_id: int,
    training_id: int,
    profile: Profile,
    now: datetime,
    *,
    language: str = "id",
    remind: DayBefore | None = None,
    for_colleague: bool = False,
) -> RegistrationResult:
    """Register this user (or, `for_colleague`, a colleague of their business) for the
    training: a seat if one is free, else the waiting list.

    The profile is stored on the participant in the same transaction. An active registration
    is never duplicated (the answer is `RegistrationRefusal.ALREADY` with its status); a
    cancelled one is re-activated at the end of the queue. `language` is used only for a
    participant seen first. With `remind`, a seat whose day-before reminder is already due
    has the reminders queued right after the commit instead of at their job's next run.

    A colleague has their own name and phone (consent given by the user on their behalf) and
    the same seat and waiting-list rules as anyone. They are one person per registering
    account and phone number: registering the same number again is the same person (their
    profile is updated), so they hold one registration per training like everyone. The
    registering account's own number is refused.
    """

    async def person(session: AsyncSession) -> Participant | RegistrationRefusal:
        user = await ensure_participant(
            session, telegram_id, chat_id=telegram_id, language=language, now=now
        )
        if not for_colleague:
            return user
        if user.phone == profile.phone:
            return RegistrationRefusal.OWN_PHONE
        return await colleague_of(session, user, profile.phone, now)

    return await _register_with_retry(session, training_id, profile, now, person, remind)


async def holder_business(session: AsyncSession, telegram_id: int) -> str | None:
    """The business name on this user's profile (a colleague's business, unless changed)."""
    participant = await find_participant(session, telegram_id)
    return participant.business_name if participant is not None else None
