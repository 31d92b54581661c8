"""Small helpers every handler module uses: the user's language, replies, callback data."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot.runtime.context import BotContext
from bot.services.participants import language_of

ReplyMarkup = InlineKeyboardMarkup

LANG_KEY = "lang"
CALLBACK_SEPARATOR = ":"
MAX_CALLBACK_BYTES = 64


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


def pack(prefix: str, *parts: object) -> str:
    """Callback data `prefix:part:part`, checked against Telegram's 64-byte limit."""
    data = CALLBACK_SEPARATOR.join([prefix, *(str(p) for p in parts)])
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def unpack(data: str | None, prefix: str, count: int) -> list[str] | None:
    """The `count` parts after `prefix`, or None when the data is not of that form."""
    if not data:
        return None
    parts = data.split(CALLBACK_SEPARATOR)
    if parts[0] != prefix or len(parts) != count + 1:
        return None
    return parts[1:]


def unpack_ints(data: str | None, prefix: str, count: int) -> list[int] | None:
    """Like `unpack`, for parts that must be whole numbers."""
    parts = unpack(data, prefix, count)
    if parts is None or not all(p.lstrip("-").isdigit() for p in parts):
        return None
    return [int(p) for p in parts]


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
