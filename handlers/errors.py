"""The one error handler: log with context, tell the user something short, never a traceback."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, NetworkError, TelegramError

from bot.runtime.context import BotContext
from bot.texts import t
from handlers.base import LANG_KEY, user_language

log = logging.getLogger("bot.errors")


async def handle_error(update: object, context: BotContext) -> None:
    """Log the failure and apologise to the user in their language."""
    error = context.error
    if isinstance(update, Update):
        log.error(
            "update %s from user %s failed: %s: %s",
            update.update_id,
            update.effective_user.id if update.effective_user else "-",
            type(error).__name__,
            error,
            exc_info=error if not isinstance(error, TelegramError) else None,
        )
    else:
        log.error("background task failed: %s: %s", type(error).__name__, error, exc_info=error)
        return
    if isinstance(error, Forbidden | NetworkError):
        return  # the user cannot be reached right now; telling them would fail too
    try:
        lang = await user_language(update, context)
    except Exception:  # e.g. the database is what failed: apologise in the default language
        lang = (context.user_data or {}).get(LANG_KEY) or context.settings.default_language
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(t("error.generic", lang), show_alert=True)
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, t("error.generic", lang))
    except TelegramError as exc:
        log.warning("could not tell user about the failure: %s", exc)
