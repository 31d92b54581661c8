"""Start, help and language: the commands every user sees first."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.runtime.context import AnyApplication, BotContext
from bot.sending.outgoing import inline_button
from bot.services.participants import greet, set_language
from bot.settings import LANGUAGES
from bot.texts import Safe, t
from bot.texts.callbacks import LANGUAGE as LANGUAGE_PREFIX
from bot.texts.callbacks import MENU as MENU_PREFIX
from bot.texts.callbacks import (
    MENU_DATA,
    MENU_HELP,
    MENU_HOME,
    MENU_LANGUAGE,
    MENU_MY,
    MENU_REGISTER,
)
from bot.texts.helpdesk import free_for, office_lines
from bot.texts.labels import action
from handlers.base import edit_or_send, pack, remember_language, unpack, user_language
from handlers.buttons import acknowledge, button

# "Data saya" (MENU_DATA) is handled in handlers.participants.privacy.


def main_menu(lang: str) -> InlineKeyboardMarkup:
    """The start menu: register, my trainings, help, language."""
    return InlineKeyboardMarkup(
        [
            [inline_button(action("menu.register", lang, pack(MENU_PREFIX, MENU_REGISTER)))],
            [InlineKeyboardButton(t("menu.my", lang), callback_data=pack(MENU_PREFIX, MENU_MY))],
            [
                InlineKeyboardButton(
                    t("menu.help", lang), callback_data=pack(MENU_PREFIX, MENU_HELP)
                ),
                InlineKeyboardButton(
                    t("menu.language", lang), callback_data=pack(MENU_PREFIX, MENU_LANGUAGE)
                ),
            ],
        ]
    )


def help_buttons(lang: str) -> InlineKeyboardMarkup:
    """Under the help text: see one's stored data."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t("my.button.data", lang), callback_data=pack(MENU_PREFIX, MENU_DATA)
                )
            ]
        ]
    )


def language_keyboard() -> InlineKeyboardMarkup:
    """One button per supported language."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(f"language.name.{code}", code), callback_data=pack(LANGUAGE_PREFIX, code)
                )
            ]
            for code in LANGUAGES
        ]
    )


async def greet_sender(update: Update, context: BotContext) -> str | None:
    """Record the sender on first contact (or again, in a new chat); their language."""
    user = update.effective_user
    if user is None:
        return None
    async with context.sessions() as session:
        lang = await greet(
            session,
            user.id,
            chat_id=update.effective_chat.id if update.effective_chat else None,
            language=context.settings.default_language,
            now=context.now(),
        )
    remember_language(context, lang)
    return lang


def office(context: BotContext, lang: str) -> Safe:
    """Who runs the bot and how to reach them (for /start and /bantuan)."""
    settings = context.settings
    ask_here = settings.staff_chat_id is not None
    return Safe(office_lines(settings.org_name, settings.org_contact, ask_here, lang))


def welcome(update: Update, context: BotContext, lang: str) -> tuple[str, InlineKeyboardMarkup]:
    """The greeting and the main menu, as /start shows them (staff reach them from theirs)."""
    name = update.effective_user.first_name if update.effective_user else ""
    org = context.settings.org_name
    free = Safe(free_for(org, lang))
    text = t("welcome", lang, name=name, org=org, free=free, office=office(context, lang))
    return text, main_menu(lang)


async def start(update: Update, context: BotContext) -> None:
    """Greet the user in their language and show the main menu."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return
    lang = await greet_sender(update, context) or context.settings.default_language
    text, menu = welcome(update, context, lang)
    await message.reply_text(text, reply_markup=menu)


async def show_menu(update: Update, context: BotContext) -> None:
    """The "Menu" button: the greeting and the menu as a new message (what was tapped stays)."""
    lang = await user_language(update, context)
    await acknowledge(update)
    if update.effective_message is not None:
        text, menu = welcome(update, context, lang)
        await update.effective_message.reply_text(text, reply_markup=menu)


async def show_help(update: Update, context: BotContext) -> None:
    """Explain the commands."""
    lang = await user_language(update, context)
    await acknowledge(update)
    if update.effective_message is not None:
        text = t("help", lang, office=office(context, lang))
        await update.effective_message.reply_text(text, reply_markup=help_buttons(lang))


async def ask_language(update: Update, context: BotContext) -> None:
    """Offer the languages."""
    lang = await user_language(update, context)
    await acknowledge(update)
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            t("language.choose", lang), reply_markup=language_keyboard()
        )


def _language(data: str | None) -> str | None:
    """The language of callback data `lang:<code>`, one the bot speaks."""
    parts = unpack(data, LANGUAGE_PREFIX, 1)
    return parts[0] if parts is not None and parts[0] in LANGUAGES else None


@button(_language)
async def choose_language(update: Update, context: BotContext, lang: str) -> None:
    """Store the chosen language and confirm it in that language."""
    if update.effective_user is None:
        return
    async with context.sessions() as session:
        await set_language(
            session,
            update.effective_user.id,
            lang,
            chat_id=update.effective_chat.id if update.effective_chat else None,
            now=context.now(),
        )
    remember_language(context, lang)
    await acknowledge(update)
    await edit_or_send(update, context, t("language.set", lang))


def register(application: AnyApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler(["bantuan", "help"], show_help))
    application.add_handler(CommandHandler(["bahasa", "language"], ask_language))
    application.add_handler(CallbackQueryHandler(choose_language, pattern=rf"^{LANGUAGE_PREFIX}:"))
    application.add_handler(
        CallbackQueryHandler(show_help, pattern=rf"^{MENU_PREFIX}:{MENU_HELP}$")
    )
    application.add_handler(
        CallbackQueryHandler(show_menu, pattern=rf"^{MENU_PREFIX}:{MENU_HOME}$")
    )
    application.add_handler(
        CallbackQueryHandler(ask_language, pattern=rf"^{MENU_PREFIX}:{MENU_LANGUAGE}$")
    )
