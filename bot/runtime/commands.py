"""The command lists shown in Telegram's menu, per language, and a longer one for staff.

Staff commands are described by their label (the one catalog key their buttons show) and what
they do, the same words as in the staff help (`/bantuan` for staff). Each staff member's menu
holds only the commands their role may use (`bot.services.access`)."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.db import SessionFactory
from bot.services import access
from bot.services.access import Right, Staff
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
# (Indonesian command, English alias, its label: `label.<name>` and `does.<name>`, the right
# it needs).
STAFF_COMMANDS = (
    ("admin", "admin", "staff_menu", Right.STAFF),
    ("peserta", "participants", "participants", Right.SEE_PEOPLE),
    ("umumkan", "broadcast", "announce", Right.ANNOUNCE),
    ("ekspor", "export", "export", Right.EXPORT),
    ("hadir", "checkin", "attendance", Right.CHECK_IN),
    ("statistik", "statistics", "statistics", Right.SEE_COUNTS),
    ("staf", "staff", "staff_roles", Right.MANAGE_STAFF),
)


def staff_commands(staff: Staff) -> list[tuple[str, str, str]]:
    """The staff commands this staff member may use: (command, English alias, label)."""
    return [(name, en, label) for name, en, label, right in STAFF_COMMANDS if staff.has(right)]


COMMAND_LANGUAGES = ("id", "en")


def command_name(name: str, english: str, lang: str) -> str:
    """A command as a user of `lang` types it (Indonesian, or its English alias)."""
    return english if lang == "en" else name


def staff_description(name: str, lang: str) -> str:
    """ "Peserta — jumlah per status dan daftar peserta satu pelatihan"."""
    return unescape(t("cmd.staff", lang, label=label(name, lang), does=t(f"does.{name}", lang)))


def command_list(lang: str, *, staff: Staff | None) -> list[BotCommand]:
    """The commands to show a participant (or a staff member: those of their role) who uses
    `lang`."""
    commands = [
        BotCommand(command_name(name, en, lang), t(key, lang))
        for name, en, key in PARTICIPANT_COMMANDS
    ]
    if staff is not None:
        commands += [
            BotCommand(command_name(name, en, lang), staff_description(label_name, lang))
            for name, en, label_name in staff_commands(staff)
        ]
    return commands


async def publish_commands(bot: Bot, settings: Settings, sessions: SessionFactory) -> None:
    """Register the command lists with Telegram (the admins' and each role's own); failures
    are logged, never fatal."""
    try:
        scope = BotCommandScopeAllPrivateChats()
        await bot.set_my_commands(command_list("id", staff=None), scope=scope)
        await bot.set_my_commands(command_list("en", staff=None), scope=scope, language_code="en")
    except TelegramError as exc:
        log.warning("could not register the command list: %s", exc)
    async with sessions() as session:
        others = await access.staff_ids(session)
    for user_id in sorted(settings.admin_ids | set(others)):
        await publish_staff_commands(bot, settings, sessions, user_id)


async def publish_staff_commands(
    bot: Bot, settings: Settings, sessions: SessionFactory, user_id: int
) -> None:
    """One person's list, as their access is now (after a grant or a revoke too): in the
    office's language, and in each language for a Telegram app set to it."""
    async with sessions() as session:
        staff = await access.staff_of(session, user_id, settings.admin_ids)
    scope = BotCommandScopeChat(user_id)
    try:
        if staff is None:
            await bot.delete_my_commands(scope=scope)
            for lang in COMMAND_LANGUAGES:
                await bot.delete_my_commands(scope=scope, language_code=lang)
            return
        await bot.set_my_commands(command_list(settings.default_language, staff=staff), scope=scope)
        for lang in COMMAND_LANGUAGES:
            await bot.set_my_commands(
                command_list(lang, staff=staff), scope=scope, language_code=lang
            )
    except TelegramError as exc:
        # A staff member who never opened the bot has no chat yet.
        log.info("staff command list for %s not set: %s", user_id, exc)
