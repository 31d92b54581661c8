"""The business baseline asked at registration when follow-ups are on: monthly sales as a
band, workers (the owner included), selling online. Kept with the person, dated; one asked
less than `FRESH_DAYS` ago is not asked again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import BusinessBaseline, Participant

# Monthly sales bands, as stored (labels live in the text catalog): < Rp 5 juta, 5–15 juta,
# 15–50 juta, 50–100 juta, > 100 juta. Never a number.
SALES_BANDS = ("lt5", "5_15", "15_50", "50_100", "gt100")
# A baseline younger than this is recent: registration does not ask it again.
FRESH_DAYS = 180
WORKERS_MIN, WORKERS_MAX = 1, 9999


@dataclass(frozen=True)
class Baseline:
    """What the person said about their business."""

    sales_band: str
    workers: int
    sells_online: bool


def parse_workers(raw: str) -> int | None:
    """A typed number of workers (the owner included), or None when it is not one."""
    text = raw.strip()
    if not text.isdigit() or len(text) > 4:
        return None
    workers = int(text)
    return workers if WORKERS_MIN <= workers <= WORKERS_MAX else None


async def baseline_due(
    session: AsyncSession, telegram_id: int | None, now: datetime, *, follow_ups: bool
) -> bool:
    """Whether registering this user asks the baseline: follow-ups are on and no recent one
    is on file."""
    if not follow_ups:
        return False
    if telegram_id is None:
        return True
    recent = await session.scalar(
        select(BusinessBaseline.id)
        .join(Participant, Participant.id == BusinessBaseline.participant_id)
        .where(Participant.telegram_id == telegram_id)
        .where(BusinessBaseline.asked_at > now - timedelta(days=FRESH_DAYS))
        .limit(1)
    )
    return recent is None


def keep_baseline(
    session: AsyncSession, participant_id: int, baseline: Baseline, now: datetime
) -> None:
    """Add the answers to the person's baselines (in the caller's transaction)."""
    session.add(
        BusinessBaseline(
            participant_id=participant_id,
            sales_band=baseline.sales_band,
            workers=baseline.workers,
            sells_online=baseline.sells_online,
            asked_at=now,
        )
    )


async def forget_baselines(session: AsyncSession, participant_ids: list[int]) -> None:
    """Delete these people's baselines (erasure, retention)."""
    await session.execute(
        delete(BusinessBaseline).where(BusinessBaseline.participant_id.in_(participant_ids))
    )
