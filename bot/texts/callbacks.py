"""Callback data: one short prefix per feature, `prefix:part:part`, checked when parsed.

Renderers put these in buttons and handlers read them back, so the prefixes live here, once.
A button from an old message, or data the bot never made, parses to None and gets a polite
answer instead of a traceback.
"""

from __future__ import annotations

SEPARATOR = ":"
MAX_BYTES = 64  # Telegram's limit for callback data

# One prefix per feature.
MENU = "menu"
LANGUAGE = "lang"
REGISTRATION = "reg"
ANNOUNCE = "ann"
ERASE = "erase"
ADMIN = "adm"
PEOPLE = "ppl"
EXPORT = "exp"
EXPORT_CSV = "expc"
TRAINING = "trn"
ATTEND = "att"
SHARE = "shr"
QR = "qr"
CALENDAR = "ics"
CANCEL = "cxl"
CANCEL_YES = "cxly"
CANCEL_NO = "cxln"
RSVP = "rsvp"
SURVEY = "svy"
FOLLOW_UP = "fup"
CERTIFICATE = "crt"
DOCUMENTS = "doc"
DETAILS = "det"
STAFF_ROLES = "stf"

# Parts of the menu prefix.
MENU_REGISTER = "register"
MENU_MY = "my"
MENU_HELP = "help"
MENU_LANGUAGE = "language"
MENU_DATA = "data"
MENU_HOME = "home"  # the menu again, e.g. under the end of a registration


def pack(prefix: str, *parts: object) -> str:
    """Callback data `prefix:part:part`, checked against Telegram's 64-byte limit."""
    data = SEPARATOR.join([prefix, *(str(p) for p in parts)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def unpack(data: str | None, prefix: str, count: int) -> list[str] | None:
    """The `count` parts after `prefix`, or None when the data is not of that form."""
    if not data:
        return None
    parts = data.split(SEPARATOR)
    if parts[0] != prefix or len(parts) != count + 1:
        return None
    return parts[1:]


def unpack_ints(data: str | None, prefix: str, count: int) -> list[int] | None:
    """Like `unpack`, for parts that must be whole numbers."""
    parts = unpack(data, prefix, count)
    if parts is None or not all(p.lstrip("-").isdigit() for p in parts):
        return None
    return [int(p) for p in parts]
