"""Whatever no feature handled: unknown commands, odd messages, stale buttons."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.runtime.context import AnyApplication, BotContext
from bot.texts import t
from handlers.base import user_language
from handlers.buttons import stale
from handlers.private_chat import in_private_chat

log = logging.getLogger(__name__)


async def nothing_to_stop(update: Update, context: BotContext) -> None:
    """`/batal` outside a conversation."""
    if update.effective_message is not None:
        lang = await user_language(update, context)
        await update.effective_message.reply_text(t("nothing_to_stop", lang))


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command the bot does not know."""
    if update.effective_message is not None:
        lang = await user_language(update, context)
        await update.effective_message.reply_text(t("error.unknown_command", lang))


async def unsupported_message(update: Update, context: BotContext) -> None:
    """A message no feature is waiting for (sticker, photo, stray text)."""
    if update.effective_message is not None:
        lang = await user_language(update, context)
        await update.effective_message.reply_text(t("error.unsupported_message", lang))


async def ask_to_slow_down(application: AnyApplication, update: Update) -> None:
    """One account sent more than its budget: its updates are dropped; say so (in private)."""
    chat = update.effective_chat
    if chat is None or not in_private_chat(update):
        return
    context = BotContext.from_update(update, application)
    try:
        lang = await user_language(update, context)
        await application.bot.send_message(chat.id, t("slow_down", lang))
    except TelegramError as exc:
        log.info("could not ask %s to slow down: %s", chat.id, exc)


def register(application: AnyApplication) -> None:
    """Add the catch-all handlers; must be registered after every feature.

    Group chats never get here: `handlers.private_chat` keeps them out.
    """
    application.add_handler(CommandHandler(["batal", "cancel"], nothing_to_stop))
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    application.add_handler(
        MessageHandler(~filters.StatusUpdate.ALL & filters.UpdateType.MESSAGE, unsupported_message)
    )
    # A button from an old message, or callback data the bot never made.
    application.add_handler(CallbackQueryHandler(stale))
