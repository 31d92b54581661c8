"""Staff announcements: choose the audience, write the text, see the preview, confirm.

`/umumkan` `/broadcast` start a conversation for staff only. The text keeps the staff member's
formatting (`Message.text_html`: bold, italic, links typed with Telegram's formatting survive;
anything typed literally, like `<b>`, stays literal). The preview is the message participants
will receive, followed by the number of recipients and "Kirim" / "Batal". The announcement is a
draft row from the preview on; "Kirim" starts it with one conditional UPDATE, so a double tap or
an old preview never sends it twice. The outbox sender (`jobs.outbox`) does the sending.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
)

from bot.models import Audience
from bot.runtime.context import AnyApplication, BotContext
from bot.services.access import Right
from bot.services.announcements import (
    MAX_TEXT_CHARS,
    AnnouncementError,
    announceable_trainings,
    cancel_announcement,
    check_text,
    count_recipients,
    create_announcement,
    start_announcement,
)
from bot.services.staff import TrainingLine, get_training
from bot.texts import Safe, callbacks, t, unescape
from bot.texts.announcements import announcement_message
from bot.texts.formatting import format_day_month, short
from bot.texts.labels import button_text
from handlers.base import (
    NOT_TYPED,
    TYPED,
    Handlers,
    conversation,
    edit_or_send,
    pack,
    unpack,
    user_language,
)
from handlers.buttons import Parser, acknowledge, button, stale
from handlers.staff.auth import callback_number, permit_of, refuse, requires

PREFIX = callbacks.ANNOUNCE
AUDIENCE = "aud"
TRAINING = "tr"
SEND = "send"
DROP = "drop"
CHOOSE_AUDIENCE, CHOOSE_TRAINING, WRITE_TEXT, CONFIRM = (
    "ann_audience",
    "ann_training",
    "ann_text",
    "ann_confirm",
)
DRAFT_KEY = "announce"
# Audiences staff can pick (REGISTRANTS is the bot's own, for a cancelled training).
STAFF_AUDIENCES = (Audience.CONFIRMED, Audience.WAITLIST, Audience.EVERYONE)
TITLE_IN_BUTTON = 36
START = "start"  # the staff menu's announce button


def _draft(context: BotContext) -> dict[str, Any]:
    if context.user_data is None:
        return {}
    draft: dict[str, Any] = context.user_data.setdefault(DRAFT_KEY, {})
    return draft


def _forget_draft(context: BotContext) -> dict[str, Any]:
    if context.user_data is None:
        return {}
    forgotten: dict[str, Any] = context.user_data.pop(DRAFT_KEY, None) or {}
    return forgotten


def audience_keyboard(lang: str) -> InlineKeyboardMarkup:
    """One button per audience staff can choose."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(f"announce.audience.{audience.value}", lang),
                    callback_data=pack(PREFIX, AUDIENCE, audience.value),
                )
            ]
            for audience in STAFF_AUDIENCES
        ]
    )


def training_choice(line: TrainingLine, audience: Audience, lang: str) -> str:
    """A training in the picker: "Kain Perca · 8 Des · 25 peserta" (plain text: a button
    label is not HTML)."""
    waiting = audience is Audience.WAITLIST
    return unescape(
        t(
            "announce.pick.waitlist" if waiting else "announce.pick.confirmed",
            lang,
            title=short(line.title, TITLE_IN_BUTTON),
            date=format_day_month(line.first_day, lang) if line.first_day else "-",
            count=line.waitlisted if waiting else line.confirmed,
        )
    )


def training_keyboard(
    lines: list[TrainingLine], audience: Audience, lang: str
) -> InlineKeyboardMarkup:
    """One button per training, named by title, first day and the audience's size there."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    training_choice(line, audience, lang),
                    callback_data=pack(PREFIX, TRAINING, line.id),
                )
            ]
            for line in lines
        ]
    )


def confirm_keyboard(announcement_id: int, lang: str) -> InlineKeyboardMarkup:
    """ "Kirim" and "Batal" for one draft."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t("announce.send", lang), callback_data=pack(PREFIX, SEND, announcement_id)
                ),
                InlineKeyboardButton(
                    button_text("quit", lang), callback_data=pack(PREFIX, DROP, announcement_id)
                ),
            ]
        ]
    )


def _numbered(action: str) -> Parser[int]:
    """The parser of callback data `ann:<action>:<number>`: the number."""

    def parse(data: str | None) -> int | None:
        parts = unpack(data, PREFIX, 2)
        if parts is None or parts[0] != action or not parts[1].isdigit():
            return None
        return int(parts[1])

    return parse


def _audience(data: str | None) -> str | None:
    """The audience of callback data `ann:aud:<audience>`, one staff may choose."""
    parts = unpack(data, PREFIX, 2)
    if parts is None or parts[0] != AUDIENCE or parts[1] not in {a.value for a in STAFF_AUDIENCES}:
        return None
    return parts[1]


def audience_label(draft: dict[str, Any], lang: str) -> str:
    """The chosen audience in words, with the training's title (HTML, escaped)."""
    label = t(f"announce.audience.{draft['audience']}", lang)
    title = draft.get("title")
    if title is None:
        return label
    return t("announce.audience_of_training", lang, audience=Safe(label), title=title)


@requires(Right.ANNOUNCE)
async def ask_audience(update: Update, context: BotContext) -> str:
    """`/umumkan`: start a new announcement by choosing who gets it."""
    lang = await user_language(update, context)
    await _drop_unsent(context)  # an older preview's "Kirim" must not send a forgotten draft
    _draft(context)
    await acknowledge(update)
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            t("announce.choose_audience", lang), reply_markup=audience_keyboard(lang)
        )
    return CHOOSE_AUDIENCE


async def _ask_text(update: Update, context: BotContext, lang: str) -> str | int:
    draft = _draft(context)
    async with context.sessions() as session:
        count = await count_recipients(
            session, draft.get("training_id"), Audience(draft["audience"])
        )
    if count == 0:
        _forget_draft(context)
        await edit_or_send(update, context, t("announce.no_recipients", lang))
        return ConversationHandler.END
    await edit_or_send(
        update,
        context,
        t("announce.write_text", lang, audience=Safe(audience_label(draft, lang)), count=count),
    )
    return WRITE_TEXT


@requires(Right.ANNOUNCE)
@button(_audience)
async def choose_audience(update: Update, context: BotContext, audience: str) -> str | int | None:
    """An audience button: ask for the training, or (everyone) for the text."""
    lang = await user_language(update, context)
    await acknowledge(update)
    draft = _draft(context)
    draft.clear()
    draft["audience"] = audience
    permit = permit_of(context)
    if audience == Audience.EVERYONE.value:
        if permit is None or not permit.staff.may_everywhere(Right.ANNOUNCE):
            await refuse(update, context)
            return ConversationHandler.END
        return await _ask_text(update, context, lang)
    async with context.sessions() as session:
        trainings = await announceable_trainings(session)
    trainings = [line for line in trainings if permit is not None and permit.allows(line.id)]
    if not trainings:
        _forget_draft(context)
        await edit_or_send(update, context, t("announce.no_trainings", lang))
        return ConversationHandler.END
    keyboard = training_keyboard(trainings, Audience(audience), lang)
    await edit_or_send(update, context, t("staff.choose_training", lang), keyboard)
    return CHOOSE_TRAINING


@requires(Right.ANNOUNCE, training=callback_number(2))
@button(_numbered(TRAINING))
async def choose_training(
    update: Update, context: BotContext, training_id: int
) -> str | int | None:
    """A training button: ask for the text."""
    lang = await user_language(update, context)
    async with context.sessions() as session:
        training = await get_training(session, training_id)
    if training is None:
        await stale(update, context)
        return None
    await acknowledge(update)
    draft = _draft(context)
    draft["training_id"] = training.id
    draft["title"] = training.title
    return await _ask_text(update, context, lang)


@requires(Right.ANNOUNCE)
async def receive_text(update: Update, context: BotContext) -> str | None:
    """The announcement's text: check it, store a draft, show the preview and the buttons."""
    message = update.effective_message
    assert message is not None and message.text is not None
    lang = await user_language(update, context)
    try:
        check_text(message.text)
    except AnnouncementError:
        key = "announce.text_empty" if not message.text.strip() else "announce.text_too_long"
        await message.reply_text(t(key, lang, length=len(message.text), limit=MAX_TEXT_CHARS))
        return None
    draft = _draft(context)
    audience = Audience(draft["audience"])
    body = message.text_html
    async with context.sessions() as session:
        count = await count_recipients(session, draft.get("training_id"), audience)
        announcement = await create_announcement(
            session,
            training_id=draft.get("training_id"),
            audience=audience,
            text=body,
            created_by=update.effective_user.id if update.effective_user else None,
            now=context.now(),
        )
    draft["announcement_id"] = announcement.id
    await message.reply_text(t("announce.preview_header", lang))
    await message.reply_text(announcement_message(body, draft.get("title"), lang))
    await message.reply_text(
        t("announce.confirm", lang, count=count, audience=Safe(audience_label(draft, lang))),
        reply_markup=confirm_keyboard(announcement.id, lang),
    )
    return CONFIRM


@requires(Right.ANNOUNCE)
@button(_numbered(SEND))
async def confirm_send(update: Update, context: BotContext, announcement_id: int) -> int | None:
    """ "Kirim": start the announcement once and show the progress message."""
    query = update.callback_query
    assert query is not None
    lang = await user_language(update, context)
    if not isinstance(query.message, Message):
        await stale(update, context)
        return None
    async with context.sessions() as session:
        started = await start_announcement(
            session,
            announcement_id,
            query.message.chat.id,
            query.message.message_id,
            context.now(),
        )
    return await _finish(update, context, started, "announce.progress_starting", lang)


@requires(Right.ANNOUNCE)
@button(_numbered(DROP))
async def drop_draft(update: Update, context: BotContext, announcement_id: int) -> int | None:
    """ "Batal": drop the draft; nothing is sent."""
    lang = await user_language(update, context)
    async with context.sessions() as session:
        dropped = await cancel_announcement(session, announcement_id)
    return await _finish(update, context, dropped, "announce.cancelled", lang)


async def _finish(update: Update, context: BotContext, done: bool, key: str, lang: str) -> int:
    """The end of "Kirim" and "Batal": text `key` when this tap did it (the draft forgotten),
    else an alert that the announcement has already started."""
    query = update.callback_query
    assert query is not None
    if not done:
        await query.answer(t("announce.already_started", lang), show_alert=True)
        return ConversationHandler.END
    await query.answer()
    _forget_draft(context)
    await edit_or_send(update, context, t(key, lang))
    return ConversationHandler.END


async def _drop_unsent(context: BotContext) -> None:
    draft = _forget_draft(context)
    if isinstance(draft.get("announcement_id"), int):
        async with context.sessions() as session:
            await cancel_announcement(session, draft["announcement_id"])


async def leave(update: Update, context: BotContext) -> int:
    """`/batal` inside the conversation: drop any draft and leave."""
    await _drop_unsent(context)
    lang = await user_language(update, context)
    if update.effective_message is not None:
        await update.effective_message.reply_text(t("stopped", lang))
    return ConversationHandler.END


async def time_out(update: object, context: BotContext) -> None:
    """The conversation was left idle: drop the draft and say so."""
    await _drop_unsent(context)
    if isinstance(update, Update) and update.effective_chat is not None:
        lang = await user_language(update, context)
        await context.bot.send_message(update.effective_chat.id, t("announce.timeout", lang))


@requires(Right.ANNOUNCE)
async def expect_buttons(update: Update, context: BotContext) -> None:
    """Something typed where a button is expected: a hint, same step."""
    lang = await user_language(update, context)
    if update.effective_message is not None:
        await update.effective_message.reply_text(t("announce.buttons_expected", lang))


@requires(Right.ANNOUNCE)
async def expect_text(update: Update, context: BotContext) -> None:
    """A photo, sticker or the like where the text is expected: a hint, same step."""
    lang = await user_language(update, context)
    if update.effective_message is not None:
        await update.effective_message.reply_text(t("announce.text_expected", lang))


@requires(Right.ANNOUNCE)
async def outside_conversation(update: Update, context: BotContext) -> None:
    """A button of this feature outside the conversation: refused for non-staff; for staff a
    second "Kirim" (double tap, old preview) or "Batal", else a stale button."""
    data = update.callback_query.data if update.callback_query else None
    if _numbered(SEND)(data) is not None:
        await confirm_send(update, context)
    elif _numbered(DROP)(data) is not None:
        await drop_draft(update, context)
    else:
        await stale(update, context)


def build_conversation(application: AnyApplication) -> ConversationHandler[BotContext]:
    """The announcement conversation (persistent: a restart does not lose it)."""
    fallbacks: Handlers = [
        CommandHandler(["umumkan", "broadcast"], ask_audience),
        CallbackQueryHandler(ask_audience, pattern=rf"^{PREFIX}:{START}$"),
        CallbackQueryHandler(outside_conversation, pattern=rf"^{PREFIX}:"),
        MessageHandler(NOT_TYPED, expect_buttons),
    ]
    entry_points: Handlers = [
        CommandHandler(["umumkan", "broadcast"], ask_audience),
        CallbackQueryHandler(ask_audience, pattern=rf"^{PREFIX}:{START}$"),
    ]
    states: dict[object, Handlers] = {
        CHOOSE_AUDIENCE: [
            CallbackQueryHandler(choose_audience, pattern=rf"^{PREFIX}:{AUDIENCE}:"),
        ],
        CHOOSE_TRAINING: [
            CallbackQueryHandler(choose_training, pattern=rf"^{PREFIX}:{TRAINING}:"),
        ],
        WRITE_TEXT: [MessageHandler(TYPED, receive_text), MessageHandler(NOT_TYPED, expect_text)],
        CONFIRM: [
            CallbackQueryHandler(confirm_send, pattern=rf"^{PREFIX}:{SEND}:"),
            CallbackQueryHandler(drop_draft, pattern=rf"^{PREFIX}:{DROP}:"),
        ],
        ConversationHandler.TIMEOUT: [TypeHandler(Update, time_out)],
    }
    return conversation(application, "announce", entry_points, states, leave, fallbacks=fallbacks)


def register(application: AnyApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(build_conversation(application))
    application.add_handler(CallbackQueryHandler(outside_conversation, pattern=rf"^{PREFIX}:"))
