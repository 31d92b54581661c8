"""What is shared about a training (deep link, WhatsApp text, poster): its public facts in
local dates and times, and whether it is open. Reading only; the texts and the poster put them
in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Training, TrainingStatus
from bot.services.staff import find_training_by_code, get_training
from bot.services.training_spec import TrainingSpec, spec_of


@dataclass(frozen=True)
class TrainingShare:
    """A training as the public reads it: its spec (local dates and times) and its status."""

    spec: TrainingSpec
    status: TrainingStatus

    @property
    def open(self) -> bool:
        """Whether the link registers people now (the training is published and open)."""
        return self.status == TrainingStatus.OPEN


def share_of(training: Training, tz: tzinfo) -> TrainingShare:
    """The public facts of a training whose days are loaded, in local dates and times."""
    return TrainingShare(spec_of(training, tz), training.status)


async def training_share(
    session: AsyncSession, tz: tzinfo, *, training_id: int | None = None, code: str | None = None
) -> TrainingShare | None:
    """The share view of the training with this id or code, if it exists."""
    if training_id is not None:
        training = await get_training(session, training_id)
    else:
        training = await find_training_by_code(session, code or "")
    return share_of(training, tz) if training is not None else None
