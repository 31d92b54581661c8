"""Every text the code asks for by name is in the catalog.

A key that is missing raises only when its screen is reached, in front of a participant or a
staff member; this reads every literal key in the code instead, so a typo fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

from bot.texts import CATALOG

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "handlers", "jobs")
# Functions whose first argument is a catalog key, and the prefix that makes it one.
KEYED = {"t": "", "plain": "", "has": "", "label": "label.", "button_text": "label."}


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _literal_keys(path: Path) -> list[tuple[int, str]]:
    keys = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        prefix = KEYED.get(_called_name(node) or "")
        first = node.args[0]
        if prefix is not None and isinstance(first, ast.Constant) and isinstance(first.value, str):
            keys.append((node.lineno, prefix + first.value))
    return keys


def test_every_literal_key_is_in_the_catalog() -> None:
    missing = [
        f"{path.relative_to(ROOT)}:{line}: {key}"
        for source in SOURCES
        for path in sorted((ROOT / source).rglob("*.py"))
        for line, key in _literal_keys(path)
        if key not in CATALOG
    ]
    assert not missing, "keys missing from the catalog:\n" + "\n".join(missing)


def test_the_scan_sees_the_keys_it_checks() -> None:
    """The scan itself finds keys (a scan that finds nothing would pass the test above)."""
    found = {key for path in (ROOT / "handlers").rglob("*.py") for _, key in _literal_keys(path)}
    assert "label.back" in found and len(found) > 100
