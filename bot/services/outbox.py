"""The outbox: every message the bot sends on its own is a `Delivery` row, sent once.

One state machine for every kind (reminders, announcements, seat and change notices, reports):

    pending --claim--> pending + lease --mark_sending--> sending --record--> sent | blocked
                                                                             | failed | unknown
    pending --(no longer applies, erased person, expired)--> skipped
    pending, following a row that ended unsent --> skipped
    skipped --(applies again: a registration back on a day it had left)--> pending
    sending --(certainly did not leave: refused connection, 5xx, 429)--> pending (sent later)

Only this module writes a row's state: the rules that decide a message no longer applies (or
applies again) say which rows with `skip_pending_where` and `revive_skipped_where`.

`enqueue` adds rows (a unique `key` makes a second enqueue of the same message a no-op); it
never commits, so a message is queued in the same transaction as the change it tells about.
A sender `claim`s a batch (a lease: `claimed_by`, `claimed_at`), marks each row `sending` right
before its request (`mark_sending`, so a row is never sent twice), and `record`s the answers.
A row whose sender died while it was `sending` becomes `unknown` (`expire_stale`): it may have
arrived, so it is never resent; a row that was only reserved goes to the next claimer once its
lease has run out. A row may follow another (`after_id`: a reminder's map pin after its text):
it is claimed only once that row is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.db import note_queued_work
from bot.models import Delivery, DeliveryState, Participant
from bot.services.delivery import (
    BULK,
    NOTICE,
    Claimed,
    Kind,
    NewDelivery,
    Recorded,
    Result,
    SendAnswer,
)

# The words of the outbox (`bot.services.delivery`), where its callers have always found them.
__all__ = ["BULK", "NOTICE", "Claimed", "Kind", "NewDelivery", "Recorded", "Result", "SendAnswer"]

FINAL_STATES = (
    DeliveryState.SENT,
    DeliveryState.BLOCKED,
    DeliveryState.FAILED,
    DeliveryState.UNKNOWN,
)
OPEN_STATES = (DeliveryState.PENDING, DeliveryState.SENDING)


def insert_ignoring_duplicates(session: AsyncSession, model: Any) -> Any:
    """An INSERT for `model` that a unique key turns into a no-op (both dialects)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


def insert_deliveries(session: AsyncSession) -> Any:
    """An INSERT of outbox rows (a duplicate key: a no-op); the sender is woken once the
    session commits."""
    note_queued_work(session)
    return insert_ignoring_duplicates(session, Delivery)


def _row(new: NewDelivery, now: datetime) -> dict[str, Any]:
    return {
        "kind": new.kind.value,
        "key": new.key[:160],
        "chat_id": new.chat_id,
        "participant_id": new.participant_id,
        "registration_id": new.registration_id,
        "training_day_id": new.training_day_id,
        "announcement_id": new.announcement_id,
        "payload": new.payload,
        "priority": new.priority,
        "due_at": new.due_at or now,
        "expires_at": new.expires_at,
        "state": DeliveryState.PENDING.value,
        "attempts": 0,
        "created_at": now,
    }


async def enqueue(session: AsyncSession, deliveries: Iterable[NewDelivery], now: datetime) -> int:
    """Queue messages (no commit: the caller's transaction decides); returns rows added."""
    rows = [_row(new, now) for new in deliveries]
    if not rows:
        return 0
    statement = insert_deliveries(session).on_conflict_do_nothing(index_elements=["key"])
    # Counted from RETURNING: SQLite reports no rowcount for a batch that skips duplicates.
    added = await session.execute(statement.returning(Delivery.id), rows)
    return len(added.all())


def follows_row_in(*states: DeliveryState) -> Any:
    """SQL: the row that this one follows is in one of `states`."""
    prior = aliased(Delivery)
    return exists().where(prior.id == Delivery.after_id, prior.state.in_(states))


def claimable(now: datetime, lease: timedelta) -> Select[Any]:
    """Rows that may be claimed now: pending, due, not expired, not held by a live lease, and
    not following a row that is not sent yet."""
    return select(Delivery.id).where(
        Delivery.state == DeliveryState.PENDING,
        Delivery.due_at <= now,
        or_(Delivery.expires_at.is_(None), Delivery.expires_at > now),
        or_(Delivery.claimed_at.is_(None), Delivery.claimed_at < now - lease),
        or_(Delivery.after_id.is_(None), follows_row_in(DeliveryState.SENT)),
    )


_CLAIMED_COLUMNS = (
    Delivery.id,
    Delivery.kind,
    Delivery.chat_id,
    Delivery.priority,
    Delivery.participant_id,
    Delivery.registration_id,
    Delivery.training_day_id,
    Delivery.announcement_id,
    Delivery.payload,
    Participant.unreachable_at,
    Participant.erased_at,
)


_URGENT_FIRST = (Delivery.priority, Delivery.due_at, Delivery.id)


async def _lock_due(
    session: AsyncSession, limit: int, now: datetime, lease: timedelta, announcement_id: int | None
) -> list[int]:
    query = claimable(now, lease)
    if announcement_id is not None:
        query = query.where(Delivery.announcement_id == announcement_id)
    locked = query.order_by(*_URGENT_FIRST).limit(limit).with_for_update(skip_locked=True)
    return list((await session.execute(locked)).scalars())


async def _with_people(session: AsyncSession, ids: Sequence[int]) -> list[Any]:
    return list(
        (
            await session.execute(
                select(*_CLAIMED_COLUMNS)
                .outerjoin(Participant, Participant.id == Delivery.participant_id)
                .where(Delivery.id.in_(ids))
                .order_by(*_URGENT_FIRST)
            )
        ).all()
    )


async def _lease(session: AsyncSession, ids: Sequence[int], worker: str, now: datetime) -> None:
    if ids:
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids))
            .values(claimed_by=worker[:64], claimed_at=now)
            .execution_options(synchronize_session=False)
        )


async def claim(
    session: AsyncSession,
    worker: str,
    limit: int,
    now: datetime,
    lease: timedelta,
    announcement_id: int | None = None,
) -> list[Claimed]:
    """Reserve up to `limit` due rows for `worker` (most urgent first) and commit.

    PostgreSQL: `FOR UPDATE SKIP LOCKED` lets concurrent senders pass each other's rows;
    SQLite: the transaction's write lock (BEGIN IMMEDIATE) excludes every other writer. Rows
    for someone who erased their data are skipped, and for someone known to have blocked the
    bot are marked blocked, without a request. With `announcement_id`, only that
    announcement's rows (the command line sending one announcement by itself).
    """
    ids = await _lock_due(session, limit, now, lease, announcement_id)
    if not ids:
        await session.rollback()
        return []
    rows = await _with_people(session, ids)
    await _skip_ids(session, [r.id for r in rows if r.erased_at is not None], "erased")
    blocked = [r.id for r in rows if r.erased_at is None and r.unreachable_at is not None]
    await _set_state(session, blocked, DeliveryState.BLOCKED, "unreachable")
    claimed = [_claimed(row) for row in rows if row.erased_at is None and not row.unreachable_at]
    await _lease(session, [c.id for c in claimed], worker, now)
    await session.commit()
    return claimed


def _claimed(row: Any) -> Claimed:
    return Claimed(
        id=row.id,
        kind=row.kind,
        chat_id=row.chat_id,
        priority=row.priority,
        participant_id=row.participant_id,
        registration_id=row.registration_id,
        training_day_id=row.training_day_id,
        announcement_id=row.announcement_id,
        payload=row.payload,
    )


async def skip_pending_where(
    session: AsyncSession, *where: ColumnElement[bool], reason: str | None
) -> None:
    """Pending rows matching `where` will not be sent: what they would say no longer applies
    (in the caller's transaction)."""
    await session.execute(
        update(Delivery)
        .where(Delivery.state == DeliveryState.PENDING, *where)
        .values(state=DeliveryState.SKIPPED, error=reason)
        .execution_options(synchronize_session=False)
    )


async def revive_skipped_where(session: AsyncSession, *where: ColumnElement[bool]) -> None:
    """Skipped rows matching `where` apply again (a registration back on its day): pending and
    unclaimed (in the caller's transaction)."""
    note_queued_work(session)
    await session.execute(
        update(Delivery)
        .where(Delivery.state == DeliveryState.SKIPPED, *where)
        .values(state=DeliveryState.PENDING, error=None, claimed_by=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )


async def _set_state(
    session: AsyncSession, ids: Sequence[int], state: DeliveryState, error: str
) -> None:
    """These pending rows end in `state` without being sent (in the caller's transaction)."""
    if ids:
        await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids), Delivery.state == DeliveryState.PENDING)
            .values(state=state, error=error)
            .execution_options(synchronize_session=False)
        )


async def _skip_ids(session: AsyncSession, ids: Sequence[int], reason: str) -> None:
    await _set_state(session, ids, DeliveryState.SKIPPED, reason)


async def skip(session: AsyncSession, ids: Sequence[int], reason: str) -> None:
    """Mark pending rows as skipped: what they would say no longer applies (commits)."""
    await _skip_ids(session, ids, reason)
    await session.commit()


async def release(session: AsyncSession, ids: Sequence[int], worker: str) -> None:
    """Give back rows this worker reserved and did not send: no request was made for them,
    even if one was already marked `sending` (commits)."""
    if ids:
        await session.execute(
            update(Delivery)
            .where(
                Delivery.id.in_(ids),
                Delivery.state.in_(OPEN_STATES),
                Delivery.claimed_by == worker[:64],
            )
            .values(state=DeliveryState.PENDING, claimed_by=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        )
    await session.commit()


async def mark_sending(
    session: AsyncSession, ids: Sequence[int], worker: str, now: datetime
) -> set[int]:
    """Mark rows reserved by `worker` as `sending`, right before they go out; returns the ids
    it marked (a missing one is no longer this worker's: its lease ran out and another took it).
    From here on a row is never sent again unless its send certainly did not leave."""
    if not ids:
        return set()
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.id.in_(ids),
            Delivery.state == DeliveryState.PENDING,
            Delivery.claimed_by == worker[:64],
        )
        .values(state=DeliveryState.SENDING, claimed_at=now, attempts=Delivery.attempts + 1)
        .returning(Delivery.id)
        .execution_options(synchronize_session=False)
    )
    started = set(result.scalars())
    await session.commit()
    return started


def _values(result: Result, error: str | None, now: datetime) -> dict[str, Any]:
    if result is Result.RETRY:
        return {
            "state": DeliveryState.PENDING,
            "claimed_by": None,
            "claimed_at": None,
            "due_at": now,
            "error": error,
        }
    values: dict[str, Any] = {"state": DeliveryState(result.value), "error": error}
    if result is Result.SENT:
        values["sent_at"] = now
    return values


# A late definite answer may still settle a row declared unknown (its sender looked dead);
# nothing ever makes an unknown row pending again.
_DEFINITE = (DeliveryState.SENDING, DeliveryState.UNKNOWN)
_ANSWERABLE = {
    Result.SENT: _DEFINITE,
    Result.BLOCKED: _DEFINITE,
    Result.FAILED: _DEFINITE,
    Result.UNKNOWN: (DeliveryState.SENDING,),
    Result.RETRY: (DeliveryState.SENDING,),
}


def _groups(answers: Sequence[SendAnswer]) -> dict[tuple[Result, str | None], list[SendAnswer]]:
    groups: dict[tuple[Result, str | None], list[SendAnswer]] = {}
    for answer in answers:
        error = answer.error[:200] if answer.error else None
        groups.setdefault((answer.result, error), []).append(answer)
    return groups


async def record(session: AsyncSession, answers: Sequence[SendAnswer], now: datetime) -> Recorded:
    """Store many answers in one transaction, one statement per kind of answer; someone who
    blocked the bot is marked unreachable. Only rows still `sending` change (or `unknown` ones,
    whose stale timeout ran out while their answer was on its way)."""
    recorded = Recorded()
    for (result, error), group in _groups(answers).items():
        values = _values(result, error, now)
        message_ids = {a.delivery_id: a.message_id for a in group if a.message_id is not None}
        if message_ids:
            values["message_id"] = case(message_ids, value=Delivery.id)
        rows = (
            await session.execute(
                update(Delivery)
                .where(
                    Delivery.id.in_([a.delivery_id for a in group]),
                    Delivery.state.in_(_ANSWERABLE[result]),
                )
                .values(**values)
                .returning(
                    Delivery.id, Delivery.kind, Delivery.participant_id, Delivery.announcement_id
                )
                .execution_options(synchronize_session=False)
            )
        ).all()
        recorded.changed += len(rows)
        recorded.announcements.update(r.announcement_id for r in rows if r.announcement_id)
        if result is not Result.RETRY:
            recorded.helpdesk_replies.update(
                r.id for r in rows if r.kind == Kind.HELPDESK_REPLY.value
            )
        if result is Result.SENT and rows:
            recorded.followers |= await _has_followers(session, [r.id for r in rows])
        if result is Result.BLOCKED:
            await _mark_unreachable(session, [r.participant_id for r in rows], now)
    await session.commit()
    return recorded


async def _has_followers(session: AsyncSession, ids: Sequence[int]) -> bool:
    """Whether a pending row follows one of these."""
    waiting = select(Delivery.id).where(
        Delivery.after_id.in_(ids), Delivery.state == DeliveryState.PENDING
    )
    return (await session.execute(waiting.limit(1))).first() is not None


async def _mark_unreachable(
    session: AsyncSession, participant_ids: Sequence[int | None], now: datetime
) -> None:
    ids = [p for p in participant_ids if p is not None]
    if ids:
        # One chat, one state: the account and every colleague it registered (their messages
        # go to its chat) are unreachable together.
        holders = select(Participant.registered_by_id).where(
            Participant.id.in_(ids), Participant.registered_by_id.is_not(None)
        )
        accounts = or_(Participant.id.in_(ids), Participant.id.in_(holders))
        siblings = Participant.registered_by_id.in_(select(Participant.id).where(accounts))
        await session.execute(
            update(Participant)
            .where(or_(accounts, siblings), Participant.unreachable_at.is_(None))
            .values(unreachable_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )


async def expire_stale(session: AsyncSession, now: datetime, lease: timedelta) -> set[int]:
    """Rows left `sending` longer than `lease` (their process died mid-send) become `unknown`:
    they may have arrived, so they are never resent. Pending rows past their `expires_at`, and
    those following a row that ended unsent, are skipped. Returns the announcements concerned
    (commits)."""
    result = await session.execute(
        update(Delivery)
        .where(Delivery.state == DeliveryState.SENDING, Delivery.claimed_at < now - lease)
        .values(state=DeliveryState.UNKNOWN, error="no answer recorded (sender stopped)")
        .returning(Delivery.announcement_id)
        .execution_options(synchronize_session=False)
    )
    announcements = {a for a in result.scalars() if a is not None}
    await session.execute(
        update(Delivery)
        .where(Delivery.state == DeliveryState.PENDING, Delivery.expires_at <= now)
        .values(state=DeliveryState.SKIPPED, error="expired")
        .execution_options(synchronize_session=False)
    )
    unsent = (
        DeliveryState.SKIPPED,
        DeliveryState.FAILED,
        DeliveryState.BLOCKED,
        DeliveryState.UNKNOWN,
    )
    await session.execute(
        update(Delivery)
        .where(
            Delivery.state == DeliveryState.PENDING,
            Delivery.after_id.is_not(None),
            follows_row_in(*unsent),
        )
        .values(state=DeliveryState.SKIPPED, error="the message it follows was not sent")
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    return announcements


async def pending_count(session: AsyncSession, now: datetime) -> int:
    """How many rows are due and not yet sent (for health and the command line)."""
    result = await session.execute(
        select(func.count())
        .select_from(Delivery)
        .where(Delivery.state.in_(OPEN_STATES), Delivery.due_at <= now)
    )
    return int(result.scalar_one())
