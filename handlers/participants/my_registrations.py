"""/saya: a participant's registrations, their calendar file, and cancelling with confirmation."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.documents.ics import calendar_filename, training_calendar
from bot.models import RegistrationStatus
from bot.runtime.context import AnyApplication, BotContext, deps_of
from bot.sending.outgoing import inline_button
from bot.services.cancellation import CancelOutcome, cancel_registration
from bot.services.my_registrations import RegistrationView, registration_view, registrations_of
from bot.texts import Safe, callbacks, t
from bot.texts.formatting import join_within
from bot.texts.labels import action
from bot.texts.my_details import edit_details_button
from bot.texts.registrations import (
    MESSAGE_LIMIT,
    dates_of,
    for_whom,
    registration_text,
    short_status,
)
from bot.texts.signup import colleague_button
from handlers.base import edit_or_send, pack, say, user_language
from handlers.buttons import acknowledge, alert, button, numbers
from handlers.common import MENU_DATA, MENU_MY, MENU_PREFIX, MENU_REGISTER

log = logging.getLogger(__name__)

CALENDAR_PREFIX, QR_PREFIX = callbacks.CALENDAR, callbacks.QR  # QR: handled in attendance
CANCEL_PREFIX, CANCEL_YES_PREFIX = callbacks.CANCEL, callbacks.CANCEL_YES
CANCEL_NO_PREFIX = callbacks.CANCEL_NO
CONFIRMING_CANCEL = "confirming_cancel"
MAX_HISTORY = 30


# ---- rendering ---------------------------------------------------------------------------


def registration_buttons(view: RegistrationView, lang: str) -> InlineKeyboardMarkup | None:
    """Cancel for an active registration; the calendar and the check-in code once confirmed
    (a waiting place gets no calendar file: in a phone's calendar it would look like a seat)."""
    if not view.active:
        return None
    registration_id = view.registration.id
    cancel = inline_button(action("my.button.cancel", lang, pack(CANCEL_PREFIX, registration_id)))
    if not view.confirmed:
        return InlineKeyboardMarkup([[cancel]])
    calendar = InlineKeyboardButton(
        t("my.button.calendar", lang), callback_data=pack(CALENDAR_PREFIX, registration_id)
    )
    qr = InlineKeyboardButton(
        t("my.button.qr", lang), callback_data=pack(QR_PREFIX, registration_id)
    )
    return InlineKeyboardMarkup([[calendar, cancel], [qr]])


def history_text(views: Sequence[RegistrationView], lang: str) -> str:
    """Past and cancelled registrations, one line each (at most `MAX_HISTORY`)."""
    lines = [t("my.history.header", lang)]
    for view in views[:MAX_HISTORY]:
        title = view.training.title
        if view.colleague is not None:
            title = t("col.my.history_title", lang, title=title, name=view.colleague)
        lines.append(
            t(
                "my.history.item",
                lang,
                title=Safe(title) if view.colleague is not None else title,
                dates=dates_of(view, lang),
                status=short_status(view, lang),
            )
        )
    hidden = len(views) - MAX_HISTORY
    if hidden > 0:
        lines.append(t("my.history.more", lang, count=hidden))
    return join_within(lines, MESSAGE_LIMIT, lambda n: t("my.history.more", lang, count=n), keep=1)


def footer_buttons(lang: str) -> InlineKeyboardMarkup:
    """Register for another training, register a colleague, or see one's data."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t("menu.register", lang), callback_data=pack(MENU_PREFIX, MENU_REGISTER)
                )
            ],
            [inline_button(colleague_button(lang, None))],
            [
                InlineKeyboardButton(
                    t("my.button.data", lang), callback_data=pack(MENU_PREFIX, MENU_DATA)
                ),
                inline_button(edit_details_button(lang)),
            ],
        ]
    )


async def reply(
    update: Update,
    context: BotContext,
    text: str,
    reply_markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None = None,
) -> None:
    """A new message in the user's chat, whether the update is a message or a button tap."""
    message = update.effective_message
    if isinstance(message, Message):
        await message.reply_text(text, reply_markup=reply_markup)
    elif update.effective_user is not None:
        await context.bot.send_message(update.effective_user.id, text, reply_markup=reply_markup)


# ---- the list ----------------------------------------------------------------------------


async def show_my_registrations(update: Update, context: BotContext) -> None:
    """Each active registration in its own message with its buttons, then the history."""
    user = update.effective_user
    if user is None:
        return
    lang = await user_language(update, context)
    await acknowledge(update)
    async with context.sessions() as session:
        views = await registrations_of(session, user.id, context.now(), colleagues=True)
    if not views:
        await reply(update, context, t("my.none", lang), footer_buttons(lang))
        return
    tz = context.settings.timezone
    own = [v for v in views if v.active and v.colleague is None]
    colleagues = [v for v in views if v.active and v.colleague is not None]
    # The user's own first, then the colleagues they registered, under a heading of their own.
    for index, view in enumerate([*own, *colleagues]):
        if colleagues and index == len(own):
            await reply(update, context, t("col.my.header", lang))
        await reply(
            update, context, registration_text(view, lang, tz), registration_buttons(view, lang)
        )
    past = [v for v in views if not v.active]
    footer = history_text(past, lang) if past else t("my.footer", lang)
    await reply(update, context, footer, footer_buttons(lang))


# ---- calendar ----------------------------------------------------------------------------


@button(numbers(CALENDAR_PREFIX, 1))
async def send_calendar(update: Update, context: BotContext, parts: list[int]) -> None:
    """Send the .ics file of one of the user's active registrations."""
    user = update.effective_user
    if user is None:
        return
    now = context.now()
    async with context.sessions() as session:
        view = await registration_view(session, parts[0], user.id, now)
    if view is None:
        await alert(update, context, "my.not_found")
        return
    if not view.active:
        await alert(update, context, "my.not_active")
        return
    if not view.confirmed:
        await alert(update, context, "my.calendar.waiting")
        return
    lang = await user_language(update, context)
    content = training_calendar(
        view.training, view.days, view.registration.id, context.settings.timezone, now
    )
    await acknowledge(update)
    await context.bot.send_document(
        user.id,
        document=content,
        filename=calendar_filename(view.training.code),
        caption=t("my.calendar.caption", lang, title=view.training.title[:150]),
    )


# ---- cancelling --------------------------------------------------------------------------


def confirm_buttons(registration_id: int, lang: str) -> InlineKeyboardMarkup:
    """Yes / No for cancelling one registration."""
    return InlineKeyboardMarkup(
        [
            [
                inline_button(
                    action("my.cancel.yes", lang, pack(CANCEL_YES_PREFIX, registration_id))
                ),
                InlineKeyboardButton(
                    t("my.cancel.no", lang), callback_data=pack(CANCEL_NO_PREFIX, registration_id)
                ),
            ]
        ]
    )


async def _own_registration(
    update: Update, context: BotContext, registration_id: int
) -> RegistrationView | None:
    """The user's registration; None (and "not found" said) when it is not theirs or gone."""
    user = update.effective_user
    if user is None:
        return None
    async with context.sessions() as session:
        view = await registration_view(session, registration_id, user.id, context.now())
    if view is None:
        await alert(update, context, "my.not_found")
    return view


@button(numbers(CANCEL_PREFIX, 1), stale_state=ConversationHandler.END)
async def ask_cancel(update: Update, context: BotContext, parts: list[int]) -> str | int:
    """Ask "are you sure?" in place of the registration's message."""
    view = await _own_registration(update, context, parts[0])
    if view is None:
        return ConversationHandler.END
    if view.registration.status == RegistrationStatus.CANCELLED:
        await alert(update, context, "my.cancel.already")
        return ConversationHandler.END
    if view.ended:
        await alert(update, context, "my.cancel.too_late")
        return ConversationHandler.END
    lang = await user_language(update, context)
    key = "my.cancel.confirm" if view.confirmed else "my.cancel.confirm_waiting"
    await acknowledge(update)
    await edit_or_send(
        update,
        context,
        "\n".join([*for_whom(view, lang), t(key, lang, title=view.training.title)]),
        confirm_buttons(view.registration.id, lang),
    )
    return CONFIRMING_CANCEL


@button(numbers(CANCEL_YES_PREFIX, 1), stale_state=ConversationHandler.END)
async def confirm_cancel(update: Update, context: BotContext, parts: list[int]) -> int:
    """Cancel for real, then tell whoever got the seat."""
    user = update.effective_user
    if user is None:
        return ConversationHandler.END
    async with context.sessions() as session:
        result = await cancel_registration(session, parts[0], user.id, context.now())
    if result.outcome is CancelOutcome.NOT_FOUND:
        await alert(update, context, "my.not_found")
        return ConversationHandler.END
    if result.outcome is CancelOutcome.ALREADY_CANCELLED:
        await alert(update, context, "my.cancel.already")
        return ConversationHandler.END
    if result.outcome is CancelOutcome.TOO_LATE:
        await alert(update, context, "my.cancel.too_late")
        return ConversationHandler.END
    lang = await user_language(update, context)
    await acknowledge(update)
    await edit_or_send(update, context, t("my.cancel.done", lang, title=result.training_title))
    return ConversationHandler.END


@button(numbers(CANCEL_NO_PREFIX, 1), stale_state=ConversationHandler.END)
async def keep_registration(update: Update, context: BotContext, parts: list[int]) -> int:
    """ "No": show the registration again, unchanged."""
    view = await _own_registration(update, context, parts[0])
    if view is None:
        return ConversationHandler.END
    lang = await user_language(update, context)
    assert update.callback_query is not None
    await update.callback_query.answer(t("my.cancel.kept", lang))
    await edit_or_send(
        update,
        context,
        registration_text(view, lang, context.settings.timezone),
        registration_buttons(view, lang),
    )
    return ConversationHandler.END


async def hint_cancel(update: Update, context: BotContext) -> None:
    """Something other than Yes/No while we wait for the answer."""
    await say(update, context, "my.cancel.hint", None)


async def leave_cancel(update: Update, context: BotContext) -> int:
    """/batal while asked: nothing is cancelled."""
    return await say(update, context, "my.cancel.kept", ConversationHandler.END)


# ---- wiring ------------------------------------------------------------------------------


def register(application: AnyApplication) -> None:
    """Add this module's handlers."""
    timeout = deps_of(application).settings.conversation_timeout_minutes * 60
    yes: CallbackQueryHandler[BotContext, object] = CallbackQueryHandler(
        confirm_cancel, pattern=rf"^{CANCEL_YES_PREFIX}:"
    )
    no: CallbackQueryHandler[BotContext, object] = CallbackQueryHandler(
        keep_registration, pattern=rf"^{CANCEL_NO_PREFIX}:"
    )
    application.add_handler(
        ConversationHandler(
            entry_points=[CallbackQueryHandler(ask_cancel, pattern=rf"^{CANCEL_PREFIX}:")],
            states={
                CONFIRMING_CANCEL: [
                    yes,
                    no,
                    MessageHandler(~filters.COMMAND & ~filters.StatusUpdate.ALL, hint_cancel),
                ]
            },
            fallbacks=[CommandHandler(["batal", "cancel"], leave_cancel)],
            allow_reentry=True,
            conversation_timeout=timeout,
            name="cancel_registration",
            persistent=True,
        )
    )
    # The answer buttons also work after the question timed out or the bot restarted.
    application.add_handler(yes)
    application.add_handler(no)
    application.add_handler(CommandHandler(["saya", "my"], show_my_registrations))
    application.add_handler(
        CallbackQueryHandler(show_my_registrations, pattern=rf"^{MENU_PREFIX}:{MENU_MY}$")
    )
    application.add_handler(CallbackQueryHandler(send_calendar, pattern=rf"^{CALENDAR_PREFIX}:"))
