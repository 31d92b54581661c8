"""Reminders in the chat: how one looks, and the "Saya hadir" / "Tidak bisa hadir" answers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.models import Rsvp
from bot.runtime.context import BotContext
from bot.services.reminders import DueReminder, RsvpStatus, record_rsvp
from bot.texts import t
from bot.texts.formatting import format_day
from handlers.base import edit_or_send, pack, unpack, user_language
from handlers.my_registrations import CANCEL_PREFIX

RSVP_PREFIX = "rsvp"
ANSWER_CODES = {"y": Rsvp.YES, "n": Rsvp.NO}
_CODE_OF = {answer: code for code, answer in ANSWER_CODES.items()}


def reminder_keyboard(reminder: DueReminder, offer_cancel: bool = False) -> InlineKeyboardMarkup:
    """The RSVP buttons, and the offer to cancel when every remaining day is a "no"."""
    lang = reminder.language
    rows = [
        [
            InlineKeyboardButton(
                t("reminder.button.yes", lang),
                callback_data=pack(RSVP_PREFIX, reminder.delivery_id, _CODE_OF[Rsvp.YES]),
            ),
            InlineKeyboardButton(
                t("reminder.button.no", lang),
                callback_data=pack(RSVP_PREFIX, reminder.delivery_id, _CODE_OF[Rsvp.NO]),
            ),
        ]
    ]
    if offer_cancel:
        rows.append(
            [
                InlineKeyboardButton(
                    t("reminder.button.cancel", lang),
                    callback_data=pack(CANCEL_PREFIX, reminder.registration_id),
                )
            ]
        )
    return InlineKeyboardMarkup(rows)


def render_reminder(
    reminder: DueReminder, tz: ZoneInfo, now: datetime, offer_cancel: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    """The reminder's text (with the answer, once given) and its buttons."""
    lang = reminder.language
    single = "_single" if reminder.total_days == 1 else ""
    when = "today" if now.astimezone(tz).date() >= reminder.day_date else "tomorrow"
    lines = [
        t(
            f"reminder.head.{when}{single}",
            lang,
            day=reminder.day_number,
            total=reminder.total_days,
        ),
        t(
            "reminder.body",
            lang,
            title=reminder.title,
            date=format_day(reminder.day_date, lang),
            start=reminder.starts_at.astimezone(tz).strftime("%H:%M"),
            venue=reminder.venue,
        ),
    ]
    if reminder.topic:
        lines.append(t("reminder.topic", lang, topic=reminder.topic))
    if reminder.note:
        lines.append(t("reminder.note", lang, note=reminder.note))
    if reminder.rsvp is None:
        lines += ["", t("reminder.question", lang)]
    else:
        lines += ["", t(f"reminder.answer.{reminder.rsvp.value}", lang)]
        if offer_cancel:
            lines += ["", t("reminder.offer_cancel", lang)]
        lines.append(t("reminder.change_hint", lang))
    return "\n".join(lines), reminder_keyboard(reminder, offer_cancel)


async def answer_reminder(update: Update, context: BotContext) -> None:
    """Record "Saya hadir" / "Tidak bisa hadir" for the reminder's day and show it."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    parts = unpack(query.data, RSVP_PREFIX, 2)
    lang = await user_language(update, context)
    if parts is None or not parts[0].isdigit() or parts[1] not in ANSWER_CODES:
        await query.answer(t("error.stale_button", lang), show_alert=True)
        return
    now = context.now()
    async with context.sessions() as session:
        result = await record_rsvp(session, int(parts[0]), user.id, ANSWER_CODES[parts[1]], now)
    if result.status is RsvpStatus.CLOSED:
        await query.answer(t("reminder.closed", lang), show_alert=True)
        return
    if result.status is RsvpStatus.CANCELLED:
        await query.answer(t("reminder.registration_cancelled", lang), show_alert=True)
        return
    if result.reminder is None:
        # Someone else's reminder or made-up data: say no more than for an old button.
        await query.answer(t("error.stale_button", lang), show_alert=True)
        return
    await query.answer(t("reminder.recorded", result.reminder.language))
    text, markup = render_reminder(
        result.reminder, context.settings.timezone, now, result.offer_cancel
    )
    await edit_or_send(update, context, text, markup)


def register(application: Application) -> None:
    """Add this module's handlers."""
    application.add_handler(CallbackQueryHandler(answer_reminder, pattern=rf"^{RSVP_PREFIX}:"))
