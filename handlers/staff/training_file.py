"""A training file sent as a document by staff: checked whole, imported, answered in one message,
followed by the share kit (link, WhatsApp text, poster) of each training it published.

The size is checked before the file is downloaded, and the file is parsed in a process of its
own: a 1 MB file is seconds of CPU, which a thread would take from every other chat (the GIL is
one for the whole bot). The process is started at the first file and stopped with the bot.
"""

from __future__ import annotations

import asyncio
import functools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import cast

from telegram import Document, Update
from telegram.error import TelegramError
from telegram.ext import MessageHandler, filters

from bot.runtime.context import AnyApplication, BotContext
from bot.services.access import Right
from bot.services.training_file import (
    ImportResult,
    TrainingFileError,
    check_size,
    import_trainings,
    read_training_file,
)
from bot.texts import Safe, t
from bot.texts.trainings import file_error_text, import_summary
from handlers.base import user_language
from handlers.staff.auth import staff_access, staff_filter
from handlers.staff.share import share_published

PARSER_KEY = "training_file_parser"


async def _download(document: Document) -> bytes | None:
    try:
        return bytes(await (await document.get_file()).download_as_bytearray())
    except TelegramError:
        return None


def _parser(context: BotContext) -> ProcessPoolExecutor:
    """The process that parses training files, started at the first file."""
    pool = context.deps.services.get(PARSER_KEY)
    if pool is None:
        # Spawned, not forked: the bot's threads (the database driver's) stay behind.
        spawn = multiprocessing.get_context("spawn")
        pool = context.deps.services[PARSER_KEY] = ProcessPoolExecutor(1, mp_context=spawn)
    return cast(ProcessPoolExecutor, pool)


async def _import(context: BotContext, content: bytes, staff_id: int) -> ImportResult:
    loop = asyncio.get_running_loop()
    parse = functools.partial(read_training_file, content, context.settings.timezone)
    trainings = await loop.run_in_executor(_parser(context), parse)
    async with context.sessions() as session:
        return await import_trainings(session, trainings, now=context.now(), changed_by=staff_id)


async def import_document(update: Update, context: BotContext) -> None:
    """A staff member sends a training file: check it whole, import it, report."""
    lang = await user_language(update, context)
    message, user = update.effective_message, update.effective_user
    if message is None or message.document is None or user is None:
        return
    staff = await staff_access(update, context)
    if staff is None or not staff.may_everywhere(Right.EDIT_TRAININGS):
        await message.reply_text(t("error.unsupported_message", lang))
        return
    try:
        check_size(message.document.file_size or 0)
        content = await _download(message.document)
        if content is None:
            await message.reply_text(t("import.unreadable", lang))
            return
        result = await _import(context, content, user.id)
    except TrainingFileError as exc:
        error = Safe(file_error_text(exc, lang))
        await message.reply_text(t("import.failed", lang, error=error))
        return
    await message.reply_text(t("import.done", lang, summary=Safe(import_summary(result, lang))))
    await share_published(update, context, list(result.written))


def register(application: AnyApplication) -> None:
    """Add the document handler (after the registration conversation, which hints at a
    document sent in the middle of a step); a participant's file goes on to the helpdesk."""
    staff = staff_filter(application)
    application.add_handler(MessageHandler(filters.Document.ALL & staff, import_document))
