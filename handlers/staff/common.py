"""What the staff features share: choosing a training by code or by button, the date as staff
screens write it, and the data of the button back to a training's page."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.models import Training
from bot.runtime.context import BotContext
from bot.services import staff as service
from bot.texts import callbacks, t
from bot.texts.callbacks import pack
from bot.texts.formatting import format_staff_day, short
from bot.texts.staff_pages import VIEW
from handlers.base import user_language
from handlers.staff.auth import permit_of, refuse

MENU_LIMIT = 30


def day_label(day: date, lang: str) -> str:
    """A date as every staff screen writes it ("Kam, 3 Des 2026")."""
    return format_staff_day(day, lang)


def training_page_data(training_id: int) -> str:
    """The callback data of the button that shows a training's page."""
    return pack(callbacks.ADMIN, VIEW, training_id)


async def choose_training(
    update: Update, context: BotContext, prefix: str, *tail: object, head: tuple[object, ...] = ()
) -> Training | None:
    """The training named in the command's argument; without one, offer buttons (their data:
    prefix, head, the training's id, tail) and return None. Only the trainings the staff
    guard's permit allows are offered; another one named is refused like a non-staff user."""
    lang = await user_language(update, context)
    message = update.effective_message
    assert message is not None
    permit = permit_of(context)
    if context.args:
        async with context.sessions() as session:
            training = await service.find_training_by_code(session, context.args[0])
        if training is None:
            await message.reply_text(t("staff.unknown_code", lang, code=context.args[0][:40]))
        elif permit is not None and not permit.allows(training.id):
            await refuse(update, context)
            return None
        return training
    async with context.sessions() as session:
        lines = await service.list_trainings(session)
    lines = [line for line in lines if permit is None or permit.allows(line.id)][:MENU_LIMIT]
    if not lines:
        await message.reply_text(t("staff.menu.empty", lang))
        return None
    buttons = [
        [
            InlineKeyboardButton(
                short(f"{line.code} · {line.title}", 60),
                callback_data=pack(
                    prefix, *(("t",) if prefix == callbacks.ATTEND else head), line.id, *tail
                ),
            )
        ]
        for line in lines
    ]
    await message.reply_text(
        t("staff.choose_training", lang), reply_markup=InlineKeyboardMarkup(buttons)
    )
    return None
