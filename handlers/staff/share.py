"""Sharing a training: its registration link, a ready-to-paste WhatsApp text and the A4 poster
(PNG to send, PDF to print), in the staff member's chat.

They come when a training is published (its page's publish button, "save and publish" at the
end of creating it, or a training file sent in the chat) and whenever staff tap the share
button of an open training's page. The WhatsApp text and the poster are for the public, so
they are in the participants' language (`DEFAULT_LANGUAGE`); what staff read is in theirs.
"""

from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ChatAction
from telegram.ext import CallbackQueryHandler

from bot.runtime.context import AnyApplication, BotContext
from bot.services.access import Right
from bot.services.sharing import TrainingShare, training_share
from bot.services.training_writer import Written
from bot.texts import t
from bot.texts.callbacks import SHARE
from bot.texts.links import training_link
from bot.texts.sharing import share_text, whatsapp_text
from handlers.base import pack, user_language
from handlers.buttons import acknowledge, alert, button, numbers
from handlers.staff.auth import callback_number, requires

# Trainings published together (one file) whose kit comes at once; the rest get a button each.
KITS_AT_ONCE = 3
MAX_SHARE_BUTTONS = 20


def share_button(training_id: int, text: str) -> InlineKeyboardButton:
    """A button that sends a training's link, WhatsApp text and poster."""
    return InlineKeyboardButton(text, callback_data=pack(SHARE, training_id))


async def _open_share(context: BotContext, training_id: int) -> TrainingShare | str:
    """The training to share, or the key of why it cannot be shared."""
    async with context.sessions() as session:
        share = await training_share(session, context.settings.timezone, training_id=training_id)
    if share is None:
        return "error.stale_button"
    return share if share.open else "share.not_open"


async def _send_kit(context: BotContext, chat_id: int, share: TrainingShare, lang: str) -> None:
    from bot.documents.poster import make_poster, poster_filename

    settings = context.settings
    people = settings.default_language
    link = training_link(context.bot.username, share.spec.code)
    await context.bot.send_message(chat_id, share_text(share, link, lang))
    text = whatsapp_text(share, link, settings.org_name, people, settings.timezone)
    await context.bot.send_message(chat_id, text, parse_mode=None)
    await context.bot.send_chat_action(chat_id, ChatAction.UPLOAD_DOCUMENT)
    poster = await asyncio.to_thread(
        make_poster, share, link, settings.org_name, people, settings.timezone
    )
    for content, extension, caption in (
        (poster.png, "png", "share.poster_png"),
        (poster.pdf, "pdf", "share.poster_pdf"),
    ):
        await context.bot.send_document(
            chat_id,
            InputFile(content, filename=poster_filename(share.spec.code, extension)),
            caption=t(caption, lang, code=share.spec.code),
        )


async def send_share_kit(update: Update, context: BotContext, training_id: int) -> None:
    """The link, the WhatsApp text and the poster of an open training, in this chat."""
    chat = update.effective_chat
    if chat is None:
        return
    lang = await user_language(update, context)
    share = await _open_share(context, training_id)
    if isinstance(share, str):
        await context.bot.send_message(chat.id, t(share, lang))
    else:
        await _send_kit(context, chat.id, share, lang)


async def share_published(update: Update, context: BotContext, written: list[Written]) -> None:
    """After a training file: the kits of the first trainings it published, and a share
    button for each of the others."""
    published = [w for w in written if w.published]
    for item in published[:KITS_AT_ONCE]:
        await send_share_kit(update, context, item.training_id)
    rest = published[KITS_AT_ONCE : KITS_AT_ONCE + MAX_SHARE_BUTTONS]
    if rest and update.effective_chat is not None:
        lang = await user_language(update, context)
        buttons = [
            [share_button(w.training_id, t("share.button", lang, code=w.code))] for w in rest
        ]
        await context.bot.send_message(
            update.effective_chat.id,
            t("share.more", lang),
            reply_markup=InlineKeyboardMarkup(buttons),
        )


@requires(Right.EDIT_TRAININGS, training=callback_number(1))
@button(numbers(SHARE, 1))
async def share_by_button(update: Update, context: BotContext, parts: list[int]) -> None:
    """The share button of a training's page (or under an import's answer)."""
    chat = update.effective_chat
    lang = await user_language(update, context)
    share = await _open_share(context, parts[0])
    if isinstance(share, str) or chat is None:
        await alert(update, context, share if isinstance(share, str) else "error.stale_button")
        return
    await acknowledge(update)
    await _send_kit(context, chat.id, share, lang)


def register(application: AnyApplication) -> None:
    """Add the share button's handler."""
    application.add_handler(CallbackQueryHandler(share_by_button, pattern=rf"^{SHARE}:"))
