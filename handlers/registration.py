"""Registration: the list of open trainings and the registration conversation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.models import OUTSIDE_DISTRICT, RegistrationStatus, Sector
from bot.runtime.context import BotContext, deps_of
from bot.sending.outgoing import inline_button
from bot.services.my_registrations import (
    Held,
    RegistrationView,
    held_places,
    held_registration,
)
from bot.services.registration import (
    BUSINESS_MAX,
    BUSINESS_MIN,
    NAME_MAX,
    NAME_MIN,
    Profile,
    Refusal,
    RegistrationResult,
    clean_name,
    holder_business,
    normalize_phone,
    phone_has_letters,
    profile_of,
    register_colleague,
)
from bot.services.registration import (
    register as register_participant,
)
from bot.services.reminders import reminder_due_at
from bot.services.trainings import TrainingView, open_trainings, training_view
from bot.texts import Safe, callbacks, t
from bot.texts.formatting import (
    district_label,
    format_day,
    format_day_month,
    format_moment,
    format_phone,
    format_time_range,
    local_day,
    sector_label,
    short_title,
)
from bot.texts.labels import action
from handlers import colleague
from handlers.base import edit_or_send, pack, unpack, user_language
from handlers.common import MENU_HOME, MENU_MY, MENU_PREFIX, MENU_REGISTER
from handlers.my_registrations import (
    CALENDAR_PREFIX,
    CANCEL_PREFIX,
    MESSAGE_LIMIT,
    registration_text,
)
from jobs.reminders import wake as wake_reminders

PREFIX = callbacks.REGISTRATION
# The confirm button, for a seat or for the waiting list.
_CONFIRMS = {False: "reg.confirm", True: "reg.confirm.waitlist"}
TRAINING = "training"
CONSENT = "consent"
SECTOR = "sector"
DISTRICT = "district"
EDIT = "edit"
CONFIRM = "confirm"
YES, NO = "yes", "no"
OUTSIDE = "out"

# Conversation states (strings, so the persisted state reads well in the database).
CHOOSING = "choosing"
CONSENTING = "consenting"
ASKING_NAME = "asking_name"
ASKING_PHONE = "asking_phone"
ASKING_BUSINESS = "asking_business"
CHOOSING_SECTOR = "choosing_sector"
CHOOSING_DISTRICT = "choosing_district"
REVIEWING = "reviewing"
END = ConversationHandler.END
# What a step handler returns: the next state, or END.
Step = str | int

# The draft lives in user_data (persisted after every update) under this key.
DRAFT = "registration"
# In the draft: whether the consent question shares its message with the training's details.
WITH_DETAILS = "with_details"
FIELDS = ("name", "phone", "business", "sector", "district")
FIELD_STATES = {
    "name": ASKING_NAME,
    "phone": ASKING_PHONE,
    "business": ASKING_BUSINESS,
    "sector": CHOOSING_SECTOR,
    "district": CHOOSING_DISTRICT,
}
LIST_PAGE = 5


# ---- small helpers -------------------------------------------------------------------------


def _draft(context: BotContext) -> dict[str, Any]:
    data = context.user_data if context.user_data is not None else {}
    draft = data.get(DRAFT)
    if not isinstance(draft, dict):
        draft = data[DRAFT] = {}
    return draft


def _drop_draft(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)


def _restart_draft(context: BotContext) -> None:
    """A fresh draft for another training, still for the same person (the user or a colleague)."""
    kept = colleague.kept(_draft(context))
    _drop_draft(context)
    _draft(context).update(kept)


def _text(context: BotContext, key: str, lang: str, **values: object) -> str:
    """A text of the conversation in the wording for whom the draft is (the user or a colleague)."""
    return t(colleague.key(_draft(context), key), lang, **values)


async def _answer(update: Update, text: str | None = None) -> None:
    """Answer the button tap (Telegram shows a spinner until we do)."""
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(text, show_alert=bool(text))
        except TelegramError:
            pass  # a query too old to answer; the reply below still reaches the user


async def _send(
    update: Update,
    context: BotContext,
    text: str,
    markup: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None = None,
) -> None:
    """A new message in the user's chat."""
    target = update.effective_chat or update.effective_user
    if target is not None:
        await context.bot.send_message(target.id, text, reply_markup=markup)


def _seats_label(view: TrainingView, lang: str) -> str:
    if view.seats_left > 0:
        return t("reg.seats.left", lang, seats=view.seats_left)
    return t("reg.seats.full", lang)


def _dates(view: TrainingView, context: BotContext, lang: str) -> str:
    tz = context.settings.timezone
    if not view.days:
        return ""
    first = format_day(local_day(view.days[0].starts_at, tz), lang)
    if len(view.days) == 1:
        return first
    last = format_day(local_day(view.days[-1].starts_at, tz), lang)
    return t("reg.dates.range", lang, first=first, last=last)


def _training_button(view: TrainingView, held: Held | None, context: BotContext, lang: str) -> str:
    """ "Kain Perca dan Melukis… · 8 Des · sisa 4", or marked with the place the user holds."""
    tz = context.settings.timezone
    day = format_day_month(local_day(view.days[0].starts_at, tz), lang) if view.days else ""
    # Button labels are plain text (not HTML), so the raw values go in unescaped.
    title, date = Safe(short_title(view.title)), Safe(day)
    if held is not None and held.confirmed:
        return t("reg.button.held.confirmed", lang, title=title, date=date)
    if held is not None:
        return t("reg.button.held.waiting", lang, title=title, date=date,
                 position=held.position or "?")  # fmt: skip
    seats = (
        t("reg.button.seats", lang, seats=view.seats_left)
        if view.seats_left > 0
        else t("reg.button.full", lang)
    )
    return t("reg.button.training", lang, title=title, date=date, seats=Safe(seats))


def _training_pages(
    views: list[TrainingView], held: dict[int, Held], context: BotContext, lang: str
) -> list[tuple[str, InlineKeyboardMarkup]]:
    """The open trainings as messages of a few trainings each, with a button per training."""
    pages: list[tuple[str, InlineKeyboardMarkup]] = []
    for start in range(0, len(views), LIST_PAGE):
        chunk = list(enumerate(views[start : start + LIST_PAGE], start=start + 1))
        items = [
            t(
                "reg.list.item",
                lang,
                number=number,
                title=view.title,
                dates=_dates(view, context, lang),
                venue=view.venue,
                seats=_seats_label(view, lang),
            )
            for number, view in chunk
        ]
        header = [t("reg.list.title", lang)] if start == 0 else []
        footer = [t("reg.list.choose", lang)] if start + LIST_PAGE >= len(views) else []
        text = "\n\n".join(header + items + footer)
        buttons = [
            [
                InlineKeyboardButton(
                    _training_button(view, held.get(view.id), context, lang),
                    callback_data=pack(PREFIX, TRAINING, view.id),
                )
            ]
            for _, view in chunk
        ]
        pages.append((text, InlineKeyboardMarkup(buttons)))
    return pages


async def _show_open_trainings(
    update: Update, context: BotContext, lang: str, *, edit: bool = True
) -> bool:
    """Send the open trainings (with `edit`, the tapped message becomes the first page);
    False when there are none."""
    user = update.effective_user
    async with context.sessions() as session:
        views = await open_trainings(session, context.now())
        ids = [view.id for view in views]
        held = await held_places(session, user.id, ids) if user is not None else {}
    if not views:
        markup = _next_markup(lang, another=False)
        if edit:
            await edit_or_send(update, context, t("reg.list.empty", lang), markup)
        else:
            await _send(update, context, t("reg.list.empty", lang), markup)
        return False
    for index, (text, markup) in enumerate(_training_pages(views, held, context, lang)):
        if index == 0 and edit:
            await edit_or_send(update, context, text, markup)
        else:
            await _send(update, context, text, markup)
    return True


def _day_lines(view: TrainingView, context: BotContext, lang: str) -> str:
    """Each day of the training with its date, times and topic."""
    tz = context.settings.timezone
    return "\n".join(
        t(
            "reg.details.day",
            lang,
            number=day.day_number,
            date=format_day(local_day(day.starts_at, tz), lang),
            times=format_time_range(day.starts_at, day.ends_at, tz, lang),
            topic=Safe(t("reg.details.topic", lang, topic=day.topic)) if day.topic else "",
        )
        for day in view.days
    )


def _details(view: TrainingView, context: BotContext, lang: str) -> str:
    tz = context.settings.timezone
    days = _day_lines(view, context, lang)
    deadline = ""
    if view.registration_closes_at is not None:
        closes = view.registration_closes_at
        deadline = t(
            "reg.details.deadline",
            lang,
            when=format_moment(closes, tz, lang, format_day),
        )
    return t(
        "reg.details",
        lang,
        title=view.title,
        description=Safe(
            t("reg.details.description", lang, description=view.description)
            if view.description
            else ""
        ),
        venue=view.venue,
        seats=_seats_label(view, lang),
        deadline=Safe(deadline),
        days=Safe(days),
    )


def _button(text: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=pack(PREFIX, *parts))


def _link(text: str, prefix: str, *parts: object) -> InlineKeyboardButton:
    """A button handled by another feature (the menu, /saya)."""
    return InlineKeyboardButton(text, callback_data=pack(prefix, *parts))


def _next_markup(
    lang: str, *first: list[InlineKeyboardButton], another: bool = True
) -> InlineKeyboardMarkup:
    """Under every end of a registration: `first`, then my trainings, another one, the menu."""
    row = [_link(t("reg.next.my", lang), MENU_PREFIX, MENU_MY)]
    if another:
        row.append(_link(t("reg.next.another", lang), MENU_PREFIX, MENU_REGISTER))
    home = [_link(t("menu.home", lang), MENU_PREFIX, MENU_HOME)]
    return InlineKeyboardMarkup([*first, row, home])


def _consent_markup(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[inline_button(action("reg.consent.yes", lang, pack(PREFIX, CONSENT, YES)))],
         [_button(t("reg.consent.no", lang), CONSENT, NO)]]
    )  # fmt: skip


def _sector_markup(lang: str) -> InlineKeyboardMarkup:
    buttons = [_button(t(f"reg.sector.{s.value}", lang), SECTOR, s.value) for s in Sector]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def _district_markup(context: BotContext, lang: str) -> InlineKeyboardMarkup:
    buttons = [
        _button(name, DISTRICT, index) for index, name in enumerate(context.settings.districts)
    ]
    buttons.append(_button(t("reg.district.outside", lang), DISTRICT, OUTSIDE))
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def _phone_keyboard(context: BotContext, lang: str) -> ReplyKeyboardMarkup | None:
    if colleague.is_colleague(_draft(context)):
        return None  # the share button shares the user's own number, not the colleague's
    return ReplyKeyboardMarkup(
        [[KeyboardButton(t("reg.button.share_phone", lang), request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


# ---- asking each question ------------------------------------------------------------------


async def _ask(update: Update, context: BotContext, state: str, lang: str) -> Step:
    """Put the question of `state` to the user (again); returns `state`."""
    draft = _draft(context)
    if state == CHOOSING:
        return CHOOSING if await _show_open_trainings(update, context, lang) else END
    if state == CONSENTING:
        draft[WITH_DETAILS] = False
        await edit_or_send(
            update, context, _text(context, "reg.consent", lang), _consent_markup(lang)
        )
    elif state == ASKING_NAME:
        await _send(update, context, _text(context, "reg.ask.name", lang))
    elif state == ASKING_PHONE:
        await _send(
            update, context, _text(context, "reg.ask.phone", lang), _phone_keyboard(context, lang)
        )
    elif state == ASKING_BUSINESS:
        markup = colleague.business_markup(draft, PREFIX)
        await _send(update, context, _text(context, "reg.ask.business", lang), markup)
    elif state == CHOOSING_SECTOR:
        await edit_or_send(
            update, context, _text(context, "reg.ask.sector", lang), _sector_markup(lang)
        )
    elif state == CHOOSING_DISTRICT:
        await edit_or_send(
            update,
            context,
            _text(context, "reg.ask.district", lang),
            _district_markup(context, lang),
        )
    elif state == REVIEWING:
        return await _show_summary(update, context, lang)
    draft["step"] = state
    return state


async def _show_summary(update: Update, context: BotContext, lang: str) -> Step:
    draft = _draft(context)
    draft["editing"] = False
    async with context.sessions() as session:
        view = await training_view(session, context.now(), training_id=int(draft["training_id"]))
    if view is None:
        _drop_draft(context)
        await edit_or_send(update, context, t("reg.unavailable", lang), _next_markup(lang))
        return END
    # A full training says so before the tap: confirming puts the person on the waiting list.
    full = view.seats_left <= 0
    text = t(
        "reg.summary",
        lang,
        heading=Safe(colleague.summary_heading(draft, lang)),
        closing=Safe(t("reg.summary.closing_full" if full else "reg.summary.closing", lang)),
        training=view.title,
        days=Safe(_day_lines(view, context, lang)),
        venue=view.venue,
        name=draft["name"],
        phone=format_phone(draft["phone"]),
        business=draft["business"],
        sector=sector_label(draft["sector"], lang),
        district=district_label(draft["district"], lang),
    )
    markup = InlineKeyboardMarkup(
        [
            [_button(t("reg.edit.name", lang), EDIT, "name"),
             _button(t("reg.edit.phone", lang), EDIT, "phone")],
            [_button(t("reg.edit.business", lang), EDIT, "business"),
             _button(t("reg.edit.sector", lang), EDIT, "sector")],
            [_button(t("reg.edit.district", lang), EDIT, "district")],
            [inline_button(action(_CONFIRMS[full], lang, pack(PREFIX, CONFIRM)))],
        ]
    )  # fmt: skip
    await edit_or_send(update, context, text, markup)
    draft["step"] = REVIEWING
    return REVIEWING


async def _next(update: Update, context: BotContext, lang: str, following: str) -> Step:
    """After a field: back to the summary when fixing one field, else the next question."""
    if _draft(context).get("editing"):
        return await _show_summary(update, context, lang)
    return await _ask(update, context, following, lang)


# ---- entry points --------------------------------------------------------------------------


async def list_trainings(update: Update, context: BotContext) -> None:
    """`/pelatihan`: the open trainings with a button to register for each."""
    lang = await user_language(update, context)
    await _show_open_trainings(update, context, lang)


async def start_registration(update: Update, context: BotContext) -> Step:
    """`/daftar` or the menu button: a fresh draft and the list of open trainings."""
    lang = await user_language(update, context)
    await _answer(update)
    await _leave_phone_step(update, context)
    _drop_draft(context)
    # From the menu: a new message, so the menu stays.
    return CHOOSING if await _show_open_trainings(update, context, lang, edit=False) else END


async def open_by_link(update: Update, context: BotContext) -> Step:
    """`/start <code>` from a deep link: that training directly, or the list if it is not open."""
    lang = await user_language(update, context)
    await _leave_phone_step(update, context)
    _drop_draft(context)
    code = (context.args or [""])[0][:64]
    choice = await _load_choice(update, context, code=code)
    if choice.held is not None:
        return await _show_held(update, context, choice.held, lang)
    if choice.view is None or not choice.view.is_open:
        await _send(update, context, t("reg.unknown_code", lang, code=code))
        return await _ask(update, context, CHOOSING, lang)
    return await _begin(update, context, choice.view, choice.known, lang)


async def choose_training(update: Update, context: BotContext) -> Step:
    """A training button (from the list or /pelatihan): its details, then consent."""
    lang = await user_language(update, context)
    data = update.callback_query.data if update.callback_query else None
    parsed = unpack(data, PREFIX, 2)
    training_id = int(parsed[1]) if parsed and parsed[0] == TRAINING and parsed[1].isdigit() else 0
    choice = _Choice()
    if 0 < training_id < 2**31:
        choice = await _load_choice(update, context, training_id=training_id)
    view = choice.view
    if choice.held is None and (view is None or not view.is_open):
        await _answer(update, t("reg.unavailable", lang))
        await _leave_phone_step(update, context)
        _restart_draft(context)
        return await _ask(update, context, CHOOSING, lang)
    await _answer(update)
    await _leave_phone_step(update, context)
    _restart_draft(context)
    if choice.held is not None:
        return await _show_held(update, context, choice.held, lang)
    assert view is not None
    return await _begin(update, context, view, choice.known, lang)


@dataclass(frozen=True)
class _Choice:
    """What choosing a training leads to: the place the user holds in it, else the training
    (with the user's profile on file when it is open)."""

    held: RegistrationView | None = None
    view: TrainingView | None = None
    known: Profile | None = None


async def _load_choice(
    update: Update, context: BotContext, *, training_id: int | None = None, code: str | None = None
) -> _Choice:
    # One session for all of it: every registration starts here. For a colleague, the user's
    # own place in the training does not matter, nor their own profile.
    user, now = update.effective_user, context.now()
    for_self = not colleague.is_colleague(_draft(context))
    async with context.sessions() as session:
        view = await training_view(session, now, training_id=training_id, code=code)
        if view is None:
            return _Choice()
        held = (
            await held_registration(session, user.id, view.id, now) if user and for_self else None
        )
        if held is not None:
            return _Choice(held=held)
        known = await _known_profile(session, update, view) if for_self else None
        return _Choice(view=view, known=known)


async def _show_held(
    update: Update, context: BotContext, held: RegistrationView, lang: str
) -> Step:
    """The user's registration for the training they chose, with what they can do with it."""
    _drop_draft(context)
    registration_id = held.registration.id
    actions = [inline_button(action("reg.next.cancel", lang, pack(CANCEL_PREFIX, registration_id)))]
    if held.confirmed:
        actions.insert(0, _link(t("reg.next.calendar", lang), CALENDAR_PREFIX, registration_id))
    text = t("reg.held", lang) + "\n\n" + registration_text(held, lang, context.settings.timezone)
    await edit_or_send(update, context, text, _next_markup(lang, actions))
    return END


async def start_colleague(update: Update, context: BotContext) -> Step:
    """ "Register a colleague" (from /saya or a result): the same steps for another person of
    the user's business, for the training given (if still open) or one chosen from the list."""
    lang = await user_language(update, context)
    parts = unpack(update.callback_query.data if update.callback_query else None, PREFIX, 2)
    training_id = int(parts[1]) if parts and parts[1].isdigit() and len(parts[1]) < 10 else 0
    user = update.effective_user
    await _answer(update)
    await _leave_phone_step(update, context)
    _drop_draft(context)
    async with context.sessions() as session:
        business = await holder_business(session, user.id) if user is not None else None
        view = await training_view(session, context.now(), training_id=training_id)
    colleague.begin(_draft(context), business)
    if view is not None and view.is_open:
        # Below the message the button was on (a result, /saya), which stays as it was.
        return await _begin(update, context, view, None, lang, edit=False)
    await _send(update, context, t("col.choose", lang))
    if await _show_open_trainings(update, context, lang, edit=False):
        return CHOOSING
    _drop_draft(context)
    return END


async def _known_profile(
    session: AsyncSession, update: Update, view: TrainingView | None
) -> Profile | None:
    """The profile on file of a user about to register for an open training."""
    user = update.effective_user
    if view is None or not view.is_open or user is None:
        return None
    return await profile_of(session, user.id)


def _reminder_due(view: TrainingView, context: BotContext) -> bool:
    """Whether a reminder for one of the training's days is due now (so worth sending at once
    rather than at the reminder job's next run)."""
    now, settings = context.now(), context.settings
    return any(
        reminder_due_at(local_day(day.starts_at, settings.timezone), settings.reminder_time,
                        settings.timezone) <= now < day.starts_at
        for day in view.days
    )  # fmt: skip


async def _begin(
    update: Update,
    context: BotContext,
    view: TrainingView,
    known: Profile | None,
    lang: str,
    *,
    edit: bool = True,
) -> Step:
    draft = _draft(context)
    draft["training_id"] = view.id
    if known is not None and not colleague.is_colleague(draft):
        # A returning participant: the profile on file, straight to the summary.
        draft.update(
            name=known.full_name,
            phone=known.phone,
            business=known.business_name,
            sector=known.sector,
            district=known.district,
            consent_at=known.consent_at.isoformat(),
        )
        return await _show_summary(update, context, lang)
    details, consent = _details(view, context, lang), _text(context, "reg.consent", lang)
    show = edit_or_send if edit else _send
    draft["step"] = CONSENTING
    # One message: the training, then the consent question (two only for a very long text).
    draft[WITH_DETAILS] = len(details) + len(consent) + 2 <= MESSAGE_LIMIT
    if draft[WITH_DETAILS]:
        await show(update, context, details + "\n\n" + consent, _consent_markup(lang))
        return CONSENTING
    await show(update, context, details)
    await _send(update, context, consent, _consent_markup(lang))
    return CONSENTING


# ---- the steps -----------------------------------------------------------------------------


async def give_consent(update: Update, context: BotContext) -> Step:
    """Consent given (then the name) or refused (the end)."""
    lang = await user_language(update, context)
    parts = unpack(update.callback_query.data if update.callback_query else None, PREFIX, 2)
    if parts is None or parts[1] not in (YES, NO):
        return await stray_button(update, context)
    await _answer(update)
    if parts[1] == NO:
        declined = _text(context, "reg.consent.declined", lang)
        _drop_draft(context)
        await edit_or_send(update, context, declined, _next_markup(lang))
        return END
    draft = _draft(context)
    draft["consent_at"] = context.now().isoformat()
    # The name question takes the place of the consent buttons: no new message for it.
    text = t("reg.consent.given", lang) + "\n\n" + _text(context, "reg.ask.name", lang)
    if draft.pop(WITH_DETAILS, False):
        async with context.sessions() as session:
            view = await training_view(session, context.now(), training_id=draft["training_id"])
        text = (_details(view, context, lang) + "\n\n" if view else "") + text
    await edit_or_send(update, context, text)
    draft["step"] = ASKING_NAME
    return ASKING_NAME


async def _take_typed_name(
    update: Update, context: BotContext, field: str, bounds: tuple[int, int], here: str, then: str
) -> Step:
    """A typed name (the person's or the business's): kept in the draft, or asked again."""
    lang = await user_language(update, context)
    text = update.effective_message.text if update.effective_message else None
    value = clean_name(text or "", *bounds)
    if value is None:
        await _send(update, context, t(f"reg.bad.{field}", lang))
        return here
    _draft(context)[field] = value
    return await _next(update, context, lang, then)


async def take_name(update: Update, context: BotContext) -> Step:
    """The typed full name."""
    return await _take_typed_name(
        update, context, "name", (NAME_MIN, NAME_MAX), ASKING_NAME, ASKING_PHONE
    )


async def take_contact(update: Update, context: BotContext) -> Step:
    """A shared contact: accepted only when it is the sender's own number."""
    lang = await user_language(update, context)
    message, user = update.effective_message, update.effective_user
    contact = message.contact if message else None
    mine = contact is not None and user is not None and contact.user_id == user.id
    if contact is None or not mine or colleague.is_colleague(_draft(context)):
        await _send(
            update, context, _text(context, "reg.bad.contact", lang), _phone_keyboard(context, lang)
        )
        return ASKING_PHONE
    return await _store_phone(update, context, lang, contact.phone_number)


async def take_phone(update: Update, context: BotContext) -> Step:
    """A typed phone number."""
    lang = await user_language(update, context)
    text = update.effective_message.text if update.effective_message else None
    return await _store_phone(update, context, lang, (text or "")[:40])


async def _store_phone(update: Update, context: BotContext, lang: str, raw: str) -> Step:
    phone = normalize_phone(raw)
    if phone is None:
        hint = "reg.bad.phone_letter" if phone_has_letters(raw) else "reg.bad.phone"
        await _send(update, context, _text(context, hint, lang), _phone_keyboard(context, lang))
        return ASKING_PHONE
    draft = _draft(context)
    draft["phone"] = phone
    saved = t("reg.phone.saved", lang, phone=format_phone(phone))
    # Leaving the phone step: the share-my-number keyboard goes away with the next question.
    if draft.get("editing"):  # the summary's buttons cannot take it away: a message of its own
        await _send(update, context, saved, ReplyKeyboardRemove())
        return await _show_summary(update, context, lang)
    ask = saved + "\n\n" + _text(context, "reg.ask.business", lang)
    # A colleague's phone was typed (no share keyboard to take away): their business buttons.
    await _send(
        update, context, ask, colleague.business_markup(draft, PREFIX) or ReplyKeyboardRemove()
    )
    draft["step"] = ASKING_BUSINESS
    return ASKING_BUSINESS


async def take_business(update: Update, context: BotContext) -> Step:
    """The typed business name."""
    return await _take_typed_name(
        update, context, "business", (BUSINESS_MIN, BUSINESS_MAX), ASKING_BUSINESS, CHOOSING_SECTOR
    )


async def same_business(update: Update, context: BotContext) -> Step:
    """A colleague's business is the user's own: one tap instead of typing it."""
    lang = await user_language(update, context)
    business = _draft(context).get(colleague.HOLDER_BUSINESS)
    if not colleague.is_colleague(_draft(context)) or not business:
        return await stray_button(update, context)
    await _answer(update)
    _draft(context)["business"] = business
    return await _next(update, context, lang, CHOOSING_SECTOR)


async def choose_sector(update: Update, context: BotContext) -> Step:
    """A sector button."""
    lang = await user_language(update, context)
    parts = unpack(update.callback_query.data if update.callback_query else None, PREFIX, 2)
    if parts is None or parts[1] not in {s.value for s in Sector}:
        return await stray_button(update, context)
    await _answer(update)
    _draft(context)["sector"] = parts[1]
    return await _next(update, context, lang, CHOOSING_DISTRICT)


async def choose_district(update: Update, context: BotContext) -> Step:
    """A district button (one of the configured districts, or outside the city)."""
    lang = await user_language(update, context)
    parts = unpack(update.callback_query.data if update.callback_query else None, PREFIX, 2)
    districts = context.settings.districts
    if parts is not None and parts[1] == OUTSIDE:
        district = OUTSIDE_DISTRICT
    elif parts is not None and parts[1].isdigit() and int(parts[1]) < len(districts):
        district = districts[int(parts[1])]
    else:
        return await stray_button(update, context)
    await _answer(update)
    _draft(context)["district"] = district
    return await _show_summary(update, context, lang)


async def change_field(update: Update, context: BotContext) -> Step:
    """A "change" button of the summary: that one question, then back to the summary."""
    lang = await user_language(update, context)
    parts = unpack(update.callback_query.data if update.callback_query else None, PREFIX, 2)
    if parts is None or parts[1] not in FIELD_STATES:
        return await stray_button(update, context)
    await _answer(update)
    _draft(context)["editing"] = True
    return await _ask(update, context, FIELD_STATES[parts[1]], lang)


def _drafted_profile(draft: dict[str, Any]) -> Profile:
    """The person the draft describes, as the registration service takes them."""
    return Profile(
        full_name=draft["name"],
        phone=draft["phone"],
        business_name=draft["business"],
        sector=draft["sector"],
        district=draft["district"],
        consent_at=datetime.fromisoformat(draft["consent_at"]),
    )


async def confirm_registration(update: Update, context: BotContext) -> Step:
    """ "Konfirmasi": register (seat or waiting list) and say what happens next."""
    lang = await user_language(update, context)
    draft = _draft(context)
    user = update.effective_user
    if user is None or not all(draft.get(f) for f in (*FIELDS, "consent_at", "training_id")):
        return await stray_button(update, context)
    await _answer(update)
    profile = _drafted_profile(draft)
    training_id = int(draft["training_id"])
    for_colleague = colleague.is_colleague(draft)
    registers = register_colleague if for_colleague else register_participant
    async with context.sessions() as session:
        result = await registers(
            session, user.id, training_id, profile, context.now(), language=lang
        )
        view = await training_view(session, context.now(), training_id=training_id, seats=False)
    _drop_draft(context)
    confirmed = result.ok and result.status == RegistrationStatus.CONFIRMED
    if confirmed and view is not None and _reminder_due(view, context):
        wake_reminders(context.application)  # registered late on the day before: remind now
    title = view.title if view is not None else ""
    name = profile.full_name if for_colleague else None
    await edit_or_send(
        update,
        context,
        _result_text(result, title, lang, colleague_name=name),
        _result_markup(result, lang, training_id),
    )
    return END


def _result_text(
    result: RegistrationResult, title: str, lang: str, *, colleague_name: str | None = None
) -> str:
    """What the registration came to, and what happens next (naming the colleague, if for one)."""
    position = result.waitlist_position or ""
    confirmed = result.status == RegistrationStatus.CONFIRMED

    def text(key: str) -> str:
        key = colleague.wording(colleague_name is not None, key)
        return t(key, lang, training=title, position=position, name=colleague_name or "")

    if result.refusal == Refusal.ALREADY:
        return text("reg.already.confirmed" if confirmed else "reg.already.waitlisted")
    if result.refusal is not None:
        reason = t(f"reg.refused.{result.refusal.value}", lang)
        return t("reg.refused", lang, training=title, reason=Safe(reason))
    if confirmed:
        return text("reg.result.confirmed") + "\n\n" + text("reg.next_steps")
    return text("reg.result.waitlisted") + "\n\n" + text("reg.next_steps.waiting")


def _result_markup(result: RegistrationResult, lang: str, training_id: int) -> InlineKeyboardMarkup:
    """The next steps; a seat's calendar file first (a waiting place gets none: it is no seat);
    after a registration, someone else of the same business can come too."""
    actions = []
    if result.status == RegistrationStatus.CONFIRMED and result.registration_id is not None:
        actions.append(_link(t("reg.next.calendar", lang), CALENDAR_PREFIX, result.registration_id))
    if result.registration_id is not None and result.refusal is None:
        actions.append(colleague.register_button(lang, PREFIX, training_id))
    return _next_markup(lang, *([action] for action in actions))


# ---- leaving, and what does not fit --------------------------------------------------------


async def _leave_phone_step(update: Update, context: BotContext) -> None:
    """Take the share-my-number keyboard away if the user leaves while it is shown."""
    if _draft(context).get("step") == ASKING_PHONE:
        lang = await user_language(update, context)
        await _send(update, context, t("reg.stopped", lang), ReplyKeyboardRemove())


async def cancel(update: Update, context: BotContext) -> Step:
    """`/batal`: leave the registration; nothing is stored."""
    lang = await user_language(update, context)
    _drop_draft(context)
    await _send(update, context, t("reg.stopped", lang), ReplyKeyboardRemove())
    return END


async def time_out(update: Update, context: BotContext) -> None:
    """The conversation sat idle too long: say so and how to start again."""
    lang = await user_language(update, context)
    _drop_draft(context)
    try:
        await _send(update, context, t("reg.timeout", lang), ReplyKeyboardRemove())
    except TelegramError:
        pass  # the user blocked the bot meanwhile; nothing else to do


def _current_step(context: BotContext) -> str:
    step = _draft(context).get("step")
    return step if isinstance(step, str) else CHOOSING


async def wrong_input(update: Update, context: BotContext) -> Step:
    """A message that does not answer the question: a short hint and the question again."""
    lang = await user_language(update, context)
    step = _current_step(context)
    typed = step in (ASKING_NAME, ASKING_PHONE, ASKING_BUSINESS)
    await _send(update, context, t("reg.hint.text" if typed else "reg.hint.button", lang))
    # The question again, as a new message below the hint (the old one may be far up).
    return await _ask(update, context, step, lang)


async def stray_button(update: Update, context: BotContext) -> Step:
    """A button that does not belong to this step (old message, forged data)."""
    lang = await user_language(update, context)
    await _answer(update, t("error.stale_button", lang))
    return _current_step(context)


async def finished_button(update: Update, context: BotContext) -> None:
    """A registration button pressed after the conversation ended (a double tap, an old one)."""
    lang = await user_language(update, context)
    await _answer(update, t("reg.stale", lang))


def register(application: Application) -> None:
    """Add this module's handlers (before `common`, so `/start <code>` reaches us first)."""
    settings = deps_of(application).settings
    training_button: BaseHandler[Update, BotContext, Any] = CallbackQueryHandler(
        choose_training, pattern=rf"^{PREFIX}:{TRAINING}:"
    )
    stray = CallbackQueryHandler(stray_button, pattern=rf"^{PREFIX}:")
    not_a_command = ~filters.COMMAND & ~filters.StatusUpdate.ALL
    text = filters.TEXT & not_a_command
    # Whatever a step does not expect: a hint and the question again, or a stale-button answer.
    wrong: list[BaseHandler[Update, BotContext, Any]] = [
        MessageHandler(not_a_command, wrong_input),
        stray,
    ]

    colleague_button: BaseHandler[Update, BotContext, Any] = CallbackQueryHandler(
        start_colleague, pattern=rf"^{PREFIX}:{colleague.COLLEAGUE}:"
    )
    conversation = ConversationHandler(
        entry_points=[
            colleague_button,
            CommandHandler(["daftar", "register"], start_registration),
            CommandHandler("start", open_by_link, has_args=True),
            CallbackQueryHandler(start_registration, pattern=rf"^{MENU_PREFIX}:{MENU_REGISTER}$"),
            training_button,
        ],
        states={
            CHOOSING: [training_button, *wrong],
            CONSENTING: [
                CallbackQueryHandler(give_consent, pattern=rf"^{PREFIX}:{CONSENT}:"),
                *wrong,
            ],
            ASKING_NAME: [MessageHandler(text, take_name), *wrong],
            ASKING_PHONE: [
                MessageHandler(filters.CONTACT, take_contact),
                MessageHandler(text, take_phone),
                *wrong,
            ],
            ASKING_BUSINESS: [
                MessageHandler(text, take_business),
                CallbackQueryHandler(
                    same_business, pattern=rf"^{PREFIX}:{colleague.SAME_BUSINESS}$"
                ),
                *wrong,
            ],
            CHOOSING_SECTOR: [
                CallbackQueryHandler(choose_sector, pattern=rf"^{PREFIX}:{SECTOR}:"),
                *wrong,
            ],
            CHOOSING_DISTRICT: [
                CallbackQueryHandler(choose_district, pattern=rf"^{PREFIX}:{DISTRICT}:"),
                *wrong,
            ],
            REVIEWING: [
                CallbackQueryHandler(change_field, pattern=rf"^{PREFIX}:{EDIT}:"),
                CallbackQueryHandler(confirm_registration, pattern=rf"^{PREFIX}:{CONFIRM}$"),
                *wrong,
            ],
            ConversationHandler.TIMEOUT: [TypeHandler(Update, time_out)],
        },
        fallbacks=[CommandHandler(["batal", "cancel"], cancel)],
        allow_reentry=True,
        conversation_timeout=timedelta(minutes=settings.conversation_timeout_minutes),
        name="registration",
        persistent=True,
    )
    application.add_handler(conversation)
    application.add_handler(CommandHandler(["pelatihan", "trainings"], list_trainings))
    application.add_handler(CallbackQueryHandler(finished_button, pattern=rf"^{PREFIX}:"))
