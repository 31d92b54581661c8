"""From a rendered `Outgoing` to the Bot API: buttons, and the one call that sends it."""

from __future__ import annotations

from typing import Any

from telegram import (
    CopyTextButton,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageId,
    ReplyParameters,
    WebAppInfo,
)
from telegram.constants import KeyboardButtonStyle
from telegram.ext import ExtBot

from bot.sending.gate import RateArgs
from bot.texts.message import Button, Keyboard, Outgoing, Role

# Telegram's limit for a caption (the text sent with a document or photo).
MAX_CAPTION = 1024
# A button's colour (Bot API 10 `style`) by its role; a plain button keeps the app's own.
STYLES = {Role.MAIN: KeyboardButtonStyle.SUCCESS, Role.DANGER: KeyboardButtonStyle.DANGER}


def inline_button(button: Button) -> InlineKeyboardButton:
    """One button as Telegram takes it, coloured by its role."""
    style = STYLES.get(button.role)
    if button.url is not None:
        return InlineKeyboardButton(button.label, url=button.url, style=style)
    if button.web_app is not None:
        web_app = WebAppInfo(button.web_app)
        return InlineKeyboardButton(button.label, web_app=web_app, style=style)
    if button.copy_text is not None:
        copy = CopyTextButton(button.copy_text)
        return InlineKeyboardButton(button.label, copy_text=copy, style=style)
    return InlineKeyboardButton(button.label, callback_data=button.data or "", style=style)


def markup(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    """The inline keyboard of a message, or None when it has no buttons."""
    if not buttons:
        return None
    return InlineKeyboardMarkup([[inline_button(b) for b in row] for row in buttons])


async def send_outgoing(
    bot: ExtBot[Any], chat_id: int, outgoing: Outgoing, rate_args: RateArgs | None = None
) -> Message | MessageId:
    """Send one message with the call its content needs (text, document, photo, pin or a
    copy of another message)."""
    common: dict[str, Any] = {
        "reply_markup": markup(outgoing.buttons),
        "rate_limit_args": rate_args,
    }
    if outgoing.reply_to is not None:
        # Sent anyway when that message was deleted meanwhile.
        common["reply_parameters"] = ReplyParameters(
            outgoing.reply_to, allow_sending_without_reply=True
        )
    if outgoing.copy is not None:
        # The renderer keeps its caption within MAX_CAPTION: cutting HTML could break a tag.
        source = outgoing.copy
        caption = outgoing.text or None
        return await bot.copy_message(chat_id, source.chat_id, source.message_id, caption, **common)
    if outgoing.document is not None or outgoing.photo is not None:
        return await _send_file(bot, chat_id, outgoing, common)
    if outgoing.venue is not None:
        venue = outgoing.venue
        return await bot.send_venue(
            chat_id, latitude=venue.latitude, longitude=venue.longitude,
            title=venue.title, address=venue.address, **common,
        )  # fmt: skip
    return await bot.send_message(chat_id, outgoing.text, **common)


async def _send_file(
    bot: ExtBot[Any], chat_id: int, outgoing: Outgoing, common: dict[str, Any]
) -> Message:
    """A document or a photo, the text as its caption."""
    attachment = outgoing.document or outgoing.photo
    assert attachment is not None
    send = bot.send_document if outgoing.document is not None else bot.send_photo
    caption = outgoing.text[:MAX_CAPTION] or None
    return await send(
        chat_id, attachment.content, filename=attachment.filename, caption=caption, **common
    )
