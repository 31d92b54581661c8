"""A test that starts a process builds its dates from the real today.

A process (`python -m bot`, a command-line tool) runs on the real clock, while the in-process
tests run on the fake `clock` fixture (1 December 2026). A date written into a test that starts
a process, the fake clock, or a factory default it leans on, passes on the day it was written
and fails on a later one (a training "entirely in the past", a reminder due at once). This test
reads the test modules and refuses such dates at once, on any day: such a test takes the
`wall_clock` fixture and builds its days from it (e.g. `wall_clock() + timedelta(days=30)`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# What starts a process: the project's own launchers, and the standard library's.
LAUNCHERS = {"BotProcess", "run_cli", "run_kill_scenario"}
SUBPROCESS_CALLS = {"create_subprocess_exec", "Popen", "check_output", "check_call"}
# The fake clock, and what carries it.
FAKE_CLOCK_FIXTURES = {"clock", "harness"}
ISO_DATE = re.compile(r"(19|20)\d\d-[01]\d-[0-3]\d(?!\d)")
DATE_TYPES = {"date", "datetime"}


def _is_date_literal(node: ast.AST) -> bool:
    """A `date(...)` or `datetime(...)` with a literal year, or a string holding an ISO date."""
    if isinstance(node, ast.Call) and node.args:
        name = (
            node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        )
        first = node.args[0]
        return (
            name in DATE_TYPES
            and isinstance(first, ast.Constant)
            and isinstance(first.value, int)
            and first.value >= 1970
        )
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(ISO_DATE.search(node.value))
    )


@dataclass
class Module:
    """What one test module defines: its functions, its dated names, what it imports."""

    path: Path
    tree: ast.Module
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=dict)
    dated: set[str] = field(default_factory=set)
    imports: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (module, name)


@cache
def _module(name: str) -> Module | None:
    """The test module `tests.<name>`, read once."""
    path = TESTS / f"{name}.py"
    if not path.exists():
        return None
    module = Module(path, ast.parse(path.read_text(), str(path)))
    for node in module.tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            module.functions[node.name] = node
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests."):
            source = (node.module or "").removeprefix("tests.")
            for alias in node.names:
                module.imports[alias.asname or alias.name] = (source, alias.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(_is_date_literal(n) for n in ast.walk(node.value)):
                module.dated.update(t.id for t in targets if isinstance(t, ast.Name))
    return module


def _names(node: ast.AST) -> Iterator[ast.Name]:
    yield from (n for n in ast.walk(node) if isinstance(n, ast.Name))


def _is_dated_name(module: Module, name: str) -> bool:
    """A module-level name (here, or imported from another test module) that holds a date."""
    if name in module.dated:
        return True
    source = module.imports.get(name)
    if source is None:
        return False
    other = _module(source[0])
    return other is not None and _is_dated_name(other, source[1])


def _starts_process(module: Module, function: ast.AST, seen: frozenset[str] = frozenset()) -> bool:
    """Whether `function` starts a process itself or through a function of its module."""
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id in LAUNCHERS:
            return True
        if isinstance(node, ast.Attribute) and (
            node.attr in SUBPROCESS_CALLS
            or (node.attr == "run" and getattr(node.value, "id", "") == "subprocess")
        ):
            return True
        if (
            isinstance(node, ast.Name)
            and node.id in module.functions
            and node.id not in seen
            and _starts_process(module, module.functions[node.id], seen | {node.id})
        ):
            return True
    return False


def _dated_defaults(function: ast.FunctionDef | ast.AsyncFunctionDef, module: Module) -> set[str]:
    """The parameters whose default is a date (a literal or a dated name)."""
    arguments = function.args
    positional = arguments.posonlyargs + arguments.args
    with_defaults = positional[len(positional) - len(arguments.defaults) :]
    pairs = list(zip(with_defaults, arguments.defaults, strict=True))
    pairs += [(a, d) for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults, strict=True) if d]
    return {
        argument.arg
        for argument, default in pairs
        if any(_is_date_literal(n) for n in ast.walk(default))
        or any(_is_dated_name(module, n.id) for n in _names(default))
    }


def _problems(module: Module, function: ast.AST, seen: frozenset[str]) -> Iterator[str]:
    """Every date in `function` (and the functions of its module it calls) that is not today's."""
    body = function.body if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) else []
    for statement in body:
        for node in ast.walk(statement):
            if _is_date_literal(node):
                yield f"line {getattr(node, 'lineno', '?')}: a date literal"
            elif isinstance(node, ast.Name) and _is_dated_name(module, node.id):
                yield f"line {node.lineno}: {node.id!r} holds a fixed date"
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                yield from _call_problems(module, node, seen)


def _fake_clock(function: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[str]:
    """A test function that asks for the fake clock (or the in-process bot that runs on it)."""
    for argument in function.args.args + function.args.kwonlyargs:
        if argument.arg in FAKE_CLOCK_FIXTURES:
            yield f"line {argument.lineno}: takes the fake clock ({argument.arg!r})"


def _call_problems(module: Module, call: ast.Call, seen: frozenset[str]) -> Iterator[str]:
    """A call to a test helper that falls back on a fixed date, here or in another module."""
    assert isinstance(call.func, ast.Name)
    name = call.func.id
    if name in module.functions:
        if name not in seen:
            yield from _problems(module, module.functions[name], seen | {name})
        return
    source = module.imports.get(name)
    other = _module(source[0]) if source else None
    helper = other.functions.get(source[1]) if other and source else None
    if other is None or helper is None or source is None:
        return
    given = {k.arg for k in call.keywords} | {
        a.arg for a in (helper.args.posonlyargs + helper.args.args)[: len(call.args)]
    }
    for parameter in sorted(_dated_defaults(helper, other) - given):
        yield f"line {call.lineno}: {name}() falls back on a fixed date for {parameter!r}"
    key = f"{source[0]}.{source[1]}"
    inside = [] if key in seen else list(_problems(other, helper, seen | {key}))
    if inside:
        yield f"line {call.lineno}: {name}() uses a fixed date ({other.path.name} {inside[0]})"


def _process_tests() -> Iterator[tuple[Module, ast.FunctionDef | ast.AsyncFunctionDef]]:
    for path in sorted(TESTS.glob("test_*.py")):
        module = _module(path.stem)
        assert module is not None
        for function in module.functions.values():
            if function.name.startswith("test_") and _starts_process(module, function):
                yield module, function


def test_tests_that_start_processes_build_their_dates_from_today() -> None:
    found = [
        f"{module.path.name}::{function.name} {problem}"
        for module, function in _process_tests()
        for problem in [
            *_fake_clock(function),
            *_problems(module, function, frozenset({function.name})),
        ]
    ]
    assert not found, "build these from the wall_clock fixture:\n" + "\n".join(found)


def _marked_e2e(module: Module, function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether the test carries the `e2e` marker (on itself or on its whole module)."""
    module_marks = [
        n.value
        for n in module.tree.body
        if isinstance(n, ast.Assign)
        and any(getattr(t, "id", "") == "pytestmark" for t in n.targets)
    ]
    return any(
        isinstance(node, ast.Attribute) and node.attr == "e2e"
        for mark in [*function.decorator_list, *module_marks]
        for node in ast.walk(mark)
    )


def test_the_check_sees_every_test_that_starts_a_process() -> None:
    seen = {(module.path.name, function.name) for module, function in _process_tests()}
    marked = {
        (module.path.name, function.name)
        for path in sorted(TESTS.glob("test_*.py"))
        if (module := _module(path.stem)) is not None
        for function in module.functions.values()
        if function.name.startswith("test_") and _marked_e2e(module, function)
    }
    assert ("test_announce_e2e.py", "test_staff_announce_through_the_running_bot") in seen
    assert marked and marked <= seen, sorted(marked - seen)


def test_the_check_refuses_each_way_a_fixed_date_reaches_a_process(tmp_path: Path) -> None:
    source = """
from tests.factories import make_training
from tests.harness import run_cli
DAY = date(YEAR, 12, 8)

async def helper(sessions):
    await make_training(sessions)

async def test_literal():
    await run_cli({}, "export", "--since", "YEAR-12-08")

async def test_constant():
    print(DAY)
    await run_cli({})

async def test_fake_clock(clock):
    await run_cli({}, str(clock()))

async def test_factory_default(sessions):
    await helper(sessions)
    await run_cli({})

async def test_from_today(sessions, wall_clock):
    day = (wall_clock().date(), "08:00", "15:00", "x")
    await make_training(sessions, days=[day], now=wall_clock())
    await run_cli({})
"""
    # Any year is a fixed date (the sample is written with this one's).
    source = source.replace("YEAR", str(datetime.now().year))
    module = Module(tmp_path / "test_sample.py", ast.parse(source))
    for node in module.tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            module.functions[node.name] = node
        elif isinstance(node, ast.ImportFrom):
            source = (node.module or "").removeprefix("tests.")
            module.imports.update({a.name: (source, a.name) for a in node.names})
        elif isinstance(node, ast.Assign):
            module.dated.add("DAY")
    verdicts = {
        name: list(_problems(module, function, frozenset({name})))
        for name, function in module.functions.items()
        if name.startswith("test_")
    }
    assert verdicts["test_literal"] == ["line 10: a date literal"]
    assert verdicts["test_constant"] == ["line 13: 'DAY' holds a fixed date"]
    assert list(_fake_clock(module.functions["test_fake_clock"])) == [
        "line 16: takes the fake clock ('clock')"
    ]
    assert verdicts["test_factory_default"] == [
        "line 7: make_training() falls back on a fixed date for 'days'",
        "line 7: make_training() falls back on a fixed date for 'now'",
    ]
    assert verdicts["test_from_today"] == []
