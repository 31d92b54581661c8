"""The registration conversation's questions: consent, name, phone, business, sector, district,
the summary (with a button to change each answer) and the confirmation.

Each step handler reads the answer from the update, keeps it in the draft and shows what the
renderer of the next question returns; the conversation's state is the question that is open.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ConversationHandler

from bot.models import OUTSIDE_DISTRICT, Sector
from bot.runtime.context import BotContext
from bot.services.registration import (
    BUSINESS_MAX,
    BUSINESS_MIN,
    NAME_MAX,
    NAME_MIN,
    clean_name,
    normalize_phone,
    phone_has_letters,
)
from bot.services.reminders import DayBefore
from bot.services.signup import confirm, open_list
from bot.services.trainings import training_view
from bot.texts import signup as screens
from bot.texts import t
from bot.texts.message import Outgoing
from bot.texts.signup import NO, OUTSIDE, PREFIX, YES
from handlers.base import send, show, user_language
from handlers.buttons import acknowledge, button, parts, stale
from handlers.participants.registration_draft import RegistrationDraft

# Conversation states (strings, so the persisted state reads well in the database).
CHOOSING = "choosing"
CONSENTING = "consenting"
ASKING_NAME = "asking_name"
ASKING_PHONE = "asking_phone"
ASKING_BUSINESS = "asking_business"
CHOOSING_SECTOR = "choosing_sector"
CHOOSING_DISTRICT = "choosing_district"
REVIEWING = "reviewing"
# The business baseline (`registration_baseline`), after the district when it is due.
ASKING_SALES = "asking_sales"
ASKING_WORKERS = "asking_workers"
CHOOSING_ONLINE = "choosing_online"
END = ConversationHandler.END
# What a step handler returns: the next state, or END.
Step = str | int
FIELD_STATES = {
    "name": ASKING_NAME,
    "phone": ASKING_PHONE,
    "business": ASKING_BUSINESS,
    "sector": CHOOSING_SECTOR,
    "district": CHOOSING_DISTRICT,
}
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, Step]]
Question = Callable[[Update, BotContext, RegistrationDraft], Awaitable[Step]]


# ---- the draft, and showing a screen -------------------------------------------------------


def load_draft(context: BotContext) -> RegistrationDraft:
    """The registration being filled in (a fresh one when there is none)."""
    return RegistrationDraft.from_user_data(context.user_data)


def save_draft(context: BotContext, draft: RegistrationDraft) -> None:
    """Keep the draft for the next update."""
    draft.to_user_data(context.user_data)


def drop_draft(context: BotContext) -> None:
    """Forget the draft."""
    RegistrationDraft.drop(context.user_data)


async def acknowledge_tap(update: Update) -> None:
    """Answer the button tap (Telegram shows a spinner until we do)."""
    try:
        await acknowledge(update)
    except TelegramError:
        pass  # a query too old to answer; the reply below still reaches the user


async def show_open_trainings(update: Update, context: BotContext, *, edit: bool = True) -> bool:
    """Send the open trainings (with `edit`, the tapped message becomes the first page);
    False when there are none."""
    lang = await user_language(update, context)
    user = update.effective_user
    async with context.sessions() as session:
        listed = await open_list(session, user.id if user else None, context.now())
    pages = screens.training_pages(listed.views, listed.held, context.settings.timezone, lang)
    for index, page in enumerate(pages):
        await (show if index == 0 and edit else send)(update, context, page)
    return bool(listed.views)


async def _ask_phone(
    update: Update, context: BotContext, draft: RegistrationDraft, key: str = "reg.ask.phone"
) -> Step:
    """The phone question (again, after `key`'s reason); leaving it takes its keyboard away."""
    lang = await user_language(update, context)
    draft.asking_phone = True
    save_draft(context, draft)
    await send(update, context, screens.phone_question(draft.for_colleague, lang, key))
    return ASKING_PHONE


# ---- asking each question ------------------------------------------------------------------


async def _ask_choosing(update: Update, context: BotContext, draft: RegistrationDraft) -> Step:
    return CHOOSING if await show_open_trainings(update, context) else END


async def _ask_consent(update: Update, context: BotContext, draft: RegistrationDraft) -> Step:
    draft.with_details = False
    save_draft(context, draft)
    lang = await user_language(update, context)
    consent = screens.consent_question(draft.for_colleague, lang, baseline=draft.baseline_due)
    await show(update, context, consent)
    return CONSENTING


# The questions that only show their screen: its renderer, and whether it takes the tapped
# message's place (a question of buttons) or comes as a new message (a typed answer's).
Screen = Callable[[RegistrationDraft, BotContext, str], Outgoing]
_SCREENS: dict[str, tuple[Screen, bool]] = {
    ASKING_NAME: (lambda d, _, lang: screens.name_question(d.for_colleague, lang), False),
    ASKING_BUSINESS: (
        lambda d, _, lang: screens.business_question(d.for_colleague, d.holder_business, lang),
        False,
    ),
    CHOOSING_SECTOR: (lambda d, _, lang: screens.sector_question(d.for_colleague, lang), True),
    CHOOSING_DISTRICT: (
        lambda d, c, lang: screens.district_question(d.for_colleague, c.settings.districts, lang),
        True,
    ),
    ASKING_SALES: (lambda _d, _c, lang: screens.sales_question(lang), True),
    ASKING_WORKERS: (lambda _d, _c, lang: screens.workers_question(lang), False),
    CHOOSING_ONLINE: (lambda _d, _c, lang: screens.online_question(lang), False),
}


def _screen_question(state: str) -> Question:
    """The asker of a question that only shows its screen."""
    render, in_place = _SCREENS[state]

    async def ask(update: Update, context: BotContext, draft: RegistrationDraft) -> Step:
        lang = await user_language(update, context)
        await (show if in_place else send)(update, context, render(draft, context, lang))
        return state

    return ask


async def _ask_review(update: Update, context: BotContext, draft: RegistrationDraft) -> Step:
    return await show_summary(update, context)


_QUESTIONS: dict[str, Question] = {
    CHOOSING: _ask_choosing,
    CONSENTING: _ask_consent,
    ASKING_PHONE: _ask_phone,
    REVIEWING: _ask_review,
    **{state: _screen_question(state) for state in _SCREENS},
}


async def ask_question(
    update: Update, context: BotContext, draft: RegistrationDraft, state: str
) -> Step:
    """Ask the question of `state` (the draft kept first)."""
    save_draft(context, draft)
    return await _QUESTIONS[state](update, context, draft)


async def after_district(update: Update, context: BotContext, draft: RegistrationDraft) -> Step:
    """The business baseline's first question when it is due and not yet given, else the
    summary."""
    return await next_question(
        update, context, draft, ASKING_SALES if draft.baseline_missing else REVIEWING
    )


async def show_summary(update: Update, context: BotContext) -> Step:
    """Everything given, to check and confirm; the end when the training is gone."""
    draft = load_draft(context)
    draft.editing = False
    save_draft(context, draft)
    lang = await user_language(update, context)
    async with context.sessions() as session:
        view = await training_view(session, context.now(), training_id=draft.training_id or 0)
    if view is None:
        drop_draft(context)
        await show(update, context, screens.ending(t("reg.unavailable", lang), lang))
        return END
    await show(update, context, screens.summary(draft, view, context.settings.timezone, lang))
    return REVIEWING


async def next_question(
    update: Update, context: BotContext, draft: RegistrationDraft, following: str
) -> Step:
    """After an answer: back to the summary when fixing one answer, else the next question."""
    save_draft(context, draft)
    if draft.editing:
        return await show_summary(update, context)
    return await _QUESTIONS[following](update, context, draft)


# ---- the steps -----------------------------------------------------------------------------


@button(parts(PREFIX, 2), stale_state=CONSENTING)
async def give_consent(update: Update, context: BotContext, answer: list[str]) -> Step:
    """Consent given (then the name) or refused (the end)."""
    if answer[1] not in (YES, NO):
        return await stray_button(CONSENTING)(update, context)
    await acknowledge_tap(update)
    lang, draft = await user_language(update, context), load_draft(context)
    if answer[1] == NO:
        drop_draft(context)
        await show(update, context, screens.consent_declined(draft.for_colleague, lang))
        return END
    draft.consent_at = context.now().isoformat()
    training = ""
    if draft.with_details:  # the name question takes the place of the training and consent
        async with context.sessions() as session:
            view = await training_view(session, context.now(), training_id=draft.training_id or 0)
        training = screens.details(view, context.settings.timezone, lang) if view else ""
    draft.with_details = False
    save_draft(context, draft)
    await show(update, context, screens.consent_given(draft.for_colleague, lang, training=training))
    return ASKING_NAME


async def _take_typed_name(
    update: Update, context: BotContext, field: str, bounds: tuple[int, int], here: str, then: str
) -> Step:
    """A typed name (the person's or the business's): kept in the draft, or asked again."""
    lang = await user_language(update, context)
    text = update.effective_message.text if update.effective_message else None
    value = clean_name(text or "", *bounds)
    if value is None:
        await send(update, context, Outgoing(t(f"reg.bad.{field}", lang)))
        return here
    draft = load_draft(context)
    setattr(draft, field, value)
    return await next_question(update, context, draft, then)


async def take_name(update: Update, context: BotContext) -> Step:
    """The typed full name."""
    return await _take_typed_name(
        update, context, "name", (NAME_MIN, NAME_MAX), ASKING_NAME, ASKING_PHONE
    )


async def take_contact(update: Update, context: BotContext) -> Step:
    """A shared contact: accepted only when it is the sender's own number."""
    message, user, draft = update.effective_message, update.effective_user, load_draft(context)
    contact = message.contact if message else None
    mine = contact is not None and user is not None and contact.user_id == user.id
    if contact is None or not mine or draft.for_colleague:
        return await _ask_phone(update, context, draft, "reg.bad.contact")
    return await _store_phone(update, context, contact.phone_number)


async def take_phone(update: Update, context: BotContext) -> Step:
    """A typed phone number."""
    text = update.effective_message.text if update.effective_message else None
    return await _store_phone(update, context, (text or "")[:40])


async def _store_phone(update: Update, context: BotContext, raw: str) -> Step:
    draft, phone = load_draft(context), normalize_phone(raw)
    if phone is None:
        hint = "reg.bad.phone_letter" if phone_has_letters(raw) else "reg.bad.phone"
        return await _ask_phone(update, context, draft, hint)
    lang = await user_language(update, context)
    draft.phone, draft.asking_phone = phone, False
    save_draft(context, draft)
    # Leaving the phone step: the share-my-number keyboard goes away with the next message.
    if draft.editing:  # the summary's buttons cannot take it away: a message of its own
        await send(update, context, screens.phone_saved(phone, lang))
        return await show_summary(update, context)
    # A colleague's phone was typed (no share keyboard to take away): their business buttons.
    ask = screens.business_after_phone(draft.for_colleague, draft.holder_business, phone, lang)
    await send(update, context, ask)
    return ASKING_BUSINESS


async def take_business(update: Update, context: BotContext) -> Step:
    """The typed business name."""
    return await _take_typed_name(
        update, context, "business", (BUSINESS_MIN, BUSINESS_MAX), ASKING_BUSINESS, CHOOSING_SECTOR
    )


async def same_business(update: Update, context: BotContext) -> Step:
    """A colleague's business is the user's own: one tap instead of typing it."""
    draft = load_draft(context)
    if not draft.for_colleague or not draft.holder_business:
        return await stray_button(ASKING_BUSINESS)(update, context)
    await acknowledge_tap(update)
    draft.business = draft.holder_business
    return await next_question(update, context, draft, CHOOSING_SECTOR)


@button(parts(PREFIX, 2), stale_state=CHOOSING_SECTOR)
async def choose_sector(update: Update, context: BotContext, answer: list[str]) -> Step:
    """A sector button."""
    if answer[1] not in {s.value for s in Sector}:
        return await stray_button(CHOOSING_SECTOR)(update, context)
    await acknowledge_tap(update)
    draft = load_draft(context)
    draft.sector = answer[1]
    return await next_question(update, context, draft, CHOOSING_DISTRICT)


def _district(answer: str, districts: tuple[str, ...] | list[str]) -> str | None:
    """The district a button names: one of the configured ones, or outside the city."""
    if answer == OUTSIDE:
        return OUTSIDE_DISTRICT
    if answer.isdigit() and int(answer) < len(districts):
        return districts[int(answer)]
    return None


@button(parts(PREFIX, 2), stale_state=CHOOSING_DISTRICT)
async def choose_district(update: Update, context: BotContext, answer: list[str]) -> Step:
    """A district button (one of the configured districts, or outside the city)."""
    district = _district(answer[1], context.settings.districts)
    if district is None:
        return await stray_button(CHOOSING_DISTRICT)(update, context)
    await acknowledge_tap(update)
    draft = load_draft(context)
    draft.district = district
    return await after_district(update, context, draft)


@button(parts(PREFIX, 2), stale_state=REVIEWING)
async def change_field(update: Update, context: BotContext, answer: list[str]) -> Step:
    """A "change" button of the summary: that one question, then back to the summary."""
    if answer[1] not in FIELD_STATES:
        return await stray_button(REVIEWING)(update, context)
    await acknowledge_tap(update)
    draft = load_draft(context)
    draft.editing = True
    save_draft(context, draft)
    return await _QUESTIONS[FIELD_STATES[answer[1]]](update, context, draft)


async def confirm_registration(update: Update, context: BotContext) -> Step:
    """ "Konfirmasi": register (seat or waiting list) and say what happens next."""
    draft, user = load_draft(context), update.effective_user
    profile = draft.profile()
    if user is None or profile is None or draft.training_id is None:
        return await stray_button(REVIEWING)(update, context)
    await acknowledge_tap(update)
    lang, settings = await user_language(update, context), context.settings
    async with context.sessions() as session:
        confirmed = await confirm(
            session, user.id, draft.training_id, profile, context.now(),
            for_colleague=draft.for_colleague, language=lang,
            remind=DayBefore(settings.reminder_time, settings.timezone),
        )  # fmt: skip
    drop_draft(context)
    name = profile.full_name if draft.for_colleague else None
    screen = screens.result_screen(
        confirmed.result, confirmed.title, draft.training_id, lang, colleague_name=name
    )
    await show(update, context, screen)
    return END


# ---- leaving, and what does not fit --------------------------------------------------------


async def time_out(update: Update, context: BotContext) -> None:
    """The conversation sat idle too long: say so and how to start again."""
    lang = await user_language(update, context)
    drop_draft(context)
    try:
        await send(update, context, Outgoing(t("reg.timeout", lang), remove_keyboard=True))
    except TelegramError:
        pass  # the user blocked the bot meanwhile; nothing else to do


def wrong_input(state: str) -> Callback:
    """A message that does not answer the question of `state`: a short hint and the question
    again, as a new message below the hint (the old one may be far up)."""
    typed = state in (ASKING_NAME, ASKING_PHONE, ASKING_BUSINESS, ASKING_WORKERS)

    async def hint_and_ask(update: Update, context: BotContext) -> Step:
        lang = await user_language(update, context)
        await send(
            update, context, Outgoing(t("reg.hint.text" if typed else "reg.hint.button", lang))
        )
        return await _QUESTIONS[state](update, context, load_draft(context))

    return hint_and_ask


def stray_button(state: str) -> Callback:
    """A button that does not belong to the question of `state` (old message, forged data)."""

    async def answer_stale(update: Update, context: BotContext) -> Step:
        await stale(update, context)
        return state

    return answer_stale
