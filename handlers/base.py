"""Small helpers every handler module uses: the user's language, replies, callback data."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import (
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.runtime.context import AnyApplication, BotContext, deps_of
from bot.sending.outgoing import markup
from bot.services.participants import language_of
from bot.texts import t
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
    update: Update,
    context: BotContext,
    text: str,
    reply_markup: ReplyMarkup | None = None,
    *,
    answer: bool = False,
) -> None:
    """Replace the text of the tapped button's message, or send a new message when that
    message is gone (too old, deleted) or the update is not a button tap; with `answer`, the
    tap is answered first (with nothing to say)."""
    query = update.callback_query
    if answer and query is not None:
        await query.answer()
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


async def reply_document(
    update: Update,
    context: BotContext,
    content: bytes,
    filename: str,
    caption: str,
    reply_markup: ReplyMarkup | None = None,
) -> None:
    """Send a file to the chat the update came from (a document someone asked for)."""
    if update.effective_chat is not None:
        await context.bot.send_document(
            update.effective_chat.id,
            InputFile(content, filename=filename),
            caption=caption,
            reply_markup=reply_markup,
        )


async def show(update: Update, context: BotContext, outgoing: Outgoing) -> None:
    """Show a rendered message: in place of the tapped button's message, or as a new one."""
    await edit_or_send(update, context, outgoing.text, markup(outgoing.buttons))


def reply_markup(
    outgoing: Outgoing,
) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None:
    """The message's buttons, or the keyboard below the typing field it asks for."""
    if outgoing.share_contact is not None:
        button = KeyboardButton(outgoing.share_contact, request_contact=True)
        return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)
    if outgoing.remove_keyboard:
        return ReplyKeyboardRemove()
    return markup(outgoing.buttons)


async def send(update: Update, context: BotContext, outgoing: Outgoing) -> None:
    """A rendered message as a new message in the user's chat."""
    target = update.effective_chat or update.effective_user
    if target is not None:
        await context.bot.send_message(
            target.id, outgoing.text, reply_markup=reply_markup(outgoing)
        )


Then = TypeVar("Then")
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, object]]
# What a person types as an answer, and anything else they send instead (a sticker, a photo).
TYPED = filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE
NOT_TYPED = ~filters.COMMAND & ~filters.StatusUpdate.ALL & filters.UpdateType.MESSAGE


Handlers = list[BaseHandler[Update, BotContext, Any]]


def conversation(
    application: AnyApplication,
    name: str,
    entry_points: Handlers,
    states: dict[object, Handlers],
    on_leave: Callback,
    *,
    fallbacks: Handlers | None = None,
) -> ConversationHandler[BotContext]:
    """A conversation kept across restarts under `name`: its entry points start it again at any
    step, /batal leaves it (`on_leave`, before any other `fallbacks`), and it ends after the
    configured conversation timeout."""
    timeout = deps_of(application).settings.conversation_timeout_minutes * 60
    return ConversationHandler(
        entry_points=entry_points,
        states=states,
        fallbacks=[CommandHandler(["batal", "cancel"], on_leave), *(fallbacks or [])],
        name=name,
        persistent=True,
        allow_reentry=True,
        conversation_timeout=timeout,
    )


def typed_step(
    application: AnyApplication,
    name: str,
    entry: BaseHandler[Update, BotContext, Any],
    on_text: Callback,
    on_other: Callback,
    on_leave: Callback,
) -> ConversationHandler[BotContext]:
    """A persistent conversation of one typed answer: `entry` (a button) asks and may be tapped
    again; the text goes to `on_text`, anything else to `on_other`; /batal to `on_leave`; it
    ends after the configured conversation timeout."""
    waiting = [entry, MessageHandler(TYPED, on_text), MessageHandler(NOT_TYPED, on_other)]
    return conversation(application, name, [entry], {typed_state(name): waiting}, on_leave)


def deep_link(
    payload: str, callback: Callback, *, code: str = "[A-Za-z0-9_-]+"
) -> CommandHandler[BotContext, object]:
    """`/start <payload><code>`, the link behind a QR code: to `callback`, before any other
    /start (registered ahead of the registration's deep link)."""
    link = filters.Regex(rf"^/start(?:@\w+)?\s+{payload}{code}\s*$")
    return CommandHandler("start", callback, filters=link)


async def say(update: Update, context: BotContext, key: str, then: Then, **values: object) -> Then:
    """Reply with text `key` in the user's language; the conversation goes on to `then`."""
    lang = await user_language(update, context)
    if update.effective_message is not None:
        await update.effective_message.reply_text(t(key, lang, **values))
    return then


def typed_state(name: str) -> str:
    """The state of `typed_step(name, ...)` in which the answer is awaited."""
    return name + ".typing"


__all__ = ["pack", "unpack", "unpack_ints"]
