"""Certificates of attendance: who has earned one, its number, the name on it, and checking one.

A registration earns a certificate when it holds a seat and was present on enough days
(`CERTIFICATE_MIN_DAYS`, 0 = every day). Issuing gives it a number that an office would print,
`<CODE>/<seq>/<month in Roman numerals>/<year>` (`KP-2026-01/0007/XII/2026`), unique by
constraint, and a random verification code that the QR's deep link carries: a number alone
could be guessed, the code cannot. The participant confirms or fixes the spelling of the name
first when they can (the chat's offer); staff printing for the closing session issue with the
name on file, and a name fixed later is a new revision of the same certificate and number.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models.after_training import Certificate
from bot.models.people import Participant
from bot.models.registrations import Attendance, Registration, RegistrationStatus
from bot.models.trainings import Training, TrainingDay
from bot.services import audit
from bot.services.outbox import NOTICE, Kind, NewDelivery, enqueue
from bot.services.participants import chat_of, is_account_of
from bot.services.seats import lock_training
from bot.services.survey import finished_training_ids, person_deliveries

MAX_NAME = 120
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_ISSUE_TRIES = 3


@dataclass(frozen=True)
class CertificateView:
    """Everything printed on a certificate, and where it goes in the chat."""

    certificate_id: int
    registration_id: int
    number: str
    verify_code: str
    name: str
    business: str
    revision: int
    training_code: str
    training_title: str
    venue: str
    first_day: date
    last_day: date
    days_attended: int
    day_count: int
    issued_on: date
    chat_id: int | None
    language: str


def required_days(day_count: int, min_days: int) -> int:
    """Days of presence that earn a certificate: `min_days`, or every day when 0 or more."""
    return day_count if min_days <= 0 else min(min_days, day_count)


def certificate_number(code: str, seq: int, issued: date) -> str:
    """The printed number: `KP-2026-01/0007/XII/2026`."""
    return f"{code}/{seq:04d}/{_ROMAN[issued.month - 1]}/{issued.year}"


async def _day_count(session: AsyncSession, training_id: int) -> int:
    count = await session.scalar(
        select(func.count()).select_from(TrainingDay).where(TrainingDay.training_id == training_id)
    )
    return int(count or 0)


async def _attended(session: AsyncSession, training_id: int) -> dict[int, int]:
    """Days present per confirmed registration of the training."""
    rows = await session.execute(
        select(Registration.id, func.count(Attendance.id))
        .join(Attendance, Attendance.registration_id == Registration.id)
        .where(
            Registration.training_id == training_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .group_by(Registration.id)
    )
    return {int(reg_id): int(days) for reg_id, days in rows.all()}


async def eligible_registrations(
    session: AsyncSession, training_id: int, min_days: int
) -> list[int]:
    """The confirmed registrations of a training that were present on enough days."""
    needed = required_days(await _day_count(session, training_id), min_days)
    if needed == 0:
        return []
    return sorted(
        r for r, days in (await _attended(session, training_id)).items() if days >= needed
    )


async def is_eligible(session: AsyncSession, registration_id: int, min_days: int) -> bool:
    """Whether this registration has earned a certificate."""
    registration = await session.get(Registration, registration_id)
    if registration is None:
        return False
    return registration_id in await eligible_registrations(
        session, registration.training_id, min_days
    )


async def certificate_of(session: AsyncSession, registration_id: int) -> Certificate | None:
    """The certificate issued for this registration, if any."""
    return await session.scalar(
        select(Certificate).where(Certificate.registration_id == registration_id)
    )


async def _next_seq(session: AsyncSession, training_id: int) -> int:
    last = await session.scalar(
        select(func.max(Certificate.seq)).where(Certificate.training_id == training_id)
    )
    return int(last or 0) + 1


async def _new_certificate(
    session: AsyncSession, registration: Registration, name: str, now: datetime, tz: tzinfo
) -> Certificate:
    training = await lock_training(session, registration.training_id)
    assert training is not None
    participant = await session.get(Participant, registration.participant_id)
    seq = await _next_seq(session, training.id)
    certificate = Certificate(
        registration_id=registration.id,
        training_id=training.id,
        seq=seq,
        number=certificate_number(training.code, seq, now.astimezone(tz).date()),
        verify_code=secrets.token_urlsafe(12),
        name=name[:MAX_NAME],
        business=((participant.business_name if participant else None) or "")[:MAX_NAME],
        revision=1,
        issued_at=now,
        updated_at=now,
    )
    session.add(certificate)
    await session.flush()
    return certificate


async def issue(
    session: AsyncSession,
    registration_id: int,
    now: datetime,
    tz: tzinfo,
    *,
    name: str | None = None,
    confirmed: bool = False,
) -> Certificate | None:
    """Issue (or find) the registration's certificate and commit; None when there is no person.

    With `name`, that spelling is printed; a different name than an issued certificate's is a
    new revision with the same number. `confirmed`: the participant checked the name.
    """
    issued = await _issue_many(session, [registration_id], now, tz, name, confirmed)
    return issued[0] if issued else None


async def _issue_many(
    session: AsyncSession,
    registration_ids: Sequence[int],
    now: datetime,
    tz: tzinfo,
    name: str | None,
    confirmed: bool,
) -> list[Certificate]:
    """Issue for these registrations in one transaction (one commit for a whole class)."""
    for _ in range(_ISSUE_TRIES):
        try:
            issued = [
                certificate
                for registration_id in registration_ids
                if (
                    certificate := await _issue_once(
                        session, registration_id, now, tz, name, confirmed
                    )
                )
            ]
            await session.commit()
            return issued
        except IntegrityError:
            # Another process issued for this training at the same moment: take the next number.
            await session.rollback()
    raise RuntimeError(f"could not number certificates for registrations {registration_ids}")


async def _issue_once(
    session: AsyncSession,
    registration_id: int,
    now: datetime,
    tz: tzinfo,
    name: str | None,
    confirmed: bool,
) -> Certificate | None:
    registration = await session.get(Registration, registration_id)
    participant = (
        await session.get(Participant, registration.participant_id) if registration else None
    )
    if registration is None or participant is None:
        return None
    printed = (name or participant.full_name or "").strip()[:MAX_NAME]
    if not printed:
        return None
    certificate = await certificate_of(session, registration_id)
    if certificate is None:
        certificate = await _new_certificate(session, registration, printed, now, tz)
    elif printed != certificate.name:
        certificate.name = printed
        certificate.revision += 1
        certificate.updated_at = now
    if confirmed and certificate.name_confirmed_at is None:
        certificate.name_confirmed_at = now
    return certificate


async def issue_all(
    session: AsyncSession,
    training_id: int,
    min_days: int,
    now: datetime,
    tz: tzinfo,
    *,
    reader: audit.Reader | None = None,
) -> list[int]:
    """Issue a certificate to everyone eligible so far (the name on file for those who have
    not confirmed one); returns the certificate ids in number order, without those whose
    holder has erased their data (their name is blank: nothing to print). The ZIP of them is
    made for `reader`, recorded in the audit trail."""
    eligible = await eligible_registrations(session, training_id, min_days)
    await _issue_many(session, eligible, now, tz, None, False)
    ids = await session.scalars(
        select(Certificate.id)
        .join(Registration, Registration.id == Certificate.registration_id)
        .where(
            Certificate.training_id == training_id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Certificate.name != "",
        )
        .order_by(Certificate.seq)
    )
    issued = list(ids)
    await audit.note_access(session, reader, audit.Action.CERTIFICATES, training_id, len(issued))
    return issued


async def confirm_name(
    session: AsyncSession,
    registration_id: int,
    telegram_id: int,
    name: str | None,
    min_days: int,
    now: datetime,
    tz: tzinfo,
    bot_username: str,
) -> Certificate | None:
    """The participant confirms (or fixes) the name: issue or reissue, queue the PDF, commit.

    None when the registration is not theirs or has not earned a certificate. A fixed name is
    also stored as their profile's name, so lists and later certificates spell it right.
    """
    registration = await session.get(Registration, registration_id)
    participant = (
        await session.get(Participant, registration.participant_id) if registration else None
    )
    if (
        registration is None
        or participant is None
        or not await is_account_of(session, participant, telegram_id)
        or not await is_eligible(session, registration_id, min_days)
    ):
        await session.rollback()
        return None
    if name is not None:
        participant.full_name = name[:MAX_NAME]
        participant.updated_at = now
    certificate = await issue(session, registration_id, now, tz, name=name, confirmed=True)
    if certificate is not None:
        await queue_certificate(session, certificate, participant, now, bot_username)
        await session.commit()
    return certificate


async def queue_certificate(
    session: AsyncSession,
    certificate: Certificate,
    participant: Participant,
    now: datetime,
    bot_username: str,
) -> None:
    """Queue the PDF of this revision of the certificate for its holder (no commit); the
    bot's username goes along for the QR's link."""
    await enqueue(
        session,
        [
            NewDelivery(
                kind=Kind.CERTIFICATE,
                key=f"certificate:{certificate.id}:{certificate.revision}",
                chat_id=chat_of(participant.chat_id, participant.telegram_id),
                participant_id=participant.id,
                registration_id=certificate.registration_id,
                payload={
                    "certificate_id": certificate.id,
                    "revision": certificate.revision,
                    "bot": bot_username,
                },
                priority=NOTICE,
            )
        ],
        now,
    )


async def queue_offers(
    session: AsyncSession, registration_ids: Sequence[int], now: datetime
) -> int:
    """Queue "check your name for the certificate" for these registrations (once each; no
    commit)."""
    rows = await session.execute(
        select(Registration.id, Participant.id, Participant.chat_id, Participant.telegram_id)
        .join(Participant, Participant.id == Registration.participant_id)
        .where(Registration.id.in_(registration_ids), Participant.erased_at.is_(None))
    )
    people = [(row[0], row[1], row[2], row[3]) for row in rows.all()]
    return await enqueue(session, person_deliveries(Kind.CERTIFICATE_OFFER, people, NOTICE), now)


async def queue_earned_offers(
    session: AsyncSession, now: datetime, delay_hours: int, min_days: int
) -> int:
    """Queue the offer for everyone who earned a certificate in a training that has ended
    (each once: offers already queued at a check-in are not repeated) and commit."""
    added = 0
    for training_id in await finished_training_ids(session, now, delay_hours):
        eligible = await eligible_registrations(session, training_id, min_days)
        added += await queue_offers(session, eligible, now) if eligible else 0
    await session.commit()
    return added


async def offer_if_earned(
    session: AsyncSession, registration_id: int, min_days: int, now: datetime
) -> bool:
    """After a check-in: queue the certificate offer when this one earned it (no commit);
    whether it is earned (the offer may have been queued before: it is sent once)."""
    if not await is_eligible(session, registration_id, min_days):
        return False
    await queue_offers(session, [registration_id], now)
    return True


async def _views(session: AsyncSession, condition: object) -> list[CertificateView]:
    rows = await session.execute(
        select(Certificate, Registration, Participant, Training)
        .join(Registration, Registration.id == Certificate.registration_id)
        .join(Participant, Participant.id == Registration.participant_id)
        .join(Training, Training.id == Certificate.training_id)
        .where(condition)  # type: ignore[arg-type]
        .order_by(Certificate.seq)
    )
    found = rows.all()
    if not found:
        return []
    training_id = found[0][3].id
    days = list(
        await session.scalars(
            select(TrainingDay.date)
            .where(TrainingDay.training_id.in_({row[3].id for row in found}))
            .order_by(TrainingDay.date)
        )
    )
    attended = await _attended(session, training_id) if len({r[3].id for r in found}) == 1 else {}
    return [_view(row, days, attended) for row in found]


def _view(row: Any, days: list[date], attended: dict[int, int]) -> CertificateView:
    certificate: Certificate = row[0]
    registration: Registration = row[1]
    participant: Participant = row[2]
    training: Training = row[3]
    return CertificateView(
        certificate_id=certificate.id,
        registration_id=registration.id,
        number=certificate.number,
        verify_code=certificate.verify_code,
        name=certificate.name,
        business=certificate.business,
        revision=certificate.revision,
        training_code=training.code,
        training_title=training.title,
        venue=training.venue,
        first_day=days[0] if days else certificate.issued_at.date(),
        last_day=days[-1] if days else certificate.issued_at.date(),
        days_attended=attended.get(registration.id, 0),
        day_count=len(days),
        issued_on=certificate.issued_at.date(),
        chat_id=chat_of(participant.chat_id, participant.telegram_id),
        language=participant.language,
    )


async def certificate_views(
    session: AsyncSession, certificate_ids: Sequence[int]
) -> dict[int, CertificateView]:
    """What each certificate prints, by id (one training's certificates at a time is fastest)."""
    views: dict[int, CertificateView] = {}
    by_training: dict[int, list[int]] = {}
    rows = await session.execute(
        select(Certificate.id, Certificate.training_id).where(Certificate.id.in_(certificate_ids))
    )
    for certificate_id, training_id in rows.all():
        by_training.setdefault(training_id, []).append(certificate_id)
    for ids in by_training.values():
        for view in await _views(session, Certificate.id.in_(ids)):
            views[view.certificate_id] = view
    return views


async def verify(session: AsyncSession, verify_code: str) -> CertificateView | None:
    """The certificate this verification code belongs to, or None: a made-up or altered one."""
    if not verify_code or len(verify_code) > 24:
        return None
    views = await _views(session, Certificate.verify_code == verify_code)
    return views[0] if views else None


@dataclass(frozen=True)
class OfferView:
    """The offer to a participant: the name that would be printed, and the training."""

    registration_id: int
    name: str
    training_title: str
    issued: bool


async def offer_view(
    session: AsyncSession, registration_id: int, min_days: int
) -> OfferView | None:
    """The offer's content while it still applies (earned, and the name not yet confirmed)."""
    if not await is_eligible(session, registration_id, min_days):
        return None
    registration = await session.get(Registration, registration_id)
    assert registration is not None
    participant = await session.get(Participant, registration.participant_id)
    training = await session.get(Training, registration.training_id)
    certificate = await certificate_of(session, registration_id)
    if participant is None or training is None or participant.erased_at is not None:
        return None
    if certificate is not None and certificate.name_confirmed_at is not None:
        return None
    name = certificate.name if certificate else (participant.full_name or "")
    return OfferView(registration_id, name, training.title, certificate is not None)
