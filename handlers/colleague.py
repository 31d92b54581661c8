"""Registering a colleague: what the registration conversation does differently when the user
registers another person of their business.

The conversation is the same (handlers/registration.py) with a flag in its draft: the consent
is given on the colleague's behalf, the questions ask about the colleague, the phone is typed
(sharing a contact would share the user's own number), the business name defaults to the
user's, and the registration is made for the colleague. This module holds those differences.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.texts import t
from handlers.base import pack

# Callback data parts under the registration's prefix: `reg:col:<training id or 0>` starts it,
# `reg:samebiz` takes the user's own business name.
COLLEAGUE = "col"
SAME_BUSINESS = "samebiz"

# Draft keys: the flag, and the user's business name offered as the colleague's.
FLAG = "colleague"
HOLDER_BUSINESS = "holder_business"

# Texts that differ when the registration is for a colleague: "reg.x" becomes "col.x".
_VARIANTS = frozenset(
    {
        "reg.consent",
        "reg.consent.declined",
        "reg.ask.name",
        "reg.ask.phone",
        "reg.ask.business",
        "reg.ask.sector",
        "reg.ask.district",
        "reg.bad.phone",
        "reg.bad.contact",
        "reg.result.confirmed",
        "reg.result.waitlisted",
        "reg.already.confirmed",
        "reg.already.waitlisted",
        "reg.next_steps",
    }
)


def is_colleague(draft: dict[str, Any]) -> bool:
    """Whether this draft registers a colleague."""
    return bool(draft.get(FLAG))


def key(draft: dict[str, Any], text_key: str) -> str:
    """The catalog key of this text for this draft (the colleague's wording when it has one)."""
    return wording(is_colleague(draft), text_key)


def wording(for_colleague: bool, text_key: str) -> str:
    """The catalog key of this text, in the colleague's wording when it is about one."""
    if for_colleague and text_key in _VARIANTS:
        return "col." + text_key.removeprefix("reg.")
    return text_key


def begin(draft: dict[str, Any], holder_business: str | None) -> None:
    """Mark a fresh draft as a colleague's, with the user's business name to offer."""
    draft[FLAG] = True
    draft[HOLDER_BUSINESS] = holder_business or ""


def kept(draft: dict[str, Any]) -> dict[str, Any]:
    """What a draft keeps when the user picks another training: whom it is for."""
    return {k: draft[k] for k in (FLAG, HOLDER_BUSINESS) if k in draft}


def business_markup(draft: dict[str, Any], prefix: str) -> InlineKeyboardMarkup | None:
    """One tap for "the same business as mine", when the user has one on file."""
    business = draft.get(HOLDER_BUSINESS)
    if not is_colleague(draft) or not business:
        return None
    # Button labels are plain text: the name goes in as typed.
    label = f"🏪 {business}"[:64]
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=pack(prefix, SAME_BUSINESS))]]
    )


def summary_heading(draft: dict[str, Any], lang: str) -> str:
    """The summary's first line: whose details are checked (the colleague's, by name)."""
    if not is_colleague(draft):
        return t("reg.summary.heading", lang)
    return t("col.summary.head", lang, name=draft.get("name", ""))


def register_button(lang: str, prefix: str, training_id: int | None) -> InlineKeyboardButton:
    """ "➕ Register a colleague" (for this training when given)."""
    data = pack(prefix, COLLEAGUE, training_id or 0)
    return InlineKeyboardButton(t("col.button.register", lang), callback_data=data)
