"""A person fixes their own details: phone, name, business name, sector and district.

Each typed value passes the registration's own checks (`bot.services.registration`), so a
detail changed later is held to what registering asked. Lists and exports read the profile as
it is, so staff see the change there at once. A certificate already issued keeps its number:
a changed name is a new revision of it, whose PDF is queued for the person.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Certificate, Participant, Registration
from bot.services.certificates import issue, queue_certificate
from bot.services.participants import find_participant
from bot.services.registration import (
    BUSINESS_MAX,
    BUSINESS_MIN,
    NAME_MAX,
    NAME_MIN,
    Profile,
    clean_name,
    normalize_phone,
    phone_has_letters,
    profile_of,
)


class Detail(enum.StrEnum):
    """A detail a person can change (the values name its question in the catalog)."""

    NAME = "name"
    PHONE = "phone"
    BUSINESS = "business"
    SECTOR = "sector"
    DISTRICT = "district"


TYPED = (Detail.NAME, Detail.PHONE, Detail.BUSINESS)
_COLUMNS = {
    Detail.NAME: "full_name",
    Detail.PHONE: "phone",
    Detail.BUSINESS: "business_name",
    Detail.SECTOR: "sector",
    Detail.DISTRICT: "district",
}


class Wrong(enum.StrEnum):
    """Why a typed value was refused (the values name its hint in the catalog)."""

    NAME = "name"
    BUSINESS = "business"
    PHONE = "phone"
    PHONE_LETTER = "phone_letter"


@dataclass(frozen=True)
class Changed:
    """The profile after a change, and how many certificates were reissued for it."""

    profile: Profile
    reissued: int = 0


def check_typed(detail: Detail, raw: str) -> str | Wrong:
    """A typed name, business name or phone number as registering would store it, or why not."""
    if detail is Detail.PHONE:
        phone = normalize_phone(raw[:40])
        if phone is None:
            return Wrong.PHONE_LETTER if phone_has_letters(raw) else Wrong.PHONE
        return phone
    if detail is Detail.NAME:
        return clean_name(raw, NAME_MIN, NAME_MAX) or Wrong.NAME
    return clean_name(raw, BUSINESS_MIN, BUSINESS_MAX) or Wrong.BUSINESS


async def details_of(session: AsyncSession, telegram_id: int) -> Profile | None:
    """The person's stored details (None when they have none to change)."""
    return await profile_of(session, telegram_id)


async def change_detail(
    session: AsyncSession,
    telegram_id: int,
    detail: Detail,
    value: str,
    now: datetime,
    tz: tzinfo,
    bot_username: str,
) -> Changed | None:
    """Store one checked detail; a new name reissues the person's certificates; commits.

    None when the person has no stored details (never registered, or erased since)."""
    participant = await find_participant(session, telegram_id)
    if participant is None or await profile_of(session, telegram_id) is None:
        await session.rollback()
        return None
    column = _COLUMNS[detail]
    renamed = detail is Detail.NAME and getattr(participant, column) != value
    setattr(participant, column, value)
    participant.updated_at = now
    await session.commit()
    reissued = await _reissue(session, participant, now, tz, bot_username) if renamed else 0
    profile = await profile_of(session, telegram_id)
    assert profile is not None
    return Changed(profile, reissued)


async def _reissue(
    session: AsyncSession, participant: Participant, now: datetime, tz: tzinfo, bot_username: str
) -> int:
    """Every certificate of the person's own registrations under their new name: the same
    number, a new revision, its PDF queued to them (commits)."""
    registration_ids = await session.scalars(
        select(Certificate.registration_id)
        .join(Registration, Registration.id == Certificate.registration_id)
        .where(Registration.participant_id == participant.id)
        .order_by(Certificate.id)
    )
    name = participant.full_name or ""
    reissued = 0
    for registration_id in list(registration_ids):
        certificate = await issue(session, registration_id, now, tz, name=name, confirmed=True)
        if certificate is not None:
            await queue_certificate(session, certificate, participant, now, bot_username)
            await session.commit()
            reissued += 1
    return reissued
