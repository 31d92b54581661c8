"""The one guard for group chats: the bot serves people in private chats only.

Staff tools, lists, exports, /saya, /datasaya and the registration all show personal data, so
in a group (or a channel) no feature sees the update: a command gets a short pointer to a
private chat with a link button, a button tap gets the same as an alert, and anything else is
left alone. The guard runs in its own handler group before every feature's handlers.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, TypeHandler, filters

from bot.runtime.context import AnyApplication, BotContext
from bot.texts import t
from handlers.base import user_language

# Handler groups run in ascending order; the features are in group 0.
GUARD_GROUP = -100


def in_private_chat(update: Update) -> bool:
    """Whether the update belongs to a private chat (or to no chat at all, like an inline query)."""
    chat = update.effective_chat
    return chat is None or chat.type == ChatType.PRIVATE


async def keep_to_private_chats(update: Update, context: BotContext) -> None:
    """Outside a private chat: point to one, and let no feature handle the update."""
    if in_private_chat(update):
        return
    if update.effective_user is not None:
        await _point_to_private_chat(update, context)
    raise ApplicationHandlerStop


async def _point_to_private_chat(update: Update, context: BotContext) -> None:
    lang = await user_language(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer(t("private_only.alert", lang), show_alert=True)
        return
    message = update.effective_message
    if message is None or not filters.COMMAND.check_update(update):
        return  # people talking in the group: not for us
    link = InlineKeyboardButton(
        t("private_only.button", lang), url=f"https://t.me/{context.bot.username}"
    )
    await message.reply_text(t("private_only", lang), reply_markup=InlineKeyboardMarkup([[link]]))


def register(application: AnyApplication) -> None:
    """Add the guard before every other handler."""
    application.add_handler(TypeHandler(Update, keep_to_private_chats), group=GUARD_GROUP)
