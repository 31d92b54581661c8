"""Staff: a training's documents — the attendance sheet per day, every certificate as a ZIP,
the activity report (PDF and Excel), the charts (/statistik) and the feedback summary.

Everything is made on request from the database and sent as a reply to the staff member who
asked. PDFs and charts are drawn off the event loop, so participants are answered meanwhile.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.runtime.context import AnyApplication, BotContext
from bot.services import certificates
from bot.services.access import Right, Staff
from bot.services.activity import activity_report_view, attendance_sheet_view, training_info
from bot.services.business_follow_up import follow_up_counts
from bot.services.staff import get_training
from bot.services.statistics import training_statistics
from bot.services.survey import survey_summary
from bot.texts import t
from bot.texts.after_training import feedback_text
from bot.texts.callbacks import DOCUMENTS, pack, unpack
from bot.texts.follow_up import round_lines
from bot.texts.labels import button_text
from handlers.base import edit_or_send, reply_document, user_language
from handlers.buttons import acknowledge, button, stale
from handlers.staff.auth import callback_number, permit_of, reader_of, requires
from handlers.staff.common import choose_training, day_label, training_page_data

MENU = "m"
SHEET = "s"
CERTIFICATES = "c"
REPORT = "r"
CHARTS = "g"
FEEDBACK = "f"


def documents_markup(
    training_id: int, day_numbers: list[int], lang: str, staff: Staff
) -> InlineKeyboardMarkup:
    """One button per document of the training this staff member may have, and back to its
    page."""

    def button(text: str, *parts: object) -> list[InlineKeyboardButton]:
        return [InlineKeyboardButton(text, callback_data=pack(DOCUMENTS, *parts))]

    rows = []
    if staff.may(Right.EXPORT, training_id):
        rows += [
            button(t("docs.button.sheet", lang, n=n), SHEET, training_id, n) for n in day_numbers
        ]
        rows.append(button(t("docs.button.certificates", lang), CERTIFICATES, training_id))
    rows += [
        button(t("docs.button.report", lang), REPORT, training_id),
        button(t("docs.button.statistics", lang), CHARTS, training_id),
        button(t("docs.button.feedback", lang), FEEDBACK, training_id),
    ]
    back = training_page_data(training_id)
    rows.append([InlineKeyboardButton(button_text("back", lang), callback_data=back)])
    return InlineKeyboardMarkup(rows)


def _printed_at(context: BotContext) -> datetime:
    return context.now().astimezone(context.settings.timezone)


async def _show_menu(update: Update, context: BotContext, training_id: int) -> None:
    lang = await user_language(update, context)
    async with context.sessions() as session:
        info = await training_info(session, training_id)
    if info is None:
        await stale(update, context)
        return
    await acknowledge(update)
    text = t("docs.menu", lang, title=info.title, code=info.code)
    days = [d.day_number for d in info.days]
    permit = permit_of(context)
    assert permit is not None
    markup = documents_markup(training_id, days, lang, permit.staff)
    await edit_or_send(update, context, text, markup)


async def send_sheet(update: Update, context: BotContext, training_id: int, day: int) -> None:
    """The attendance sheet of one day as a PDF."""
    from bot.documents.attendance_sheet import attendance_sheet_pdf, sheet_filename

    lang = await user_language(update, context)
    async with context.sessions() as session:
        view = await attendance_sheet_view(
            session, training_id, day, reader=reader_of(update, context)
        )
    if view is None or update.effective_chat is None:
        await stale(update, context)
        return
    await acknowledge(update)
    settings, printed = context.settings, settings_lang(context)
    pdf = await asyncio.to_thread(
        attendance_sheet_pdf,
        view,
        settings.org_name,
        settings.timezone,
        _printed_at(context),
        printed,
    )
    caption = t(
        "docs.sheet.caption",
        lang,
        code=view.training.code,
        n=day,
        date=day_label(view.day.date, lang),
        count=len(view.rows),
    )
    await reply_document(
        update, context, pdf, sheet_filename(view.training.code, day, printed), caption
    )


def settings_lang(context: BotContext) -> str:
    """The language of the office's printed documents."""
    return context.settings.default_language


async def _send_certificates(update: Update, context: BotContext, training_id: int) -> None:
    from bot.documents.certificate import certificates_zip

    lang, printed = await user_language(update, context), settings_lang(context)
    settings = context.settings
    async with context.sessions() as session:
        training = await get_training(session, training_id)
        ids = await certificates.issue_all(
            session,
            training_id,
            settings.certificate_min_days,
            context.now(),
            settings.timezone,
            reader=reader_of(update, context),
        )
        views = await certificates.certificate_views(session, ids)
    if training is None or update.effective_chat is None:
        await stale(update, context)
        return
    await acknowledge(update)
    days = certificates.required_days(len(training.days), settings.certificate_min_days)
    if not views:
        await context.bot.send_message(
            update.effective_chat.id, t("docs.certificates.none", lang, days=days)
        )
        return
    ordered = [views[i] for i in ids if i in views]
    content = await asyncio.to_thread(
        certificates_zip, ordered, settings.org_name, context.bot.username, printed
    )
    caption = t(
        "docs.certificates.caption", lang, count=len(ordered), code=training.code, days=days
    )
    await reply_document(update, context, content, f"sertifikat-{training.code}.zip", caption)


async def _send_report(update: Update, context: BotContext, training_id: int) -> None:
    from bot.documents.activity_report import (
        activity_report_pdf,
        activity_report_xlsx,
        report_filename,
    )

    lang, printed = await user_language(update, context), settings_lang(context)
    settings = context.settings
    async with context.sessions() as session:
        view = await activity_report_view(session, training_id, settings.timezone)
    if view is None or update.effective_chat is None:
        await stale(update, context)
        return
    await acknowledge(update)
    pdf = await asyncio.to_thread(
        activity_report_pdf,
        view,
        settings.org_name,
        settings.timezone,
        _printed_at(context),
        printed,
    )
    xlsx = await asyncio.to_thread(activity_report_xlsx, view, printed)
    code = view.training.code
    caption = t("docs.report.caption", lang, code=code)
    await reply_document(update, context, pdf, report_filename(code, printed), caption)
    caption = t("docs.report.xlsx_caption", lang)
    await reply_document(update, context, xlsx, report_filename(code, printed, "xlsx"), caption)


async def send_charts(update: Update, context: BotContext, training_id: int) -> None:
    """The training's charts as one album of photos, its numbers in the caption."""
    from bot.documents.activity_report import training_charts

    lang = await user_language(update, context)
    async with context.sessions() as session:
        stats = await training_statistics(session, training_id, context.settings.timezone)
    if stats is None or update.effective_chat is None:
        await stale(update, context)
        return
    await acknowledge(update)
    charts = await asyncio.to_thread(training_charts, stats, lang)
    caption = t(
        "stats.caption",
        lang,
        title=stats.title,
        code=stats.code,
        confirmed=stats.confirmed,
        capacity=stats.capacity,
        waiting=stats.waitlisted,
        cancelled=stats.cancelled,
    )
    media = [
        InputMediaPhoto(png, filename=name, caption=caption if i == 0 else None)
        for i, (name, png) in enumerate(charts)
    ]
    await context.bot.send_media_group(update.effective_chat.id, media)


async def _send_feedback(update: Update, context: BotContext, training_id: int) -> None:
    lang = await user_language(update, context)
    async with context.sessions() as session:
        training = await get_training(session, training_id)
        summary = await survey_summary(session, training_id) if training else None
        rounds = await follow_up_counts(session, training_id) if training else []
    if training is None or summary is None or update.effective_chat is None:
        await stale(update, context)
        return
    await acknowledge(update)
    text = feedback_text(summary, training.title, training.code, lang)
    if rounds:  # months after: how many answered each follow-up
        text += "\n\n" + round_lines(rounds, lang)
    await context.bot.send_message(update.effective_chat.id, text)


def _document_parts(data: str | None) -> list[str] | None:
    """`doc:<action>:<training id>[:<day>]`, its numbers checked."""
    parts = unpack(data, DOCUMENTS, 3) or unpack(data, DOCUMENTS, 2)
    return parts if parts is not None and all(p.isdigit() for p in parts[1:]) else None


@button(_document_parts)
async def handle_documents_button(update: Update, context: BotContext, parts: list[str]) -> None:
    """The documents menu and each of its buttons."""
    action, training_id = parts[0], int(parts[1])
    if action == SHEET and len(parts) == 3:
        await send_sheet(update, context, training_id, int(parts[2]))
        return
    actions = {
        MENU: _show_menu,
        CERTIFICATES: _send_certificates,
        REPORT: _send_report,
        CHARTS: send_charts,
        FEEDBACK: _send_feedback,
    }
    run = actions.get(action) if len(parts) == 2 else None
    if run is None:
        await stale(update, context)
        return
    await run(update, context, training_id)


@requires(Right.SEE_COUNTS)
async def show_statistics(update: Update, context: BotContext) -> None:
    """`/statistik [CODE]`: the charts of a training (buttons to choose one without a code)."""
    training = await choose_training(update, context, DOCUMENTS, head=(CHARTS,))
    if training is not None:
        await send_charts(update, context, training.id)


def register(application: AnyApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(CommandHandler(["statistik", "statistics"], show_statistics))
    for rule, actions in _BUTTON_RULES:
        pattern = rf"^{DOCUMENTS}:(?:{'|'.join(actions)}):"
        application.add_handler(
            CallbackQueryHandler(rule(handle_documents_button), pattern=pattern)
        )


# Which right each document needs, on the training its button names: the sheets (names and
# phones) and the certificates are personal files; the menu, report, charts and feedback are
# counts and what people answered without their names.
_BUTTON_RULES = (
    (requires(Right.EXPORT, training=callback_number(2)), (SHEET, CERTIFICATES)),
    (requires(Right.SEE_COUNTS, training=callback_number(2)), (MENU, REPORT, CHARTS, FEEDBACK)),
)
