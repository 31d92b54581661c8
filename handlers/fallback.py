"""Whatever no feature handled: unknown commands, odd messages, stale buttons."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.runtime.context import BotContext
from bot.texts import t
from handlers.base import user_language


async def nothing_to_cancel(update: Update, context: BotContext) -> None:
    """`/batal` outside a conversation."""
    if update.effective_message is not None:
        lang = await user_language(update, context)
        await update.effective_message.reply_text(t("nothing_to_cancel", lang))


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


async def stale_button(update: Update, context: BotContext) -> None:
    """A button from an old message, or callback data the bot never made."""
    if update.callback_query is not None:
        lang = await user_language(update, context)
        await update.callback_query.answer(t("error.stale_button", lang), show_alert=True)


def register(application: Application) -> None:
    """Add the catch-all handlers; must be registered after every feature.

    Group chats never get here: `handlers.private_chat` keeps them out.
    """
    application.add_handler(CommandHandler(["batal", "cancel"], nothing_to_cancel))
    application.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    application.add_handler(
        MessageHandler(~filters.StatusUpdate.ALL & filters.UpdateType.MESSAGE, unsupported_message)
    )
    application.add_handler(CallbackQueryHandler(stale_button))
