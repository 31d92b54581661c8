"""A training as staff give it (in the chat, in a training file, later on the dashboard): one
spec in local dates and times, and the rules a training must meet on its own.

Every front end reads what staff typed with the parsers below and checks the whole spec with
`spec_problems`; the writer (`bot.services.training_writer`) adds the rules that need the
database. A broken rule is a `Problem`: a catalog key, the field and day it is about, and the
values its text needs, which each front end puts in words in the reader's language.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import partial

from bot.models import Training, TrainingStatus

# Codes go into deep links (t.me/<bot>?start=<code>): Telegram allows A-Z a-z 0-9 _ - there.
CODE_RE = re.compile(r"^[A-Za-z0-9_-]{2,40}$")
# Other deep links (`t.me/<bot>?start=<payload>`) start with these; a training code must not.
CHECKIN_PAYLOAD = "ci_"  # + a registration's check-in token: staff record attendance
CERTIFICATE_PAYLOAD = "sk_"  # + a certificate's verification code: anyone checks it is genuine
RESERVED_PAYLOAD_PREFIXES: tuple[str, ...] = (CHECKIN_PAYLOAD, CERTIFICATE_PAYLOAD)
MAX_CAPACITY = 10_000
MAX_LENGTHS = {"title": 200, "venue": 200, "description": 2000, "topic": 200, "note": 1000}
COORDINATE_RANGES = {"latitude": 90.0, "longitude": 180.0}
_TIME_RE = re.compile(r"(\d{1,2})[:.](\d{2})")
_DMY_RE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_YMD_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
END_OF_DAY = time(23, 59)  # a deadline given as a date means the end of that day
_BOOLEANS = {"true": True, "yes": True, "false": False, "no": False}


@dataclass(frozen=True)
class Problem:
    """Why a training cannot be written as given: a catalog key, the spec field (and the day's
    number, from 1) it is about, and the values its text needs."""

    key: str
    field: str = ""
    day: int | None = None
    values: Mapping[str, object] = dataclasses.field(default_factory=dict)


class InvalidValueError(ValueError):
    """A value that breaks a rule; `problem` says which."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.key)
        self.problem = problem


@dataclass(frozen=True)
class DaySpec:
    """One training day in local date and times; `day_id` names the `TrainingDay` row it
    keeps (None for a new day)."""

    date: date
    start: time
    end: time
    topic: str = ""
    note: str = ""
    day_id: int | None = None


@dataclass(frozen=True)
class TrainingSpec:
    """A whole training as staff want it; `training_id` None creates one. `published` opens a
    draft (a training already open or closed keeps its status); `registration_closes` is
    local and naive, like the days, in `tz`."""

    code: str
    title: str
    venue: str
    capacity: int
    days: tuple[DaySpec, ...]
    tz: tzinfo
    description: str = ""
    registration_closes: datetime | None = None
    published: bool = True
    latitude: float | None = None
    longitude: float | None = None
    training_id: int | None = None

    def starts_at(self, day: DaySpec) -> datetime:
        """When `day` starts, in UTC."""
        return datetime.combine(day.date, day.start, tzinfo=self.tz).astimezone(UTC)

    def ends_at(self, day: DaySpec) -> datetime:
        """When `day` ends, in UTC."""
        return datetime.combine(day.date, day.end, tzinfo=self.tz).astimezone(UTC)

    def closes_at(self) -> datetime | None:
        """The registration deadline in UTC (None: until the training starts)."""
        closes = self.registration_closes
        return closes.replace(tzinfo=self.tz).astimezone(UTC) if closes else None


def _invalid(key: str, **values: object) -> InvalidValueError:
    return InvalidValueError(Problem(key, values=values))


# ---- reading what staff typed --------------------------------------------------------------
def parse_code(text: str) -> str:
    """A training code: 2-40 letters, digits, '-' or '_', not starting like another deep
    link's payload."""
    code = text.strip()
    if not CODE_RE.match(code) or code.lower().startswith(RESERVED_PAYLOAD_PREFIXES):
        raise _invalid("training.problem.code")
    return code


def parse_text(name: str, text: str, *, required: bool = True) -> str:
    """Trimmed free text for field `name`, within its maximum length."""
    value = text.strip()
    if required and not value:
        raise _invalid("training.problem.required")
    if len(value) > MAX_LENGTHS[name]:
        raise _invalid("training.problem.too_long", maximum=MAX_LENGTHS[name])
    return value


def parse_capacity(text: str) -> int:
    """A number of seats, 1 to MAX_CAPACITY."""
    value = text.strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_CAPACITY:
        raise _invalid("training.problem.capacity", maximum=MAX_CAPACITY)
    return int(value)


def parse_date(text: str) -> date:
    """A date as DD-MM-YYYY (also with / or .) or YYYY-MM-DD."""
    value = text.strip()
    try:
        if match := _DMY_RE.fullmatch(value):
            return date(int(match[3]), int(match[2]), int(match[1]))
        if match := _YMD_RE.fullmatch(value):
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise _invalid("training.problem.date")


def parse_time(text: str) -> time:
    """A time of day as HH:MM (08.00 is accepted too)."""
    match = _TIME_RE.fullmatch(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise _invalid("training.problem.time")
    return time(int(match[1]), int(match[2]))


def parse_deadline(text: str) -> datetime:
    """A local deadline: a date (meaning 23:59 that day), optionally with HH:MM (naive)."""
    parts = text.strip().replace("T", " ").split()
    try:
        if not 1 <= len(parts) <= 2:
            raise _invalid("training.problem.deadline")
        moment = parse_time(parts[1]) if len(parts) == 2 else END_OF_DAY
        return datetime.combine(parse_date(parts[0]), moment)
    except InvalidValueError:
        raise _invalid("training.problem.deadline") from None


def default_deadline(first_day: date, today: date) -> datetime | None:
    """Unless staff say otherwise, registration closes at the end of the day before the first
    day; None (open until it starts) when that day is already past."""
    day_before = first_day - timedelta(days=1)
    return datetime.combine(day_before, END_OF_DAY) if day_before >= today else None


def check_coordinate(name: str, value: float) -> float:
    """A latitude or longitude in decimal degrees, within its range."""
    limit = COORDINATE_RANGES[name]
    if not -limit <= value <= limit:  # also false for NaN
        raise _invalid("training.problem.coordinate", maximum=f"{limit:g}")
    return value


def parse_coordinate(name: str, text: str) -> float:
    """A latitude or longitude as typed (decimal degrees, a point for decimals)."""
    try:
        value = float(text.strip())
    except ValueError:
        value = float("nan")
    return check_coordinate(name, value)


def parse_published(text: str) -> bool:
    """`true` or `false` (also yes or no)."""
    value = _BOOLEANS.get(text.strip().lower())
    if value is None:
        raise _invalid("training.problem.published")
    return value


def check_times(start: time, end: time) -> None:
    """A day ends after it starts."""
    if end <= start:
        raise _invalid("training.problem.end_before_start")


# ---- the whole spec ------------------------------------------------------------------------
def _field_checks(spec: TrainingSpec) -> Iterator[tuple[str, int | None, Callable[[], object]]]:
    """Each rule on one value, as (field, day, check)."""
    yield "code", None, partial(parse_code, spec.code)
    for name in ("title", "venue", "description"):
        required = name != "description"
        yield name, None, partial(parse_text, name, getattr(spec, name), required=required)
    yield "capacity", None, partial(parse_capacity, str(spec.capacity))
    for name in COORDINATE_RANGES:
        coordinate: float | None = getattr(spec, name)
        if coordinate is not None:
            yield name, None, partial(check_coordinate, name, coordinate)
    for number, day in enumerate(spec.days, start=1):
        yield "end", number, partial(check_times, day.start, day.end)
        yield "topic", number, partial(parse_text, "topic", day.topic, required=False)
        yield "note", number, partial(parse_text, "note", day.note, required=False)


def _field_problems(spec: TrainingSpec) -> Iterator[Problem]:
    for name, day, check in _field_checks(spec):
        try:
            check()
        except InvalidValueError as exc:
            yield Problem(exc.problem.key, name, day, exc.problem.values)


def _day_problems(spec: TrainingSpec) -> Iterator[Problem]:
    if not spec.days:
        yield Problem("training.problem.no_days", "days")
    for number, (before, day) in enumerate(zip(spec.days, spec.days[1:], strict=False), 2):
        if day.date == before.date:
            yield Problem("training.problem.same_date", "date", number)
        elif day.date < before.date:
            yield Problem("training.problem.day_order", "date", number)


def _schedule_problems(spec: TrainingSpec) -> Iterator[Problem]:
    closes = spec.closes_at()
    if closes is not None and spec.days and closes >= spec.starts_at(spec.days[0]):
        yield Problem("training.problem.deadline_after_start", "registration_closes")
    if (spec.latitude is None) != (spec.longitude is None):
        given = "latitude" if spec.latitude is not None else "longitude"
        yield Problem("training.problem.location_pair", given)


def spec_problems(spec: TrainingSpec) -> list[Problem]:
    """What stops this spec from being written, by its own rules (empty when nothing does)."""
    return [*_field_problems(spec), *_day_problems(spec), *_schedule_problems(spec)]


def spec_of(training: Training, tz: tzinfo) -> TrainingSpec:
    """The spec of an existing training, to edit it (its days must be loaded)."""
    closes = training.registration_closes_at
    return TrainingSpec(
        code=training.code,
        title=training.title,
        venue=training.venue,
        capacity=training.capacity,
        days=tuple(
            DaySpec(
                date=d.date,
                start=d.starts_at.astimezone(tz).time(),
                end=d.ends_at.astimezone(tz).time(),
                topic=d.topic,
                note=d.note,
                day_id=d.id,
            )
            for d in training.days
        ),
        tz=tz,
        description=training.description,
        registration_closes=closes.astimezone(tz).replace(tzinfo=None) if closes else None,
        published=training.status != TrainingStatus.DRAFT,
        latitude=training.latitude,
        longitude=training.longitude,
        training_id=training.id,
    )
