"""Small helpers every handler module uses: the user's language, replies, callback data."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.runtime.context import BotContext
from bot.sending.outgoing import markup
from bot.services.participants import language_of
from bot.texts.callbacks import pack, unpack, unpack_ints
from bot.texts.message import Outgoing

ReplyMarkup = InlineKeyboardMarkup

LANG_KEY = "lang"


async def user_language(update: Update, context: BotContext) -> str:
    """The user's language: cached in user_data, else stored, else the configured default."""
    cached = context.user_data.get(LANG_KEY) if context.user_data is not None else None
    if isinstance(cached, str):
        return cached
    language: str | None = None
    user = update.effective_user
    if user is not None:
        async with context.sessions() as session:
            language = await language_of(session, user.id)
    language = language or context.settings.default_language
    remember_language(context, language)
    return language


def remember_language(context: BotContext, language: str) -> None:
    """Cache the user's language for the next updates."""
    if context.user_data is not None:
        context.user_data[LANG_KEY] = language


async def edit_or_send(
    update: Update, context: BotContext, text: str, reply_markup: ReplyMarkup | None = None
) -> None:
    """Replace the text of the tapped button's message, or send a new message when that
    message is gone (too old, deleted) or the update is not a button tap."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        try:
            await query.message.edit_text(text, reply_markup=reply_markup)
            return
        except BadRequest as exc:
            if "not modified" in exc.message:
                return
            if "not found" not in exc.message and "can't be edited" not in exc.message:
                raise
    chat_id = update.effective_chat.id if update.effective_chat else None
    if chat_id is None and update.effective_user is not None:
        chat_id = update.effective_user.id
    if chat_id is not None:
        await context.bot.send_message(chat_id, text, reply_markup=reply_markup)


async def show(update: Update, context: BotContext, outgoing: Outgoing) -> None:
    """Show a rendered message: in place of the tapped button's message, or as a new one."""
    await edit_or_send(update, context, outgoing.text, markup(outgoing.buttons))


__all__ = ["pack", "unpack", "unpack_ints"]
