"""A training being created or edited in the chat: the draft, and reading each typed answer.

The draft is kept between updates as plain JSON values (`to_data` / `from_data`, the layout
earlier versions stored, so a conversation they persisted goes on); it becomes a
`TrainingSpec` for the one writer only when staff save. The next question is always the
first thing the draft still lacks (`missing`), so the same steps serve a new training, a fix
from the summary and an added day. Pure: no database, no Telegram.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, time, timedelta, tzinfo
from functools import partial
from typing import Any

from bot.services import natural_input as natural
from bot.services import training_spec as rules
from bot.services.training_spec import DaySpec, InvalidValueError, Problem, TrainingSpec

# The questions; each is also the draft's field (of the training, or of its current day) and
# the conversation's state while it is asked.
CODE, TITLE, DESCRIPTION, VENUE, SEATS, DEADLINE = (
    "code",
    "title",
    "description",
    "venue",
    "seats",
    "deadline",
)
DATES = "dates"  # the days of a new training, in one message
DAY_DATE, TIMES, DAY_END, DAY_TOPIC, DAY_NOTE = "date", "start", "end", "topic", "note"
TRAINING_FIELDS = (CODE, TITLE, DESCRIPTION, VENUE, SEATS, DEADLINE)
DAY_FIELDS = (DAY_DATE, TIMES, DAY_TOPIC, DAY_NOTE)
QUESTIONS = (*TRAINING_FIELDS, DATES, DAY_DATE, TIMES, DAY_END, DAY_TOPIC, DAY_NOTE)
PER_DAY = (DAY_DATE, TIMES, DAY_END, DAY_TOPIC, DAY_NOTE)
# Each unfinished day is asked for these, in this order.
DAY_NEEDS = (DAY_DATE, TIMES, DAY_END)
# What "skip" leaves in an optional field.
SKIPPABLE = {DESCRIPTION: "", DAY_TOPIC: "", DAY_NOTE: ""}
# How the draft goes on after an answer: the next missing question, or back to the summary
# with the current value shown next to each question.
FLOW, FIX_MODE = "flow", "fix"


_Date = date  # the type, where a day's `date` field hides its name


def _clock(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


@dataclass
class DayDraft:
    """One day: its date (ISO), start and end ("HH:MM"), topic and note."""

    day_id: int | None = None
    date: str | None = None
    start: str | None = None
    end: str | None = None
    topic: str = ""
    note: str = ""

    @classmethod
    def of(
        cls, on: _Date | None = None, start: time | None = None, end: time | None = None
    ) -> DayDraft:
        """A day on `on` from `start` to `end` (each may be unknown yet)."""
        return cls(date=on.isoformat() if on else None, start=_clock(start), end=_clock(end))

    @property
    def complete(self) -> bool:
        """Whether the day has its date and both times."""
        return bool(self.date and self.start and self.end)


@dataclass
class TrainingDraft:
    """The training as given so far; `day` is the day being asked about or fixed."""

    training_id: int | None = None
    status: str | None = None  # "draft" or "published" once saved; None for a new one
    code: str = ""
    title: str = ""
    description: str = ""
    venue: str = ""
    seats: int = 0
    deadline: str | None = None  # ISO, local and naive
    deadline_auto: bool = True  # the day before the first day
    # Not asked in the chat, but kept: saving must not drop the venue's map pin.
    latitude: float | None = None
    longitude: float | None = None
    days: list[DayDraft] = field(default_factory=list)
    day: int = 0
    mode: str = FLOW

    @classmethod
    def from_data(cls, data: object) -> TrainingDraft | None:
        """The draft stored as `to_data` wrote it (None when there is none)."""
        if not isinstance(data, dict):
            return None
        known = {f.name for f in fields(cls)} - {"days"}
        days = [
            DayDraft(**{k: v for k, v in d.items() if k in _DAY_KEYS})
            for d in data.get("days") or []
            if isinstance(d, dict)
        ]
        return cls(**{k: v for k, v in data.items() if k in known}, days=days)

    def to_data(self) -> dict[str, Any]:
        """The draft as JSON values for user_data."""
        return asdict(self)

    @property
    def current(self) -> DayDraft:
        """The day being asked about or fixed."""
        return self.days[self.day]

    def value(self, name: str) -> Any:
        """What field `name` holds (of the training, or of the current day)."""
        if name in PER_DAY:
            return getattr(self.current, name) if self.days else None
        return getattr(self, name, None)

    def set(self, name: str, value: Any) -> None:
        """Fill field `name` (of the training, or of the current day)."""
        setattr(self.current if name in PER_DAY else self, name, value)

    def deadline_at(self, now: datetime) -> datetime | None:
        """The deadline the draft gives (`now` local and naive): as set, or by default."""
        dated = [d for d in self.days if d.date]
        if self.deadline_auto and dated:
            return rules.default_deadline(date.fromisoformat(dated[0].date or ""), now.date())
        return datetime.fromisoformat(self.deadline) if self.deadline else None

    def missing(self) -> str | None:
        """The first thing the draft still lacks (pointing `day` at its day), or None."""
        for name in (CODE, TITLE, VENUE, SEATS):
            if not getattr(self, name):
                return name
        if not self.days:
            return DATES
        for index, day in enumerate(self.days):
            for name in DAY_NEEDS:
                if not getattr(day, name):
                    self.day = index
                    return name
        return None

    def next_day(self) -> tuple[date, DayDraft] | None:
        """The day after the last one, at the same times (when the last one is complete)."""
        last = self.days[-1] if self.days else None
        if last is None or not last.complete:
            return None
        return date.fromisoformat(last.date or "") + timedelta(days=1), last

    def add_next_day(self) -> bool:
        """Add the day after the last one at its times; False when there is no such day."""
        following = self.next_day()
        if following is None:
            return False
        on, last = following
        start, end = time.fromisoformat(last.start or ""), time.fromisoformat(last.end or "")
        self.days.append(DayDraft.of(on, start, end))
        return True

    def same_times_as_before(self) -> bool:
        """The current day at the times of the day before; False for the first day."""
        if self.day <= 0:
            return False
        before = self.days[self.day - 1]
        self.current.start, self.current.end = before.start, before.end
        return True

    def in_date_order(self) -> None:
        """Sort the days as they will be numbered (days not yet dated last)."""
        self.days.sort(key=lambda d: (d.date is None, d.date or "", d.start or ""))

    def spec(self, tz: tzinfo, now: datetime, *, published: bool = False) -> TrainingSpec:
        """The spec of the draft (`now` local and naive); days not yet complete are left out."""
        return TrainingSpec(
            code=self.code,
            title=self.title,
            venue=self.venue,
            capacity=self.seats,
            tz=tz,
            description=self.description,
            registration_closes=self.deadline_at(now),
            published=published,
            latitude=self.latitude,
            longitude=self.longitude,
            days=tuple(_day_spec(d) for d in self.days if d.complete),
            training_id=self.training_id,
        )


_DAY_KEYS = frozenset(f.name for f in fields(DayDraft))


def _day_spec(day: DayDraft) -> DaySpec:
    return DaySpec(
        date=date.fromisoformat(day.date or ""),
        start=time.fromisoformat(day.start or ""),
        end=time.fromisoformat(day.end or ""),
        topic=day.topic,
        note=day.note,
        day_id=day.day_id,
    )


def draft_of(spec: TrainingSpec) -> TrainingDraft:
    """A saved training's spec as a draft to fix from its summary."""
    return TrainingDraft(
        training_id=spec.training_id,
        status="published" if spec.published else "draft",
        code=spec.code,
        title=spec.title,
        description=spec.description,
        venue=spec.venue,
        seats=spec.capacity,
        deadline=spec.registration_closes.isoformat() if spec.registration_closes else None,
        deadline_auto=False,
        latitude=spec.latitude,
        longitude=spec.longitude,
        days=[
            DayDraft(d.day_id, d.date.isoformat(), _clock(d.start), _clock(d.end), d.topic, d.note)
            for d in spec.days
        ],
        mode=FIX_MODE,
    )


# ---- reading answers ------------------------------------------------------------------------
AnswerParser = Callable[[TrainingDraft, str, datetime], None]


def _set(name: str, parse: Callable[[str], Any]) -> AnswerParser:
    def answer(draft: TrainingDraft, text: str, now: datetime) -> None:
        draft.set(name, parse(text))

    return answer


def _not_past(dates: tuple[date, ...], now: datetime) -> None:
    if any(d < now.date() for d in dates):
        raise InvalidValueError(Problem("staff.hint.date_past"))


def _answer_dates(draft: TrainingDraft, text: str, now: datetime) -> None:
    """The days of a new training, with their times when the message gives them."""
    days = natural.parse_days(text, now.date())
    _not_past(days.dates, now)
    if days.start and days.end:
        rules.check_times(days.start, days.end)
    draft.days = [DayDraft.of(d, days.start, days.end) for d in days.dates]
    draft.day = 0


def _answer_day_date(draft: TrainingDraft, text: str, now: datetime) -> None:
    """One day's date (an added day may give its times too)."""
    days = natural.parse_days(text, now.date())
    if len(days.dates) != 1:
        raise InvalidValueError(Problem("natural.problem.one_date"))
    _not_past(days.dates, now)
    day = draft.current
    day.date = days.dates[0].isoformat()
    if days.start:
        if days.end:
            rules.check_times(days.start, days.end)
        day.start, day.end = _clock(days.start), _clock(days.end)


def _answer_times(draft: TrainingDraft, text: str, now: datetime) -> None:
    """A day's start and end; a start alone leaves the end to be asked."""
    times = natural.parse_times(text)
    if times.end:
        rules.check_times(times.start, times.end)
    draft.current.start, draft.current.end = _clock(times.start), _clock(times.end)


def _answer_end(draft: TrainingDraft, text: str, now: datetime) -> None:
    start = time.fromisoformat(draft.current.start or "")
    end = natural.parse_end_time(text, start)
    rules.check_times(start, end)
    draft.current.end = _clock(end)


def _answer_deadline(draft: TrainingDraft, text: str, now: datetime) -> None:
    on, at = natural.parse_moment(text, now.date(), rules.END_OF_DAY)
    deadline = datetime.combine(on, at)
    if deadline < now:
        raise InvalidValueError(Problem("staff.hint.deadline_past"))
    draft.deadline, draft.deadline_auto = deadline.isoformat(), False


ANSWERS: dict[str, AnswerParser] = {
    CODE: _set(CODE, rules.parse_code),
    TITLE: _set(TITLE, partial(rules.parse_text, "title")),
    DESCRIPTION: _set(DESCRIPTION, partial(rules.parse_text, "description", required=False)),
    VENUE: _set(VENUE, partial(rules.parse_text, "venue")),
    SEATS: _set(SEATS, lambda text: rules.parse_capacity(natural.parse_count(text))),
    DEADLINE: _answer_deadline,
    DATES: _answer_dates,
    DAY_DATE: _answer_day_date,
    TIMES: _answer_times,
    DAY_END: _answer_end,
    DAY_TOPIC: _set(DAY_TOPIC, partial(rules.parse_text, "topic", required=False)),
    DAY_NOTE: _set(DAY_NOTE, partial(rules.parse_text, "note", required=False)),
}


def answer(draft: TrainingDraft, name: str, text: str, now: datetime) -> None:
    """Read the typed answer to question `name` into the draft (`now` local and naive);
    raises `InvalidValueError` with the problem when it does not read."""
    ANSWERS[name](draft, text, now)
