"""The registration's business baseline, asked after the district when follow-ups are on and
none recent is on file: monthly sales as a band, workers (typed), selling online; then the
summary. The answers stay in the draft until the registration is confirmed."""

from __future__ import annotations

from telegram import Update

from bot.runtime.context import BotContext
from bot.services.baseline import SALES_BANDS, parse_workers
from bot.texts import signup as screens
from bot.texts import t
from bot.texts.message import Outgoing
from bot.texts.signup import NO, PREFIX, YES
from handlers.base import send, show, user_language
from handlers.buttons import button, parts
from handlers.participants.registration_steps import (
    ASKING_SALES,
    ASKING_WORKERS,
    CHOOSING_ONLINE,
    REVIEWING,
    Step,
    acknowledge_tap,
    load_draft,
    next_question,
    save_draft,
    stray_button,
)


@button(parts(PREFIX, 2), stale_state=ASKING_SALES)
async def choose_sales(update: Update, context: BotContext, answer: list[str]) -> Step:
    """A sales band's button; then the workers."""
    draft = load_draft(context)
    if answer[1] not in SALES_BANDS or not draft.baseline_due:
        return await stray_button(ASKING_SALES)(update, context)
    await acknowledge_tap(update)
    draft.sales_band = answer[1]
    save_draft(context, draft)
    # In the tapped message's place (asked again after a wrong answer, it comes as a new one).
    await show(update, context, screens.workers_question(await user_language(update, context)))
    return ASKING_WORKERS


async def take_workers(update: Update, context: BotContext) -> Step:
    """The typed number of workers, the owner included: kept, or a hint and the question."""
    text = update.effective_message.text if update.effective_message else None
    workers = parse_workers(text or "")
    if workers is None:
        lang = await user_language(update, context)
        await send(update, context, Outgoing(t("base.bad.workers", lang)))
        return await next_question(update, context, load_draft(context), ASKING_WORKERS)
    draft = load_draft(context)
    draft.workers = workers
    return await next_question(update, context, draft, CHOOSING_ONLINE)


@button(parts(PREFIX, 2), stale_state=CHOOSING_ONLINE)
async def choose_online(update: Update, context: BotContext, answer: list[str]) -> Step:
    """Selling online, yes or no; then the summary."""
    draft = load_draft(context)
    if answer[1] not in (YES, NO) or not draft.baseline_due:
        return await stray_button(CHOOSING_ONLINE)(update, context)
    await acknowledge_tap(update)
    draft.sells_online = answer[1] == YES
    return await next_question(update, context, draft, REVIEWING)
