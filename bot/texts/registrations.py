"""A registration as its holder reads it: in full (title, status, venue, every day), and in a
few words for lists (its status and the span of its training's days)."""

from __future__ import annotations

from datetime import tzinfo

from bot.models import RegistrationStatus
from bot.services.my_registrations import RegistrationView
from bot.texts import t
from bot.texts.formatting import format_date_range, format_day, format_time_range, join_within
from bot.texts.message import Button, Keyboard, keyboard

# Leave room under Telegram's 4096 characters for what the user cannot see (entities).
MESSAGE_LIMIT = 4000


def status_line(view: RegistrationView, lang: str) -> str:
    """The status sentence of a registration."""
    if view.ended:
        return t("my.status.ended", lang)
    status = view.registration.status
    if status == RegistrationStatus.WAITLISTED:
        return t("my.status.waitlisted", lang, position=view.position or "?")
    if status == RegistrationStatus.CONFIRMED:
        return t("my.status.confirmed", lang)
    return t("my.status.cancelled", lang)


def for_whom(view: RegistrationView, lang: str) -> list[str]:
    """The line naming the colleague a registration is for (none for the user's own)."""
    return [] if view.colleague is None else [t("col.my.for", lang, name=view.colleague)]


def registration_text(view: RegistrationView, lang: str, tz: tzinfo) -> str:
    """One registration: title, status, venue and every day (shortened to fit a message)."""
    head = [
        t("my.title", lang, title=view.training.title, code=view.training.code),
        *for_whom(view, lang),
        status_line(view, lang),
        t("my.venue", lang, venue=view.training.venue),
    ]
    days: list[str] = []
    for day in view.days:
        line = t(
            "my.day",
            lang,
            number=day.day_number,
            date=format_day(day.date, lang),
            time=format_time_range(day.starts_at, day.ends_at, tz, lang),
        )
        if day.topic:
            line += "\n" + t("my.day.topic", lang, topic=day.topic)
        days.append(line)
    return join_within(
        [*head, *days],
        MESSAGE_LIMIT,
        lambda count: t("my.more_days", lang, count=count),
        keep=len(head),
    )


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
