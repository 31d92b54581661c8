"""Mutation testing (`make mutate`): mutmut plants small bugs in the modules that hold the rules,
one module at a time, and runs that module's own tests against each; a bug no test notices is
a surviving mutant (docs/testing.md keeps the last results and what became of each survivor).

    python -m tests.mutation                      # every module below, smallest first
    python -m tests.mutation webapp_auth budget   # some of them
    python -m tests.mutation --list               # the modules and their tests
    python -m tests.mutation --postgres seats     # the tests on PostgreSQL as well
    python -m tests.mutation --again seats        # only last time's survivors (a new test?)

mutmut reads one `[tool.mutmut]` table from pyproject.toml and copies the tree it mutates into
`mutants/`. To give each module its own tests, each gets its own folder, `mutants/<module>/`,
with links to the code and a copy of pyproject.toml whose `[tool.mutmut]` table is the
project's plus the module (`only_mutate`) and its tests (`pytest_add_cli_args_test_selection`).
mutmut then runs each mutant with those of the tests that call the mutated function.

Only in-process test files are listed: a test that starts `python -m bot` takes seconds per
mutant and does not run the mutated copy anyway. By default the tests run on SQLite only
(TEST_POSTGRES_URL is dropped); `--postgres` keeps both engines (twice the time).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "mutants"
# What each module's folder links to: the code mutmut copies and the files the tests read.
LINKED = ("bot", "handlers", "jobs", "tests", "migrations", "alembic.ini")
# mutmut's exit codes in its `.meta` files, as `mutmut results` names them.
KILLED = "killed"
SURVIVED = "survived"
STATUS = {
    1: KILLED,
    3: KILLED,
    0: SURVIVED,
    5: "no tests",
    33: "no tests",
    34: "skipped",
    36: "timeout",
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
    37: "caught by type check",
    None: "not checked",
}


@dataclass(frozen=True)
class Module:
    """A module that holds rules, and the fast test files that cover it."""

    path: str
    tests: tuple[str, ...]


# Smallest first: a run that is stopped early has done the most modules.
MODULES: dict[str, Module] = {
    "private_chat": Module("handlers/private_chat.py", ("tests/test_private_chat.py",)),
    "seats": Module(
        "bot/services/seats.py",
        (
            "tests/test_registration_service.py",
            "tests/test_cancellation.py",
            "tests/test_waiting_list.py",
        ),
    ),
    "retention": Module("bot/services/retention.py", ("tests/test_retention.py",)),
    "webapp_auth": Module("bot/services/webapp_auth.py", ("tests/test_webapp_auth.py",)),
    "budget": Module("bot/services/budget.py", ("tests/test_budget.py",)),
    "registration": Module(
        "bot/services/registration.py",
        (
            "tests/test_registration_service.py",
            "tests/test_registration_handlers.py",
            "tests/test_waiting_list.py",
            "tests/test_colleagues.py",
            "tests/test_registration_rules.py",
        ),
    ),
    "survey": Module("bot/services/survey.py", ("tests/test_after_training.py",)),
    "helpdesk": Module("bot/services/helpdesk.py", ("tests/test_helpdesk.py",)),
    "training_writer": Module(
        "bot/services/training_writer.py",
        (
            "tests/test_training_writer.py",
            "tests/test_training_file.py",
            "tests/test_staff_services.py",
            "tests/test_training_rules.py",
        ),
    ),
    "certificates": Module(
        "bot/services/certificates.py",
        (
            "tests/test_after_training.py",
            "tests/test_documents.py",
            "tests/test_certificate_rules.py",
        ),
    ),
    "outbox": Module(
        "bot/services/outbox.py",
        (
            "tests/test_outbox.py",
            "tests/test_outage.py",
            "tests/test_sending.py",
            "tests/test_outbox_rules.py",
        ),
    ),
}


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def module_pyproject(text: str, module: Module, postgres: bool) -> str:
    """pyproject.toml with its `[tool.mutmut]` table given the module and its tests."""
    table = dict(tomllib.loads(text).get("tool", {}).get("mutmut", {}))
    table["only_mutate"] = [module.path]
    table["pytest_add_cli_args_test_selection"] = list(module.tests)
    if not postgres:
        table["pytest_add_cli_args"] = [*table.get("pytest_add_cli_args", []), "-k", "not postgres"]
    # The project's table, wherever it is, gives way to this one (TOML allows one of each).
    rest = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text)
    lines = [f"{key} = {_toml_value(value)}" for key, value in table.items()]
    return rest.rstrip("\n") + "\n\n[tool.mutmut]\n" + "\n".join(lines) + "\n"


def prepare(name: str, module: Module, postgres: bool) -> Path:
    """The module's folder: links to the code and tests, its own pyproject.toml."""
    folder = WORK / name
    folder.mkdir(parents=True, exist_ok=True)
    for entry in LINKED:
        link = folder / entry
        if not link.is_symlink():
            link.symlink_to(ROOT / entry)
    config = module_pyproject((ROOT / "pyproject.toml").read_text(), module, postgres)
    target = folder / "pyproject.toml"
    if not target.exists() or target.read_text() != config:
        target.write_text(config)
    return folder


def results(folder: Path, module: Module) -> tuple[Counter[str], list[str]]:
    """How many mutants ended how, and the names of those no test killed (surviving, no
    tests, timeouts: each needs a test or a reason)."""
    meta = folder / "mutants" / f"{module.path}.meta"
    if not meta.exists():
        return Counter(), []
    codes: dict[str, int | None] = json.loads(meta.read_text())["exit_code_by_key"]
    counts = Counter(STATUS.get(code, "suspicious") for code in codes.values())
    survivors = sorted(
        key for key, code in codes.items() if STATUS.get(code) not in (KILLED, "not checked")
    )
    return counts, survivors


def run(name: str, module: Module, *, postgres: bool, children: int, again: bool) -> int:
    """Run mutmut on one module (with `again`, only on the mutants that survived last time,
    after a test was added for them); its exit status."""
    folder = prepare(name, module, postgres)
    env = dict(os.environ)
    if not postgres:
        env.pop("TEST_POSTGRES_URL", None)
    mutmut = Path(sys.executable).with_name("mutmut")
    command = [str(mutmut), "run", "--max-children", str(children)]
    if again:
        survivors = results(folder, module)[1]
        if not survivors:
            print(f"== {name}: no survivors to run again", flush=True)
            return 0
        command += survivors
    print(f"== {name}: {module.path} with {' '.join(module.tests)}", flush=True)
    return subprocess.call(command, cwd=folder, env=env)


def report(names: list[str]) -> None:
    """A line per module: mutants, killed, surviving (and any other outcome)."""
    for name in names:
        module = MODULES[name]
        counts, survivors = results(WORK / name, module)
        total = sum(counts.values())
        if not total:
            print(f"{name}: not run yet")
            continue
        other = ", ".join(
            f"{count} {status}"
            for status, count in sorted(counts.items())
            if status not in (KILLED, SURVIVED)
        )
        print(
            f"{name}: {total} mutants, {counts[KILLED]} killed, {counts[SURVIVED]} surviving"
            + (f", {other}" if other else "")
        )
        for survivor in survivors:
            print(f"    {survivor}: {STATUS.get(_code(WORK / name, module, survivor))}")
        if survivors:
            print(f"    (see one: cd mutants/{name} && ../../.venv/bin/mutmut show NAME)")


def _code(folder: Path, module: Module, key: str) -> int | None:
    meta = json.loads((folder / "mutants" / f"{module.path}.meta").read_text())
    code: int | None = meta["exit_code_by_key"][key]
    return code


def main(argv: list[str] | None = None) -> int:
    """Run mutmut on the chosen modules (all by default), then print the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(MODULES))
    parser.add_argument("--list", action="store_true", help="name the modules and their tests")
    parser.add_argument("--report", action="store_true", help="only print the last results")
    parser.add_argument("--postgres", action="store_true", help="run the tests on both engines")
    parser.add_argument("--children", type=int, default=1, help="mutants tested at once")
    parser.add_argument(
        "--again", action="store_true", help="run only the mutants that survived last time"
    )
    args = parser.parse_args(argv)
    names = list(args.modules) or list(MODULES)
    unknown = [name for name in names if name not in MODULES]
    if unknown:
        parser.error(f"no such module: {', '.join(unknown)} (there are {', '.join(MODULES)})")
    if args.list:
        for name in names:
            print(f"{name}: {MODULES[name].path} <- {' '.join(MODULES[name].tests)}")
        return 0
    status = 0
    if not args.report:
        for name in names:
            again = args.again
            code = run(
                name, MODULES[name], postgres=args.postgres, children=args.children, again=again
            )
            status = status or code
    report(names)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
