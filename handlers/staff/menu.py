"""The staff menu (/admin, and /start for staff), staff help, a training's page with publish,
share, close and cancel, participants and exports."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.models import Training
from bot.runtime.commands import command_name, staff_commands
from bot.runtime.context import AnyApplication, BotContext
from bot.sending.outgoing import inline_button, markup
from bot.services import reports
from bot.services import staff as service
from bot.services import training_writer as writer
from bot.services.access import Right, Staff
from bot.texts import Safe, callbacks, t
from bot.texts import staff_pages as pages
from bot.texts.callbacks import DOCUMENTS, SHARE
from bot.texts.exports import export_message
from bot.texts.labels import label
from bot.texts.staff_pages import (
    CANCEL_ASK,
    CANCEL_CONFIRM,
    CLOSE,
    HELP,
    LIST,
    PARTICIPANT_MENU,
    PUBLISH,
    VIEW,
)
from handlers.base import edit_or_send, reply_document, unpack, user_language
from handlers.buttons import acknowledge, button, numbers, stale
from handlers.common import greet_sender, welcome
from handlers.staff.auth import (
    callback_number,
    permit_of,
    reader_of,
    requires,
    staff_filter,
)
from handlers.staff.common import MENU_LIMIT, choose_training
from handlers.staff.share import send_share_kit

log = logging.getLogger(__name__)

ADMIN_PREFIX, PEOPLE_PREFIX = callbacks.ADMIN, callbacks.PEOPLE
EXPORT_PREFIX, EXPORT_CSV_PREFIX = callbacks.EXPORT, callbacks.EXPORT_CSV
# The prefixes of every staff button, also those of other staff modules: a tap on any of them
# that no handler took is refused for non-staff and called stale for staff.
TRAINING_PREFIX, ATTEND_PREFIX = callbacks.TRAINING, callbacks.ATTEND
STAFF_PREFIXES = (
    ADMIN_PREFIX,
    PEOPLE_PREFIX,
    EXPORT_PREFIX,
    EXPORT_CSV_PREFIX,
    DOCUMENTS,
    TRAINING_PREFIX,
    ATTEND_PREFIX,
    SHARE,
    callbacks.STAFF_ROLES,
)

LIST_NAME_LIMIT = 40
LIST_BUSINESS_LIMIT = 30


# ---- the staff menu, help, and the participant menu one tap away --------------------------
def _dashboard(update: Update, context: BotContext) -> str | None:
    """The staff Mini App's URL, when there is one (Telegram opens a Mini App from an inline
    button in a private chat only)."""
    url = context.settings.webapp_url
    chat = update.effective_chat
    if not url or chat is None or chat.type != ChatType.PRIVATE:
        return None
    return url


def _staff(context: BotContext) -> Staff:
    permit = permit_of(context)
    assert permit is not None, "called outside the staff guard"
    return permit.staff


async def visible_trainings(context: BotContext) -> list[service.TrainingLine]:
    """The trainings this staff member's role holds on (the newest `MENU_LIMIT`)."""
    scope = _staff(context).trainings
    async with context.sessions() as session:
        lines = await service.list_trainings(session)
    return [line for line in lines if scope is None or line.id in scope][:MENU_LIMIT]


@requires(Right.STAFF)
async def show_admin_menu(update: Update, context: BotContext) -> None:
    """The staff menu: the trainings with status and counts, "new training", announce, help,
    and the participant menu (of these, what the role may use)."""
    lang = await user_language(update, context)
    lines = await visible_trainings(context)
    page = pages.staff_menu(lines, lang, _dashboard(update, context), _staff(context))
    await edit_or_send(update, context, page.text, markup(page.buttons), answer=True)


@requires(Right.STAFF)
async def start_for_staff(update: Update, context: BotContext) -> None:
    """`/start` from a staff member: the staff menu (the participant menu is a tap away)."""
    await greet_sender(update, context)
    await show_admin_menu(update, context)


def staff_help_text(lang: str, staff: Staff) -> str:
    """The staff commands of this role and what they do, then how to create, share and import
    (for those who may)."""
    commands = [
        t(
            "staff.help.command",
            lang,
            command=command_name(name, english, lang),
            label=label(name_of_label, lang),
            does=t(f"does.{name_of_label}", lang),
        )
        for name, english, name_of_label in staff_commands(staff)
    ]
    commands.append(t("staff.help.leave", lang, command=command_name("batal", "cancel", lang)))
    if not staff.has(Right.EDIT_TRAININGS):
        return t("staff.help.short", lang, commands=Safe("\n".join(commands)))
    return t(
        "staff.help",
        lang,
        commands=Safe("\n".join(commands)),
        **{name: label(name, lang) for name in _HELP_LABELS},
    )


_HELP_LABELS = ("new_training", "staff_menu", "share", "publish", "attendance")


@requires(Right.STAFF)
async def show_staff_help(update: Update, context: BotContext) -> None:
    """`/bantuan` from a staff member (or the menu's help button): the staff commands."""
    lang = await user_language(update, context)
    await acknowledge(update)
    if update.effective_message is not None:
        buttons = markup(pages.help_buttons(lang))
        text = staff_help_text(lang, _staff(context))
        await update.effective_message.reply_text(text, reply_markup=buttons)


async def _show_participant_menu(update: Update, context: BotContext) -> None:
    """The menu participants see, with a way back to the staff menu."""
    lang = await user_language(update, context)
    text, menu = welcome(update, context, lang)
    rows = [*(list(row) for row in menu.inline_keyboard)]
    rows.append([inline_button(pages.labelled("staff_menu", lang, ADMIN_PREFIX, LIST))])
    await edit_or_send(update, context, text, InlineKeyboardMarkup(rows), answer=True)


async def _training_and_counts(
    update: Update, context: BotContext, training_id: int
) -> tuple[Training, reports.TrainingCounts] | None:
    """The training and its counts; None (and the stale answer) when it is gone."""
    async with context.sessions() as session:
        training = await service.get_training(session, training_id)
        counts = await reports.training_counts(session, training) if training else None
    if training is None or counts is None:
        await stale(update, context)
        return None
    return training, counts


async def render_training(
    update: Update, context: BotContext, training_id: int, notice: str = ""
) -> None:
    """Show a training's page (edit the tapped message), with an optional notice on top."""
    lang = await user_language(update, context)
    found = await _training_and_counts(update, context, training_id)
    if found is None:
        return
    training, counts = found
    tz = context.settings.timezone
    page = pages.training_page(training, counts, _staff(context), lang, tz, notice)
    await edit_or_send(update, context, page.text, markup(page.buttons), answer=True)


def _admin_parts(data: str | None) -> list[str] | None:
    """`adm:<menu action>` or `adm:<action>:<training id>`."""
    return unpack(data, ADMIN_PREFIX, 1) or unpack(data, ADMIN_PREFIX, 2)


@button(_admin_parts)
async def handle_admin_button(update: Update, context: BotContext, parts: list[str]) -> None:
    """The staff menu's buttons: back to the menu, help, the participant menu, a training's
    page, publish, close, cancel."""
    if len(parts) == 1 and parts[0] in _MENU_ACTIONS:
        await _MENU_ACTIONS[parts[0]](update, context)
        return
    if len(parts) != 2 or not parts[1].isdigit():
        await stale(update, context)
        return
    action, training_id = parts[0], int(parts[1])
    if action == VIEW:
        await render_training(update, context, training_id)
    elif action in (PUBLISH, CLOSE):
        await _change_status(update, context, action, training_id)
    elif action == CANCEL_ASK:
        await _ask_cancel(update, context, training_id)
    elif action == CANCEL_CONFIRM:
        await _cancel(update, context, training_id)
    else:
        await stale(update, context)


async def _change_status(
    update: Update, context: BotContext, action: str, training_id: int
) -> None:
    """Publish (then share) or close a training, and show its page with how it went."""
    change = writer.publish_training if action == PUBLISH else writer.close_training
    user = update.effective_user
    changed_by = user.id if user is not None else None
    async with context.sessions() as session:
        outcome = await change(session, training_id, context.now(), changed_by=changed_by)
    if outcome == writer.StatusOutcome.NOT_FOUND:
        await stale(update, context)
        return
    lang = await user_language(update, context)
    await render_training(update, context, training_id, t(f"staff.{action}.{outcome.value}", lang))
    if action == PUBLISH and outcome == writer.StatusOutcome.DONE:
        await send_share_kit(update, context, training_id)


async def _ask_cancel(update: Update, context: BotContext, training_id: int) -> None:
    lang = await user_language(update, context)
    found = await _training_and_counts(update, context, training_id)
    if found is None:
        return
    training, counts = found
    question = pages.cancel_question(training, counts, lang)
    await edit_or_send(update, context, question.text, markup(question.buttons), answer=True)


async def _cancel(update: Update, context: BotContext, training_id: int) -> None:
    lang = await user_language(update, context)
    staff_id = update.effective_user.id if update.effective_user else None
    async with context.sessions() as session:
        result = await writer.cancel_training(
            session, training_id, changed_by=staff_id, now=context.now()
        )
    if result.outcome == writer.StatusOutcome.NOT_FOUND:
        await stale(update, context)
        return
    log.info(
        "training %s cancelled by %s: %d registrations cancelled",
        result.code,
        staff_id or "-",
        len(result.registration_ids),
    )
    key = (
        "staff.cancel.done"
        if result.outcome == writer.StatusOutcome.DONE
        else "staff.cancel.already"
    )
    await render_training(
        update, context, training_id, t(key, lang, people=len(result.participant_ids))
    )


# ---- participants ---------------------------------------------------------------------------
async def _show_participants(
    update: Update, context: BotContext, training_id: int, page_no: int
) -> None:
    lang = await user_language(update, context)
    async with context.sessions() as session:
        training = await service.get_training(session, training_id)
        if training is None:
            await stale(update, context)
            return
        counts = await reports.training_counts(session, training)
        page = await reports.participant_page(
            session, training, page_no, context.settings.timezone, reader=reader_of(update, context)
        )
    shown = pages.participants_page(training_id, counts, page, lang)
    await edit_or_send(update, context, shown.text, markup(shown.buttons), answer=True)


@requires(Right.SEE_PEOPLE)
async def show_participants(update: Update, context: BotContext) -> None:
    """`/peserta [CODE]`: counts and the first page of the list."""
    training = await choose_training(update, context, PEOPLE_PREFIX, 0)
    if training is not None:
        await _show_participants(update, context, training.id, 0)


@requires(Right.SEE_PEOPLE, training=callback_number(1))
@button(numbers(PEOPLE_PREFIX, 2))
async def turn_participants_page(update: Update, context: BotContext, parts: list[int]) -> None:
    """A page button of the participant list."""
    await _show_participants(update, context, parts[0], parts[1])


# ---- export ---------------------------------------------------------------------------------
async def _export_of(
    update: Update, context: BotContext, training_id: int
) -> reports.TrainingExport | None:
    async with context.sessions() as session:
        training = await service.get_training(session, training_id)
        if training is None:
            return None
        reader = reader_of(update, context)
        return await reports.export_training(
            session, training, context.settings.timezone, reader=reader
        )


async def _send_export(update: Update, context: BotContext, training_id: int) -> None:
    """The Excel file (with the button that asks for the CSV too)."""
    from bot.documents.exports import xlsx_attachment

    lang = await user_language(update, context)
    export = await _export_of(update, context, training_id)
    if export is None or update.effective_chat is None:
        await stale(update, context)
        return
    await acknowledge(update)
    printed_at = context.now().astimezone(context.settings.timezone).replace(tzinfo=None)
    xlsx = xlsx_attachment(export, lang, printed_at)
    message = export_message(export, lang, xlsx)
    await reply_document(
        update, context, xlsx.content, xlsx.filename, message.text, markup(message.buttons)
    )


@requires(Right.EXPORT, training=callback_number(1))
@button(numbers(EXPORT_CSV_PREFIX, 1))
async def send_csv(update: Update, context: BotContext, parts: list[int]) -> None:
    """ "Also as CSV" under an export: the same list as a CSV file."""
    from bot.documents.exports import export_filename, write_csv

    export = await _export_of(update, context, parts[0])
    if export is None or update.effective_chat is None:
        await stale(update, context)
        return
    lang = await user_language(update, context)
    await acknowledge(update)
    filename, caption = export_filename(export.code, "csv"), t("staff.export.csv_caption", lang)
    await reply_document(update, context, write_csv(export, lang), filename, caption)


@requires(Right.EXPORT)
async def export_participants(update: Update, context: BotContext) -> None:
    """`/ekspor [CODE]`: the participant list as an Excel file (CSV on request)."""
    training = await choose_training(update, context, EXPORT_PREFIX)
    if training is not None:
        await _send_export(update, context, training.id)


@requires(Right.EXPORT, training=callback_number(1))
@button(numbers(EXPORT_PREFIX, 1))
async def export_by_button(update: Update, context: BotContext, parts: list[int]) -> None:
    """The export button of a training."""
    await _send_export(update, context, parts[0])


@requires(Right.STAFF)
async def stale_staff_button(update: Update, context: BotContext) -> None:
    """A staff button no handler took (an old message, or data the bot never made)."""
    await stale(update, context)


# Which right each of the staff menu's buttons needs (on the training its data names).
_ADMIN_BUTTON_RULES = (
    (requires(Right.STAFF), (LIST, HELP, PARTICIPANT_MENU)),
    (requires(Right.SEE_COUNTS, training=callback_number(2)), (VIEW,)),
    (
        requires(Right.EDIT_TRAININGS, training=callback_number(2)),
        (PUBLISH, CLOSE, CANCEL_ASK, CANCEL_CONFIRM),
    ),
)
# The staff menu's buttons that name no training.
_MENU_ACTIONS = {
    LIST: show_admin_menu,
    HELP: show_staff_help,
    PARTICIPANT_MENU: _show_participant_menu,
}


def register(application: AnyApplication) -> None:
    """Add this module's handlers (before `common` and `registration`: staff's own /start
    without a payload and /bantuan come here; a deep link still opens registration)."""
    staff = staff_filter(application)
    application.add_handler(CommandHandler("start", start_for_staff, staff, has_args=False))
    application.add_handler(CommandHandler(["bantuan", "help"], show_staff_help, staff))
    application.add_handler(CommandHandler("admin", show_admin_menu))
    application.add_handler(CommandHandler(["peserta", "participants"], show_participants))
    application.add_handler(CommandHandler(["ekspor", "export"], export_participants))
    for rule, actions in _ADMIN_BUTTON_RULES:
        pattern = rf"^{ADMIN_PREFIX}:(?:{'|'.join(actions)})(?::|$)"
        application.add_handler(CallbackQueryHandler(rule(handle_admin_button), pattern=pattern))
    application.add_handler(
        CallbackQueryHandler(turn_participants_page, pattern=rf"^{PEOPLE_PREFIX}:")
    )
    application.add_handler(CallbackQueryHandler(export_by_button, pattern=rf"^{EXPORT_PREFIX}:"))
    application.add_handler(CallbackQueryHandler(send_csv, pattern=rf"^{EXPORT_CSV_PREFIX}:"))
    # Last of the staff modules in FEATURES: any staff button left over is refused or stale.
    prefixes = "|".join(STAFF_PREFIXES)
    application.add_handler(
        CallbackQueryHandler(stale_staff_button, pattern=rf"^(?:{prefixes})(?::|$)")
    )
