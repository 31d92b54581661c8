"""Creating and editing a training, as a conversation: few questions, natural input, a summary.

A new training asks only what it cannot do without: code, title, venue, seats, the dates ("8-10
Des", "besok", "Senin depan"; times may follow in the same message) and each day's times
("08.00-15.00", "9-3"; "same as the day before" is a button). The deadline defaults to the
day before the first day and the description is optional: both, and every other field, can be
changed from the summary, which saves as a draft or saves and publishes (and then shares).

The draft (`bot.services.training_draft`, which also reads each answer) lives in `user_data`
(persisted after every update), read and kept by `_with_draft` only, so a restart in the
middle loses nothing; it is written to the database only at "Simpan", through the one writer.
Its screens are renderers in `bot.texts.training_draft`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.runtime.context import AnyApplication, BotContext
from bot.sending.outgoing import markup
from bot.services import staff as service
from bot.services import training_draft as drafts
from bot.services import training_spec as rules
from bot.services.access import Right
from bot.services.training_draft import (
    DATES,
    DAY_END,
    DAY_FIELDS,
    DEADLINE,
    FIX_MODE,
    FLOW,
    QUESTIONS,
    SKIPPABLE,
    TIMES,
    TRAINING_FIELDS,
    DayDraft,
    TrainingDraft,
)
from bot.services.training_spec import InvalidValueError, Problem
from bot.services.training_writer import WriteRefusal, training_id_of_code, write_trainings
from bot.texts import t
from bot.texts import training_draft as screens
from bot.texts.message import Outgoing
from bot.texts.training_draft import (
    ADD_DAY,
    AUTO,
    BACK,
    DAY,
    DAY_FIX,
    DROP_DAY,
    EDIT,
    FIX,
    NEW,
    NEXT_DAY,
    QUIT,
    SAME,
    SAVE,
    SAVE_PUBLISH,
    SKIP,
)
from handlers.base import edit_or_send, unpack, user_language
from handlers.buttons import acknowledge, button, stale
from handlers.staff.auth import callback_number, permit_of, refuse, requires
from handlers.staff.menu import TRAINING_PREFIX, render_training
from handlers.staff.share import send_share_kit

CONVERSATION_NAME = "staff_training"
DRAFT_KEY = "staff_draft"
# Conversation states: one per question (named as the draft's fields), the summary, and a
# day's menu; the names of earlier versions stay, so a conversation they persisted goes on.
SUMMARY, DAY_MENU = "summary", "day_menu"
Step = str | int
DraftStep = Callable[[Update, BotContext, TrainingDraft], Coroutine[Any, Any, Step]]


# ---- the draft in user_data ---------------------------------------------------------------
def _keep(context: BotContext, draft: TrainingDraft | None) -> None:
    """Store the draft for the next update (None: forget it)."""
    if context.user_data is None:
        return
    if draft is None:
        context.user_data.pop(DRAFT_KEY, None)
    else:
        context.user_data[DRAFT_KEY] = draft.to_data()


def _with_draft(step: DraftStep) -> Callable[[Update, BotContext], Coroutine[Any, Any, Step]]:
    """Run `step` on the conversation's draft and keep what it changed (forgotten when the
    conversation ends); a draft that is gone gets the stale answer and ends it."""

    @functools.wraps(step)
    async def run(update: Update, context: BotContext) -> Step:
        stored = context.user_data.get(DRAFT_KEY) if context.user_data is not None else None
        draft = TrainingDraft.from_data(stored)
        if draft is None:
            return await _lost_draft(update, context)
        following = await step(update, context, draft)
        _keep(context, None if following == ConversationHandler.END else draft)
        return following

    return run


def _local_now(context: BotContext) -> datetime:
    return context.now().astimezone(context.settings.timezone).replace(tzinfo=None)


async def _reply(update: Update, outgoing: Outgoing) -> None:
    await acknowledge(update)
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            outgoing.text, reply_markup=markup(outgoing.buttons)
        )


async def _ask(
    update: Update, context: BotContext, draft: TrainingDraft, name: str, above: Problem | str = ""
) -> Step:
    """Ask question `name` (with a hint after a bad answer, or a notice of what the last
    answer said); returns its state."""
    lang = await user_language(update, context)
    await _reply(update, screens.question(draft, name, lang, _local_now(context), above))
    return name


async def _show_summary(
    update: Update, context: BotContext, draft: TrainingDraft, notice: str = ""
) -> Step:
    """The draft's summary, with `notice` (a text) on top."""
    lang = await user_language(update, context)
    draft.mode = FIX_MODE
    draft.in_date_order()
    tz, now = context.settings.timezone, _local_now(context)
    await _reply(update, screens.summary(draft, lang, tz, now, notice))
    return SUMMARY


async def _lost_draft(update: Update, context: BotContext) -> int:
    """The draft is gone (or the button names no training): the stale answer, and unlike a
    stale button inside a draft, the conversation ends."""
    await stale(update, context)
    return ConversationHandler.END


async def _go_on(
    update: Update, context: BotContext, draft: TrainingDraft, notice: str = ""
) -> Step:
    """The next question the draft needs, or the summary when it needs none."""
    missing = draft.missing()
    if missing is None:
        return await _show_summary(update, context, draft, notice)
    return await _ask(update, context, draft, missing, notice)


# ---- entry points -----------------------------------------------------------------------------
@requires(Right.EDIT_TRAININGS, everywhere=True)
async def start_new_training(update: Update, context: BotContext) -> str | int:
    """ "Pelatihan baru": start an empty draft and ask for the code."""
    draft = TrainingDraft()
    _keep(context, draft)
    if update.callback_query is not None:
        lang = await user_language(update, context)
        await edit_or_send(update, context, t("staff.new.intro", lang))
    return await _ask(update, context, draft, drafts.CODE)


def _edited_training(data: str | None) -> int | None:
    """The training of callback data `trn:edit:<training id>`."""
    ids = unpack(data, TRAINING_PREFIX, 2)
    return int(ids[1]) if ids is not None and ids[0] == EDIT and ids[1].isdigit() else None


@requires(Right.EDIT_TRAININGS, training=callback_number(2))
@button(_edited_training, stale_state=ConversationHandler.END)
async def start_edit_training(update: Update, context: BotContext, training_id: int) -> str | int:
    """ "Ubah": load the training into a draft and show its summary."""
    async with context.sessions() as session:
        training = await service.get_training(session, training_id)
    if training is None:
        return await _lost_draft(update, context)
    draft = drafts.draft_of(rules.spec_of(training, context.settings.timezone))
    following = await _show_summary(update, context, draft)
    _keep(context, draft)
    return following


# ---- answers ----------------------------------------------------------------------------------
def _receiver(name: str) -> Callable[[Update, BotContext], Any]:
    """The handler of a typed answer to question `name`: a bad one is asked again with a
    hint."""

    @requires(Right.EDIT_TRAININGS)
    @_with_draft
    async def receive(update: Update, context: BotContext, draft: TrainingDraft) -> Step:
        message = update.effective_message
        if message is None or message.text is None:
            return await _lost_draft(update, context)
        try:
            drafts.answer(draft, name, message.text, _local_now(context))
        except InvalidValueError as invalid:
            return await _ask(update, context, draft, name, invalid.problem)
        several = name == DATES and len(draft.days) > 1
        lang = await user_language(update, context)
        return await _go_on(
            update, context, draft, screens.days_read(draft, lang) if several else ""
        )

    receive.__name__ = f"receive_{name}"
    return receive


def _pressed_under(draft: TrainingDraft, name: str, action: str, now: datetime) -> bool:
    """What a button under question `name` does to the draft; False when it is not one of
    the question's."""
    if action == SKIP and name in SKIPPABLE:
        drafts.answer(draft, name, SKIPPABLE[name], now)
    elif action in (SKIP, AUTO) and name == DEADLINE:
        draft.deadline, draft.deadline_auto = None, action == AUTO
    elif action == SAME and name == TIMES:
        return draft.same_times_as_before()
    else:
        return False
    return True


def _question_button(name: str) -> Callable[[Update, BotContext], Any]:
    """The buttons under question `name`: skip, the default deadline, the same times."""

    @requires(Right.EDIT_TRAININGS)
    @_with_draft
    async def pressed(update: Update, context: BotContext, draft: TrainingDraft) -> Step:
        query = update.callback_query
        if query is None:
            return await _lost_draft(update, context)
        action = (unpack(query.data, TRAINING_PREFIX, 1) or [""])[0]
        if not _pressed_under(draft, name, action, _local_now(context)):
            await stale(update, context)
            return name
        return await _go_on(update, context, draft)

    pressed.__name__ = f"press_{name}"
    return pressed


def _wrong_kind(name: str) -> Callable[[Update, BotContext], Any]:
    """A sticker, photo or the like where text is expected: a hint and the question again."""

    @requires(Right.EDIT_TRAININGS)
    @_with_draft
    async def wrong_kind(update: Update, context: BotContext, draft: TrainingDraft) -> Step:
        return await _ask(update, context, draft, name, Problem("staff.hint.text_expected"))

    return wrong_kind


# ---- summary and day menu -----------------------------------------------------------------
def _day_index(parts: list[str], draft: TrainingDraft) -> int | None:
    """The day a `day:<index>` button names, when the draft has it."""
    if len(parts) == 2 and parts[0] == DAY and parts[1].isdigit():
        return int(parts[1]) if int(parts[1]) < len(draft.days) else None
    return None


async def _summary_action(
    update: Update, context: BotContext, draft: TrainingDraft, parts: list[str]
) -> Step | None:
    """What a summary button does; None when the button is not one of the summary's."""
    if parts in ([SAVE], [SAVE_PUBLISH]):
        return await _save(update, context, draft, publish=parts == [SAVE_PUBLISH])
    if parts == [ADD_DAY]:
        draft.days.append(DayDraft())
        draft.mode = FLOW
        return await _go_on(update, context, draft)
    if parts == [NEXT_DAY] and draft.add_next_day():
        return await _show_summary(update, context, draft)
    if len(parts) == 2 and parts[0] == FIX and parts[1] in TRAINING_FIELDS:
        draft.mode = FIX_MODE
        return await _ask(update, context, draft, parts[1])
    if (index := _day_index(parts, draft)) is not None:
        draft.day = index
        lang = await user_language(update, context)
        await _reply(update, screens.day_menu(draft, lang))
        return DAY_MENU
    return None


async def _day_action(
    update: Update, context: BotContext, draft: TrainingDraft, parts: list[str]
) -> Step | None:
    """What a day menu's button does; None when the button is not one of the menu's."""
    if parts == [BACK]:
        return await _show_summary(update, context, draft)
    if parts == [DROP_DAY] and len(draft.days) > 1:
        del draft.days[draft.day]
        draft.day = 0
        return await _show_summary(update, context, draft)
    if len(parts) == 2 and parts[0] == DAY_FIX and parts[1] in (*DAY_FIELDS, DAY_END):
        draft.mode = FIX_MODE
        return await _ask(update, context, draft, parts[1])
    return None


Action = Callable[[Update, BotContext, TrainingDraft, list[str]], Coroutine[Any, Any, Step | None]]


def _buttons_of(act: Action, state: str) -> Callable[[Update, BotContext], Any]:
    """The handler of a menu's buttons (the summary's, a day's): a button it does not know is
    stale, and the menu stays."""

    @requires(Right.EDIT_TRAININGS)
    @_with_draft
    async def pressed(update: Update, context: BotContext, draft: TrainingDraft) -> Step:
        query = update.callback_query
        assert query is not None
        following = await act(update, context, draft, (query.data or "").split(":")[1:])
        if following is not None:
            return following
        await stale(update, context)
        return state

    pressed.__name__ = f"press_{state}"
    return pressed


handle_summary_button = _buttons_of(_summary_action, SUMMARY)
handle_day_button = _buttons_of(_day_action, DAY_MENU)


@requires(Right.EDIT_TRAININGS)
@_with_draft
async def expect_buttons(update: Update, context: BotContext, draft: TrainingDraft) -> str | int:
    """Typing while the summary waits for a button: show it again."""
    lang = await user_language(update, context)
    return await _show_summary(update, context, draft, t("staff.hint.use_buttons", lang))


async def _may_write(context: BotContext, code: str) -> bool:
    """Whether the permit holds on the training of this code (a new one: on every training)."""
    permit = permit_of(context)
    async with context.sessions() as session:
        training_id = await training_id_of_code(session, code)
    if permit is None or training_id is None:
        return permit is not None and permit.staff.may_everywhere(permit.right)
    return permit.allows(training_id)


async def _save(
    update: Update, context: BotContext, draft: TrainingDraft, *, publish: bool
) -> Step:
    user = update.effective_user
    assert user is not None
    lang = await user_language(update, context)
    spec = draft.spec(context.settings.timezone, _local_now(context), published=publish)
    if len(spec.days) != len(draft.days):
        notice = t("staff.problem.incomplete_day", lang)
        return await _show_summary(update, context, draft, notice)
    if not await _may_write(context, spec.code):
        await refuse(update, context)
        return ConversationHandler.END
    async with context.sessions() as session:
        outcome = await write_trainings(session, [spec], now=context.now(), changed_by=user.id)
    if isinstance(outcome, WriteRefusal):
        return await _show_summary(update, context, draft, screens.refusal_text(outcome, lang))
    [written] = outcome
    _keep(context, None)
    await acknowledge(update)
    await render_training(update, context, written.training_id, screens.saved_text(written, lang))
    if written.published:
        await send_share_kit(update, context, written.training_id)
    return ConversationHandler.END


@requires(Right.EDIT_TRAININGS)
async def quit_training(update: Update, context: BotContext) -> int:
    """`/batal` or "Batal": leave without saving."""
    lang = await user_language(update, context)
    _keep(context, None)
    await acknowledge(update)
    if update.effective_message is not None:
        await update.effective_message.reply_text(t("staff.quit", lang))
    return ConversationHandler.END


def _question_handlers(name: str) -> list[Any]:
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL
    return [
        MessageHandler(text, _receiver(name)),
        MessageHandler(other, _wrong_kind(name)),
        CallbackQueryHandler(
            _question_button(name), pattern=rf"^{TRAINING_PREFIX}:(?:{SKIP}|{AUTO}|{SAME})$"
        ),
    ]


def register(application: AnyApplication) -> None:
    """Add the training conversation."""
    prefix = TRAINING_PREFIX
    typed = (filters.TEXT & ~filters.COMMAND) | (
        ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL
    )
    states: dict[object, list[Any]] = {name: _question_handlers(name) for name in QUESTIONS}
    summary_actions = rf"{SAVE}|{SAVE_PUBLISH}|{ADD_DAY}|{NEXT_DAY}|{FIX}:\w+|{DAY}:\d+"
    states[SUMMARY] = [
        CallbackQueryHandler(handle_summary_button, pattern=rf"^{prefix}:(?:{summary_actions})$"),
        MessageHandler(typed, expect_buttons),
    ]
    states[DAY_MENU] = [
        CallbackQueryHandler(
            handle_day_button, pattern=rf"^{prefix}:(?:{BACK}|{DROP_DAY}|{DAY_FIX}:\w+)$"
        ),
        MessageHandler(typed, expect_buttons),
    ]
    application.add_handler(
        ConversationHandler(
            entry_points=[
                CallbackQueryHandler(start_new_training, pattern=rf"^{prefix}:{NEW}$"),
                CallbackQueryHandler(start_edit_training, pattern=rf"^{prefix}:{EDIT}:"),
            ],
            states=states,
            fallbacks=[
                CommandHandler(["batal", "cancel"], quit_training),
                CallbackQueryHandler(quit_training, pattern=rf"^{prefix}:{QUIT}$"),
            ],
            name=CONVERSATION_NAME,
            persistent=True,
            allow_reentry=True,
        )
    )
