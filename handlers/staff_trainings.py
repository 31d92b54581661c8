"""Creating and editing a training, as a conversation: fields one by one, days, summary, save.

The draft lives in `user_data` (persisted after every update) as plain JSON values, so a
restart in the middle loses nothing; it is written to the database only at "Simpan".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from functools import partial
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.runtime.context import BotContext
from bot.services import staff as service
from bot.services import training_spec as rules
from bot.services.training_spec import DaySpec, InvalidValueError, Problem, TrainingSpec
from bot.services.training_writer import Refusal, Written, write_trainings
from bot.texts import Safe, t
from bot.texts.trainings import problem_line, problem_text
from handlers.base import edit_or_send, pack, unpack, user_language
from handlers.staff import TRAINING_PREFIX, day_label, render_training
from handlers.staff_auth import staff_only
from jobs.outbox import wake

CONVERSATION_NAME = "staff_training"
DRAFT_KEY = "staff_draft"

# Conversation states: one per field asked, the summary, and a day's menu.
CODE, TITLE, DESCRIPTION, VENUE, SEATS, DEADLINE = (
    "code",
    "title",
    "description",
    "venue",
    "seats",
    "deadline",
)
DAY_DATE, DAY_START, DAY_END, DAY_TOPIC, DAY_NOTE = "date", "start", "end", "topic", "note"
SUMMARY, DAY_MENU = "summary", "day_menu"

# Button actions after the `trn` prefix.
NEW, EDIT, SKIP, FIX, DAY, DAY_FIX, ADD_DAY, DROP_DAY, BACK, SAVE, QUIT = (
    "new",
    "edit",
    "skip",
    "fix",
    "day",
    "dfix",
    "add",
    "drop",
    "back",
    "save",
    "quit",
)
FLOW, FIX_MODE = "flow", "fix"


@dataclass(frozen=True)
class Field:
    """A value the conversation asks for: how to read it and what comes next in the flow."""

    name: str
    parse: Callable[[str], Any]
    next: str | None
    skippable: bool = False
    per_day: bool = False


def _day_date(text: str) -> str:
    return rules.parse_date(text).isoformat()


def _clock_time(text: str) -> str:
    return rules.parse_time(text).strftime("%H:%M")


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field(CODE, rules.parse_code, TITLE),
        Field(TITLE, partial(rules.parse_text, "title"), DESCRIPTION),
        Field(
            DESCRIPTION,
            partial(rules.parse_text, "description", required=False),
            VENUE,
            skippable=True,
        ),
        Field(VENUE, partial(rules.parse_text, "venue"), SEATS),
        Field(SEATS, rules.parse_capacity, DEADLINE),
        Field(DEADLINE, lambda s: rules.parse_deadline(s).isoformat(), DAY_DATE, skippable=True),
        Field(DAY_DATE, _day_date, DAY_START, per_day=True),
        Field(DAY_START, _clock_time, DAY_END, per_day=True),
        Field(DAY_END, _clock_time, DAY_TOPIC, per_day=True),
        Field(
            DAY_TOPIC,
            partial(rules.parse_text, "topic", required=False),
            DAY_NOTE,
            skippable=True,
            per_day=True,
        ),
        Field(
            DAY_NOTE,
            partial(rules.parse_text, "note", required=False),
            None,
            skippable=True,
            per_day=True,
        ),
    )
}
TRAINING_FIELDS = (CODE, TITLE, DESCRIPTION, VENUE, SEATS, DEADLINE)
DAY_FIELDS = (DAY_DATE, DAY_START, DAY_END, DAY_TOPIC, DAY_NOTE)
_SKIPPED = {DESCRIPTION: "", DEADLINE: None, DAY_TOPIC: "", DAY_NOTE: ""}


# ---- the draft in user_data ---------------------------------------------------------------
def _empty_day() -> dict[str, Any]:
    return {
        "day_id": None,
        DAY_DATE: None,
        DAY_START: None,
        DAY_END: None,
        DAY_TOPIC: "",
        DAY_NOTE: "",
    }


def spec_to_data(spec: TrainingSpec) -> dict[str, Any]:
    """A training's spec as the draft's JSON values for user_data."""
    return {
        "training_id": spec.training_id,
        CODE: spec.code,
        TITLE: spec.title,
        DESCRIPTION: spec.description,
        VENUE: spec.venue,
        SEATS: spec.capacity,
        DEADLINE: spec.registration_closes.isoformat() if spec.registration_closes else None,
        # Not asked in the chat, but kept: saving must not drop the venue's map pin.
        "latitude": spec.latitude,
        "longitude": spec.longitude,
        "days": [
            {
                "day_id": d.day_id,
                DAY_DATE: d.date.isoformat(),
                DAY_START: d.start.strftime("%H:%M"),
                DAY_END: d.end.strftime("%H:%M"),
                DAY_TOPIC: d.topic,
                DAY_NOTE: d.note,
            }
            for d in spec.days
        ],
        "day": 0,
        "mode": FIX_MODE,
    }


def data_to_spec(data: dict[str, Any], tz: tzinfo) -> TrainingSpec:
    """The spec of the draft in user_data; days not yet complete are left out. A training
    saved in the chat stays a draft until staff publish it."""
    return TrainingSpec(
        code=data[CODE],
        title=data[TITLE],
        venue=data[VENUE],
        capacity=data[SEATS],
        tz=tz,
        description=data[DESCRIPTION],
        registration_closes=datetime.fromisoformat(data[DEADLINE]) if data[DEADLINE] else None,
        published=False,
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        days=tuple(
            DaySpec(
                date=date.fromisoformat(d[DAY_DATE]),
                start=time.fromisoformat(d[DAY_START]),
                end=time.fromisoformat(d[DAY_END]),
                topic=d[DAY_TOPIC],
                note=d[DAY_NOTE],
                day_id=d["day_id"],
            )
            for d in data["days"]
            if d[DAY_DATE] and d[DAY_START] and d[DAY_END]
        ),
        training_id=data["training_id"],
    )


def _draft(context: BotContext) -> dict[str, Any] | None:
    data = context.user_data.get(DRAFT_KEY) if context.user_data is not None else None
    return data if isinstance(data, dict) else None


# ---- showing ---------------------------------------------------------------------------------
def _shown(name: str, value: Any) -> str:
    if value is None or value == "":
        return "-"
    if name == DEADLINE:
        return datetime.fromisoformat(value).strftime("%d-%m-%Y %H:%M")
    if name == DAY_DATE:
        return day_label(date.fromisoformat(value))
    return str(value)


def _skip_markup(field: Field, lang: str) -> InlineKeyboardMarkup | None:
    if not field.skippable:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t(f"staff.skip.{field.name}", lang), callback_data=pack(TRAINING_PREFIX, SKIP)
                )
            ]
        ]
    )


async def _ask(
    update: Update, context: BotContext, name: str, hint: Problem | None = None
) -> str | int:
    """Ask for field `name` (with a hint after a bad answer); returns its state."""
    lang = await user_language(update, context)
    data = _draft(context) or {}
    field = FIELDS[name]
    day_no = data.get("day", 0) + 1
    text = t(f"staff.ask.{name}", lang, n=day_no)
    current = data["days"][data["day"]].get(name) if field.per_day else data.get(name)
    if data.get("mode") == FIX_MODE and current not in (None, ""):
        text += "\n" + t("staff.ask.current", lang, value=_shown(name, current))
    if hint is not None:
        text = problem_text(hint, lang) + "\n\n" + text
    if update.callback_query is not None:
        await update.callback_query.answer()
    message = update.effective_message
    if message is not None:
        await message.reply_text(text, reply_markup=_skip_markup(field, lang))
    return name


def summary_text(data: dict[str, Any], lang: str, tz: tzinfo) -> str:
    """The whole draft, with what still stops it from being saved."""
    days = "\n".join(
        t(
            "staff.summary.day",
            lang,
            n=i + 1,
            date=_shown(DAY_DATE, d[DAY_DATE]),
            start=d[DAY_START] or "-",
            end=d[DAY_END] or "-",
            topic=d[DAY_TOPIC] or "-",
            note=d[DAY_NOTE] or "-",
        )
        for i, d in enumerate(data["days"])
    )
    problems = rules.spec_problems(data_to_spec(data, tz))
    problem_lines = "\n".join("⚠️ " + problem_line(p, lang) for p in problems)
    return t(
        "staff.summary",
        lang,
        code=data[CODE],
        title=data[TITLE],
        description=_shown(DESCRIPTION, data[DESCRIPTION])[:500],
        venue=data[VENUE],
        seats=data[SEATS],
        deadline=_shown(DEADLINE, data[DEADLINE]),
        days=Safe(days or "-"),
        problems=Safe(problem_lines),
    )


def summary_buttons(data: dict[str, Any], lang: str) -> InlineKeyboardMarkup:
    """Fix any field or day, add a day, save or leave."""

    def button(label: str, *parts: object) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=pack(TRAINING_PREFIX, *parts))

    fixes = [button(t(f"staff.fix.{name}", lang), FIX, name) for name in TRAINING_FIELDS]
    rows = [fixes[i : i + 2] for i in range(0, len(fixes), 2)]
    days = [button(t("staff.fix.day", lang, n=i + 1), DAY, i) for i in range(len(data["days"]))]
    rows += [days[i : i + 3] for i in range(0, len(days), 3)]
    rows.append([button(t("staff.button.add_day", lang), ADD_DAY)])
    rows.append(
        [button(t("staff.button.save", lang), SAVE), button(t("staff.button.quit", lang), QUIT)]
    )
    return InlineKeyboardMarkup(rows)


def _in_date_order(days: list[dict[str, Any]]) -> None:
    """Sort the draft's days as they will be numbered (days not yet dated last)."""
    days.sort(key=lambda d: (d[DAY_DATE] is None, d[DAY_DATE] or "", d[DAY_START] or ""))


async def _show_summary(update: Update, context: BotContext, notice: str = "") -> str | int:
    """The draft's summary, with `notice` (a text) on top."""
    lang = await user_language(update, context)
    data = _draft(context)
    if data is None:
        return await _lost_draft(update, context)
    data["mode"] = FIX_MODE
    _in_date_order(data["days"])
    text = summary_text(data, lang, context.settings.timezone)
    if notice:
        text = notice + "\n\n" + text
    if update.callback_query is not None:
        await update.callback_query.answer()
    if update.effective_message is not None:
        await update.effective_message.reply_text(text, reply_markup=summary_buttons(data, lang))
    return SUMMARY


async def _lost_draft(update: Update, context: BotContext) -> int:
    lang = await user_language(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer(t("error.stale_button", lang), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(t("error.stale_button", lang))
    return ConversationHandler.END


async def _after_value(update: Update, context: BotContext, name: str) -> str | int:
    """Where the conversation goes once `name` holds a good value."""
    data = _draft(context)
    assert data is not None
    following = FIELDS[name].next
    if data.get("mode") == FLOW and following is not None:
        return await _ask(update, context, following)
    return await _show_summary(update, context)


# ---- entry points -----------------------------------------------------------------------------
@staff_only
async def start_new_training(update: Update, context: BotContext) -> str | int:
    """ "Pelatihan baru": start an empty draft and ask for the code."""
    if context.user_data is not None:
        context.user_data[DRAFT_KEY] = {
            "training_id": None,
            CODE: "",
            TITLE: "",
            DESCRIPTION: "",
            VENUE: "",
            SEATS: 0,
            DEADLINE: None,
            "days": [_empty_day()],
            "day": 0,
            "mode": FLOW,
        }
    if update.callback_query is not None:
        lang = await user_language(update, context)
        await edit_or_send(update, context, t("staff.new.intro", lang))
    return await _ask(update, context, CODE)


@staff_only
async def start_edit_training(update: Update, context: BotContext) -> str | int:
    """ "Ubah": load the training into a draft and show its summary."""
    query = update.callback_query
    assert query is not None
    ids = unpack(query.data, TRAINING_PREFIX, 2)
    if ids is None or ids[0] != EDIT or not ids[1].isdigit():
        return await _lost_draft(update, context)
    async with context.sessions() as session:
        training = await service.get_training(session, int(ids[1]))
    if training is None:
        return await _lost_draft(update, context)
    if context.user_data is not None:
        context.user_data[DRAFT_KEY] = spec_to_data(
            rules.spec_of(training, context.settings.timezone)
        )
    return await _show_summary(update, context)


# ---- answers ----------------------------------------------------------------------------------
def _store(data: dict[str, Any], name: str, value: Any) -> None:
    if FIELDS[name].per_day:
        data["days"][data["day"]][name] = value
    else:
        data[name] = value


def _receiver(name: str) -> Callable[[Update, BotContext], Any]:
    """The handler of a typed answer to field `name`."""

    @staff_only
    async def receive(update: Update, context: BotContext) -> str | int:
        data = _draft(context)
        message = update.effective_message
        if data is None or message is None or message.text is None:
            return await _lost_draft(update, context)
        try:
            value = FIELDS[name].parse(message.text)
        except InvalidValueError as invalid:
            return await _ask(update, context, name, invalid.problem)
        hint = _check_in_context(data, name, value, context)
        if hint is not None:
            return await _ask(update, context, name, hint)
        _store(data, name, value)
        return await _after_value(update, context, name)

    receive.__name__ = f"receive_{name}"
    return receive


def _check_in_context(
    data: dict[str, Any], name: str, value: Any, context: BotContext
) -> Problem | None:
    """A hint when a well-formed value does not fit the rest of the draft."""
    today = context.now().astimezone(context.settings.timezone)
    if name == DAY_DATE and date.fromisoformat(value) < today.date():
        return Problem("staff.hint.date_past")
    if name == DEADLINE and value and datetime.fromisoformat(value) < today.replace(tzinfo=None):
        return Problem("staff.hint.deadline_past")
    start = data["days"][data["day"]][DAY_START] if name == DAY_END else None
    try:
        if start:
            rules.check_times(time.fromisoformat(start), time.fromisoformat(value))
    except InvalidValueError as invalid:
        return invalid.problem
    return None


def _skipper(name: str) -> Callable[[Update, BotContext], Any]:
    """The handler of the "skip" button of an optional field."""

    @staff_only
    async def skip(update: Update, context: BotContext) -> str | int:
        data = _draft(context)
        if data is None:
            return await _lost_draft(update, context)
        _store(data, name, _SKIPPED[name])
        return await _after_value(update, context, name)

    skip.__name__ = f"skip_{name}"
    return skip


def _wrong_kind(name: str) -> Callable[[Update, BotContext], Any]:
    """A sticker, photo or the like where text is expected: a hint and the question again."""

    @staff_only
    async def wrong_kind(update: Update, context: BotContext) -> str | int:
        return await _ask(update, context, name, Problem("staff.hint.text_expected"))

    return wrong_kind


# ---- summary and day menu -----------------------------------------------------------------
@staff_only
async def handle_summary_button(update: Update, context: BotContext) -> str | int:
    """Buttons of the summary: fix a field, open a day, add a day, save."""
    query = update.callback_query
    assert query is not None
    data = _draft(context)
    if data is None:
        return await _lost_draft(update, context)
    parts = (query.data or "").split(":")[1:]
    if parts == [SAVE]:
        return await _save(update, context, data)
    if parts == [ADD_DAY]:
        data["days"].append(_empty_day())
        data["day"] = len(data["days"]) - 1
        data["mode"] = FLOW
        return await _ask(update, context, DAY_DATE)
    if len(parts) == 2 and parts[0] == FIX and parts[1] in TRAINING_FIELDS:
        data["mode"] = FIX_MODE
        return await _ask(update, context, parts[1])
    if (
        len(parts) == 2
        and parts[0] == DAY
        and parts[1].isdigit()
        and int(parts[1]) < len(data["days"])
    ):
        data["day"] = int(parts[1])
        return await _show_day_menu(update, context)
    await query.answer(
        t("error.stale_button", await user_language(update, context)), show_alert=True
    )
    return SUMMARY


async def _show_day_menu(update: Update, context: BotContext) -> str | int:
    lang = await user_language(update, context)
    data = _draft(context)
    assert data is not None
    index = data["day"]

    def button(label: str, *parts: object) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=pack(TRAINING_PREFIX, *parts))

    fixes = [button(t(f"staff.fix.{name}", lang), DAY_FIX, name) for name in DAY_FIELDS]
    rows = [fixes[i : i + 3] for i in range(0, len(fixes), 3)]
    if len(data["days"]) > 1:
        rows.append([button(t("staff.button.drop_day", lang), DROP_DAY)])
    rows.append([button(t("staff.button.back", lang), BACK)])
    if update.callback_query is not None:
        await update.callback_query.answer()
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            t("staff.day_menu", lang, n=index + 1), reply_markup=InlineKeyboardMarkup(rows)
        )
    return DAY_MENU


@staff_only
async def handle_day_button(update: Update, context: BotContext) -> str | int:
    """Buttons of a day's menu: fix one of its fields, remove it, back to the summary."""
    query = update.callback_query
    assert query is not None
    data = _draft(context)
    if data is None:
        return await _lost_draft(update, context)
    parts = (query.data or "").split(":")[1:]
    if parts == [BACK]:
        return await _show_summary(update, context)
    if parts == [DROP_DAY] and len(data["days"]) > 1:
        del data["days"][data["day"]]
        data["day"] = 0
        return await _show_summary(update, context)
    if len(parts) == 2 and parts[0] == DAY_FIX and parts[1] in DAY_FIELDS:
        data["mode"] = FIX_MODE
        return await _ask(update, context, parts[1])
    await query.answer(
        t("error.stale_button", await user_language(update, context)), show_alert=True
    )
    return DAY_MENU


@staff_only
async def expect_buttons(update: Update, context: BotContext) -> str | int:
    """Typing while the summary waits for a button: show it again."""
    lang = await user_language(update, context)
    return await _show_summary(update, context, t("staff.hint.use_buttons", lang))


def _refusal_text(refusal: Refusal, lang: str) -> str:
    lines = "\n".join("• " + problem_line(p, lang) for p in refusal.problems)
    return t("staff.save.refused", lang, problems=Safe(lines))


def _saved_text(written: Written, lang: str) -> str:
    lines = [t("staff.save.created" if written.created else "staff.save.updated", lang)]
    if written.promoted:
        lines.append(t("staff.save.promoted", lang, promoted=written.promoted))
    if written.told:
        lines.append(t("staff.save.told", lang, told=written.told))
    return "\n".join(lines)


async def _save(update: Update, context: BotContext, data: dict[str, Any]) -> str | int:
    user = update.effective_user
    assert user is not None
    lang = await user_language(update, context)
    spec = data_to_spec(data, context.settings.timezone)
    if len(spec.days) != len(data["days"]):
        return await _show_summary(update, context, t("staff.problem.incomplete_day", lang))
    async with context.sessions() as session:
        outcome = await write_trainings(session, [spec], now=context.now(), changed_by=user.id)
    if isinstance(outcome, Refusal):
        return await _show_summary(update, context, _refusal_text(outcome, lang))
    [written] = outcome
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    if written.promoted or written.told:
        wake(context.application)  # their notices wait in the outbox
    if update.callback_query is not None:
        await update.callback_query.answer()
    await render_training(update, context, written.training_id, _saved_text(written, lang))
    return ConversationHandler.END


@staff_only
async def quit_training(update: Update, context: BotContext) -> int:
    """`/batal` or "Batal": leave without saving."""
    lang = await user_language(update, context)
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    if update.callback_query is not None:
        await update.callback_query.answer()
    if update.effective_message is not None:
        await update.effective_message.reply_text(t("staff.quit", lang))
    return ConversationHandler.END


def register(application: Application) -> None:
    """Add the training conversation."""
    prefix = TRAINING_PREFIX
    text = filters.TEXT & ~filters.COMMAND
    other = ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL
    states: dict[object, list[Any]] = {}
    for name, field in FIELDS.items():
        handlers: list[Any] = [
            MessageHandler(text, _receiver(name)),
            MessageHandler(other, _wrong_kind(name)),
        ]
        if field.skippable:
            handlers.append(CallbackQueryHandler(_skipper(name), pattern=rf"^{prefix}:{SKIP}$"))
        states[name] = handlers
    states[SUMMARY] = [
        CallbackQueryHandler(
            handle_summary_button, pattern=rf"^{prefix}:(?:{SAVE}|{ADD_DAY}|{FIX}:\w+|{DAY}:\d+)$"
        ),
        MessageHandler(text | other, expect_buttons),
    ]
    states[DAY_MENU] = [
        CallbackQueryHandler(
            handle_day_button, pattern=rf"^{prefix}:(?:{BACK}|{DROP_DAY}|{DAY_FIX}:\w+)$"
        ),
        MessageHandler(text | other, expect_buttons),
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
