"""Participants: who uses the bot and in which language."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.models import Participant

# Statements built once, with bound parameters: SQLAlchemy computes a statement's cache key
# once per statement object, and building and keying one on every call cost about a quarter
# of its execution (these run on nearly every update of a conversation).
_BY_TELEGRAM_ID = select(Participant).where(Participant.telegram_id == bindparam("telegram_id"))
_LANGUAGE = select(Participant.language).where(Participant.telegram_id == bindparam("telegram_id"))


def owned_by(telegram_id: int) -> ColumnElement[bool]:
    """SQL: the participant is this Telegram user, or a colleague this user registered (the
    account that sees, cancels and answers for them)."""
    holder = aliased(Participant)
    return or_(
        Participant.telegram_id == telegram_id,
        Participant.registered_by_id.in_(
            select(holder.id).where(holder.telegram_id == telegram_id)
        ),
    )


def chat_of(chat_id: int | None, telegram_id: int | None) -> int:
    """Where a participant's messages go: their chat, else their user id (a private chat has
    the user's id); a colleague's chat is the registering account's."""
    chat = chat_id if chat_id is not None else telegram_id
    if chat is None:
        raise ValueError("a participant without a chat or a Telegram id")
    return chat


async def is_account_of(session: AsyncSession, participant: Participant, telegram_id: int) -> bool:
    """Whether this Telegram user is the participant, or registered them as a colleague."""
    if participant.telegram_id == telegram_id:
        return True
    if participant.registered_by_id is None:
        return False
    holder = await session.get(Participant, participant.registered_by_id)
    return holder is not None and holder.telegram_id == telegram_id


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
        # Writing to us again means the bot is unblocked: announcements reach them again,
        # and the colleagues they registered, whose messages go to the same chat.
        participant.chat_id = chat_id
        participant.unreachable_at = None
        participant.updated_at = now
        await _update_colleagues(session, participant.id, chat_id=chat_id, unreachable_at=None)
    return participant


async def _update_colleagues(session: AsyncSession, holder_id: int, **values: object) -> None:
    """What the colleagues of an account share with it: the chat, its state, the language."""
    await session.execute(
        update(Participant)
        .where(Participant.registered_by_id == holder_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def colleague_of(
    session: AsyncSession, holder: Participant, phone: str, now: datetime
) -> Participant:
    """The colleague this account registered with this phone number, made when new (not
    committed): their messages go to the account's chat, in its language."""
    colleague = await session.scalar(
        select(Participant).where(
            Participant.registered_by_id == holder.id, Participant.phone == phone
        )
    )
    if colleague is None:
        colleague = Participant(
            telegram_id=None,
            registered_by_id=holder.id,
            phone=phone,
            created_at=now,
        )
        session.add(colleague)
    colleague.chat_id = holder.chat_id or holder.telegram_id
    colleague.language = holder.language
    colleague.unreachable_at = holder.unreachable_at
    colleague.updated_at = now
    await session.flush()
    return colleague


async def colleague_names(
    session: AsyncSession, participant_ids: Collection[int]
) -> dict[int, str]:
    """The names of those among these participants who are colleagues, by `Participant.id`
    (messages about them name them, since they go to the registering account's chat)."""
    if not participant_ids:
        return {}
    rows = await session.execute(
        select(Participant.id, Participant.full_name).where(
            Participant.id.in_(participant_ids),
            Participant.registered_by_id.is_not(None),
            Participant.full_name.is_not(None),
        )
    )
    return {pid: name for pid, name in rows.all() if name}


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
    return {tid: language for tid, language in rows.all() if tid is not None}


async def set_language(
    session: AsyncSession, telegram_id: int, language: str, *, chat_id: int | None, now: datetime
) -> None:
    """Store the user's language choice."""
    participant = await ensure_participant(
        session, telegram_id, chat_id=chat_id, language=language, now=now
    )
    participant.language = language
    participant.updated_at = now
    await _update_colleagues(session, participant.id, language=language)
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
