"""Trainings: the YAML training file (checked whole, with line numbers), its import, and the
list of trainings open for registration."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from bot.models import Registration, RegistrationStatus, Training, TrainingDay, TrainingStatus

# Codes go into deep links (t.me/<bot>?start=<code>): Telegram allows A-Z a-z 0-9 _ - there.
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
_TIME_RE = re.compile(r"^(\d{1,2})[:.](\d{2})$")
MAX_TITLE = 200
MAX_VENUE = 200
MAX_TOPIC = 200
MAX_CAPACITY = 100_000
TRAINING_FIELDS = {
    "code",
    "title",
    "description",
    "venue",
    "capacity",
    "registration_closes",
    "days",
}
DAY_FIELDS = {"date", "start", "end", "topic", "note"}


class TrainingFileError(Exception):
    """The training file is not valid; the message names the line and the reason."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(f"line {line}: {reason}" if line is not None else reason)
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class DaySpec:
    """One training day as the file describes it (times in UTC)."""

    day_number: int
    date: date
    starts_at: datetime
    ends_at: datetime
    topic: str = ""
    note: str = ""


@dataclass(frozen=True)
class TrainingSpec:
    """One training as the file describes it."""

    code: str
    title: str
    venue: str
    capacity: int
    days: tuple[DaySpec, ...]
    description: str = ""
    registration_closes_at: datetime | None = None
    line: int = 0


@dataclass
class ImportResult:
    """What an import did, by training code."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the operator."""
        parts = [f"{len(self.created)} created", f"{len(self.updated)} updated"]
        codes = self.created + self.updated
        return (
            f"imported {len(codes)} training(s): "
            + ", ".join(parts)
            + (f" ({', '.join(codes)})" if codes else "")
        )


# ---- the file ------------------------------------------------------------------------------


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _mapping(node: yaml.Node, what: str, allowed: set[str]) -> dict[str, tuple[yaml.Node, int]]:
    """The keys of a mapping node with their value nodes (and key lines), checked."""
    if not isinstance(node, yaml.MappingNode):
        raise TrainingFileError(_line(node), f"{what} must be a mapping of fields")
    result: dict[str, tuple[yaml.Node, int]] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str) or key not in allowed:
            raise TrainingFileError(
                _line(key_node),
                f"unknown field {key!r} in {what} (allowed: {', '.join(sorted(allowed))})",
            )
        if key in result:
            raise TrainingFileError(_line(key_node), f"field {key!r} given twice in {what}")
        result[key] = (value_node, _line(key_node))
    return result


def _text(
    fields: dict[str, tuple[yaml.Node, int]],
    name: str,
    parent_line: int,
    *,
    required: bool,
    max_length: int | None = None,
) -> str:
    entry = fields.get(name)
    if entry is None:
        if required:
            raise TrainingFileError(parent_line, f"missing required field {name!r}")
        return ""
    node, _ = entry
    if not isinstance(node, yaml.ScalarNode):
        raise TrainingFileError(_line(node), f"{name!r} must be a single value")
    value = str(node.value).strip()
    if node.tag == "tag:yaml.org,2002:null" or value in ("", "~", "null"):
        if required:
            raise TrainingFileError(_line(node), f"{name!r} must not be empty")
        return ""
    if max_length is not None and len(value) > max_length:
        raise TrainingFileError(_line(node), f"{name!r} is longer than {max_length} characters")
    return value


def _parse_date(value: str, line: int, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise TrainingFileError(
            line, f"{name!r} must be a date like 2026-12-08, got {value!r}"
        ) from None


def _parse_time(value: str, line: int, name: str) -> time:
    match = _TIME_RE.match(value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise TrainingFileError(line, f"{name!r} must be a time like 08:00, got {value!r}")
    return time(int(match[1]), int(match[2]))


def _parse_moment(value: str, line: int, name: str, tz: ZoneInfo) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        raise TrainingFileError(
            line, f"{name!r} must be a date and time like 2026-12-06T23:59, got {value!r}"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


def _value_line(fields: dict[str, tuple[yaml.Node, int]], name: str, default: int) -> int:
    entry = fields.get(name)
    return _line(entry[0]) if entry else default


def _parse_days(node: yaml.Node, line: int, tz: ZoneInfo) -> tuple[DaySpec, ...]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise TrainingFileError(line, "'days' must be a non-empty list of days")
    days: list[DaySpec] = []
    for number, day_node in enumerate(node.value, start=1):
        day_line = _line(day_node)
        fields = _mapping(day_node, f"day {number}", DAY_FIELDS)
        day = _parse_date(
            _text(fields, "date", day_line, required=True),
            _value_line(fields, "date", day_line),
            "date",
        )
        start = _parse_time(
            _text(fields, "start", day_line, required=True),
            _value_line(fields, "start", day_line),
            "start",
        )
        end = _parse_time(
            _text(fields, "end", day_line, required=True),
            _value_line(fields, "end", day_line),
            "end",
        )
        if end <= start:
            raise TrainingFileError(
                _value_line(fields, "end", day_line), f"day {number} ends before it starts"
            )
        if days and day <= days[-1].date:
            raise TrainingFileError(
                day_line,
                f"day {number} ({day.isoformat()}) must come after day {number - 1} "
                f"({days[-1].date.isoformat()}); list each date once, in order",
            )
        days.append(
            DaySpec(
                day_number=number,
                date=day,
                starts_at=datetime.combine(day, start, tzinfo=tz).astimezone(UTC),
                ends_at=datetime.combine(day, end, tzinfo=tz).astimezone(UTC),
                topic=_text(fields, "topic", day_line, required=False, max_length=MAX_TOPIC),
                note=_text(fields, "note", day_line, required=False, max_length=2000),
            )
        )
    return tuple(days)


def _parse_training(node: yaml.Node, tz: ZoneInfo) -> TrainingSpec:
    line = _line(node)
    fields = _mapping(node, "a training", TRAINING_FIELDS)
    code = _text(fields, "code", line, required=True)
    if not CODE_RE.match(code):
        raise TrainingFileError(
            _value_line(fields, "code", line),
            f"code {code!r} may only use letters, digits, '-' and '_' (at most 40)",
        )
    title = _text(fields, "title", line, required=True, max_length=MAX_TITLE)
    venue = _text(fields, "venue", line, required=True, max_length=MAX_VENUE)
    description = _text(fields, "description", line, required=False, max_length=3000)
    raw_capacity = _text(fields, "capacity", line, required=True)
    capacity_line = _value_line(fields, "capacity", line)
    if not raw_capacity.isdigit() or not 0 < int(raw_capacity) <= MAX_CAPACITY:
        raise TrainingFileError(
            capacity_line,
            f"capacity must be a whole number from 1 to {MAX_CAPACITY}, got {raw_capacity!r}",
        )
    if "days" not in fields:
        raise TrainingFileError(line, "missing required field 'days'")
    days_node, days_line = fields["days"]
    days = _parse_days(days_node, days_line, tz)
    closes_at = None
    raw_closes = _text(fields, "registration_closes", line, required=False)
    if raw_closes:
        closes_line = _value_line(fields, "registration_closes", line)
        closes_at = _parse_moment(raw_closes, closes_line, "registration_closes", tz)
        if closes_at >= days[0].starts_at:
            raise TrainingFileError(
                closes_line, "registration_closes must be before the first day starts"
            )
    return TrainingSpec(
        code=code,
        title=title,
        venue=venue,
        capacity=int(raw_capacity),
        days=days,
        description=description,
        registration_closes_at=closes_at,
        line=line,
    )


def parse_training_file(text: str, tz: ZoneInfo) -> list[TrainingSpec]:
    """Read and check a whole training file; raises `TrainingFileError` at the first problem."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "not valid YAML"
        raise TrainingFileError(
            mark.line + 1 if mark else None, f"not valid YAML: {reason}"
        ) from None
    except yaml.YAMLError as exc:
        raise TrainingFileError(None, f"not valid YAML: {exc}") from None
    if root is None:
        raise TrainingFileError(1, "the file is empty; it must start with 'trainings:'")
    top = _mapping(root, "the file", {"trainings"})
    if "trainings" not in top:
        raise TrainingFileError(_line(root), "the file must start with 'trainings:'")
    list_node, list_line = top["trainings"]
    if not isinstance(list_node, yaml.SequenceNode) or not list_node.value:
        raise TrainingFileError(list_line, "'trainings' must be a non-empty list")
    specs: list[TrainingSpec] = []
    seen: dict[str, int] = {}
    for node in list_node.value:
        spec = _parse_training(node, tz)
        if spec.code in seen:
            raise TrainingFileError(
                spec.line, f"code {spec.code!r} appears twice (first on line {seen[spec.code]})"
            )
        seen[spec.code] = spec.line
        specs.append(spec)
    return specs


# ---- the import ----------------------------------------------------------------------------


def _apply_days(training: Training, days: tuple[DaySpec, ...]) -> None:
    # Days are matched by number and updated in place, so reminder and attendance rows that
    # point at a day keep pointing at it after a reschedule.
    existing = {day.day_number: day for day in training.days}
    for spec in days:
        day = existing.pop(spec.day_number, None)
        if day is None:
            day = TrainingDay(day_number=spec.day_number)
            training.days.append(day)
        day.date = spec.date
        day.starts_at = spec.starts_at
        day.ends_at = spec.ends_at
        day.topic = spec.topic
        day.note = spec.note
    for day in existing.values():
        training.days.remove(day)


async def import_trainings(
    session: AsyncSession, specs: list[TrainingSpec], now: datetime
) -> ImportResult:
    """Create or update (by code) every training in `specs`, all in one transaction."""
    result = ImportResult()
    codes = [spec.code for spec in specs]
    rows = await session.execute(
        select(Training)
        .where(Training.code.in_(codes))
        .options(selectinload(Training.days))
        .with_for_update()
    )
    existing = {training.code: training for training in rows.scalars()}
    try:
        for spec in specs:
            training = existing.get(spec.code)
            if training is None:
                training = Training(
                    code=spec.code,
                    status=TrainingStatus.OPEN,
                    created_at=now,
                    days=[],
                )
                session.add(training)
                result.created.append(spec.code)
            else:
                if training.status == TrainingStatus.DRAFT:
                    training.status = TrainingStatus.OPEN
                result.updated.append(spec.code)
            training.title = spec.title
            training.description = spec.description
            training.venue = spec.venue
            training.capacity = spec.capacity
            training.registration_closes_at = spec.registration_closes_at
            training.updated_at = now
            _apply_days(training, spec.days)
            await session.flush()
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    return result


# ---- open trainings ------------------------------------------------------------------------


@dataclass(frozen=True)
class DayView:
    """A training day for display."""

    day_number: int
    starts_at: datetime
    ends_at: datetime
    topic: str
    note: str


@dataclass(frozen=True)
class TrainingView:
    """A training as participants see it, with the seats left."""

    id: int
    code: str
    title: str
    description: str
    venue: str
    capacity: int
    seats_left: int
    registration_closes_at: datetime | None
    days: tuple[DayView, ...]
    is_open: bool


def first_start(training: Training) -> datetime | None:
    """When the training's first day starts (None for a training without days)."""
    return min((day.starts_at for day in training.days), default=None)


def is_open_for_registration(training: Training, now: datetime) -> bool:
    """Open status, deadline not passed, not started (days must be loaded)."""
    start = first_start(training)
    return (
        training.status == TrainingStatus.OPEN
        and start is not None
        and start > now
        and (training.registration_closes_at is None or training.registration_closes_at > now)
    )


# Statements built once, with bound parameters: SQLAlchemy computes a statement's cache key
# once per statement object, and building and keying one on every call cost about a quarter
# of its execution (these run on nearly every update of a registration).
_CONFIRMED_COUNTS = (
    select(Registration.training_id, func.count())
    .where(
        Registration.training_id.in_(bindparam("ids", expanding=True)),
        Registration.status == RegistrationStatus.CONFIRMED,
    )
    .group_by(Registration.training_id)
)
# The days joined in (not a second SELECT): these run whenever someone opens the list or a
# training.
_OPEN_TRAININGS = (
    select(Training)
    .where(Training.status == TrainingStatus.OPEN)
    .options(joinedload(Training.days))
)
_TRAINING_BY_ID = (
    select(Training).options(joinedload(Training.days)).where(Training.id == bindparam("key"))
)
_TRAINING_BY_CODE = (
    select(Training).options(joinedload(Training.days)).where(Training.code == bindparam("key"))
)


async def _confirmed_counts(session: AsyncSession, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = await session.execute(_CONFIRMED_COUNTS, {"ids": ids})
    return {training_id: int(count) for training_id, count in rows.all()}


def _views(
    trainings: list[Training], counts: dict[int, int], now: datetime
) -> Iterator[TrainingView]:
    for training in trainings:
        yield TrainingView(
            id=training.id,
            code=training.code,
            title=training.title,
            description=training.description,
            venue=training.venue,
            capacity=training.capacity,
            seats_left=max(0, training.capacity - counts.get(training.id, 0)),
            registration_closes_at=training.registration_closes_at,
            days=tuple(
                DayView(d.day_number, d.starts_at, d.ends_at, d.topic, d.note)
                for d in training.days
            ),
            is_open=is_open_for_registration(training, now),
        )


async def open_trainings(session: AsyncSession, now: datetime) -> list[TrainingView]:
    """Trainings one can register for now, soonest first."""
    rows = await session.execute(_OPEN_TRAININGS)
    trainings = [t for t in rows.unique().scalars() if is_open_for_registration(t, now)]
    trainings.sort(key=lambda t: (first_start(t) or now, t.id))
    counts = await _confirmed_counts(session, [t.id for t in trainings])
    return list(_views(trainings, counts, now))


async def training_view(
    session: AsyncSession,
    now: datetime,
    *,
    training_id: int | None = None,
    code: str | None = None,
    seats: bool = True,
) -> TrainingView | None:
    """One training (by id or code) for display, open for registration or not.

    With `seats=False` the seats are not counted (`seats_left` is then the capacity): for
    callers that do not show them, one query less on a path every registration takes.
    """
    # One statement with the days joined (not a second SELECT for them): a single training.
    key: int | str
    if training_id is not None:
        query, key = _TRAINING_BY_ID, training_id
    elif code is not None:
        query, key = _TRAINING_BY_CODE, code
    else:
        return None
    training = (await session.execute(query, {"key": key})).unique().scalar_one_or_none()
    if training is None:
        return None
    counts = await _confirmed_counts(session, [training.id]) if seats else {}
    return next(_views([training], counts, now))
