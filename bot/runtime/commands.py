"""The command lists shown in Telegram's menu, per language, and a longer one for staff."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.settings import Settings
from bot.texts import t

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
STAFF_COMMANDS = (
    ("admin", "admin", "cmd.admin"),
    ("peserta", "participants", "cmd.peserta"),
    ("umumkan", "broadcast", "cmd.umumkan"),
    ("ekspor", "export", "cmd.ekspor"),
    ("hadir", "checkin", "cmd.hadir"),
    ("statistik", "statistics", "cmd.statistik"),
)


def command_list(lang: str, *, staff: bool) -> list[BotCommand]:
    """The commands to show a participant (or staff member) who uses `lang`."""
    entries = PARTICIPANT_COMMANDS + (STAFF_COMMANDS if staff else ())
    return [BotCommand(en if lang == "en" else name, t(key, lang)) for name, en, key in entries]


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
            await bot.set_my_commands(
                command_list(settings.default_language, staff=True),
                scope=BotCommandScopeChat(admin_id),
            )
        except TelegramError as exc:
            # A staff member who never opened the bot has no chat yet.
            log.info("staff command list for %s not set: %s", admin_id, exc)
