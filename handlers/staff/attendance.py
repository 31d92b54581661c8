"""Attendance: a participant's check-in ticket, staff scanning it (a deep link), and /hadir by
list (by name, or by the ticket's short code when its QR code will not scan).

The ticket's QR code holds `https://t.me/<bot>?start=ci_<checkin_token>`. Opened by a staff account,
`/start ci_<token>` records attendance for today's training day. This module must come before
the registration feature in FEATURES, whose deep link handler takes any other `/start` payload.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.models import Training, TrainingDay
from bot.runtime.context import AnyApplication, BotContext
from bot.sending.outgoing import markup as inline_markup
from bot.services import attendance as service
from bot.services.access import Right
from bot.services.staff import get_training
from bot.services.training_spec import CHECKIN_PAYLOAD
from bot.texts import callbacks, t
from bot.texts.callbacks import DOCUMENTS
from bot.texts.formatting import format_time, short
from bot.texts.labels import button_text
from bot.texts.links import checkin_link
from bot.texts.registrations import ticket_buttons
from handlers.base import deep_link, edit_or_send, pack, user_language
from handlers.buttons import acknowledge, button, numbers, stale
from handlers.staff.auth import permit_of, refuse, requires, staff_access
from handlers.staff.common import choose_training, day_label

log = logging.getLogger(__name__)

QR_PREFIX, ATTEND_PREFIX, PEOPLE_PREFIX = callbacks.QR, callbacks.ATTEND, callbacks.PEOPLE
SHEET = "t"
DAY = "d"
DAYS = "ds"
TOGGLE = "x"
SHEET_PAGE_SIZE = 20
SEARCH_LIMIT = 40


@button(numbers(QR_PREFIX, 1))
async def send_checkin_code(update: Update, context: BotContext, parts: list[int]) -> None:
    """`qr:<registration_id>` (from /saya or the morning reminder): the participant's check-in
    ticket, an image with their QR code and ticket code."""
    from bot.documents.ticket import ticket_filename, ticket_png

    user = update.effective_user
    if user is None:
        return
    # A button of a message Telegram no longer has comes without a chat: the private chat's
    # id is the user's id.
    chat_id = update.effective_chat.id if update.effective_chat else user.id
    lang = await user_language(update, context)
    async with context.sessions() as session:
        own = await service.own_confirmed_registration(session, parts[0], user.id)
    if own is None:
        await stale(update, context)
        return
    await acknowledge(update)
    link = checkin_link(context.bot.username, own.checkin_token)
    settings = context.settings
    # Off the event loop: drawing and compressing the image takes a few tens of milliseconds.
    png = await asyncio.to_thread(ticket_png, own, link, settings.org_name, lang, settings.timezone)
    caption = t(
        "attendance.qr.caption", lang, title=own.training_title, name=own.name, code=own.ticket
    )
    buttons = inline_markup(ticket_buttons(own.ticket, lang))
    await context.bot.send_photo(
        chat_id,
        InputFile(png, filename=ticket_filename(own)),
        caption=caption,
        reply_markup=buttons,
    )


def _result_text(result: service.CheckInResult, lang: str, context: BotContext) -> str:
    tz = context.settings.timezone
    values = {
        "name": result.name or "-",
        "title": result.training_title,
        "code": result.training_code,
        "n": result.day_number or "-",
        "of": result.day_count,
        "date": day_label(result.day_date, lang) if result.day_date else "-",
        "time": format_time(result.checked_in_at, tz, lang) if result.checked_in_at else "-",
    }
    return t(f"attendance.checkin.{result.outcome.value}", lang, **values)


async def check_in_by_link(update: Update, context: BotContext) -> None:
    """`/start ci_<token>`: staff record attendance; a participant is told to show it to staff."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or not context.args:
        return
    token = context.args[0].removeprefix(CHECKIN_PAYLOAD)
    lang = await user_language(update, context)
    staff = await staff_access(update, context)
    async with context.sessions() as session:
        training_id = await service.token_training(session, token)
    if staff is None or not staff.may(Right.CHECK_IN, training_id):
        async with context.sessions() as session:
            owner = await service.token_owner(session, token)
        if owner == user.id:
            await message.reply_text(t("attendance.show_to_staff", lang))
        else:
            await refuse(update, context)
        return
    async with context.sessions() as session:
        result = await service.check_in(
            session,
            token,
            user.id,
            context.now(),
            service.METHOD_QR,
            tz=context.settings.timezone,
            certificate_min_days=context.settings.certificate_min_days,
        )
    log.info("check-in by %s: %s", user.id, result.outcome.value)
    await message.reply_text(_result_text(result, lang, context))


# ---- marking from the list ------------------------------------------------------------------
SEARCH_KEY = "attendance_search"


def _search_of(context: BotContext, training_id: int) -> str:
    """The name staff searched for in this training's list (empty: everyone)."""
    search = context.user_data.get(SEARCH_KEY) if context.user_data is not None else None
    if isinstance(search, dict) and search.get("training") == training_id:
        return str(search.get("query", ""))
    return ""


def _day_buttons(
    training_id: int, days: list[tuple[int, int, str]], lang: str
) -> list[list[InlineKeyboardButton]]:
    """One button per training day: (day id, number, label)."""
    return [
        [
            InlineKeyboardButton(
                t("docs.button.day", lang, n=number, date=label),
                callback_data=pack(ATTEND_PREFIX, DAY, training_id, day_id, 0),
            )
        ]
        for day_id, number, label in days
    ]


async def _show_sheet(
    update: Update, context: BotContext, training_id: int, page: int, day_id: int | None = None
) -> None:
    """The check-in list of one day (today's by default), one button per person."""
    lang = await user_language(update, context)
    today = context.now().astimezone(context.settings.timezone).date()
    async with context.sessions() as session:
        training = await get_training(session, training_id)
        if training is not None and day_id is None:
            day = await service.day_on(session, training_id, today)
        else:
            day = next((d for d in training.days if d.id == day_id), None) if training else None
        rows = await service.attendance_sheet(session, training_id, day.id) if day else []
    if training is None:
        await stale(update, context)
        return
    if day is None:
        dates = " · ".join(day_label(d.date, lang) for d in training.days) or "-"
        text = t("attendance.no_day_today", lang, title=training.title, dates=dates)
        await _offer_days(update, context, training, lang, text + "\n\n")
        return
    query = _search_of(context, training_id)
    shown_rows = [r for r in rows if r.matches(query)] if query else rows
    text, buttons = _sheet_page(training, day, rows, shown_rows, page, lang, query)
    tools = _sheet_tools(training, day, lang, context)
    buttons += [tools] if tools else []
    await edit_or_send(update, context, text, InlineKeyboardMarkup(buttons), answer=True)


def _sheet_page(
    training: Training,
    day: TrainingDay,
    rows: list[service.CheckInSheetRow],
    shown_rows: list[service.CheckInSheetRow],
    page: int,
    lang: str,
    query: str,
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    """The text and buttons of one page of a day's list (`shown_rows`: after the search)."""
    pages = max(1, -(-len(shown_rows) // SHEET_PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = shown_rows[page * SHEET_PAGE_SIZE : (page + 1) * SHEET_PAGE_SIZE]
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
        data = pack(ATTEND_PREFIX, DAY, training.id, day.id, page - 1)
        nav.append(InlineKeyboardButton(t("staff.button.prev", lang), callback_data=data))
    if page + 1 < pages:
        data = pack(ATTEND_PREFIX, DAY, training.id, day.id, page + 1)
        nav.append(InlineKeyboardButton(t("staff.button.next", lang), callback_data=data))
    if nav:
        buttons.append(nav)
    text = t(
        "attendance.sheet",
        lang,
        title=training.title,
        n=day.day_number,
        of=len(training.days),
        date=day_label(day.date, lang),
        present=sum(1 for r in rows if r.present),
        total=len(rows),
        page=page + 1,
        pages=pages,
    )
    if query:
        text += "\n" + t("attendance.searching", lang, query=query)
        if not shown_rows:
            text += "\n" + t("attendance.search_none", lang, query=query, code=training.code)
    elif len(rows) > SHEET_PAGE_SIZE:
        text += "\n" + t("attendance.search_hint", lang, code=training.code)
    return text, buttons


def _sheet_tools(
    training: Training, day: TrainingDay, lang: str, context: BotContext
) -> list[InlineKeyboardButton]:
    """Other days, the printable sheet of this day, the participant list (the last two for
    those who may see them)."""
    permit = permit_of(context)
    staff = permit.staff if permit is not None else None
    tools = []
    if len(training.days) > 1:
        data = pack(ATTEND_PREFIX, DAYS, training.id)
        tools.append(InlineKeyboardButton(t("staff.button.days", lang), callback_data=data))
    if staff is not None and staff.may(Right.EXPORT, training.id):
        data = pack(DOCUMENTS, "s", training.id, day.day_number)
        tools.append(InlineKeyboardButton(t("staff.button.sheet_pdf", lang), callback_data=data))
    if staff is not None and staff.may(Right.SEE_PEOPLE, training.id):
        data = pack(PEOPLE_PREFIX, training.id, 0)
        tools.append(InlineKeyboardButton(button_text("participants", lang), callback_data=data))
    return tools


async def _choose_day(update: Update, context: BotContext, training_id: int) -> None:
    lang = await user_language(update, context)
    async with context.sessions() as session:
        training = await get_training(session, training_id)
    if training is None:
        await stale(update, context)
        return
    await _offer_days(update, context, training, lang)


async def _offer_days(
    update: Update, context: BotContext, training: Training, lang: str, above: str = ""
) -> None:
    """ "Choose a day" (below `above`), one button per day of the training."""
    days = [(d.id, d.day_number, day_label(d.date, lang)) for d in training.days]
    text = above + t("attendance.choose_day", lang, title=training.title)
    markup = InlineKeyboardMarkup(_day_buttons(training.id, days, lang))
    await edit_or_send(update, context, text, markup, answer=True)


@requires(Right.CHECK_IN)
async def show_attendance(update: Update, context: BotContext) -> None:
    """`/hadir [CODE [name]]`: today's list of a training, one button per participant; with a
    name, only the people whose name holds it (when the QR code fails and the list is long)."""
    training = await choose_training(update, context, ATTEND_PREFIX, 0)
    if training is None:
        return
    query = " ".join(context.args[1:])[:SEARCH_LIMIT] if context.args else ""
    if context.user_data is not None:
        context.user_data[SEARCH_KEY] = {"training": training.id, "query": query}
    await _show_sheet(update, context, training.id, 0)


def _attendance_parts(data: str | None) -> tuple[str, list[int]] | None:
    """`att:<action>:<number>…`: the action and its numbers."""
    parts = (data or "").split(":")[1:]
    if not parts[1:] or not all(p.isdigit() for p in parts[1:]):
        return None
    return parts[0], [int(p) for p in parts[1:]]


async def _training_of_button(update: Update, context: BotContext) -> int | None:
    """The training an attendance button is about: named (`att:t:<training>:…`), or through
    the day of a tap on a participant (`att:x:<registration>:<day>:<page>`)."""
    query = update.callback_query
    parts = _attendance_parts(query.data if query is not None else None)
    if parts is None:
        return None
    action, ids = parts
    if action != TOGGLE:
        return ids[0]
    async with context.sessions() as session:
        day = await service.training_day(session, ids[1]) if len(ids) == 3 else None
    return day.training_id if day is not None else None


@requires(Right.CHECK_IN, training=_training_of_button)
@button(_attendance_parts)
async def handle_attendance_button(
    update: Update, context: BotContext, parts: tuple[str, list[int]]
) -> None:
    """A page of the attendance list, another day, or a tap on a participant."""
    action, ids = parts
    if action == SHEET and len(ids) == 2:
        await _show_sheet(update, context, ids[0], ids[1])
    elif action == DAY and len(ids) == 3:
        await _show_sheet(update, context, ids[0], ids[2], ids[1])
    elif action == DAYS and len(ids) == 1:
        await _choose_day(update, context, ids[0])
    elif action == TOGGLE and len(ids) == 3:
        await _toggle(update, context, *ids)
    else:
        await stale(update, context)


async def _toggle(
    update: Update, context: BotContext, registration_id: int, day_id: int, page: int
) -> None:
    user = update.effective_user
    assert user is not None
    async with context.sessions() as session:
        present = await service.toggle_attendance(
            session,
            registration_id,
            day_id,
            user.id,
            context.now(),
            context.settings.certificate_min_days,
        )
        day = await service.training_day(session, day_id)
    if present is None or day is None:
        await stale(update, context)
        return
    await _show_sheet(update, context, day.training_id, page, day_id)


def register(application: AnyApplication) -> None:
    """Add this module's handlers (the check-in deep link before any other /start)."""
    application.add_handler(deep_link(CHECKIN_PAYLOAD, check_in_by_link))
    application.add_handler(CommandHandler(["hadir", "checkin"], show_attendance))
    application.add_handler(
        CallbackQueryHandler(handle_attendance_button, pattern=rf"^{ATTEND_PREFIX}:")
    )
    application.add_handler(CallbackQueryHandler(send_checkin_code, pattern=rf"^{QR_PREFIX}:"))
