"""Participants: who uses the bot and in which language."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Participant

# Statements built once, with bound parameters: SQLAlchemy computes a statement's cache key
# once per statement object, and building and keying one on every call cost about a quarter
# of its execution (these run on nearly every update of a conversation).
_BY_TELEGRAM_ID = select(Participant).where(Participant.telegram_id == bindparam("telegram_id"))
_LANGUAGE = select(Participant.language).where(Participant.telegram_id == bindparam("telegram_id"))


async def find_participant(session: AsyncSession, telegram_id: int) -> Participant | None:
    """The participant with this Telegram user id, if any."""
    result = await session.execute(_BY_TELEGRAM_ID, {"telegram_id": telegram_id})
    return result.scalar_one_or_none()


async def ensure_participant(
    session: AsyncSession,
    telegram_id: int,
    *,
    chat_id: int | None,
    language: str,
    now: datetime,
) -> Participant:
    """The participant for this user, created on first contact (not committed)."""
    participant = await find_participant(session, telegram_id)
    if participant is None:
        participant = Participant(
            telegram_id=telegram_id,
            chat_id=chat_id,
            language=language,
            created_at=now,
            updated_at=now,
        )
        session.add(participant)
        await session.flush()
    elif chat_id is not None and (
        participant.chat_id != chat_id or participant.unreachable_at is not None
    ):
        # Writing to us again means the bot is unblocked: announcements reach them again.
        participant.chat_id = chat_id
        participant.unreachable_at = None
        participant.updated_at = now
    return participant


async def language_of(session: AsyncSession, telegram_id: int) -> str | None:
    """The stored language of this user, or None when the user is unknown."""
    result = await session.execute(_LANGUAGE, {"telegram_id": telegram_id})
    return result.scalar_one_or_none()


async def languages_of(session: AsyncSession, participant_ids: Collection[int]) -> dict[int, str]:
    """The language of each participant, by `Participant.id`."""
    if not participant_ids:
        return {}
    rows = await session.execute(
        select(Participant.id, Participant.language).where(Participant.id.in_(participant_ids))
    )
    return {pid: language for pid, language in rows.all()}


async def languages_of_telegram_ids(
    session: AsyncSession, telegram_ids: Collection[int]
) -> dict[int, str]:
    """The language of each known Telegram user, by user id (staff included)."""
    if not telegram_ids:
        return {}
    rows = await session.execute(
        select(Participant.telegram_id, Participant.language).where(
            Participant.telegram_id.in_(telegram_ids)
        )
    )
    return {tid: language for tid, language in rows.all()}


async def set_language(
    session: AsyncSession, telegram_id: int, language: str, *, chat_id: int | None, now: datetime
) -> None:
    """Store the user's language choice."""
    participant = await ensure_participant(
        session, telegram_id, chat_id=chat_id, language=language, now=now
    )
    participant.language = language
    participant.updated_at = now
    await session.commit()


async def greet(
    session: AsyncSession, telegram_id: int, *, chat_id: int | None, language: str, now: datetime
) -> str:
    """Record first contact (or a new chat) and return the user's language."""
    participant = await ensure_participant(
        session, telegram_id, chat_id=chat_id, language=language, now=now
    )
    await session.commit()
    return participant.language


async def mark_unreachable(session: AsyncSession, telegram_id: int, now: datetime) -> None:
    """Remember that the user blocked the bot (bulk sends skip them until they come back)."""
    participant = await find_participant(session, telegram_id)
    if participant is not None and participant.unreachable_at is None:
        participant.unreachable_at = now
        participant.updated_at = now
    await session.commit()
