"""Staff labels: one catalog key per label (`label.<name>`), the same on every staff screen.

A button shows the label after its icon; a text that names a button fills in the same label,
so "Peserta" on the training page, in the help and on the button is one key, never a copy.
"""

from __future__ import annotations

from bot.texts import t

ICONS = {
    "staff_menu": "🛠",
    "participant_menu": "👤",
    "help": "❓",
    "new_training": "➕",
    "edit": "✏️",
    "publish": "🟢",
    "reopen": "🔓",
    "close": "🔒",
    "participants": "👥",
    "export": "📥",
    "announce": "📢",
    "attendance": "✅",
    "documents": "📄",
    "share": "🔗",
    "cancel_training": "❌",
    "back": "⬅️",
    "quit": "✖️",
    "save": "💾",
    "save_draft": "💾",
    "save_publish": "🟢",
    "add_day": "➕",
    "drop_day": "🗑",
}


def label(name: str, lang: str) -> str:
    """The label `name` in `lang` ("Peserta")."""
    return t(f"label.{name}", lang)


def button_text(name: str, lang: str) -> str:
    """The label as its button shows it, after its icon ("👥 Peserta")."""
    icon = ICONS.get(name)
    return f"{icon} {label(name, lang)}" if icon else label(name, lang)
