"""What reminder and announcement deliveries share: the step from reserved to sending."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import AnnouncementDelivery, DeliveryState, ReminderDelivery


async def mark_sending(
    session: AsyncSession,
    model: type[ReminderDelivery] | type[AnnouncementDelivery],
    delivery_id: int,
    worker: str,
    now: datetime,
) -> bool:
    """Mark a row reserved by `worker` as `sending`, right before it goes out; False when the
    worker no longer holds it (its reservation ran out and another process took it).

    From here on the row is never sent again: if no answer is recorded, it becomes `unknown`.
    """
    result = await session.execute(
        update(model)
        .where(
            model.id == delivery_id,
            model.state == DeliveryState.PENDING,
            model.claimed_by == worker[:64],
        )
        .values(state=DeliveryState.SENDING, claimed_at=now, attempts=model.attempts + 1)
        .returning(model.id)
    )
    started = result.first() is not None
    await session.commit()
    return started
