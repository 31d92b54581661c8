"""The house rules of docs/architecture.md, read from the code's own imports.

Each module belongs to a part (the table `PARTS`); a part may import only the parts listed in
`ALLOWED`. A few rules are finer than parts and are checked on their own below.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "handlers", "jobs")

# Longest prefix wins.
PARTS = {
    "bot.settings": "core",
    "bot.db": "core",
    "bot.models": "core",
    "bot.clock": "core",
    "bot.group_commit": "core",
    "bot.services": "services",
    "bot.texts": "texts",
    "bot.documents": "documents",
    "bot.sending": "sending",
    "bot.runtime": "runtime",
    "bot.assembly": "assembly",
    "bot.web": "web",
    "bot.cli": "cli",
    "bot.playground": "playground",
    "bot.__main__": "cli",  # `python -m bot`
    "bot": "core",  # bot/__init__.py
    "jobs": "jobs",
    "handlers": "handlers",
    "telegram": "telegram",
}
ALLOWED = {
    "core": {"core"},
    "services": {"core", "services"},
    "texts": {"core", "services", "texts"},
    "documents": {"core", "services", "texts", "documents"},
    "sending": {"core", "services", "texts", "sending", "telegram"},
    "jobs": {"core", "services", "texts", "documents", "sending", "runtime", "jobs", "telegram"},
    # No jobs: what a handler's service queues wakes its consumer after the commit.
    "handlers": {
        "core", "services", "texts", "documents", "sending", "runtime", "handlers", "telegram",
    },
    # The kernel: context, persistence, per-user order; it reaches up to no jobs and no handlers.
    "runtime": {"core", "services", "texts", "sending", "runtime", "telegram"},
    # Above them all: builds the Application from the kernel, the jobs and (chat.py) the handlers.
    "assembly": {
        "core", "services", "texts", "sending", "runtime", "jobs", "handlers", "assembly",
        "telegram",
    },
    "web": {"core", "services", "texts", "documents", "runtime", "web", "jobs", "telegram"},
    "cli": {
        "core", "services", "texts", "documents", "sending", "runtime", "assembly", "web", "cli",
        "jobs", "playground", "telegram",
    },
    # A Bot API of our own on loopback (botapi.py): the tests' Telegram; and the demo, which
    # builds the chat as `run` does (demo.py) and shows it in a page beside the Mini App.
    "playground": {
        "core", "services", "texts", "sending", "runtime", "assembly", "web", "jobs",
        "playground", "telegram",
    },
}  # fmt: skip


def part_of(module: str) -> str | None:
    """The part a module belongs to, or None for a library outside the rules."""
    matches = [p for p in PARTS if module == p or module.startswith(p + ".")]
    return PARTS[max(matches, key=len)] if matches else None


def module_name(path: Path) -> str:
    """`bot/services/outbox.py` -> `bot.services.outbox`."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the application (tests and benchmarks are outside the rules)."""
    found = {}
    for source in SOURCES:
        for path in sorted((ROOT / source).rglob("*.py")):
            found[module_name(path)] = path
    return found


@cache
def imports_of(module: str) -> frozenset[str]:
    """The modules `module` imports (absolute names; `from x import y` counts as x and x.y)."""
    tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return frozenset(names)


def project_imports(module: str) -> set[str]:
    """The application's own modules that `module` imports."""
    return {name for name in imports_of(module) if name in modules()}


def reachable(module: str) -> set[str]:
    """Every application module `module` loads, directly or through others."""
    seen, todo = set(), [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        todo.extend(project_imports(current))
    return seen


def test_every_module_belongs_to_a_part() -> None:
    assert all(part_of(m) in ALLOWED for m in modules()), [
        m for m in modules() if part_of(m) not in ALLOWED
    ]


@pytest.mark.parametrize("module", sorted(modules()))
def test_imports_follow_the_parts(module: str) -> None:
    part = part_of(module)
    assert part is not None
    wrong = sorted(
        name
        for name in imports_of(module)
        if (other := part_of(name)) is not None and other not in ALLOWED[part]
    )
    assert not wrong, f"{module} ({part}) may not import {wrong} (docs/architecture.md)"


def test_services_and_texts_know_nothing_of_telegram() -> None:
    for module in modules():
        if part_of(module) in ("services", "texts", "documents"):
            assert not any(n.split(".")[0] == "telegram" for n in imports_of(module)), module


def test_jobs_never_import_handlers_nor_build_the_chat() -> None:
    for module in modules():
        if part_of(module) == "jobs":
            loaded = reachable(module)
            assert not any(part_of(m) == "handlers" for m in loaded), module
            assert "bot.assembly.chat" not in loaded, module


# Besides `python -m bot` itself, only the demo builds the chat: it runs the same bot.
DEMO = "bot.playground.demo"


def test_nothing_below_the_assembly_reaches_up_to_it() -> None:
    for module in modules():
        if part_of(module) not in ("assembly", "cli") and module != DEMO:
            loaded = reachable(module)
            assert not any(part_of(m) == "assembly" for m in loaded), module


def test_only_the_chat_builder_imports_handlers() -> None:
    importers = {
        module
        for module in modules()
        if part_of(module) != "handlers"
        and any(part_of(n) == "handlers" for n in imports_of(module))
    }
    assert importers == {"bot.assembly.chat"}


def test_the_command_line_builds_no_chat_except_to_run_the_bot() -> None:
    for module in modules():
        wiring = ("bot.__main__", "bot.cli", "bot.cli.main", "bot.cli.run", "bot.cli.demo")
        if part_of(module) == "cli" and module not in wiring:
            loaded = reachable(module)
            assert "bot.assembly.chat" not in loaded, module
            assert not any(part_of(m) == "handlers" for m in loaded), module


def test_the_bot_api_of_the_playground_stands_on_its_own() -> None:
    """The tests' Telegram knows nothing of the bot; the page only what it shows."""
    assert project_imports("bot.playground.botapi") == set()
    loaded = reachable("bot.playground.page")
    assert "bot.assembly.chat" not in loaded
    assert not any(part_of(m) == "handlers" for m in loaded)


def test_handlers_send_nothing_on_their_own() -> None:
    """Handlers answer the update in front of them; what the bot sends to anyone else, later
    or in bulk, goes through the outbox (they may wake its sender, not use the sending core)."""
    for module in modules():
        if part_of(module) == "handlers":
            sending = {n for n in project_imports(module) if part_of(n) == "sending"}
            assert sending <= {"bot.sending.outgoing"}, (module, sending)
            assert not {"bot.services.outbox"} & imports_of(module), module


# The handlers are grouped by who uses them; what every chat shares is at the top level.
HANDLER_GROUPS = ("handlers.participants", "handlers.staff", "handlers.helpdesk")
# The helpdesk, between the two, tells staff from participants with the one staff guard.
BORROWS = {("handlers.helpdesk", "handlers.staff.auth")}


def handler_group_of(module: str) -> str | None:
    """The group a handler module belongs to, or None for a shared one (`handlers.base`...)."""
    return next((g for g in HANDLER_GROUPS if module == g or module.startswith(g + ".")), None)


@pytest.mark.parametrize(
    "module", sorted(m for m in modules() if part_of(m) == "handlers" and m != "handlers")
)
def test_handler_groups_borrow_nothing_from_each_other(module: str) -> None:
    """Participants' and staff's handlers and the helpdesk use the shared ones, never each
    other's (but for the helpdesk's use of the staff guard); the shared ones use no group
    (only `handlers.register_all` gathers them all)."""
    own = handler_group_of(module)
    borrowed = sorted(
        name
        for name in project_imports(module)
        if (group := handler_group_of(name)) is not None
        and group != own
        and (own, name) not in BORROWS
    )
    assert not borrowed, f"{module} may not import {borrowed} (docs/architecture.md)"


@pytest.mark.parametrize("module", sorted(modules()))
def test_every_import_of_our_own_names_a_module_of_this_tree(module: str) -> None:
    """A module moved or renamed leaves no import of its old path behind (the shared venv
    could otherwise find the old path in another checkout)."""
    tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
    named = [
        name
        for node in ast.walk(tree)
        for name in (
            [node.module]
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
            else [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else []
        )
    ]
    missing = [n for n in named if n.split(".")[0] in SOURCES and n not in modules()]
    assert not missing, f"{module} imports {missing}, which this tree does not have"
