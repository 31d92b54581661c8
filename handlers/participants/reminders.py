"""Reminders in the chat: the "Saya hadir" / "Tidak bisa hadir" answers (the reminder itself
is rendered in `bot.texts.reminders` and sent by the outbox)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.runtime.context import AnyApplication, BotContext
from bot.services.rsvp import RsvpStatus, record_rsvp
from bot.texts import callbacks, t
from bot.texts.reminders import ANSWER_CODES, render_reminder
from handlers.base import show
from handlers.buttons import alert, button

_REFUSALS = {
    RsvpStatus.CLOSED: "reminder.closed",
    RsvpStatus.CANCELLED: "reminder.registration_cancelled",
    # Someone else's reminder or made-up data: say no more than for an old button.
    RsvpStatus.NOT_FOUND: "error.stale_button",
}


def _rsvp(data: str | None) -> tuple[int, str] | None:
    """The reminder and the answer code of callback data `rsvp:<reminder id>:<answer>`."""
    parts = callbacks.unpack(data, callbacks.RSVP, 2)
    if parts is None or not parts[0].isdigit() or parts[1] not in ANSWER_CODES:
        return None
    return int(parts[0]), parts[1]


@button(_rsvp)
async def answer_reminder(update: Update, context: BotContext, rsvp: tuple[int, str]) -> None:
    """Record "Saya hadir" / "Tidak bisa hadir" for the reminder's day and show it."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    now = context.now()
    async with context.sessions() as session:
        result = await record_rsvp(session, rsvp[0], user.id, ANSWER_CODES[rsvp[1]], now)
    if result.status in _REFUSALS or result.reminder is None:
        await alert(update, context, _REFUSALS.get(result.status, "error.stale_button"))
        return
    await query.answer(t("reminder.recorded", result.reminder.language))
    tz = context.settings.timezone
    await show(update, context, render_reminder(result.reminder, tz, now, result.offer_cancel))


def register(application: AnyApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CallbackQueryHandler(answer_reminder, pattern=rf"^{callbacks.RSVP}:"))
