"""The feedback survey in the chat: star buttons, a few words in their own, topics to tick.

Every answer is stored the moment it is given (`bot.services.survey`), so a tap on any button
of the survey message picks up where the participant left off, after a break or a restart.
Only the typed answer needs a conversation state (`TYPING`: the next text message is the
answer); it is persistent like the others, so a restart between the question and the answer
loses nothing.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, ConversationHandler

from bot.runtime.context import AnyApplication, BotContext
from bot.sending.outgoing import markup
from bot.services import survey as service
from bot.services.survey import MAX_HELPED, Step
from bot.texts import t
from bot.texts.after_training import SKIP, survey_message
from bot.texts.callbacks import SURVEY
from handlers.base import say, show, typed_state, typed_step, user_language
from handlers.buttons import acknowledge, button, stale, step_answers

CONVERSATION = "survey"
TYPING = typed_state(CONVERSATION)
SURVEY_KEY = "survey_registration"
END = ConversationHandler.END


def _value(step: Step, raw: str) -> object | None:
    """The answer a button carries, checked: a rating 1-5, skip, a known topic, done."""
    if step.value in service.RATINGS:
        return int(raw) if raw.isdigit() and 1 <= int(raw) <= 5 else None
    if step == Step.HELPED:
        return "" if raw == SKIP else None
    if step == Step.TOPICS:
        return raw if raw in service.TOPICS else None
    return raw if step == Step.DONE else None


# `svy:<registration id>:<step>:<answer>`, the answer checked for its step.
_parse = step_answers(SURVEY, Step, _value)


@button(_parse, stale_state=END)
async def answer_button(
    update: Update, context: BotContext, parsed: tuple[int, Step, object]
) -> object:
    """A survey button: store the answer, show the next question in the same message."""
    user = update.effective_user
    assert user is not None
    lang = await user_language(update, context)
    registration_id, step, value = parsed
    async with context.sessions() as session:
        state = await service.answer(session, registration_id, user.id, step, value, context.now())
    if state is None:
        await stale(update, context)
        return END
    await acknowledge(update)
    await show(update, context, survey_message(state, lang))
    if context.user_data is not None:
        context.user_data[SURVEY_KEY] = state.registration_id
    return TYPING if state.step == Step.HELPED else END


async def take_text(update: Update, context: BotContext) -> object:
    """The typed answer to "what helped most": stored (length-limited), then the topics."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None and message.text is not None
    lang = await user_language(update, context)
    text = " ".join(message.text.split())
    if len(text) > MAX_HELPED:
        await message.reply_text(t("survey.too_long", lang, length=len(text), limit=MAX_HELPED))
        return TYPING
    registration_id = int((context.user_data or {}).get(SURVEY_KEY, 0))
    async with context.sessions() as session:
        state = await service.answer(
            session, registration_id, user.id, Step.HELPED, text, context.now()
        )
    if state is None:
        return END
    outgoing = survey_message(state, lang)
    await message.reply_text(outgoing.text, reply_markup=markup(outgoing.buttons))
    return TYPING if state.step == Step.HELPED else END


async def expect_text(update: Update, context: BotContext) -> object:
    """A sticker or photo where words are expected: a hint, same question."""
    return await say(update, context, "survey.text_only", TYPING)


async def pause(update: Update, context: BotContext) -> object:
    """/batal while typing: the answers so far stay; any survey button resumes."""
    return await say(update, context, "survey.paused", END)


def build_conversation(application: AnyApplication) -> Any:
    """The survey's buttons, and the typed answer as a persistent conversation step."""
    button = CallbackQueryHandler(answer_button, pattern=rf"^{SURVEY}:")
    return typed_step(application, CONVERSATION, button, take_text, expect_text, pause)


def register(application: AnyApplication) -> None:
    """Add this module's handlers."""
    application.add_handler(build_conversation(application))
