"""What reminder and announcement deliveries share: the step from reserved to sending."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AnnouncementDelivery, DeliveryState, ReminderDelivery


async def mark_sending(
    session: AsyncSession,
    model: type[ReminderDelivery] | type[AnnouncementDelivery],
    delivery_ids: Sequence[int],
    worker: str,
    now: datetime,
) -> set[int]:
    """Mark rows reserved by `worker` as `sending`, right before they go out; returns the ids
    it marked (a row missing there is no longer this worker's: its reservation ran out and
    another process took it).

    From here on a row is never sent again: if no answer is recorded, it becomes `unknown`.
    """
    if not delivery_ids:
        return set()
    result = await session.execute(
        update(model)
        .where(
            model.id.in_(delivery_ids),
            model.state == DeliveryState.PENDING,
            model.claimed_by == worker[:64],
        )
        .values(state=DeliveryState.SENDING, claimed_at=now, attempts=model.attempts + 1)
        .returning(model.id)
        .execution_options(synchronize_session=False)
    )
    started = set(result.scalars())
    await session.commit()
    return started
