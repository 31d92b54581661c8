"""Attendance: a participant's QR code, staff scanning it (a deep link), and /hadir by list.

The QR code holds `https://t.me/<bot>?start=ci_<checkin_token>`. Opened by a staff account,
`/start ci_<token>` records attendance for today's training day. This module must come before
the registration feature in FEATURES, whose deep link handler takes any other `/start` payload.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.documents.qr import qr_png
from bot.runtime.context import BotContext
from bot.services import attendance as service
from bot.services.staff import get_training
from bot.services.training_spec import CHECKIN_PAYLOAD
from bot.texts import t
from bot.texts.labels import button_text
from bot.texts.links import checkin_link
from handlers.base import edit_or_send, pack, unpack, unpack_ints, user_language
from handlers.staff import ATTEND_PREFIX, PEOPLE_PREFIX, choose_training, day_label, short
from handlers.staff_auth import is_staff, refuse, staff_only

log = logging.getLogger(__name__)

QR_PREFIX = "qr"
SHEET = "t"
TOGGLE = "x"
SHEET_PAGE_SIZE = 20


async def send_checkin_code(update: Update, context: BotContext) -> None:
    """`qr:<registration_id>` (from the participant's /saya screen): their personal QR code."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    # A button of a message Telegram no longer has comes without a chat: the private chat's
    # id is the user's id.
    chat_id = update.effective_chat.id if update.effective_chat else user.id
    lang = await user_language(update, context)
    parts = unpack_ints(query.data, QR_PREFIX, 1)
    own = None
    if parts is not None:
        async with context.sessions() as session:
            own = await service.own_confirmed_registration(session, parts[0], user.id)
    if own is None:
        await query.answer(t("error.stale_button", lang), show_alert=True)
        return
    await query.answer()
    link = checkin_link(context.bot.username, own.checkin_token)
    await context.bot.send_photo(
        chat_id,
        InputFile(qr_png(link), filename="checkin.png"),
        caption=t("attendance.qr.caption", lang, title=own.training_title, name=own.name),
    )


def _result_text(result: service.CheckInResult, lang: str, context: BotContext) -> str:
    tz = context.settings.timezone
    values = {
        "name": result.name or "-",
        "title": result.training_title,
        "code": result.training_code,
        "n": result.day_number or "-",
        "of": result.day_count,
        "date": day_label(result.day_date) if result.day_date else "-",
        "time": result.checked_in_at.astimezone(tz).strftime("%H:%M")
        if result.checked_in_at
        else "-",
    }
    return t(f"attendance.checkin.{result.outcome.value}", lang, **values)


async def check_in_by_link(update: Update, context: BotContext) -> None:
    """`/start ci_<token>`: staff record attendance; a participant is told to show it to staff."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not context.args:
        return
    token = context.args[0].removeprefix(CHECKIN_PAYLOAD)
    lang = await user_language(update, context)
    if not is_staff(update, context):
        async with context.sessions() as session:
            owner = await service.token_owner(session, token)
        if owner == user.id:
            await message.reply_text(t("attendance.show_to_staff", lang))
        else:
            await refuse(update, context)
        return
    async with context.sessions() as session:
        result = await service.check_in(
            session, token, user.id, context.now(), service.METHOD_QR, tz=context.settings.timezone
        )
    log.info("check-in by %s: %s", user.id, result.outcome.value)
    await message.reply_text(_result_text(result, lang, context))


# ---- marking from the list ------------------------------------------------------------------
async def _show_sheet(update: Update, context: BotContext, training_id: int, page: int) -> None:
    lang = await user_language(update, context)
    today = context.now().astimezone(context.settings.timezone).date()
    async with context.sessions() as session:
        training = await get_training(session, training_id)
        day = await service.day_on(session, training_id, today) if training else None
        rows = await service.attendance_sheet(session, training_id, day.id) if day else []
    if training is None:
        await _stale(update, context)
        return
    if day is None:
        dates = ", ".join(day_label(d.date) for d in training.days) or "-"
        text = t("attendance.no_day_today", lang, title=training.title, dates=dates)
        await _reply(update, context, text, None)
        return
    pages = max(1, -(-len(rows) // SHEET_PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = rows[page * SHEET_PAGE_SIZE : (page + 1) * SHEET_PAGE_SIZE]
    buttons = [
        [
            InlineKeyboardButton(
                ("✅ " if row.present else "⬜ ") + short(row.name or "-", 40),
                callback_data=pack(ATTEND_PREFIX, TOGGLE, row.registration_id, day.id, page),
            )
        ]
        for row in shown
    ]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(
                t("staff.button.prev", lang),
                callback_data=pack(ATTEND_PREFIX, SHEET, training_id, page - 1),
            )
        )
    if page + 1 < pages:
        nav.append(
            InlineKeyboardButton(
                t("staff.button.next", lang),
                callback_data=pack(ATTEND_PREFIX, SHEET, training_id, page + 1),
            )
        )
    if nav:
        buttons.append(nav)
    buttons.append(
        [
            InlineKeyboardButton(
                button_text("participants", lang),
                callback_data=pack(PEOPLE_PREFIX, training_id, 0),
            )
        ]
    )
    text = t(
        "attendance.sheet",
        lang,
        title=training.title,
        n=day.day_number,
        of=len(training.days),
        date=day_label(day.date),
        present=sum(1 for r in rows if r.present),
        total=len(rows),
        page=page + 1,
        pages=pages,
    )
    await _reply(update, context, text, InlineKeyboardMarkup(buttons))


async def _reply(
    update: Update, context: BotContext, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer()
        await edit_or_send(update, context, text, markup)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text, reply_markup=markup)


async def _stale(update: Update, context: BotContext) -> None:
    lang = await user_language(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer(t("error.stale_button", lang), show_alert=True)


@staff_only
async def show_attendance(update: Update, context: BotContext) -> None:
    """`/hadir [CODE]`: today's list of a training, one button per participant."""
    training = await choose_training(update, context, ATTEND_PREFIX, 0)
    if training is not None:
        await _show_sheet(update, context, training.id, 0)


@staff_only
async def handle_attendance_button(update: Update, context: BotContext) -> None:
    """A page of the attendance list, or a tap on a participant (present / not present)."""
    query = update.callback_query
    assert query is not None
    sheet = unpack(query.data, ATTEND_PREFIX, 3)
    if sheet is not None and sheet[0] == SHEET and sheet[1].isdigit() and sheet[2].isdigit():
        await _show_sheet(update, context, int(sheet[1]), int(sheet[2]))
        return
    toggle = unpack(query.data, ATTEND_PREFIX, 4)
    if toggle is None or toggle[0] != TOGGLE or not all(p.isdigit() for p in toggle[1:]):
        await _stale(update, context)
        return
    registration_id, day_id, page = (int(p) for p in toggle[1:])
    user = update.effective_user
    assert user is not None
    async with context.sessions() as session:
        present = await service.toggle_attendance(
            session, registration_id, day_id, user.id, context.now()
        )
        day = await service.training_day(session, day_id)
    if present is None or day is None:
        await _stale(update, context)
        return
    await _show_sheet(update, context, day.training_id, page)


def register(application: Application) -> None:
    """Add this module's handlers (the check-in deep link before any other /start)."""
    application.add_handler(
        CommandHandler(
            "start",
            check_in_by_link,
            filters=filters.Regex(rf"^/start(?:@\w+)?\s+{CHECKIN_PAYLOAD}[A-Za-z0-9_-]+\s*$"),
        )
    )
    application.add_handler(CommandHandler(["hadir", "checkin"], show_attendance))
    application.add_handler(
        CallbackQueryHandler(handle_attendance_button, pattern=rf"^{ATTEND_PREFIX}:")
    )
    application.add_handler(CallbackQueryHandler(send_checkin_code, pattern=rf"^{QR_PREFIX}:"))
