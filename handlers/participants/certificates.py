"""Certificates in the chat: confirm or fix the name before it is issued, and check one.

`/start sk_<code>` (the QR on every certificate) tells anyone whether a certificate is genuine
and whose it is; a made-up or altered code gets a polite "not found". The offer's "correct"
button issues the certificate; "fix my name" asks for the name as it should be printed (a
persistent conversation step), and a certificate already issued is reissued with the same
number. The PDF itself goes out through the outbox.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    ConversationHandler,
)

from bot.runtime.context import AnyApplication, BotContext
from bot.services import certificates as service
from bot.services.certificates import MAX_NAME
from bot.services.registration import clean_name
from bot.services.training_spec import CERTIFICATE_PAYLOAD
from bot.texts import t
from bot.texts.after_training import CONFIRM, FIX, verification_text
from bot.texts.callbacks import CERTIFICATE, unpack
from handlers.base import deep_link, say, typed_state, typed_step, user_language
from handlers.buttons import acknowledge, button

log = logging.getLogger(__name__)

CONVERSATION = "certificate_name"
TYPING_NAME = typed_state(CONVERSATION)
END = ConversationHandler.END
REGISTRATION_KEY = "certificate_registration"
# Names are letters, spaces and the marks names carry; links, markup and handles are not.
_NOT_A_NAME = re.compile(r"(https?:|www\.|[<>@#{}\[\]|\\/=*_~^$%]|\d)", re.IGNORECASE)


async def verify_certificate(update: Update, context: BotContext) -> None:
    """`/start sk_<code>`: whether this certificate is genuine, and whose it is."""
    message = update.effective_message
    if message is None or not context.args:
        return
    code = context.args[0].removeprefix(CERTIFICATE_PAYLOAD)
    lang = await user_language(update, context)
    async with context.sessions() as session:
        view = await service.verify(session, code)
    log.info("certificate check: %s", "genuine" if view else "unknown")
    await message.reply_text(verification_text(view, context.settings.org_name, lang))


def _registration_of(data: str | None, action: str) -> int | None:
    parts = unpack(data, CERTIFICATE, 2)
    if parts is None or parts[1] != action or not parts[0].isdigit():
        return None
    return int(parts[0])


async def _issue(
    update: Update, context: BotContext, registration_id: int, name: str | None
) -> bool:
    """Issue (or reissue) for this user; False when it is not theirs or not earned."""
    user = update.effective_user
    assert user is not None
    settings = context.settings
    async with context.sessions() as session:
        certificate = await service.confirm_name(
            session,
            registration_id,
            user.id,
            name,
            settings.certificate_min_days,
            context.now(),
            settings.timezone,
            context.bot.username,
        )
    if certificate is None:
        return False
    lang = await user_language(update, context)
    text = t("cert.issuing", lang, name=certificate.name)
    if update.callback_query is not None and update.callback_query.message is not None:
        await update.callback_query.edit_message_reply_markup(None)
    if update.effective_message is not None:
        await update.effective_message.reply_text(text)
    return True


async def confirm(update: Update, context: BotContext) -> None:
    """ "Correct, issue it": the certificate is issued with the name as shown."""
    query = update.callback_query
    assert query is not None
    registration_id = _registration_of(query.data, CONFIRM)
    if registration_id is None or not await _issue(update, context, registration_id, None):
        lang = await user_language(update, context)
        await query.answer(t("cert.not_eligible", lang), show_alert=True)
        return
    await query.answer()


@button(lambda data: _registration_of(data, FIX), stale_state=END)
async def ask_name(update: Update, context: BotContext, registration_id: int) -> object:
    """ "Fix my name": ask for the name exactly as it should be printed."""
    lang = await user_language(update, context)
    await acknowledge(update)
    if context.user_data is not None:
        context.user_data[REGISTRATION_KEY] = registration_id
    if update.effective_message is not None:
        await update.effective_message.reply_text(t("cert.ask_name", lang, limit=MAX_NAME))
    return TYPING_NAME


async def take_name(update: Update, context: BotContext) -> object:
    """The name as typed: checked, then the certificate is issued or reissued with it."""
    message = update.effective_message
    assert message is not None and message.text is not None
    lang = await user_language(update, context)
    name = clean_name(message.text, 2, MAX_NAME)
    if name is None or _NOT_A_NAME.search(name) or not any(c.isalpha() for c in name):
        await message.reply_text(t("cert.bad_name", lang, limit=MAX_NAME))
        return TYPING_NAME
    registration_id = int((context.user_data or {}).pop(REGISTRATION_KEY, 0))
    if not await _issue(update, context, registration_id, name):
        await message.reply_text(t("cert.not_eligible", lang))
    return END


async def expect_name(update: Update, context: BotContext) -> object:
    """Not text where the name is expected: say so, same question."""
    return await say(update, context, "cert.bad_name", TYPING_NAME, limit=MAX_NAME)


async def leave(update: Update, context: BotContext) -> object:
    """/batal: the name stays as it was."""
    if context.user_data is not None:
        context.user_data.pop(REGISTRATION_KEY, None)
    return await say(update, context, "cert.name_cancelled", END)


def build_conversation(application: AnyApplication) -> Any:
    """Fixing the name: one typed step, persistent."""
    fix = CallbackQueryHandler(ask_name, pattern=rf"^{CERTIFICATE}:\d+:{FIX}$")
    return typed_step(application, CONVERSATION, fix, take_name, expect_name, leave)


def register(application: AnyApplication) -> None:
    """Add this module's handlers (the check link before the registration deep link)."""
    application.add_handler(
        deep_link(CERTIFICATE_PAYLOAD, verify_certificate, code="[A-Za-z0-9_-]*")
    )
    application.add_handler(build_conversation(application))
    application.add_handler(CallbackQueryHandler(confirm, pattern=rf"^{CERTIFICATE}:"))
