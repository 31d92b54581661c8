"""The registration conversation's screens: the open trainings, a training's details, each
question, the summary and what a registration came to.

The same screens serve a registration for a colleague (another person of the user's business):
texts with a colleague's wording ("reg.x" becomes "col.x") ask about the colleague, the phone
is typed (sharing a contact would share the user's own number), and the business question
offers the user's own business name as one tap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Protocol

from bot.models import RegistrationStatus, Sector
from bot.services.baseline import SALES_BANDS, Baseline
from bot.services.my_registrations import Held, RegistrationView
from bot.services.registration import RegistrationRefusal, RegistrationResult
from bot.services.trainings import TrainingView
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
from bot.texts.message import Button, Keyboard, Outgoing, keyboard
from bot.texts.registrations import MESSAGE_LIMIT, registration_text

PREFIX = callbacks.REGISTRATION
# Callback data parts under the registration's prefix.
TRAINING = "training"
CONSENT = "consent"
SECTOR = "sector"
DISTRICT = "district"
EDIT = "edit"
CONFIRM = "confirm"
# The business baseline's buttons: `reg:sales:<band>`, `reg:online:yes|no`.
SALES = "sales"
ONLINE = "online"
YES, NO = "yes", "no"
OUTSIDE = "out"
# `reg:col:<training id or 0>` registers a colleague, `reg:samebiz` takes the user's business.
COLLEAGUE = "col"
SAME_BUSINESS = "samebiz"
# The fields the summary can change, in its order.
FIELDS = ("name", "phone", "business", "sector", "district")
LIST_PAGE = 5

# Texts that differ when the registration is for a colleague: "reg.x" becomes "col.x".
_COLLEAGUE_VARIANTS = frozenset(
    {
        "reg.consent",
        "reg.consent.declined",
        "reg.ask.name",
        "reg.ask.phone",
        "reg.ask.business",
        "reg.ask.sector",
        "reg.ask.district",
        "reg.bad.phone",
        "reg.bad.contact",
        "reg.result.confirmed",
        "reg.result.waitlisted",
        "reg.already.confirmed",
        "reg.already.waitlisted",
        "reg.next_steps",
    }
)


class Answers(Protocol):
    """What the summary shows: the answers given so far, and for whom they are."""

    @property
    def for_colleague(self) -> bool: ...
    @property
    def name(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def business(self) -> str | None: ...
    @property
    def sector(self) -> str | None: ...
    @property
    def district(self) -> str | None: ...
    def baseline(self) -> Baseline | None: ...


def wording(for_colleague: bool, key: str) -> str:
    """The catalog key of this text, in the colleague's wording when it is about one."""
    if for_colleague and key in _COLLEAGUE_VARIANTS:
        return "col." + key.removeprefix("reg.")
    return key


def say(for_colleague: bool, key: str, lang: str, **values: object) -> str:
    """A text of the conversation in the wording for whom it is (the user or a colleague)."""
    return t(wording(for_colleague, key), lang, **values)


def _button(label: str, *parts: object) -> Button:
    return Button(label, callbacks.pack(PREFIX, *parts))


def _link(label: str, prefix: str, *parts: object) -> Button:
    """A button handled by another feature (the menu, /saya)."""
    return Button(label, callbacks.pack(prefix, *parts))


def colleague_button(lang: str, training_id: int | None) -> Button:
    """ "➕ Register a colleague" (for this training when given)."""
    return _button(t("col.button.register", lang), COLLEAGUE, training_id or 0)


def next_buttons(lang: str, *first: tuple[Button, ...], another: bool = True) -> Keyboard:
    """Under every end of a registration: `first`, then my trainings, another one, the menu."""
    row = [_link(t("reg.next.my", lang), callbacks.MENU, callbacks.MENU_MY)]
    if another:
        row.append(_link(t("reg.next.another", lang), callbacks.MENU, callbacks.MENU_REGISTER))
    home = _link(t("menu.home", lang), callbacks.MENU, callbacks.MENU_HOME)
    return (*first, tuple(row), (home,))


def ending(text: str, lang: str) -> Outgoing:
    """A registration that ends here, with where to go next."""
    return Outgoing(text, next_buttons(lang))


# ---- the open trainings --------------------------------------------------------------------


def _seats_label(view: TrainingView, lang: str) -> str:
    if view.seats_left > 0:
        return t("reg.seats.left", lang, seats=view.seats_left)
    return t("reg.seats.full", lang)


def _dates(view: TrainingView, tz: tzinfo, lang: str) -> str:
    if not view.days:
        return ""
    first = format_day(local_day(view.days[0].starts_at, tz), lang)
    if len(view.days) == 1:
        return first
    last = format_day(local_day(view.days[-1].starts_at, tz), lang)
    return t("reg.dates.range", lang, first=first, last=last)


def _training_label(view: TrainingView, held: Held | None, tz: tzinfo, lang: str) -> str:
    """ "Kain Perca dan Melukis… · 8 Des · sisa 4", or marked with the place the user holds."""
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


def _list_item(number: int, view: TrainingView, tz: tzinfo, lang: str) -> str:
    return t(
        "reg.list.item",
        lang,
        number=number,
        title=view.title,
        dates=_dates(view, tz, lang),
        venue=view.venue,
        seats=_seats_label(view, lang),
    )


def training_pages(
    views: Sequence[TrainingView], held: Mapping[int, Held], tz: tzinfo, lang: str
) -> list[Outgoing]:
    """The open trainings as messages of a few trainings each, with a button per training
    (an empty list says there is none open)."""
    if not views:
        return [Outgoing(t("reg.list.empty", lang), next_buttons(lang, another=False))]
    pages = []
    for start in range(0, len(views), LIST_PAGE):
        chunk = list(enumerate(views[start : start + LIST_PAGE], start=start + 1))
        header = [t("reg.list.title", lang)] if start == 0 else []
        footer = [t("reg.list.choose", lang)] if start + LIST_PAGE >= len(views) else []
        items = [_list_item(number, view, tz, lang) for number, view in chunk]
        buttons = keyboard(
            *(
                _button(_training_label(view, held.get(view.id), tz, lang), TRAINING, view.id)
                for _, view in chunk
            )
        )
        pages.append(Outgoing("\n\n".join(header + items + footer), buttons))
    return pages


# ---- a training ----------------------------------------------------------------------------


def day_lines(view: TrainingView, tz: tzinfo, lang: str) -> str:
    """Each day of the training with its date, times and topic."""
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


def details(view: TrainingView, tz: tzinfo, lang: str) -> str:
    """A training as someone about to register reads it: what, where, when, until when."""
    deadline = ""
    if view.registration_closes_at is not None:
        when = format_moment(view.registration_closes_at, tz, lang, format_day)
        deadline = t("reg.details.deadline", lang, when=when)
    description = (
        t("reg.details.description", lang, description=view.description) if view.description else ""
    )
    return t(
        "reg.details",
        lang,
        title=view.title,
        description=Safe(description),
        venue=view.venue,
        seats=_seats_label(view, lang),
        deadline=Safe(deadline),
        days=Safe(day_lines(view, tz, lang)),
    )


def _consent_text(for_colleague: bool, lang: str, baseline: bool) -> str:
    """The consent question's text; with `baseline`, it names the business questions too."""
    extra = t("reg.consent.baseline", lang) if baseline else ""
    return say(for_colleague, "reg.consent", lang, baseline=Safe(extra))


def fits_one_message(
    view: TrainingView, for_colleague: bool, tz: tzinfo, lang: str, *, baseline: bool = False
) -> bool:
    """Whether the training's details and the consent question fit in one message."""
    consent = _consent_text(for_colleague, lang, baseline)
    return len(details(view, tz, lang)) + len(consent) + 2 <= MESSAGE_LIMIT


def held_place(held: RegistrationView, tz: tzinfo, lang: str) -> Outgoing:
    """The user's registration for the training they chose, with what they can do with it."""
    registration_id = held.registration.id
    actions = [action("reg.next.cancel", lang, callbacks.pack(callbacks.CANCEL, registration_id))]
    if held.confirmed:
        actions.insert(0, _link(t("reg.next.calendar", lang), callbacks.CALENDAR, registration_id))
    text = t("reg.held", lang) + "\n\n" + registration_text(held, lang, tz)
    return Outgoing(text, next_buttons(lang, tuple(actions)))


# ---- the questions -------------------------------------------------------------------------


def consent_question(
    for_colleague: bool, lang: str, *, above: str = "", baseline: bool = False
) -> Outgoing:
    """May we store the details (on the colleague's behalf)? `above`: the training first;
    `baseline`: the business questions are asked too."""
    text = _consent_text(for_colleague, lang, baseline)
    buttons = keyboard(
        action("reg.consent.yes", lang, callbacks.pack(PREFIX, CONSENT, YES)),
        _button(t("reg.consent.no", lang), CONSENT, NO),
    )
    return Outgoing(above + "\n\n" + text if above else text, buttons)


def consent_declined(for_colleague: bool, lang: str) -> Outgoing:
    """No consent: nothing is stored, the registration ends."""
    return ending(say(for_colleague, "reg.consent.declined", lang), lang)


def name_question(for_colleague: bool, lang: str, *, above: str = "") -> Outgoing:
    """The full name (below `above`: the training and the consent taken)."""
    text = say(for_colleague, "reg.ask.name", lang)
    return Outgoing(above + "\n\n" + text if above else text)


def consent_given(for_colleague: bool, lang: str, *, training: str = "") -> Outgoing:
    """The name question in the place of the consent buttons (below the training's details
    when they shared that message)."""
    given = t("reg.consent.given", lang)
    return name_question(
        for_colleague, lang, above=training + "\n\n" + given if training else given
    )


def phone_question(for_colleague: bool, lang: str, key: str = "reg.ask.phone") -> Outgoing:
    """The phone number (or why the last answer was not one, `key`), with a button that shares
    the user's own number; none for a colleague: it would share the user's, not theirs."""
    text = say(for_colleague, key, lang)
    if for_colleague:
        return Outgoing(text)
    return Outgoing(text, share_contact=t("reg.button.share_phone", lang))


def business_question(
    for_colleague: bool, holder_business: str, lang: str, *, above: str = ""
) -> Outgoing:
    """The business name; for a colleague, the user's own as one tap when they have one."""
    text = say(for_colleague, "reg.ask.business", lang)
    text = above + "\n\n" + text if above else text
    if not for_colleague or not holder_business:
        return Outgoing(text, remove_keyboard=bool(above))
    # Button labels are plain text: the name goes in as typed.
    return Outgoing(text, keyboard(_button(f"🏪 {holder_business}"[:64], SAME_BUSINESS)))


def phone_saved(phone: str, lang: str) -> Outgoing:
    """The phone number as understood; the share-my-number keyboard goes away with it."""
    return Outgoing(t("reg.phone.saved", lang, phone=format_phone(phone)), remove_keyboard=True)


def business_after_phone(
    for_colleague: bool, holder_business: str, phone: str, lang: str
) -> Outgoing:
    """The phone number as understood, then the business question (the keyboard goes)."""
    saved = phone_saved(phone, lang).text
    return business_question(for_colleague, holder_business, lang, above=saved)


def sector_question(for_colleague: bool, lang: str) -> Outgoing:
    """The business's sector, one button each, two a row."""
    buttons = [_button(t(f"reg.sector.{s.value}", lang), SECTOR, s.value) for s in Sector]
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return Outgoing(say(for_colleague, "reg.ask.sector", lang), rows)


def district_question(for_colleague: bool, districts: Sequence[str], lang: str) -> Outgoing:
    """The district, one of the configured ones or outside the city, two a row."""
    buttons = [_button(name, DISTRICT, index) for index, name in enumerate(districts)]
    buttons.append(_button(t("reg.district.outside", lang), DISTRICT, OUTSIDE))
    rows = tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
    return Outgoing(say(for_colleague, "reg.ask.district", lang), rows)


def sales_question(lang: str) -> Outgoing:
    """The baseline's monthly sales, as a band: one button each."""
    buttons = [_button(t(f"base.sales.{band}", lang), SALES, band) for band in SALES_BANDS]
    return Outgoing(t("base.ask.sales", lang), tuple((b,) for b in buttons))


def workers_question(lang: str) -> Outgoing:
    """The baseline's number of workers, the owner included (typed)."""
    return Outgoing(t("base.ask.workers", lang))


def online_question(lang: str) -> Outgoing:
    """Whether the business sells online: yes or no."""
    buttons = (_button(t("base.yes", lang), ONLINE, YES), _button(t("base.no", lang), ONLINE, NO))
    return Outgoing(t("base.ask.online", lang), (buttons,))


def _baseline_lines(baseline: Baseline | None, lang: str) -> str:
    """The baseline's answers under the summary's details (nothing when it was not asked)."""
    if baseline is None:
        return ""
    return t(
        "base.summary",
        lang,
        sales=t(f"base.sales.{baseline.sales_band}", lang),
        workers=baseline.workers,
        online=t("base.yes" if baseline.sells_online else "base.no", lang),
    )


# ---- the summary and the result ------------------------------------------------------------


def _heading(answers: Answers, lang: str) -> str:
    """The summary's first line: whose details are checked (the colleague's, by name)."""
    if not answers.for_colleague:
        return t("reg.summary.heading", lang)
    return t("col.summary.head", lang, name=answers.name or "")


def summary(answers: Answers, view: TrainingView, tz: tzinfo, lang: str) -> Outgoing:
    """Everything given, to check before confirming, with a button to change each answer.
    A full training says so before the tap: confirming puts the person on the waiting list."""
    full = view.seats_left <= 0
    text = t(
        "reg.summary",
        lang,
        heading=Safe(_heading(answers, lang)),
        closing=Safe(t("reg.summary.closing_full" if full else "reg.summary.closing", lang)),
        training=view.title,
        days=Safe(day_lines(view, tz, lang)),
        venue=view.venue,
        name=answers.name,
        phone=format_phone(answers.phone),
        business=answers.business,
        sector=sector_label(answers.sector or "", lang),
        district=district_label(answers.district or "", lang),
        baseline=Safe(_baseline_lines(answers.baseline(), lang)),
    )
    edits = [_button(t(f"reg.edit.{field}", lang), EDIT, field) for field in FIELDS]
    confirm = action(
        "reg.confirm.waitlist" if full else "reg.confirm", lang, callbacks.pack(PREFIX, CONFIRM)
    )
    return Outgoing(text, (tuple(edits[0:2]), tuple(edits[2:4]), (edits[4],), (confirm,)))


def _result_text(
    result: RegistrationResult, title: str, lang: str, colleague_name: str | None
) -> str:
    position = result.waitlist_position or ""
    confirmed = result.status == RegistrationStatus.CONFIRMED

    def text(key: str) -> str:
        return say(colleague_name is not None, key, lang, training=title, position=position,
                   name=colleague_name or "")  # fmt: skip

    if result.refusal == RegistrationRefusal.ALREADY:
        return text("reg.already.confirmed" if confirmed else "reg.already.waitlisted")
    if result.refusal is not None:
        reason = t(f"reg.refused.{result.refusal.value}", lang)
        return t("reg.refused", lang, training=title, reason=Safe(reason))
    if confirmed:
        return text("reg.result.confirmed") + "\n\n" + text("reg.next_steps")
    return text("reg.result.waitlisted") + "\n\n" + text("reg.next_steps.waiting")


def result_screen(
    result: RegistrationResult,
    title: str,
    training_id: int,
    lang: str,
    *,
    colleague_name: str | None = None,
) -> Outgoing:
    """What the registration came to and what happens next (naming the colleague, if for
    one); a seat's calendar file first (a waiting place gets none: it is no seat); after a
    registration, someone else of the same business can come too."""
    actions = []
    if result.status == RegistrationStatus.CONFIRMED and result.registration_id is not None:
        calendar = t("reg.next.calendar", lang)
        actions.append(_link(calendar, callbacks.CALENDAR, result.registration_id))
    if result.registration_id is not None and result.refusal is None:
        actions.append(colleague_button(lang, training_id))
    text = _result_text(result, title, lang, colleague_name)
    return Outgoing(text, next_buttons(lang, *((action,) for action in actions)))
