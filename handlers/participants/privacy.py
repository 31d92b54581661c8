"""/hapusdata (erase my personal data, after confirming) and "Data saya" (see what is stored)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.runtime.context import AnyApplication, BotContext
from bot.sending.outgoing import inline_button
from bot.services.privacy import (
    BusinessSaid,
    CertificateName,
    OfficeMessage,
    PersonalData,
    colleague_names,
    erase_participant,
    personal_data,
)
from bot.texts import callbacks, t
from bot.texts.formatting import (
    district_label,
    format_moment,
    format_phone,
    join_within,
    sector_label,
)
from bot.texts.labels import action
from bot.texts.my_details import edit_details_button
from bot.texts.registrations import dates_of, short_status
from handlers.base import (
    conversation,
    edit_or_send,
    pack,
    remember_language,
    say,
    unpack,
    user_language,
)
from handlers.buttons import acknowledge, button
from handlers.common import MENU_DATA, MENU_PREFIX
from handlers.participants.my_registrations import MAX_HISTORY, MESSAGE_LIMIT, reply

ERASE_PREFIX = callbacks.ERASE
ERASE_YES = "yes"
ERASE_NO = "no"
CONFIRMING_ERASE = "confirming_erase"
# When the question was last asked (user_data, so it survives a restart): a "yes" counts only
# within the conversation timeout after it, so a forged or stale "yes" gets the question first.
ASKED_KEY = "erase_asked_at"
PROFILE_FIELDS = ("full_name", "phone", "business_name", "sector", "district")


def erase_buttons(lang: str) -> InlineKeyboardMarkup:
    """Yes, erase / No, keep."""
    return InlineKeyboardMarkup(
        [
            [
                inline_button(action("privacy.erase.yes", lang, pack(ERASE_PREFIX, ERASE_YES))),
                InlineKeyboardButton(
                    t("privacy.erase.no", lang), callback_data=pack(ERASE_PREFIX, ERASE_NO)
                ),
            ]
        ]
    )


# ---- erase -------------------------------------------------------------------------------


async def ask_erase(update: Update, context: BotContext) -> str:
    """Explain what will be erased and what stays (the colleagues the user registered too),
    and ask to confirm."""
    lang = await user_language(update, context)
    if context.user_data is not None:
        context.user_data[ASKED_KEY] = context.now().isoformat()
    text = t("privacy.erase.explain", lang)
    if update.effective_user is not None:
        async with context.sessions() as session:
            names = await colleague_names(session, update.effective_user.id)
        if names:
            also = t("col.erase.also", lang, names=", ".join(names)[:1500])
            text = f"{text}\n\n{also}"
    await reply(update, context, text, erase_buttons(lang))
    return CONFIRMING_ERASE


def _take_question(context: BotContext) -> bool:
    """Whether the question was asked within the conversation timeout (and forget it)."""
    asked = context.user_data.pop(ASKED_KEY, None) if context.user_data is not None else None
    try:
        moment = datetime.fromisoformat(asked) if isinstance(asked, str) else None
    except ValueError:
        moment = None
    limit = timedelta(minutes=context.settings.conversation_timeout_minutes)
    return moment is not None and timedelta(0) <= context.now() - moment <= limit


def _erase_answer(data: str | None) -> str | None:
    """The answer of callback data `erase:<yes or no>`."""
    parts = unpack(data, ERASE_PREFIX, 1)
    return parts[0] if parts is not None and parts[0] in (ERASE_YES, ERASE_NO) else None


@button(_erase_answer, stale_state=ConversationHandler.END)
async def answer_erase(update: Update, context: BotContext, answer: str) -> int | str:
    """Erase after "yes" to the question just asked (and tell whoever got a freed seat), keep
    after "no"; a "yes" without the question asks it."""
    user = update.effective_user
    if user is None:
        return ConversationHandler.END
    asked = _take_question(context)
    if answer == ERASE_YES and not asked:
        await acknowledge(update)
        return await ask_erase(update, context)
    lang = await user_language(update, context)
    await acknowledge(update)
    if answer == ERASE_NO:
        await edit_or_send(update, context, t("privacy.erase.kept", lang))
    else:
        await _erase(update, context, user.id, lang)
    return ConversationHandler.END


async def _erase(update: Update, context: BotContext, user_id: int, lang: str) -> None:
    async with context.sessions() as session:
        result = await erase_participant(session, user_id, context.now())
    # Scratch data of unfinished conversations may hold typed personal fields too.
    if context.user_data is not None:
        context.user_data.clear()
    remember_language(context, lang)
    if not result.found:
        await edit_or_send(update, context, t("privacy.erase.nothing", lang))
        return
    text = t("privacy.erase.done", lang)
    if result.cancelled_titles:
        titles = ", ".join(result.cancelled_titles)
        text += "\n" + t("privacy.erase.cancelled", lang, titles=titles[:3000])
    await edit_or_send(update, context, text)


async def hint_erase(update: Update, context: BotContext) -> None:
    """Something other than the buttons while we wait for the answer."""
    await say(update, context, "privacy.erase.hint", None)


async def leave_erase(update: Update, context: BotContext) -> int:
    """/batal while asked: nothing is erased."""
    return await say(update, context, "privacy.erase.kept", ConversationHandler.END)


# ---- right of access -----------------------------------------------------------------------


def _moment(value: datetime | None, lang: str, tz: Any) -> str | None:
    if value is None:
        return None
    return format_moment(value, tz, lang)


def data_text(data: PersonalData, lang: str, tz: Any) -> str:
    """Everything stored about the user, every value escaped."""
    participant = data.participant
    empty = t("privacy.data.empty", lang)
    values: dict[str, object | None] = {
        "telegram_id": participant.telegram_id,
        "language": t(f"language.name.{participant.language}", lang)
        if participant.language in ("id", "en")
        else participant.language,
    }
    for name in PROFILE_FIELDS:
        values[name] = getattr(participant, name)
    # Stored as +62 and as codes; shown as people write the number, and with the labels the
    # user chose them by, in their language.
    if participant.phone:
        values["phone"] = format_phone(participant.phone)
    if participant.sector:
        values["sector"] = sector_label(participant.sector, lang)
    if participant.district:
        values["district"] = district_label(participant.district, lang)
    values["consent_at"] = _moment(participant.consent_at, lang, tz)
    values["created_at"] = _moment(participant.created_at, lang, tz)
    lines = [t("privacy.data.header", lang)]
    for name, value in values.items():
        lines.append(t(f"privacy.data.{name}", lang, value=empty if value in (None, "") else value))
    if participant.erased_at is not None:
        lines.append(
            t("privacy.data.erased_at", lang, value=_moment(participant.erased_at, lang, tz))
        )
    footer = ["", t("privacy.data.footer", lang)]
    fixed = len(lines)
    if data.registrations:
        lines += ["", t("privacy.data.registrations", lang)]
        for view in data.registrations[:MAX_HISTORY]:
            lines.append(
                t(
                    "my.history.item",
                    lang,
                    title=f"{view.training.title} ({view.training.code})",
                    dates=dates_of(view, lang),
                    status=short_status(view, lang),
                )
            )
        hidden = len(data.registrations) - MAX_HISTORY
        if hidden > 0:
            lines.append(t("my.history.more", lang, count=hidden))
    lines += _held_elsewhere(data, lang, tz)
    limit = MESSAGE_LIMIT - len("\n".join(footer))
    body = join_within(lines, limit, lambda n: t("my.history.more", lang, count=n), keep=fixed)
    return "\n".join([body, *footer])


def _held_elsewhere(data: PersonalData, lang: str, tz: Any) -> list[str]:
    """What is kept beside the profile: messages with the office, survey answers, the names
    certificates print, the colleagues the user registered (each section only when held)."""
    sections: list[tuple[str, list[str]]] = [
        (
            "privacy.data.messages",
            [t("privacy.data.telegram_name", lang, value=name) for name in data.telegram_names]
            + [_message_line(said, lang, tz) for said in data.messages],
        ),
        (
            "privacy.data.survey",
            [t("privacy.data.said", lang, where=s.where, text=s.text) for s in data.survey],
        ),
        ("privacy.data.certificates", [_certificate_line(c, lang) for c in data.certificates]),
        (
            "privacy.data.colleagues",
            [t("privacy.data.colleague", lang, name=name) for name in data.colleagues],
        ),
        ("privacy.data.business", [_business_line(b, lang, tz) for b in data.business]),
    ]
    lines: list[str] = []
    for heading, items in sections:
        if items:
            lines += ["", t(heading, lang), *items]
    return lines


def _business_line(said: BusinessSaid, lang: str, tz: Any) -> str:
    """A baseline (dated) or a follow-up (its training and round), with its sales and workers."""
    sales = t(f"base.sales.{said.sales_band}", lang) if said.sales_band else "–"
    workers = "–" if said.workers is None else str(said.workers)
    if said.where is None:
        moment = _moment(said.at, lang, tz)
        return t("privacy.data.baseline", lang, when=moment, sales=sales, workers=workers)
    return t(
        "privacy.data.follow_up", lang,
        where=said.where, days=said.round, sales=sales, workers=workers,
    )  # fmt: skip


def _message_line(said: OfficeMessage, lang: str, tz: Any) -> str:
    key = "privacy.data.question" if said.theirs else "privacy.data.reply"
    return t(key, lang, moment=_moment(said.at, lang, tz), text=said.text)


def _certificate_line(held: CertificateName, lang: str) -> str:
    if held.business:
        return t(
            "privacy.data.certificate", lang,
            where=held.training, name=held.name, business=held.business,
        )  # fmt: skip
    return t("privacy.data.certificate_name", lang, where=held.training, name=held.name)


async def show_my_data(update: Update, context: BotContext) -> None:
    """Show the user everything the bot stores about them."""
    user = update.effective_user
    if user is None:
        return
    lang = await user_language(update, context)
    await acknowledge(update)
    async with context.sessions() as session:
        data = await personal_data(session, user.id, context.now())
    if data is None:
        await reply(update, context, t("privacy.data.none", lang))
        return
    edit = InlineKeyboardMarkup([[inline_button(edit_details_button(lang))]])
    await reply(update, context, data_text(data, lang, context.settings.timezone), edit)


# ---- wiring --------------------------------------------------------------------------------


def register(application: AnyApplication) -> None:
    """Add this module's handlers."""
    answer: CallbackQueryHandler[BotContext, object] = CallbackQueryHandler(
        answer_erase, pattern=rf"^{ERASE_PREFIX}:"
    )
    # The buttons are an entry point too (and, with re-entry, win over the state's handlers):
    # a tap after a timeout or a restart is answered, and decides by ASKED_KEY.
    ask = CommandHandler(["hapusdata", "deletedata"], ask_erase)
    hint = MessageHandler(~filters.COMMAND & ~filters.StatusUpdate.ALL, hint_erase)
    application.add_handler(
        conversation(
            application, "erase_data", [ask, answer], {CONFIRMING_ERASE: [hint]}, leave_erase
        )
    )
    application.add_handler(CommandHandler(["datasaya", "mydata"], show_my_data))
    application.add_handler(
        CallbackQueryHandler(show_my_data, pattern=rf"^{MENU_PREFIX}:{MENU_DATA}$")
    )
