"""The command lists shown in Telegram's menu, per language, and a longer one for staff.

Staff commands are described by their label (the one catalog key their buttons show) and what
they do, the same words as in the staff help (`/bantuan` for staff)."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.settings import Settings
from bot.texts import t, unescape
from bot.texts.labels import label

log = logging.getLogger(__name__)

# (Indonesian command, English alias, catalog key of its description).
PARTICIPANT_COMMANDS = (
    ("start", "start", "cmd.start"),
    ("daftar", "register", "cmd.daftar"),
    ("pelatihan", "trainings", "cmd.pelatihan"),
    ("saya", "my", "cmd.saya"),
    ("bantuan", "help", "cmd.bantuan"),
    ("bahasa", "language", "cmd.bahasa"),
    ("datasaya", "mydata", "cmd.datasaya"),
    ("hapusdata", "deletedata", "cmd.hapusdata"),
    ("batal", "cancel", "cmd.batal"),
)
# (Indonesian command, English alias, its label: `label.<name>` and `does.<name>`).
STAFF_COMMANDS = (
    ("admin", "admin", "staff_menu"),
    ("peserta", "participants", "participants"),
    ("umumkan", "broadcast", "announce"),
    ("ekspor", "export", "export"),
    ("hadir", "checkin", "attendance"),
    ("statistik", "statistics", "statistics"),
)
COMMAND_LANGUAGES = ("id", "en")


def command_name(name: str, english: str, lang: str) -> str:
    """A command as a user of `lang` types it (Indonesian, or its English alias)."""
    return english if lang == "en" else name


def staff_description(name: str, lang: str) -> str:
    """ "Peserta — jumlah per status dan daftar peserta satu pelatihan"."""
    return unescape(t("cmd.staff", lang, label=label(name, lang), does=t(f"does.{name}", lang)))


def command_list(lang: str, *, staff: bool) -> list[BotCommand]:
    """The commands to show a participant (or staff member) who uses `lang`."""
    commands = [
        BotCommand(command_name(name, en, lang), t(key, lang))
        for name, en, key in PARTICIPANT_COMMANDS
    ]
    if staff:
        commands += [
            BotCommand(command_name(name, en, lang), staff_description(label_name, lang))
            for name, en, label_name in STAFF_COMMANDS
        ]
    return commands


async def publish_commands(bot: Bot, settings: Settings) -> None:
    """Register the command lists with Telegram; failures are logged, never fatal."""
    try:
        scope = BotCommandScopeAllPrivateChats()
        await bot.set_my_commands(command_list("id", staff=False), scope=scope)
        await bot.set_my_commands(command_list("en", staff=False), scope=scope, language_code="en")
    except TelegramError as exc:
        log.warning("could not register the command list: %s", exc)
    for admin_id in sorted(settings.admin_ids):
        try:
            await _publish_staff_commands(bot, settings, admin_id)
        except TelegramError as exc:
            # A staff member who never opened the bot has no chat yet.
            log.info("staff command list for %s not set: %s", admin_id, exc)


async def _publish_staff_commands(bot: Bot, settings: Settings, admin_id: int) -> None:
    """One staff member's list: in the office's language, and in each language for a
    Telegram app set to it."""
    scope = BotCommandScopeChat(admin_id)
    await bot.set_my_commands(command_list(settings.default_language, staff=True), scope=scope)
    for lang in COMMAND_LANGUAGES:
        await bot.set_my_commands(command_list(lang, staff=True), scope=scope, language_code=lang)
