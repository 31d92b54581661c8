"""The training file (YAML): read whole into specs, with the line of every value, and imported
in one transaction through the one writer (`bot.services.training_writer`).

A file is matched to the database by code (any case) and its days by number, so a re-import
updates, reschedules and tells registrants as an edit in the chat does. A file larger than
`MAX_FILE_BYTES` is refused before it is parsed; any problem, in the file or refused by the
writer, is a `TrainingFileError` naming the training, the line and the field, and nothing is
written. Reading is synchronous (callers on the event loop run it in a thread).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from functools import partial
from typing import Any, TypeVar

import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import TrainingDay
from bot.services.training_spec import (
    DaySpec,
    InvalidValueError,
    Problem,
    TrainingSpec,
    parse_capacity,
    parse_code,
    parse_coordinate,
    parse_date,
    parse_deadline,
    parse_published,
    parse_text,
    parse_time,
    spec_problems,
)
from bot.services.training_writer import WriteRefusal, Written, training_id_of_code, write_trainings

MEGABYTE = 1_000_000
MAX_FILE_BYTES = 1 * MEGABYTE
TRAINING_FIELDS = (
    "code",
    "title",
    "description",
    "venue",
    "capacity",
    "registration_closes",
    "published",
    "latitude",
    "longitude",
    "days",
)
DAY_FIELDS = ("date", "start", "end", "topic", "note")
_NULL_TAG = "tag:yaml.org,2002:null"
T = TypeVar("T")
Lines = dict[tuple[int | None, str], int]


class TrainingFileError(Exception):
    """The file is refused: `problem` says why; `line`, `position` (of the training, from 1)
    and `code` say where, when known."""

    def __init__(
        self,
        problem: Problem,
        *,
        line: int | None = None,
        position: int | None = None,
        code: str = "",
    ) -> None:
        super().__init__(problem.key)
        self.problem = problem
        self.line = line
        self.position = position
        self.code = code

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in the parsing process, unpickled in the bot's: the keywords travel too.
        return (_file_error, (self.problem, self.line, self.position, self.code))


def _file_error(
    problem: Problem, line: int | None, position: int | None, code: str
) -> TrainingFileError:
    return TrainingFileError(problem, line=line, position=position, code=code)


class _LineError(Exception):
    """A problem at a line, before the training it belongs to is known."""

    def __init__(self, problem: Problem, line: int) -> None:
        super().__init__(problem.key)
        self.problem = problem
        self.line = line


@dataclass(frozen=True)
class FileTraining:
    """One training of a checked file, with its place in the file."""

    spec: TrainingSpec
    position: int
    line: int
    lines: Mapping[tuple[int | None, str], int]

    def error(self, problem: Problem) -> TrainingFileError:
        """`problem` about this training, at the line of the value it concerns."""
        line = (
            self.lines.get((problem.day, problem.field))
            or self.lines.get((problem.day, ""))
            or self.lines.get((None, problem.field))
            or self.line
        )
        return TrainingFileError(problem, line=line, position=self.position, code=self.spec.code)


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote."""

    written: tuple[Written, ...]

    @property
    def created(self) -> list[str]:
        """Codes of the trainings created."""
        return [w.code for w in self.written if w.created]

    @property
    def updated(self) -> list[str]:
        """Codes of the trainings updated."""
        return [w.code for w in self.written if not w.created]

    @property
    def published(self) -> list[Written]:
        """The trainings this import opened for registration (to be shared)."""
        return [w for w in self.written if w.published]

    @property
    def told(self) -> int:
        """Registrations told of a change."""
        return sum(w.told for w in self.written)

    @property
    def promoted(self) -> int:
        """People moved up from the waiting list (each told)."""
        return sum(w.promoted for w in self.written)


# ---- one mapping of the file ---------------------------------------------------------------
def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


class _Fields:
    """The fields of a mapping node, checked against `allowed`, with the line of each value."""

    def __init__(self, node: yaml.Node, allowed: Sequence[str], day: int | None = None) -> None:
        if not isinstance(node, yaml.MappingNode):
            raise _LineError(Problem("import.problem.mapping", day=day), _line(node))
        self.line, self.day = _line(node), day
        self.nodes: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str) or key not in allowed:
                values = {"name": str(key), "allowed": ", ".join(allowed)}
                problem = Problem("import.problem.unknown_field", "", day, values)
                raise _LineError(problem, _line(key_node))
            if key in self.nodes:
                raise _LineError(Problem("import.problem.twice", key, day), _line(key_node))
            self.nodes[key] = value_node

    def line_of(self, name: str) -> int:
        """The line of the value of `name` (of the mapping when it is missing)."""
        node = self.nodes.get(name)
        return _line(node) if node is not None else self.line

    def lines(self) -> Lines:
        """Every value's line, keyed (day, field); (day, "") is the mapping's own line."""
        return {(self.day, ""): self.line} | {(self.day, n): self.line_of(n) for n in self.nodes}

    def text(self, name: str) -> str | None:
        """The value of `name` as text; None when missing or empty."""
        node = self.nodes.get(name)
        if node is None:
            return None
        if not isinstance(node, yaml.ScalarNode):
            raise _LineError(Problem("import.problem.scalar", name, self.day), _line(node))
        value = str(node.value).strip()
        return None if node.tag == _NULL_TAG or value in ("", "~", "null") else value

    def value(self, name: str, parse: Callable[[str], T], default: T) -> T:
        """The value of an optional field, read by `parse`."""
        text = self.text(name)
        return default if text is None else self._parsed(name, text, parse)

    def required(self, name: str, parse: Callable[[str], T]) -> T:
        """The value of a field that must be given, read by `parse`."""
        text = self.text(name)
        if text is None:
            problem = Problem("training.problem.required", name, self.day)
            raise _LineError(problem, self.line_of(name))
        return self._parsed(name, text, parse)

    def _parsed(self, name: str, text: str, parse: Callable[[str], T]) -> T:
        try:
            return parse(text)
        except InvalidValueError as exc:
            problem = replace(exc.problem, field=name, day=self.day)
            raise _LineError(problem, self.line_of(name)) from None


# ---- a training ----------------------------------------------------------------------------
def _day(fields: _Fields) -> DaySpec:
    return DaySpec(
        date=fields.required("date", parse_date),
        start=fields.required("start", parse_time),
        end=fields.required("end", parse_time),
        topic=fields.value("topic", partial(parse_text, "topic", required=False), ""),
        note=fields.value("note", partial(parse_text, "note", required=False), ""),
    )


def _day_fields(fields: _Fields) -> list[_Fields]:
    node = fields.nodes.get("days")
    if node is None:
        raise _LineError(Problem("training.problem.required", "days"), fields.line)
    if not isinstance(node, yaml.SequenceNode):
        raise _LineError(Problem("import.problem.days", "days"), _line(node))
    return [_Fields(day, DAY_FIELDS, number) for number, day in enumerate(node.value, 1)]


def _spec(fields: _Fields, tz: tzinfo) -> tuple[TrainingSpec, Lines]:
    code = fields.required("code", parse_code)
    title = fields.required("title", partial(parse_text, "title"))
    venue = fields.required("venue", partial(parse_text, "venue"))
    capacity = fields.required("capacity", parse_capacity)
    days = _day_fields(fields)
    spec = TrainingSpec(
        code=code,
        title=title,
        venue=venue,
        capacity=capacity,
        days=tuple(_day(day) for day in days),
        tz=tz,
        description=fields.value(
            "description", partial(parse_text, "description", required=False), ""
        ),
        registration_closes=fields.value("registration_closes", parse_deadline, None),
        published=fields.value("published", parse_published, True),
        latitude=fields.value("latitude", partial(parse_coordinate, "latitude"), None),
        longitude=fields.value("longitude", partial(parse_coordinate, "longitude"), None),
    )
    lines = fields.lines()
    for day in days:
        lines |= day.lines()
    return spec, lines


def _code_in(node: yaml.Node) -> str:
    """The code a training gives, as written (to name it in a problem found before reading)."""
    for key, value in node.value if isinstance(node, yaml.MappingNode) else ():
        if getattr(key, "value", None) == "code" and isinstance(value, yaml.ScalarNode):
            return str(value.value).strip()
    return ""


def _training(node: yaml.Node, position: int, tz: tzinfo) -> FileTraining:
    try:
        fields = _Fields(node, TRAINING_FIELDS)
        spec, lines = _spec(fields, tz)
    except _LineError as at:
        raise TrainingFileError(
            at.problem, line=at.line, position=position, code=_code_in(node)
        ) from None
    training = FileTraining(spec, position, fields.line, lines)
    problems = spec_problems(spec)
    if problems:
        raise training.error(problems[0])
    return training


# ---- the file ------------------------------------------------------------------------------
def check_size(size: int) -> None:
    """Refuse a file over `MAX_FILE_BYTES` (before anything reads it)."""
    if size > MAX_FILE_BYTES:
        values = {"megabytes": round(size / MEGABYTE, 1), "limit": MAX_FILE_BYTES // MEGABYTE}
        raise TrainingFileError(Problem("import.problem.too_big", values=values))


def _compose(content: bytes) -> yaml.Node | None:
    try:
        return yaml.compose(content.decode("utf-8-sig"), Loader=yaml.SafeLoader)
    except UnicodeDecodeError:
        raise TrainingFileError(Problem("import.problem.encoding")) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "?"
        problem = Problem("import.problem.yaml", values={"reason": reason})
        raise TrainingFileError(problem, line=mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        problem = Problem("import.problem.yaml", values={"reason": str(exc)})
        raise TrainingFileError(problem) from None


def _training_nodes(root: yaml.Node | None) -> list[yaml.Node]:
    if root is None:
        raise TrainingFileError(Problem("import.problem.empty"), line=1)
    try:
        top = _Fields(root, ("trainings",))
    except _LineError as at:
        raise TrainingFileError(at.problem, line=at.line) from None
    node = top.nodes.get("trainings")
    if node is None:
        raise TrainingFileError(Problem("import.problem.top"), line=top.line)
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise TrainingFileError(Problem("import.problem.list"), line=_line(node))
    return list(node.value)


def read_training_file(content: bytes, tz: tzinfo) -> list[FileTraining]:
    """Check a whole training file (its size first); raises `TrainingFileError` at the first
    problem."""
    check_size(len(content))
    trainings: list[FileTraining] = []
    first_lines: dict[str, int] = {}
    for position, node in enumerate(_training_nodes(_compose(content)), 1):
        training = _training(node, position, tz)
        code = training.spec.code.lower()
        if code in first_lines:
            values = {"first": first_lines[code]}
            raise training.error(Problem("import.problem.code_twice", "code", values=values))
        first_lines[code] = training.lines[(None, "code")]
        trainings.append(training)
    return trainings


# ---- the import ----------------------------------------------------------------------------
async def _matched(session: AsyncSession, spec: TrainingSpec) -> TrainingSpec:
    """The spec aimed at the training of its code, if any, and its days at theirs by number."""
    training_id = await training_id_of_code(session, spec.code)
    if training_id is None:
        return spec
    rows = await session.execute(
        select(TrainingDay.day_number, TrainingDay.id).where(TrainingDay.training_id == training_id)
    )
    by_number = {number: day_id for number, day_id in rows}
    days = tuple(replace(d, day_id=by_number.get(n)) for n, d in enumerate(spec.days, 1))
    return replace(spec, training_id=training_id, days=days)


async def import_trainings(
    session: AsyncSession,
    trainings: Sequence[FileTraining],
    *,
    now: datetime,
    changed_by: int | None,
) -> ImportResult:
    """Write a checked file's trainings in one transaction; a training the writer refuses
    raises `TrainingFileError` and nothing is written."""
    specs = [await _matched(session, training.spec) for training in trainings]
    outcome = await write_trainings(session, specs, now=now, changed_by=changed_by)
    if isinstance(outcome, WriteRefusal):
        raise trainings[outcome.index].error(outcome.problems[0])
    return ImportResult(tuple(outcome))
