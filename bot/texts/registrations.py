"""A registration in a few words, for lists: its status and the span of its training's days."""

from __future__ import annotations

from bot.models import RegistrationStatus
from bot.services.my_registrations import RegistrationView
from bot.texts import t
from bot.texts.formatting import format_date_range
from bot.texts.message import Button, Keyboard, keyboard


def short_status(view: RegistrationView, lang: str) -> str:
    """A word or two for the history list."""
    status = view.registration.status
    if status == RegistrationStatus.CANCELLED:
        return t("my.short.cancelled", lang)
    if view.ended:
        return t("my.short.ended", lang)
    if status == RegistrationStatus.WAITLISTED:
        return t("my.short.waitlisted", lang, position=view.position or "?")
    return t("my.short.confirmed", lang)


def dates_of(view: RegistrationView, lang: str) -> str:
    """The span of the training's days, or a note that there are none yet."""
    if not view.days:
        return t("my.short.no_dates", lang)
    return format_date_range(view.days[0].date, view.days[-1].date, lang)


def ticket_buttons(code: str, lang: str) -> Keyboard:
    """Under a check-in ticket: copy its short code in one tap (to paste it in a chat with
    the office when the QR code will not scan)."""
    return keyboard(Button(t("attendance.qr.copy", lang, code=code), copy_text=code))
