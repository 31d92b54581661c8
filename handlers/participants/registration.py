"""Registration: the list of open trainings and the registration conversation's entry points.

The conversation's questions and the summary are in `registration_steps` beside it; its screens
are renderers in `bot.texts.signup`; its draft is `registration_draft`.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.runtime.context import AnyApplication, BotContext
from bot.services.signup import Choice, choose, colleague_start
from bot.services.trainings import TrainingView
from bot.texts import signup as screens
from bot.texts import t
from bot.texts.callbacks import MENU, MENU_REGISTER
from bot.texts.message import Outgoing
from bot.texts.signup import (
    COLLEAGUE,
    CONFIRM,
    CONSENT,
    DISTRICT,
    EDIT,
    ONLINE,
    PREFIX,
    SALES,
    SAME_BUSINESS,
    SECTOR,
    TRAINING,
)
from handlers.base import conversation, send, show, unpack, user_language
from handlers.buttons import alert
from handlers.participants.registration_baseline import choose_online, choose_sales, take_workers
from handlers.participants.registration_draft import RegistrationDraft
from handlers.participants.registration_steps import (
    ASKING_BUSINESS,
    ASKING_NAME,
    ASKING_PHONE,
    ASKING_SALES,
    ASKING_WORKERS,
    CHOOSING,
    CHOOSING_DISTRICT,
    CHOOSING_ONLINE,
    CHOOSING_SECTOR,
    CONSENTING,
    END,
    REVIEWING,
    Step,
    acknowledge_tap,
    ask_question,
    change_field,
    choose_district,
    choose_sector,
    confirm_registration,
    drop_draft,
    give_consent,
    load_draft,
    same_business,
    save_draft,
    show_open_trainings,
    show_summary,
    stray_button,
    take_business,
    take_contact,
    take_name,
    take_phone,
    time_out,
    wrong_input,
)


async def list_trainings(update: Update, context: BotContext) -> None:
    """`/pelatihan`: the open trainings with a button to register for each."""
    await show_open_trainings(update, context)


async def _leave_phone_step(update: Update, context: BotContext) -> None:
    """Take the share-my-number keyboard away if the user leaves while it is shown."""
    if load_draft(context).asking_phone:
        lang = await user_language(update, context)
        await send(update, context, Outgoing(t("reg.stopped", lang), remove_keyboard=True))


async def _start_afresh(update: Update, context: BotContext) -> None:
    """Leave whatever question was open: a fresh draft follows."""
    await _leave_phone_step(update, context)
    drop_draft(context)


async def start_registration(update: Update, context: BotContext) -> Step:
    """`/daftar` or the menu button: a fresh draft and the list of open trainings."""
    await acknowledge_tap(update)
    await _start_afresh(update, context)
    # From the menu: a new message, so the menu stays.
    return CHOOSING if await show_open_trainings(update, context, edit=False) else END


async def open_by_link(update: Update, context: BotContext) -> Step:
    """`/start <code>` from a deep link: that training directly, or the list if it is not open."""
    lang = await user_language(update, context)
    await _start_afresh(update, context)
    code = (context.args or [""])[0][:64]
    choice = await _load_choice(update, context, code=code)
    if choice.held is not None:
        return await _show_held(update, context, choice)
    if choice.view is None or not choice.view.is_open:
        await send(update, context, Outgoing(t("reg.unknown_code", lang, code=code)))
        return CHOOSING if await show_open_trainings(update, context) else END
    return await _begin(update, context, choice)


def _chosen_id(update: Update) -> int:
    """The training of a `reg:training:<id>` button (0 when the data is not of that form)."""
    data = update.callback_query.data if update.callback_query else None
    parsed = unpack(data, PREFIX, 2)
    if parsed is None or parsed[0] != TRAINING or not parsed[1].isdigit():
        return 0
    training_id = int(parsed[1])
    return training_id if training_id < 2**31 else 0


async def choose_training(update: Update, context: BotContext) -> Step:
    """A training button (from the list or /pelatihan): its details, then consent."""
    training_id = _chosen_id(update)
    choice = await _load_choice(update, context, training_id=training_id) if training_id else None
    gone = choice is None or (
        choice.held is None and (choice.view is None or not choice.view.is_open)
    )
    if gone:
        await alert(update, context, "reg.unavailable")
    else:
        await acknowledge_tap(update)
    await _leave_phone_step(update, context)
    save_draft(context, load_draft(context).for_another_training())
    if choice is None or gone:
        return CHOOSING if await show_open_trainings(update, context) else END
    if choice.held is not None:
        return await _show_held(update, context, choice)
    return await _begin(update, context, choice)


async def _load_choice(
    update: Update, context: BotContext, *, training_id: int | None = None, code: str | None = None
) -> Choice:
    """One session for all of it: every registration starts here."""
    user = update.effective_user
    for_self = not load_draft(context).for_colleague
    async with context.sessions() as session:
        return await choose(
            session,
            user.id if user is not None else None,
            context.now(),
            training_id=training_id,
            code=code,
            for_self=for_self,
            follow_ups=bool(context.settings.follow_up_days),
        )


async def _show_held(update: Update, context: BotContext, choice: Choice) -> Step:
    """The user's registration for the training they chose, with what they can do with it."""
    assert choice.held is not None
    lang = await user_language(update, context)
    drop_draft(context)
    await show(update, context, screens.held_place(choice.held, context.settings.timezone, lang))
    return END


async def start_colleague(update: Update, context: BotContext) -> Step:
    """ "Register a colleague" (from /saya or a result): the same steps for another person of
    the user's business, for the training given (if still open) or one chosen from the list."""
    lang = await user_language(update, context)
    given = unpack(update.callback_query.data if update.callback_query else None, PREFIX, 2)
    training_id = int(given[1]) if given and given[1].isdigit() and len(given[1]) < 10 else 0
    user = update.effective_user
    await acknowledge_tap(update)
    await _start_afresh(update, context)
    async with context.sessions() as session:
        start = await colleague_start(
            session, user.id if user is not None else None, training_id, context.now()
        )
    draft = RegistrationDraft(for_colleague=True, holder_business=start.holder_business or "")
    save_draft(context, draft)
    if start.view is not None and start.view.is_open:
        # Below the message the button was on (a result, /saya), which stays as it was.
        due = bool(context.settings.follow_up_days)
        return await _begin(update, context, Choice(view=start.view, baseline_due=due), edit=False)
    await send(update, context, Outgoing(t("col.choose", lang)))
    if await show_open_trainings(update, context, edit=False):
        return CHOOSING
    drop_draft(context)
    return END


async def _begin(update: Update, context: BotContext, choice: Choice, *, edit: bool = True) -> Step:
    """A chosen open training: a returning participant's summary, else its details and the
    consent question (one message; two only for a very long text)."""
    view = choice.view
    assert view is not None
    draft = load_draft(context)
    if choice.known is not None and not draft.for_colleague:
        draft = draft.with_profile(view.id, choice.known, baseline_due=choice.baseline_due)
        if draft.baseline_missing:  # a returning participant: the baseline, then the summary
            return await ask_question(update, context, draft, ASKING_SALES)
        save_draft(context, draft)
        return await show_summary(update, context)
    draft.training_id, draft.baseline_due = view.id, choice.baseline_due
    lang, tz = await user_language(update, context), context.settings.timezone
    draft.with_details = screens.fits_one_message(
        view, draft.for_colleague, tz, lang, baseline=draft.baseline_due
    )
    save_draft(context, draft)
    await _show_details(update, context, view, draft, edit=edit)
    return CONSENTING


async def _show_details(
    update: Update,
    context: BotContext,
    view: TrainingView,
    draft: RegistrationDraft,
    *,
    edit: bool,
) -> None:
    lang, tz = await user_language(update, context), context.settings.timezone
    details = screens.details(view, tz, lang)
    put = show if edit else send
    baseline = draft.baseline_due
    if draft.with_details:
        consent = screens.consent_question(
            draft.for_colleague, lang, above=details, baseline=baseline
        )
        await put(update, context, consent)
        return
    await put(update, context, Outgoing(details))
    await send(
        update, context, screens.consent_question(draft.for_colleague, lang, baseline=baseline)
    )


async def finished_button(update: Update, context: BotContext) -> None:
    """A registration button pressed after the conversation ended (a double tap, an old one)."""
    await alert(update, context, "reg.stale")


# ---- the conversation ----------------------------------------------------------------------

Handlers = list[BaseHandler[Update, BotContext, Any]]
_TEXT = filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL


def _button(callback: Any, *pattern: str) -> BaseHandler[Update, BotContext, Any]:
    return CallbackQueryHandler(callback, pattern=rf"^{PREFIX}:{':'.join(pattern)}")


def _states(training_button: BaseHandler[Update, BotContext, Any]) -> dict[object, Handlers]:
    """Each question's handlers; then, whatever it does not expect: a hint and the question
    again, or the stale-button answer."""
    states: dict[object, Handlers] = {
        CHOOSING: [training_button],
        CONSENTING: [_button(give_consent, CONSENT, "")],
        ASKING_NAME: [MessageHandler(_TEXT, take_name)],
        ASKING_PHONE: [MessageHandler(filters.CONTACT, take_contact),
                       MessageHandler(_TEXT, take_phone)],
        ASKING_BUSINESS: [MessageHandler(_TEXT, take_business),
                          _button(same_business, SAME_BUSINESS + "$")],
        CHOOSING_SECTOR: [_button(choose_sector, SECTOR, "")],
        CHOOSING_DISTRICT: [_button(choose_district, DISTRICT, "")],
        ASKING_SALES: [_button(choose_sales, SALES, "")],
        ASKING_WORKERS: [MessageHandler(_TEXT, take_workers)],
        CHOOSING_ONLINE: [_button(choose_online, ONLINE, "")],
        REVIEWING: [_button(change_field, EDIT, ""), _button(confirm_registration, CONFIRM + "$")],
    }  # fmt: skip
    not_a_command = ~filters.COMMAND & ~filters.StatusUpdate.ALL
    for state, handlers in states.items():
        assert isinstance(state, str)
        handlers.append(MessageHandler(not_a_command, wrong_input(state)))
        handlers.append(_button(stray_button(state)))
    states[ConversationHandler.TIMEOUT] = [TypeHandler(Update, time_out)]
    return states


def _entry_points(training_button: BaseHandler[Update, BotContext, Any]) -> Handlers:
    return [
        _button(start_colleague, COLLEAGUE, ""),
        CommandHandler(["daftar", "register"], start_registration),
        CommandHandler("start", open_by_link, has_args=True),
        CallbackQueryHandler(start_registration, pattern=rf"^{MENU}:{MENU_REGISTER}$"),
        training_button,
    ]


async def cancel(update: Update, context: BotContext) -> Step:
    """`/batal`: leave the registration; nothing is stored."""
    lang = await user_language(update, context)
    drop_draft(context)
    await send(update, context, Outgoing(t("reg.stopped", lang), remove_keyboard=True))
    return END


def register(application: AnyApplication) -> None:
    """Add this module's handlers (before `common`, so `/start <code>` reaches us first)."""
    training_button = _button(choose_training, TRAINING, "")
    entry_points, states = _entry_points(training_button), _states(training_button)
    application.add_handler(conversation(application, "registration", entry_points, states, cancel))
    application.add_handler(CommandHandler(["pelatihan", "trainings"], list_trainings))
    application.add_handler(CallbackQueryHandler(finished_button, pattern=rf"^{PREFIX}:"))
