"""Fixing one's own details: "✏️ Ubah data" (under /saya and "Data saya") shows the person's
details with a button for each; a tap asks the registration's question again, the answer is
checked as at registration and stored at once (`bot.services.my_details`).

A conversation only while a typed answer is awaited (which detail: `FIELD_KEY`); every button
carries what it does, so a tap after a restart or a timeout still works, and what a person types
after looking at their details goes where it would anyway (the office).
"""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import (
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.models import OUTSIDE_DISTRICT, Sector
from bot.runtime.context import AnyApplication, BotContext
from bot.services.my_details import (
    TYPED,
    Changed,
    Detail,
    Wrong,
    change_detail,
    check_typed,
    details_of,
)
from bot.texts import callbacks, t
from bot.texts.formatting import format_phone
from bot.texts.my_details import (
    ASK,
    DISTRICT,
    DONE,
    OUTSIDE,
    SECTOR,
    details_message,
    question,
    wrong_text,
)
from handlers.base import NOT_TYPED, Handlers, conversation, edit_or_send, show, user_language
from handlers.buttons import acknowledge
from handlers.participants.my_registrations import reply

PREFIX = callbacks.DETAILS
TYPING = "details.typing"
DONE_HERE = ConversationHandler.END
FIELD_KEY = "details.field"
Step = str | int


async def open_details(update: Update, context: BotContext) -> Step:
    """ "✏️ Ubah data": the details with a button for each (or why there are none)."""
    lang = await user_language(update, context)
    await acknowledge(update)
    user = update.effective_user
    async with context.sessions() as session:
        profile = None if user is None else await details_of(session, user.id)
    if profile is None:
        await reply(update, context, t("details.none", lang))
        return ConversationHandler.END
    await show(update, context, details_message(profile, lang))
    return DONE_HERE


async def tap(update: Update, context: BotContext) -> Step:
    """A button of the details: ask one detail, take a sector or district, or finish."""
    parts = (update.callback_query.data if update.callback_query else "") or ""
    _, what, *rest = [*parts.split(callbacks.SEPARATOR), ""][:3]
    value = rest[0] if rest else ""
    if what == ASK and value in {d.value for d in Detail}:
        return await _ask(update, context, Detail(value))
    if what == SECTOR and value in {s.value for s in Sector}:
        return await _save(update, context, Detail.SECTOR, value)
    if what == DISTRICT:
        district = _district(context, value)
        if district is not None:
            return await _save(update, context, Detail.DISTRICT, district)
    if what == DONE:
        await acknowledge(update)
        await edit_or_send(update, context, t("details.done", await user_language(update, context)))
        return ConversationHandler.END
    return await open_details(update, context)


def _district(context: BotContext, value: str) -> str | None:
    districts = context.settings.districts
    if value == OUTSIDE:
        return OUTSIDE_DISTRICT
    return districts[int(value)] if value.isdigit() and int(value) < len(districts) else None


async def _ask(update: Update, context: BotContext, detail: Detail) -> Step:
    lang = await user_language(update, context)
    await acknowledge(update)
    asked = question(detail, lang, [s.value for s in Sector], context.settings.districts)
    if detail not in TYPED:
        await show(update, context, asked)
        return DONE_HERE
    if context.user_data is not None:
        context.user_data[FIELD_KEY] = detail.value
    keyboard = _share_phone(lang) if detail is Detail.PHONE else None
    await reply(update, context, asked.text, keyboard)
    return TYPING


def _share_phone(lang: str) -> ReplyKeyboardMarkup:
    button = KeyboardButton(t("reg.button.share_phone", lang), request_contact=True)
    return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)


async def take_typed(update: Update, context: BotContext) -> Step:
    """The typed name, phone number or business name: checked as at registration."""
    message = update.effective_message
    return await _take(update, context, (message.text if message else None) or "")


async def take_contact(update: Update, context: BotContext) -> Step:
    """A shared contact while the phone is asked: only the person's own number."""
    message, user = update.effective_message, update.effective_user
    contact = message.contact if message else None
    field = context.user_data.get(FIELD_KEY) if context.user_data is not None else None
    if contact is None or user is None or contact.user_id != user.id or field != Detail.PHONE:
        lang = await user_language(update, context)
        await reply(update, context, t("reg.bad.contact", lang))
        return TYPING
    return await _take(update, context, contact.phone_number)


async def _take(update: Update, context: BotContext, raw: str) -> Step:
    lang = await user_language(update, context)
    field = context.user_data.get(FIELD_KEY) if context.user_data is not None else None
    if field not in {d.value for d in TYPED}:
        return await open_details(update, context)
    detail = Detail(field)
    checked = check_typed(detail, raw)
    if isinstance(checked, Wrong):
        keyboard = _share_phone(lang) if detail is Detail.PHONE else None
        await reply(update, context, wrong_text(checked, lang), keyboard)
        return TYPING
    if detail is Detail.PHONE:  # the share keyboard goes away with a message of its own
        saved = t("reg.phone.saved", lang, phone=format_phone(checked))
        await reply(update, context, saved, ReplyKeyboardRemove())
    return await _save(update, context, detail, checked)


async def _save(update: Update, context: BotContext, detail: Detail, value: str) -> Step:
    lang = await user_language(update, context)
    await acknowledge(update)
    user = update.effective_user
    changed: Changed | None = None
    if user is not None:
        async with context.sessions() as session:
            changed = await change_detail(
                session, user.id, detail, value, context.now(), context.settings.timezone,
                context.bot.username,
            )  # fmt: skip
    if context.user_data is not None:
        context.user_data.pop(FIELD_KEY, None)
    if changed is None:
        await edit_or_send(update, context, t("details.none", lang))
        return ConversationHandler.END
    shown = details_message(changed.profile, lang, saved=True, reissued=changed.reissued)
    await show(update, context, shown)
    return DONE_HERE


async def hint(update: Update, context: BotContext) -> Step:
    """Something else than the awaited answer (a sticker, a photo): say what is awaited."""
    await reply(update, context, t("details.hint.typing", await user_language(update, context)))
    return TYPING


async def leave(update: Update, context: BotContext) -> Step:
    """/batal: stop changing (what was saved stays saved)."""
    lang = await user_language(update, context)
    if context.user_data is not None:
        context.user_data.pop(FIELD_KEY, None)
    await reply(update, context, t("details.left", lang), ReplyKeyboardRemove())
    return ConversationHandler.END


def register(application: AnyApplication) -> None:
    """Add the details conversation (its buttons are entry points too)."""
    buttons: CallbackQueryHandler[BotContext, object] = CallbackQueryHandler(
        tap, pattern=rf"^{PREFIX}:"
    )
    typing: Handlers = [
        buttons,
        MessageHandler(filters.TEXT & ~filters.COMMAND, take_typed),
        MessageHandler(filters.CONTACT, take_contact),
        MessageHandler(NOT_TYPED, hint),
    ]
    application.add_handler(
        conversation(application, "my_details", [buttons], {TYPING: typing}, leave)
    )
