"""The impact of a training, person by person: what each attendee said about their business
before (the baseline) and at each follow-up round. Only people present on at least one day
appear: nobody absent carries follow-up figures."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import (
    Attendance,
    BusinessBaseline,
    FollowUpResponse,
    Participant,
    Registration,
    RegistrationStatus,
    Training,
    TrainingDay,
)
from bot.services import audit
from bot.services.baseline import Baseline


@dataclass(frozen=True)
class RoundAnswers:
    """One follow-up's answers (None: not given)."""

    running: bool | None
    sales_band: str | None
    workers: int | None
    applied: str | None
    new_product: bool | None
    photo: bool
    mentoring: bool | None
    finished: bool

    @classmethod
    def of(cls, response: FollowUpResponse) -> RoundAnswers:
        """The answers a follow-up's row holds."""
        return cls(
            response.running, response.sales_band, response.workers, response.applied,
            response.new_product, bool(response.photo_file_id), response.mentoring,
            response.finished_at is not None,
        )  # fmt: skip


@dataclass(frozen=True)
class ImpactRow:
    """One attendee: who, how many days present, the baseline, and each round's answers."""

    name: str
    business: str
    days_present: int
    baseline: Baseline | None
    follow_ups: dict[int, RoundAnswers] = field(default_factory=dict)


@dataclass(frozen=True)
class ImpactView:
    """A training's people side by side with their follow-ups, rounds in order."""

    code: str
    title: str
    rounds: tuple[int, ...]
    rows: list[ImpactRow]


async def _attendees(session: AsyncSession, training_id: int) -> list[tuple[Registration, int]]:
    """The confirmed registrations of people present at least once, with their days present."""
    days = func.count(func.distinct(Attendance.training_day_id))
    rows = await session.execute(
        select(Registration, days)
        .join(Attendance, Attendance.registration_id == Registration.id)
        .where(
            Registration.training_id == training_id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .group_by(Registration.id)
        .order_by(Registration.id)
    )
    return [(registration, int(n)) for registration, n in rows.all()]


async def _baseline(
    session: AsyncSession, participant_id: int, training_id: int
) -> Baseline | None:
    """The person's newest baseline asked before the training's last day ended."""
    last_end = select(func.max(TrainingDay.ends_at)).where(TrainingDay.training_id == training_id)
    row = await session.scalar(
        select(BusinessBaseline)
        .where(
            BusinessBaseline.participant_id == participant_id,
            BusinessBaseline.asked_at <= last_end.scalar_subquery(),
        )
        .order_by(BusinessBaseline.asked_at.desc(), BusinessBaseline.id.desc())
        .limit(1)
    )
    return Baseline(row.sales_band, row.workers, row.sells_online) if row is not None else None


async def _follow_ups(session: AsyncSession, training_id: int) -> dict[int, list[FollowUpResponse]]:
    """The training's follow-ups by registration."""
    found: dict[int, list[FollowUpResponse]] = {}
    for response in await session.scalars(
        select(FollowUpResponse).where(FollowUpResponse.training_id == training_id)
    ):
        found.setdefault(response.registration_id, []).append(response)
    return found


async def impact_view(
    session: AsyncSession,
    training: Training,
    rounds: tuple[int, ...],
    *,
    reader: audit.Reader | None = None,
) -> ImpactView:
    """The training's attendees with their baseline and follow-ups (the rounds configured and
    any other asked); a `reader` is recorded in the audit trail."""
    follow_ups = await _follow_ups(session, training.id)
    asked = {r.round for responses in follow_ups.values() for r in responses}
    rows = []
    for registration, days in await _attendees(session, training.id):
        person = await session.get(Participant, registration.participant_id)
        assert person is not None
        rows.append(
            ImpactRow(
                name=person.full_name or "",
                business=person.business_name or "",
                days_present=days,
                baseline=await _baseline(session, person.id, training.id),
                follow_ups={
                    r.round: RoundAnswers.of(r) for r in follow_ups.get(registration.id, [])
                },
            )
        )
    await audit.note_access(session, reader, audit.Action.IMPACT, training.id, len(rows))
    return ImpactView(training.code, training.title, tuple(sorted({*rounds, *asked})), rows)
