"""A person to ask: a participant's message outside a step (words, a voice note, a photo, a
video or a file) goes to the staff group (`STAFF_CHAT_ID`), and a staff member's reply to it
there, in any of those kinds, goes back to them.

Both directions are outbox rows (`bot.services.helpdesk`); these handlers only queue them and
wake the sender. In the staff group only replies by staff (`ADMIN_IDS`) to the bot's forwards
count; everything else there is left to the group-chat guard, which ignores it.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.runtime.context import AnyApplication, BotContext, deps_of
from bot.runtime.throttle import Cooldown
from bot.services.helpdesk import (
    FORWARD_EVERY,
    Asked,
    Asker,
    Media,
    Replied,
    StaffReply,
    ask_staff,
    reply_to_question,
)
from bot.texts import Safe, t
from bot.texts.helpdesk import office_lines
from handlers.base import NOT_TYPED, TYPED, user_language
from handlers.fallback import unsupported_message
from handlers.private_chat import GUARD_GROUP
from handlers.staff.auth import staff_access

# Before the group-chat guard, which keeps every other feature out of groups.
STAFF_GROUP_HANDLERS = GUARD_GROUP - 1
ACKS_KEY = "helpdesk.acks"
# What the office is passed (sent after the registration conversation, which hints at them
# in the middle of a step); stickers, contacts and locations are not.
MEDIA = (
    filters.VOICE | filters.AUDIO | filters.PHOTO | filters.VIDEO | filters.ANIMATION
    | filters.Document.ALL
) & ~filters.COMMAND & filters.UpdateType.MESSAGE  # fmt: skip
_STAFF_ANSWERS = {
    Replied.NOT_A_QUESTION: "helpdesk.staff.not_a_question",
    Replied.ERASED: "helpdesk.staff.erased",
    Replied.UNREACHABLE: "helpdesk.receipt.blocked",
}


def _follow_up_acks(context: BotContext) -> Cooldown:
    """One "passed on too" per person per forward window: a flood is not answered 50 times."""
    acks = context.deps.services.get(ACKS_KEY)
    if not isinstance(acks, Cooldown):
        acks = context.deps.services[ACKS_KEY] = Cooldown(FORWARD_EVERY.total_seconds())
    return acks


def media_of(message: Message) -> Media | None:
    """The voice note, photo, video or file a message holds (None for words alone)."""
    kinds = {
        "voice": message.voice, "audio": message.audio, "photo": message.photo,
        "video": message.video, "animation": message.animation, "document": message.document,
    }  # fmt: skip
    kind = next((name for name, held in kinds.items() if held), None)
    return None if kind is None else Media(kind, message.chat_id, message.message_id)


async def ask_staff_member(update: Update, context: BotContext) -> None:
    """A participant wrote (or sent a voice note, photo, file) outside a step: pass it on to
    the staff group and say so."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    media = None if message is None else media_of(message)
    if message is None or user is None or chat is None or not (message.text or media):
        return
    if await staff_access(update, context) is not None:
        await unsupported_message(update, context)  # staff with a role: as for the admins
        return
    lang = await user_language(update, context)
    settings = context.settings
    if settings.staff_chat_id is None:
        office = office_lines(settings.org_name, settings.org_contact, False, lang)
        await message.reply_text(t("helpdesk.not_forwarded", lang, office=Safe(office)))
        return
    asker = Asker(user.id, chat.id, user.full_name, user.username, lang)
    words = message.text or message.caption or ""
    async with context.sessions() as session:
        asked = await ask_staff(session, asker, words, settings.staff_chat_id, context.now(), media)
    if asked is Asked.FORWARDED:
        await message.reply_text(t("helpdesk.forwarded", lang, org=settings.org_name))
    elif _follow_up_acks(context).allow(user.id) is not None:
        await message.reply_text(t("helpdesk.added", lang))


async def text_only(update: Update, context: BotContext) -> None:
    """A participant sent a sticker, a contact or a location outside a step."""
    if update.effective_message is not None:
        lang = await user_language(update, context)
        await update.effective_message.reply_text(t("helpdesk.text_only", lang))


def _to_this_bot(message: Message, context: BotContext) -> Message | None:
    """The bot's message that `message` replies to, if it replies to one."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    return replied


async def take_staff_reply(update: Update, context: BotContext) -> None:
    """A reply in the staff group to one of the bot's messages: a staff member's answer goes
    to the participant who asked; anyone else's is ignored."""
    message, user = update.effective_message, update.effective_user
    replied = None if message is None else _to_this_bot(message, context)
    if message is None or user is None or replied is None:
        return  # people talking to each other: the group-chat guard leaves it alone
    if not context.settings.is_admin(user.id):
        raise ApplicationHandlerStop
    lang = await user_language(update, context)
    media = media_of(message)
    if not message.text and media is None:
        await message.reply_text(t("helpdesk.staff.text_only", lang))
        raise ApplicationHandlerStop
    words = message.text or message.caption or ""
    reply = StaffReply(
        message.chat_id, user.id, message.message_id, replied.message_id, words,
        None if media is None else media.kind,
    )  # fmt: skip
    async with context.sessions() as session:
        result = await reply_to_question(session, reply, context.now())
    # A queued reply is answered by its receipt, once Telegram has answered.
    if result.outcome is not Replied.QUEUED:
        name = result.name or t("helpdesk.someone", lang)
        await message.reply_text(t(_STAFF_ANSWERS[result.outcome], lang, name=name))
    raise ApplicationHandlerStop


def register(application: AnyApplication) -> None:
    """Add the staff group's replies (before the group-chat guard) and the catch-all for what
    participants type outside a step (after every feature, before `handlers.fallback`)."""
    settings = deps_of(application).settings
    participants = filters.ChatType.PRIVATE & ~filters.User(user_id=settings.admin_ids)
    application.add_handler(MessageHandler(participants & TYPED, ask_staff_member))
    if settings.staff_chat_id is None:
        return
    application.add_handler(MessageHandler(participants & MEDIA, ask_staff_member))
    application.add_handler(MessageHandler(participants & NOT_TYPED, text_only))
    in_staff_group = filters.Chat(chat_id=settings.staff_chat_id) & filters.REPLY & ~filters.COMMAND
    application.add_handler(
        MessageHandler(in_staff_group & filters.UpdateType.MESSAGE, take_staff_reply),
        group=STAFF_GROUP_HANDLERS,
    )
