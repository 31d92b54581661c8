"""What the staff dashboard (the Mini App) reads and asks for, beyond the chat's services:
trainings with check-ins per day, a search over a training's people, an export sent to chat.

Every change the dashboard makes goes through the chat's own services (attendance,
announcements, the outbox); this module only adds the views a phone screen needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Attendance, Registration, Training, TrainingDay
from bot.services import audit
from bot.services.outbox import NOTICE, Kind, NewDelivery, enqueue
from bot.services.reports import ParticipantRow, export_training
from bot.services.staff import TrainingLine, list_trainings

# A request id from the page: a double tap sends the same id, so one file is sent.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


@dataclass(frozen=True)
class DayLine:
    """One training day and how many were checked in on it."""

    id: int
    number: int
    date: date
    present: int


@dataclass(frozen=True)
class TrainingCard:
    """A training on the dashboard's first screen: seats, waiting list, check-ins per day."""

    line: TrainingLine
    days: tuple[DayLine, ...]


async def training_cards(session: AsyncSession) -> list[TrainingCard]:
    """Every training (newest first) with its counts and check-ins per day."""
    rows = await session.execute(
        select(TrainingDay.training_id, TrainingDay.id, TrainingDay.day_number, TrainingDay.date)
        .add_columns(func.count(Attendance.id))
        .outerjoin(Attendance, Attendance.training_day_id == TrainingDay.id)
        .group_by(TrainingDay.id, TrainingDay.training_id, TrainingDay.day_number, TrainingDay.date)
        .order_by(TrainingDay.training_id, TrainingDay.day_number)
    )
    days: dict[int, list[DayLine]] = {}
    for training_id, day_id, number, day, present in rows.all():
        days.setdefault(training_id, []).append(DayLine(day_id, number, day, int(present)))
    return [
        TrainingCard(line, tuple(days.get(line.id, ()))) for line in await list_trainings(session)
    ]


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _phone_forms(query_digits: str) -> tuple[str, ...]:
    """What typed digits may look like stored: people type 0812…, the bot stores +62812…."""
    if query_digits.startswith("0"):
        return (query_digits, "62" + query_digits[1:])
    return (query_digits,)


def _matches(row: ParticipantRow, word: str, phones: bool) -> bool:
    if word.casefold() in f"{row.name}\n{row.business}".casefold():
        return True
    digits = word.removeprefix("+") if phones else ""
    # Three digits at least: "08" alone would find everyone.
    if len(digits) < 3 or not digits.isdigit():
        return False
    return any(form in _digits(row.phone) for form in _phone_forms(digits))


def search_people(
    rows: Iterable[ParticipantRow], query: str, *, phones: bool = True
) -> list[ParticipantRow]:
    """The rows in which every word of `query` is in the name, the business or (with
    `phones`) the phone number (digits, typed as 0812… or +62812…); all rows for an empty
    query."""
    words = [w for w in re.split(r"[\s\-.()]+", query.strip())[:10] if w]
    return [row for row in rows if all(_matches(row, word, phones) for word in words)]


async def people_view(
    session: AsyncSession, training: Training, tz: tzinfo, reader: audit.Reader | None
) -> list[ParticipantRow]:
    """A training's registrations for the dashboard's lists; a `reader` who sees their phones
    is recorded in the audit trail."""
    export = await export_training(session, training, tz)
    await audit.note_access(session, reader, audit.Action.APPLICANTS, training.id, len(export.rows))
    return list(export.rows)


def valid_request_id(request_id: object) -> bool:
    """Whether a page's request id is one it could have made."""
    return isinstance(request_id, str) and bool(_REQUEST_ID.match(request_id))


async def queue_export(
    session: AsyncSession,
    *,
    training_id: int,
    chat_id: int,
    language: str,
    request_id: str,
    now: datetime,
) -> bool:
    """Queue the training's participant list as a file to `chat_id` (a staff member's private
    chat) and commit; False when there is no such training. The file is made when it is sent."""
    if await session.get(Training, training_id) is None:
        return False
    people = await session.scalar(
        select(func.count())
        .select_from(Registration)
        .where(Registration.training_id == training_id)
    )
    audit.record(
        session, chat_id, audit.Action.EXPORT, now, training_id=training_id, people=int(people or 0)
    )
    await enqueue(
        session,
        [
            NewDelivery(
                kind=Kind.EXPORT,
                key=f"{Kind.EXPORT.value}:{chat_id}:{request_id}",
                chat_id=chat_id,
                payload={"training_id": training_id, "language": language},
                priority=NOTICE,
            )
        ],
        now,
    )
    await session.commit()
    return True
