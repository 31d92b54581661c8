"""The follow-up months after the training, in the chat: buttons for most questions, a typed
number of workers, an optional photo of a new product.

Every answer is stored the moment it is given (`bot.services.business_follow_up`), so a tap on
any button of the follow-up picks up at the next question, after a break or a restart. The
workers and the photo need a conversation state (`TYPING`); it is persistent, and the message
the outbox sends at those questions has a button that enters it.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, ConversationHandler

from bot.runtime.context import BotContext
from bot.sending.outgoing import markup
from bot.services import business_follow_up as service
from bot.services.baseline import parse_workers
from bot.services.business_follow_up import FollowUpState, Step
from bot.texts.callbacks import FOLLOW_UP
from bot.texts.follow_up import ASK, NO, SKIP, YES, follow_up_message
from handlers.base import say, show, typed_state, typed_step, user_language
from handlers.buttons import acknowledge, button, stale, step_answers

CONVERSATION = "follow_up"
TYPING = typed_state(CONVERSATION)
# The follow-up and the question a typed answer (or photo) is for.
RESPONSE_KEY, STEP_KEY = "follow_up_response", "follow_up_step"
END = ConversationHandler.END
_TYPED_STEPS = (Step.WORKERS, Step.PHOTO)


def _value(step: Step, raw: str) -> object | None:
    """The answer a button carries, checked for its question (ASK: enter the typed answer)."""
    if raw == ASK and step in _TYPED_STEPS:
        return ASK
    if step in (Step.RUNNING, Step.NEW_PRODUCT, Step.MENTORING):
        return {YES: True, NO: False}.get(raw)
    if step == Step.PHOTO:
        return service.SKIPPED_PHOTO if raw == SKIP else None
    return raw if service.valid_answer(step, raw) else None


# `fup:<follow-up id>:<question>:<answer>`, the answer checked for its question.
_parse = step_answers(FOLLOW_UP, Step, _value)


def _then(context: BotContext, state: FollowUpState) -> object:
    """TYPING when the question now asked is typed (remembered for the answer), else the end."""
    if state.step not in _TYPED_STEPS:
        return END
    if context.user_data is not None:
        context.user_data[RESPONSE_KEY] = state.response_id
        context.user_data[STEP_KEY] = state.step.value
    return TYPING


@button(_parse, stale_state=END)
async def answer_button(
    update: Update, context: BotContext, parsed: tuple[int, Step, object]
) -> object:
    """A follow-up button: store the answer, show the next question in the same message."""
    user = update.effective_user
    assert user is not None
    response_id, step, value = parsed
    async with context.sessions() as session:
        if value == ASK:
            state = await service.follow_up_state(session, response_id, user.id)
        else:
            state = await service.answer(session, response_id, user.id, step, value, context.now())
    if state is None:
        await stale(update, context)
        return END
    await acknowledge(update)
    await show(update, context, follow_up_message(state, await user_language(update, context)))
    return _then(context, state)


async def _store_typed(update: Update, context: BotContext, step: Step, value: object) -> object:
    """A typed answer (or photo) stored; the next question as a new message below it."""
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None
    response_id = int((context.user_data or {}).get(RESPONSE_KEY, 0))
    async with context.sessions() as session:
        state = await service.answer(session, response_id, user.id, step, value, context.now())
    if state is None:
        return END
    outgoing = follow_up_message(state, await user_language(update, context))
    await message.reply_text(outgoing.text, reply_markup=markup(outgoing.buttons))
    return _then(context, state)


def _typed_step(context: BotContext) -> str:
    return str((context.user_data or {}).get(STEP_KEY, ""))


async def take_text(update: Update, context: BotContext) -> object:
    """The typed number of workers; for the photo question, a hint."""
    message = update.effective_message
    assert message is not None and message.text is not None
    if _typed_step(context) != Step.WORKERS:
        return await say(update, context, "fu.photo_only", TYPING)
    workers = parse_workers(message.text)
    if workers is None:
        return await say(update, context, "fu.bad.workers", TYPING)
    return await _store_typed(update, context, Step.WORKERS, workers)


async def take_other(update: Update, context: BotContext) -> object:
    """The new product's photo (its largest size's file id); anything else, a hint."""
    message = update.effective_message
    photo = message.photo if message is not None else ()
    if _typed_step(context) != Step.PHOTO:
        return await say(update, context, "fu.text_only", TYPING)
    if not photo:
        return await say(update, context, "fu.photo_only", TYPING)
    return await _store_typed(update, context, Step.PHOTO, photo[-1].file_id)


async def pause(update: Update, context: BotContext) -> object:
    """/batal while typing: the answers so far stay; the question's button resumes."""
    return await say(update, context, "fu.paused", END)


def register(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add this module's handlers: the buttons, and the typed answers as a persistent step."""
    entry = CallbackQueryHandler(answer_button, pattern=rf"^{FOLLOW_UP}:")
    application.add_handler(
        typed_step(application, CONVERSATION, entry, take_text, take_other, pause)
    )
