"""How a reminder reads: which day, when, where, what to bring, and the RSVP buttons."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.models import Rsvp
from bot.services.rsvp import DueReminder
from bot.texts import callbacks, escape, t
from bot.texts.formatting import format_day, format_time
from bot.texts.labels import action
from bot.texts.message import Button, Outgoing, Venue, keyboard

ANSWER_CODES = {"y": Rsvp.YES, "n": Rsvp.NO}
_CODE_OF = {answer: code for code, answer in ANSWER_CODES.items()}


def reminder_buttons(
    reminder: DueReminder, offer_cancel: bool = False
) -> tuple[tuple[Button, ...], ...]:
    """The RSVP buttons, and the offer to cancel when every remaining day is a "no"."""
    lang = reminder.language
    rows: list[tuple[Button, ...]] = [
        tuple(
            action(
                f"reminder.button.{answer.value}",
                lang,
                callbacks.pack(callbacks.RSVP, reminder.delivery_id, _CODE_OF[answer]),
            )
            for answer in (Rsvp.YES, Rsvp.NO)
        )
    ]
    if offer_cancel:
        rows.append(
            (
                action(
                    "reminder.button.cancel",
                    lang,
                    callbacks.pack(callbacks.CANCEL, reminder.registration_id),
                ),
            )
        )
    return tuple(rows)


def _head(reminder: DueReminder, tz: ZoneInfo, now: datetime) -> str:
    single = "_single" if reminder.total_days == 1 else ""
    when = "today" if now.astimezone(tz).date() >= reminder.day_date else "tomorrow"
    return t(
        f"reminder.head.{when}{single}", reminder.language,
        day=reminder.day_number, total=reminder.total_days,
    )  # fmt: skip


def _answer_lines(reminder: DueReminder, offer_cancel: bool) -> list[str]:
    lang = reminder.language
    if reminder.rsvp is None:
        return ["", t("reminder.question", lang)]
    lines = ["", t(f"reminder.answer.{reminder.rsvp.value}", lang)]
    if offer_cancel:
        lines += ["", t("reminder.offer_cancel", lang)]
    return [*lines, t("reminder.change_hint", lang)]


def render_reminder(
    reminder: DueReminder, tz: ZoneInfo, now: datetime, offer_cancel: bool = False
) -> Outgoing:
    """The reminder's text (with the answer, once given) and its buttons."""
    lang = reminder.language
    lines = [
        _head(reminder, tz, now),
        t(
            "reminder.body", lang,
            title=reminder.title, date=format_day(reminder.day_date, lang),
            start=format_time(reminder.starts_at, tz, lang), venue=reminder.venue,
        ),
    ]  # fmt: skip
    if reminder.topic:
        lines.append(t("reminder.topic", lang, topic=reminder.topic))
    if reminder.note:
        lines.append(t("reminder.note", lang, note=reminder.note))
    lines += _answer_lines(reminder, offer_cancel)
    return Outgoing("\n".join(lines), reminder_buttons(reminder, offer_cancel))


def render_morning(reminder: DueReminder, tz: ZoneInfo) -> Outgoing:
    """The morning-of reminder: when and where, and the check-in ticket one tap away."""
    lang = reminder.language
    start = format_time(reminder.starts_at, tz, lang)
    lines = [t("reminder.morning", lang, start=start, venue=reminder.venue)]
    if reminder.total_days > 1:
        day = {"day": reminder.day_number, "total": reminder.total_days}
        lines.append(t("reminder.morning.day", lang, title=reminder.title, **day))
    else:
        lines.append(escape(reminder.title))
    lines += ["", t("reminder.morning.ticket", lang)]
    ticket = Button(
        t("reminder.button.ticket", lang), callbacks.pack(callbacks.QR, reminder.registration_id)
    )
    return Outgoing("\n".join(lines), keyboard(ticket))


def render_venue_pin(reminder: DueReminder) -> Outgoing | None:
    """The venue as a map pin, when the training file gives its coordinates."""
    if reminder.latitude is None or reminder.longitude is None:
        return None
    return Outgoing(
        venue=Venue(reminder.latitude, reminder.longitude, reminder.title, reminder.venue)
    )
