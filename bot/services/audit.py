"""The audit trail: every access to personal data and every change staff make, in the
transaction of what it records, kept for `AUDIT_RETENTION_DAYS`.

An entry says who (a Telegram id; none for an operator's command-line tool), when (the bot's
clock), what (an `Action`), which training and how many people it covered. It never holds a
personal field of the participants themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AuditEntry, Training


class Action(StrEnum):
    """What an entry records (stable codes: they are stored)."""

    EXPORT = "export"  # a participant export (xlsx or csv)
    IMPACT = "impact"  # the impact workbook: baseline and follow-ups per person
    PARTICIPANTS = "participants"  # the participant list with phones
    APPLICANTS = "applicants"  # the Mini App's participant view
    ATTENDANCE_LIST = "attendance_list"  # the day's list with names
    SHEET = "attendance_sheet"  # the attendance sheet PDF
    CERTIFICATES = "certificates"  # the certificate ZIP
    TRAINING_CHANGE = "training_change"  # created, edited, published, closed, cancelled
    ANNOUNCEMENT = "announcement"  # an announcement sent
    CHECK_IN = "check_in"  # attendance recorded or taken back
    GRANT = "grant"  # a staff role given
    REVOKE = "revoke"  # a staff role taken away


def record(
    session: AsyncSession,
    actor_id: int | None,
    action: Action,
    now: datetime,
    *,
    training_id: int | None = None,
    people: int = 0,
    detail: str | None = None,
) -> None:
    """Add one entry to the session: it is written with the caller's commit, or not at all."""
    session.add(
        AuditEntry(
            at=now,
            actor_id=actor_id,
            action=action.value,
            training_id=training_id,
            people=people,
            detail=detail[:120] if detail else None,
        )
    )


@dataclass(frozen=True)
class Reader:
    """Who reads personal data (a Telegram id; None: the command line), and when by the bot's
    clock: what a service that shows personal data records when it is given one."""

    telegram_id: int | None
    at: datetime


async def note_access(
    session: AsyncSession,
    reader: Reader | None,
    action: Action,
    training_id: int | None,
    people: int,
) -> None:
    """Record that `reader` saw the personal data of `people` people (no reader: nothing)."""
    if reader is None:
        return
    record(session, reader.telegram_id, action, reader.at, training_id=training_id, people=people)
    await session.commit()


@dataclass(frozen=True)
class Entry:
    """One entry as the trail is read: the training by its code."""

    at: datetime
    actor_id: int | None
    action: str
    training_code: str | None
    people: int
    detail: str | None


async def read_entries(
    session: AsyncSession,
    *,
    since: datetime | None = None,
    actor_id: int | None = None,
    limit: int = 1000,
) -> list[Entry]:
    """The newest entries first: since a moment, of one actor."""
    query = (
        select(AuditEntry, Training.code)
        .outerjoin(Training, Training.id == AuditEntry.training_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(limit)
    )
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if actor_id is not None:
        query = query.where(AuditEntry.actor_id == actor_id)
    rows = (await session.execute(query)).all()
    return [
        Entry(entry.at, entry.actor_id, entry.action, code, entry.people, entry.detail)
        for entry, code in rows
    ]


async def purge_audit(session: AsyncSession, now: datetime, keep: timedelta) -> int:
    """Delete the entries older than `keep`; how many."""
    gone = await session.execute(delete(AuditEntry).where(AuditEntry.at < now - keep))
    await session.commit()
    return int(getattr(gone, "rowcount", 0) or 0)
