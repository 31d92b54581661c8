"""Every text the code asks for by name is in the catalog.

A key that is missing raises only when its screen is reached, in front of a participant or a
staff member; this reads every literal key in the code instead, so a typo fails here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

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


# One action, one label: every button that does it reads the same, on every screen.
ONE_LABEL = {
    "join a training": ("menu.register",),
    "my trainings": ("menu.my", "reg.next.my", "my.button.my"),
    "add to the calendar": ("reg.next.calendar", "my.button.calendar"),
    "show the check-in ticket": ("my.button.qr", "reminder.button.ticket"),
    "give up a place": ("reg.next.cancel", "my.button.cancel", "reminder.button.cancel"),
    "agree to the data being stored": ("reg.consent.yes",),
}
# Words the glossary (docs/glossary.md) retired: each has one word people read one way.
RETIRED = {
    "«": "quote with <b>…</b> or “…”",
    "»": "quote with <b>…</b> or “…”",
    "tiket masuk": "tiket hadir",
    "kriya": "kerajinan",
    "urutan ke-": "daftar tunggu nomor",
    "daftar tunggu ke-": "daftar tunggu nomor",
    "Riwayat pendaftaran": "Pelatihan saya",
    "Pendaftaran saya": "Pelatihan saya",
    "kursinya sudah aman": "sudah dipesan",
    "jadi milik Anda": "otomatis mendapat kursinya",
    "percakapan": "berhenti mengisi",
}
_ICON = re.compile(r"^(\W+?)\s+(\w.*)$")


def _labels(lang: int) -> dict[str, set[str]]:
    """Button-like texts (an icon, then a few words on one line) by their words: the icons."""
    icons: dict[str, set[str]] = {}
    for text in {pair[lang] for pair in CATALOG.values()}:
        found = _ICON.match(text)
        if found and "\n" not in text and "{" not in text and len(text) <= 40:
            icons.setdefault(found.group(2), set()).add(found.group(1))
    return icons


@pytest.mark.parametrize("action", sorted(ONE_LABEL))
def test_one_action_has_one_label(action: str) -> None:
    keys = ONE_LABEL[action]
    for lang in (0, 1):
        labels = {CATALOG[key][lang] for key in keys}
        assert len(labels) == 1, f"{action!r} has {len(labels)} labels: {sorted(labels)}"


def test_one_label_has_one_icon() -> None:
    """The same words never come with two icons (🗑 and ❌ both for cancelling)."""
    for lang in (0, 1):
        twice = {words: icons for words, icons in _labels(lang).items() if len(icons) > 1}
        assert not twice, f"labels with two icons: {twice}"


def test_the_icon_check_sees_labels() -> None:
    """The scan finds the buttons it checks (a scan that finds none would pass above)."""
    labels = _labels(0)
    assert "Batal ikut" in labels and len(labels) > 30


@pytest.mark.parametrize("word", sorted(RETIRED))
def test_no_retired_word(word: str) -> None:
    used = [key for key, pair in CATALOG.items() if word in pair[0] or word in pair[1]]
    assert not used, f"{word!r} is retired (say {RETIRED[word]!r}): {used}"
