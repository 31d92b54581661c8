"""Staff labels: one catalog key per label (`label.<name>`), the same on every staff screen.

A button shows the label after its icon; a text that names a button fills in the same label,
so "Peserta" on the training page, in the help and on the button is one key, never a copy.

What a button does is said here too, once, by its label: a screen's main action (Konfirmasi,
"Saya setuju", accepting an offer) is green, cancelling and erasing red (`Role`, whose colour
`bot.sending.outgoing` gives). Screens build such buttons with `action` (a catalog key) and
`staff_action` (a staff label), never a colour of their own.
"""

from __future__ import annotations

from bot.texts import t
from bot.texts.message import Button, Role

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


# Staff labels by name, and participants' buttons by catalog key; the rest are plain.
ROLES = {
    "publish": Role.MAIN,
    "save_publish": Role.MAIN,
    "save": Role.MAIN,
    "cancel_training": Role.DANGER,
    "drop_day": Role.DANGER,
}
KEY_ROLES = {
    "menu.register": Role.MAIN,
    "reg.consent.yes": Role.MAIN,
    "reg.confirm": Role.MAIN,
    "reg.confirm.waitlist": Role.MAIN,
    "cert.button.confirm": Role.MAIN,
    "details.button.done": Role.MAIN,
    "reminder.button.yes": Role.MAIN,
    "my.button.cancel": Role.DANGER,
    "my.cancel.yes": Role.DANGER,
    "reg.next.cancel": Role.DANGER,
    "reminder.button.cancel": Role.DANGER,
    "privacy.erase.yes": Role.DANGER,
    "staff.button.cancel_yes": Role.DANGER,
}


def label(name: str, lang: str) -> str:
    """The label `name` in `lang` ("Peserta")."""
    return t(f"label.{name}", lang)


def button_text(name: str, lang: str) -> str:
    """The label as its button shows it, after its icon ("👥 Peserta")."""
    icon = ICONS.get(name)
    return f"{icon} {label(name, lang)}" if icon else label(name, lang)


def action(key: str, lang: str, data: str, **values: object) -> Button:
    """The button labelled by catalog `key` (filled with `values`), in that key's role."""
    return Button(t(key, lang, **values), data, role=KEY_ROLES.get(key, Role.PLAIN))


def staff_action(name: str, lang: str, data: str) -> Button:
    """The staff label `name` as a button, after its icon, in its role."""
    return Button(button_text(name, lang), data, role=ROLES.get(name, Role.PLAIN))
