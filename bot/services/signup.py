"""What the registration conversation asks of the database, one call per step: the open
trainings with the places the user holds, a chosen training, a colleague's start, and the
registration itself with the title to report it under."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.baseline import baseline_due
from bot.services.my_registrations import Held, RegistrationView, held_places, held_registration
from bot.services.registration import (
    Profile,
    RegistrationResult,
    holder_business,
    profile_of,
    register,
)
from bot.services.reminders import DayBefore
from bot.services.trainings import TrainingView, open_trainings, training_view


@dataclass(frozen=True)
class OpenList:
    """The trainings open for registration, and the places the user holds in them."""

    views: list[TrainingView]
    held: dict[int, Held]


async def open_list(session: AsyncSession, telegram_id: int | None, now: datetime) -> OpenList:
    """The open trainings, marked with the user's seats and waiting places."""
    views = await open_trainings(session, now)
    ids = [view.id for view in views]
    held = await held_places(session, telegram_id, ids) if telegram_id is not None else {}
    return OpenList(views, held)


@dataclass(frozen=True)
class Choice:
    """What choosing a training leads to: the place the user holds in it, else the training
    (with the user's profile on file when it is open, and whether the business baseline is
    to be asked)."""

    held: RegistrationView | None = None
    view: TrainingView | None = None
    known: Profile | None = None
    baseline_due: bool = False


async def choose(
    session: AsyncSession,
    telegram_id: int | None,
    now: datetime,
    *,
    training_id: int | None = None,
    code: str | None = None,
    for_self: bool = True,
    follow_ups: bool = False,
) -> Choice:
    """The training chosen (by id or by its link's code). For a colleague, the user's own
    place in the training does not matter, nor their own profile (their baseline is asked
    whenever `follow_ups` are on: who they are is known only from the phone typed later)."""
    view = await training_view(session, now, training_id=training_id, code=code)
    if view is None:
        return Choice()
    if telegram_id is None or not for_self:
        return Choice(view=view, baseline_due=follow_ups)
    held = await held_registration(session, telegram_id, view.id, now)
    if held is not None:
        return Choice(held=held)
    known = await profile_of(session, telegram_id) if view.is_open else None
    due = await baseline_due(session, telegram_id, now, follow_ups=follow_ups)
    return Choice(view=view, known=known, baseline_due=due)


@dataclass(frozen=True)
class ColleagueStart:
    """A colleague's registration begins: the user's business name to offer, and the training
    given (None when there is none)."""

    holder_business: str | None
    view: TrainingView | None


async def colleague_start(
    session: AsyncSession, telegram_id: int | None, training_id: int, now: datetime
) -> ColleagueStart:
    """What registering a colleague for this training (or one still to choose) starts from."""
    business = await holder_business(session, telegram_id) if telegram_id is not None else None
    return ColleagueStart(business, await training_view(session, now, training_id=training_id))


@dataclass(frozen=True)
class Confirmed:
    """What a registration came to, and the training's title to say it under."""

    result: RegistrationResult
    title: str


async def confirm(
    session: AsyncSession,
    telegram_id: int,
    training_id: int,
    profile: Profile,
    now: datetime,
    *,
    for_colleague: bool,
    language: str,
    remind: DayBefore,
) -> Confirmed:
    """Register the user (or their colleague): a seat or the waiting list, or a refusal; a
    seat whose reminder is due already wakes the reminders after the commit."""
    result = await register(
        session, telegram_id, training_id, profile, now,
        language=language, remind=remind, for_colleague=for_colleague,
    )  # fmt: skip
    view = await training_view(session, now, training_id=training_id, seats=False)
    return Confirmed(result, view.title if view is not None else "")
