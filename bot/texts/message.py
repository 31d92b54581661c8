"""A message as people will read it, before any Bot API call: text, buttons, a file, a pin.

Renderers (in this package) return an `Outgoing`; the sender (`bot.sending.outgoing`) and the
handlers turn it into the Bot API call. Nothing here knows about python-telegram-bot, so
services and jobs can render without importing it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace


class Role(enum.Enum):
    """What a button does, which its colour says: the main action of a screen, or one that
    cancels or erases (the rest keep the app's own colour)."""

    PLAIN = "plain"
    MAIN = "main"
    DANGER = "danger"


@dataclass(frozen=True)
class Button:
    """An inline button: callback data, a link, a Mini App to open, or a text to copy (exactly
    one), with its role."""

    label: str
    data: str | None = None
    url: str | None = None
    web_app: str | None = None
    copy_text: str | None = None
    role: Role = Role.PLAIN


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class Attachment:
    """A file sent with the message (the text becomes its caption)."""

    filename: str
    content: bytes


@dataclass(frozen=True)
class Venue:
    """A place on the map, sent as a pin."""

    latitude: float
    longitude: float
    title: str
    address: str


@dataclass(frozen=True)
class Copy:
    """A message the bot copies from a chat (a participant's voice note, a staff member's
    photo); the text of the `Outgoing` becomes its caption."""

    chat_id: int
    message_id: int


@dataclass(frozen=True)
class Outgoing:
    """One message: text (HTML), and optionally buttons, a document, a photo, a map pin or a
    message to copy; `reply_to` shows it as a reply to that message of the same chat. Below the
    typing field instead of inline buttons: `share_contact`, the label of a button that shares
    the user's own number, or `remove_keyboard`, taking such a button away."""

    text: str = ""
    buttons: Keyboard = ()
    document: Attachment | None = None
    photo: Attachment | None = None
    venue: Venue | None = None
    copy: Copy | None = None
    reply_to: int | None = None
    share_contact: str | None = None
    remove_keyboard: bool = False

    def with_buttons(self, *rows: tuple[Button, ...]) -> Outgoing:
        """The same message with these button rows added below the others."""
        return replace(self, buttons=self.buttons + tuple(rows))


def keyboard(*rows: tuple[Button, ...] | Button) -> Keyboard:
    """Rows of buttons; a lone button is a row of its own."""
    return tuple(row if isinstance(row, tuple) else (row,) for row in rows)
