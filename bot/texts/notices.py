"""How notices read: a seat came free for you; your training changed or was cancelled."""

from __future__ import annotations

from datetime import date, time

from bot.models import RegistrationStatus
from bot.services.notices import ChangeView, FieldChange, SeatView
from bot.texts import callbacks, t
from bot.texts.formatting import format_clock, format_date_range, format_day
from bot.texts.message import Attachment, Button, Outgoing, keyboard

_DATED = {"date", "day_added", "day_removed"}
_TIMED = {"start", "end"}


def my_registrations_button(lang: str) -> Button:
    """ "My trainings": where every notice leads next."""
    return Button(t("my.button.my", lang), callbacks.pack(callbacks.MENU, callbacks.MENU_MY))


def render_seat_notice(view: SeatView, lang: str, calendar: Attachment | None = None) -> Outgoing:
    """ "A seat is free! You now have a seat at ..." with the dates, and the calendar file as
    the same message (its caption), now that it is a seat."""
    dates = (
        format_date_range(view.first_day, view.last_day, lang)
        if view.first_day and view.last_day
        else t("my.short.no_dates", lang)
    )
    head = t("my.promoted", lang, title=view.title, dates=dates, venue=view.venue)
    tail = t("my.promoted.calendar" if calendar else "my.promoted.plain", lang)
    return Outgoing(
        head + "\n\n" + tail, keyboard(my_registrations_button(lang)), document=calendar
    )


def _value(change: FieldChange, value: str | None, lang: str) -> str:
    if value and change.field in _DATED:
        return format_day(date.fromisoformat(value), lang)
    if value and change.field in _TIMED:
        return format_clock(time.fromisoformat(value), lang)
    return value or "-"


def change_line(change: FieldChange, lang: str) -> str:
    """One changed thing, old → new, in the reader's language."""
    return t(
        f"notice.change.{change.field}",
        lang,
        day=change.day or "",
        old=_value(change, change.old, lang),
        new=_value(change, change.new, lang),
    )


def render_change_notice(
    view: ChangeView, lang: str, calendar: Attachment | None = None
) -> Outgoing:
    """What changed, old → new, and what it means for this person; a confirmed seat gets the
    fresh calendar file (a waiting one does not: it would look like a seat)."""
    if view.cancelled:
        return Outgoing(t("notice.cancelled", lang, title=view.title))
    lines = [t("notice.change.head", lang, title=view.title)]
    lines += [change_line(change, lang) for change in view.fields]
    confirmed = view.status is RegistrationStatus.CONFIRMED
    lines += ["", t("notice.change.confirmed" if confirmed else "notice.change.waiting", lang)]
    return Outgoing(
        "\n".join(lines),
        keyboard(my_registrations_button(lang)),
        document=calendar if confirmed else None,
    )
