"""What is shared about a training (deep link, WhatsApp text, poster): its public facts in
local dates and times. Reading only; the texts and the poster put them in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Training, TrainingStatus
from bot.services.staff import find_training_by_code, get_training


@dataclass(frozen=True)
class SharedDay:
    """One training day as a reader outside sees it: local date and times."""

    date: date
    start: time
    end: time


@dataclass(frozen=True)
class TrainingShare:
    """A training's public facts; `closes` is the local registration deadline (None: open
    until it starts)."""

    training_id: int
    code: str
    title: str
    description: str
    venue: str
    capacity: int
    status: TrainingStatus
    days: tuple[SharedDay, ...]
    closes: datetime | None

    @property
    def open(self) -> bool:
        """Whether the link registers people now (the training is published and open)."""
        return self.status == TrainingStatus.OPEN


def share_of(training: Training, tz: tzinfo) -> TrainingShare:
    """The public facts of a training whose days are loaded."""
    closes = training.registration_closes_at
    return TrainingShare(
        training_id=training.id,
        code=training.code,
        title=training.title,
        description=training.description,
        venue=training.venue,
        capacity=training.capacity,
        status=training.status,
        days=tuple(
            SharedDay(d.date, d.starts_at.astimezone(tz).time(), d.ends_at.astimezone(tz).time())
            for d in training.days
        ),
        closes=closes.astimezone(tz).replace(tzinfo=None) if closes else None,
    )


async def training_share(
    session: AsyncSession, tz: tzinfo, *, training_id: int | None = None, code: str | None = None
) -> TrainingShare | None:
    """The share view of the training with this id or code, if it exists."""
    if training_id is not None:
        training = await get_training(session, training_id)
    else:
        training = await find_training_by_code(session, code or "")
    return share_of(training, tz) if training is not None else None
