"""Data retention (UU PDP): personal data is kept only as long as the trainings need it.

A participant is purged when every training they registered for ended more than the retention
period ago and nothing about them changed since (nor did they write to the office since): the
same fields as `/hapusdata` are erased (`erase_personal_fields`, and what they wrote to the
staff group), while registrations, RSVPs and attendance stay as anonymous rows for the
counts. A purged participant no longer matches, so running the purge again is a no-op.
Someone who only wrote to the office (no consent, no profile) is purged the same way once
their last message is older than the period, and so is what an erased person wrote later.

Drafts of unfinished conversations (states and typed fields in `bot_state`) go once they are
older than the conversation timeout plus `DRAFT_MARGIN`, registered or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db import checkpoint
from bot.models import BotState, HelpdeskMessage, Participant, Registration, TrainingDay
from bot.services.privacy import PERSONAL_FIELDS, erase_personal_fields

# Participants erased per transaction: short write locks for the bot running beside the purge.
BATCH_SIZE = 500
# A conversation's timeout counts from its last message, a draft's age from its last change
# (a hint answered does not change it): the margin keeps a conversation within its timeout.
DRAFT_MARGIN = timedelta(hours=1)


@dataclass(frozen=True)
class PurgeResult:
    """How many participants were erased, and who (their user data is dropped by the caller)."""

    cutoff: datetime
    telegram_ids: tuple[int, ...] = ()
    colleagues: int = 0  # colleagues erased (they have no Telegram id)

    @property
    def purged(self) -> int:
        """The number of participants erased."""
        return len(self.telegram_ids) + self.colleagues


def _kept_messages() -> ColumnElement[bool]:
    """Whether a participant's messages to or from the office still hold words or names."""
    return exists().where(
        HelpdeskMessage.participant_id == Participant.id,
        or_(
            HelpdeskMessage.text != "",
            HelpdeskMessage.sender_name.is_not(None),
            HelpdeskMessage.username.is_not(None),
        ),
    )


def _expired_query(cutoff: datetime, limit: int) -> Select[Participant]:
    ended_trainings = (
        select(TrainingDay.training_id)
        .group_by(TrainingDay.training_id)
        .having(func.max(TrainingDay.ends_at) < cutoff)
    )
    # A training without days has not ended; a registration touched since the cutoff is
    # activity (a cancellation, a waiting-list promotion) that restarts the clock.
    still_needed = exists().where(
        Registration.participant_id == Participant.id,
        or_(Registration.training_id.not_in(ended_trainings), Registration.updated_at >= cutoff),
    )
    wrote_lately = exists().where(
        HelpdeskMessage.participant_id == Participant.id, HelpdeskMessage.updated_at >= cutoff
    )
    has_personal_data = or_(
        Participant.consent_at.is_not(None),
        *(getattr(Participant, name).is_not(None) for name in PERSONAL_FIELDS),
        _kept_messages(),
    )
    return (
        select(Participant)
        .where(has_personal_data, Participant.updated_at < cutoff, ~still_needed, ~wrote_lately)
        .order_by(Participant.id)
        .limit(limit)
        # PostgreSQL: a participant registering right now updates their row, so the lock waits
        # for that and the re-checked `updated_at` lets them go; others' batches are skipped.
        .with_for_update(skip_locked=True)
    )


async def purge_expired(
    session: AsyncSession, now: datetime, retention: timedelta, *, batch_size: int = BATCH_SIZE
) -> PurgeResult:
    """Erase personal data of participants whose trainings all ended before `now - retention`."""
    cutoff = now - retention
    purged: list[int] = []
    colleagues = 0
    while True:
        batch = list((await session.scalars(_expired_query(cutoff, batch_size))).all())
        for participant in batch:
            await erase_personal_fields(session, participant, now)
            if participant.telegram_id is None:
                colleagues += 1  # registered by another account: no user data of their own
            else:
                purged.append(participant.telegram_id)
        await session.commit()
        if len(batch) < batch_size:
            if purged or colleagues:
                await checkpoint(session)
            return PurgeResult(cutoff=cutoff, telegram_ids=tuple(purged), colleagues=colleagues)


def draft_cutoff(now: datetime, timeout_minutes: int) -> datetime:
    """Conversation states and drafts last written before this moment are stale."""
    return now - timedelta(minutes=timeout_minutes) - DRAFT_MARGIN


async def purge_stale_drafts(session: AsyncSession, cutoff: datetime) -> list[tuple[str, str]]:
    """Delete the `bot_state` rows last written before `cutoff`; their (kind, key), deleted."""
    # One DELETE ... RETURNING: a row written meanwhile is neither deleted nor reported.
    result = await session.execute(
        delete(BotState).where(BotState.updated_at < cutoff).returning(BotState.kind, BotState.key)
    )
    gone = [(kind, key) for kind, key in result.all()]
    await session.commit()
    return gone
