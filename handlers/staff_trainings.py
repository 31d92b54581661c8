"""Creating and editing a training, as a conversation: few questions, natural input, a summary.

A new training asks only what it cannot do without: code, title, venue, seats, the dates ("8-10
Des", "besok", "Senin depan"; times may follow in the same message) and each day's times
("08.00-15.00", "9-3"; "same as the day before" is a button). The deadline defaults to the
day before the first day and the description is optional: both, and every other field, can be
changed from the summary, which saves as a draft or saves and publishes (and then shares).

The draft lives in `user_data` (persisted after every update) as plain JSON values, so a
restart in the middle loses nothing; it is written to the database only at "Simpan", through
the one writer. The next question is always the first thing the draft still lacks, so the
same handlers serve a new training, a fix from the summary and an added day.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import date, datetime, time, timedelta, tzinfo
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
from bot.sending.outgoing import inline_button
from bot.services import natural_input as natural
from bot.services import staff as service
from bot.services import training_spec as rules
from bot.services.access import Right
from bot.services.training_spec import DaySpec, InvalidValueError, Problem, TrainingSpec
from bot.services.training_writer import (
    WriteRefusal,
    Written,
    training_id_of_code,
    write_trainings,
)
from bot.texts import Safe, t
from bot.texts.formatting import format_clock, format_staff_day
from bot.texts.labels import button_text, label, staff_action
from bot.texts.trainings import problem_line, problem_text
from handlers.base import edit_or_send, pack, unpack, user_language
from handlers.buttons import acknowledge, button, stale
from handlers.staff import TRAINING_PREFIX, render_training
from handlers.staff_auth import callback_number, permit_of, refuse, requires
from handlers.staff_share import send_share_kit

CONVERSATION_NAME = "staff_training"
DRAFT_KEY = "staff_draft"

# Conversation states: one per question, the summary, and a day's menu. The names are also
# the draft's keys, and those of earlier versions stay, so a conversation they persisted goes on.
CODE, TITLE, DESCRIPTION, VENUE, SEATS, DEADLINE = (
    "code",
    "title",
    "description",
    "venue",
    "seats",
    "deadline",
)
DATES = "dates"  # the days of a new training, in one message
DAY_DATE, TIMES, DAY_END, DAY_TOPIC, DAY_NOTE = "date", "start", "end", "topic", "note"
SUMMARY, DAY_MENU = "summary", "day_menu"

# Button actions after the `trn` prefix.
NEW, EDIT, SKIP, AUTO, SAME, NEXT_DAY = "new", "edit", "skip", "auto", "same", "next"
FIX, DAY, DAY_FIX, ADD_DAY, DROP_DAY, BACK = "fix", "day", "dfix", "add", "drop", "back"
SAVE, SAVE_PUBLISH, QUIT = "save", "savepub", "quit"
FLOW, FIX_MODE = "flow", "fix"

TRAINING_FIELDS = (CODE, TITLE, DESCRIPTION, VENUE, SEATS, DEADLINE)
DAY_FIELDS = (DAY_DATE, TIMES, DAY_TOPIC, DAY_NOTE)
QUESTIONS = (*TRAINING_FIELDS, DATES, DAY_DATE, TIMES, DAY_END, DAY_TOPIC, DAY_NOTE)
LABELS = {
    CODE: "code",
    TITLE: "title",
    DESCRIPTION: "description",
    VENUE: "venue",
    SEATS: "seats",
    DEADLINE: "deadline",
    DAY_DATE: "date",
    TIMES: "times",
    DAY_TOPIC: "topic",
    DAY_NOTE: "note",
}
# What "skip" leaves in an optional field.
SKIPPABLE = {DESCRIPTION: "", DAY_TOPIC: "", DAY_NOTE: ""}
PER_DAY = (DAY_DATE, TIMES, DAY_END, DAY_TOPIC, DAY_NOTE)
# Each unfinished day is asked for these, in this order.
DAY_NEEDS = (DAY_DATE, TIMES, DAY_END)
Draft = dict[str, Any]


# ---- the draft in user_data ---------------------------------------------------------------
def _day(on: date | None = None, start: time | None = None, end: time | None = None) -> Draft:
    return {
        "day_id": None,
        DAY_DATE: on.isoformat() if on else None,
        TIMES: start.strftime("%H:%M") if start else None,
        DAY_END: end.strftime("%H:%M") if end else None,
        DAY_TOPIC: "",
        DAY_NOTE: "",
    }


def _new_draft() -> Draft:
    return {
        "training_id": None,
        "status": None,
        CODE: "",
        TITLE: "",
        DESCRIPTION: "",
        VENUE: "",
        SEATS: 0,
        DEADLINE: None,
        "deadline_auto": True,
        "days": [],
        "day": 0,
        "mode": FLOW,
    }


def spec_to_data(spec: TrainingSpec) -> Draft:
    """A training's spec as the draft's JSON values for user_data."""
    days = [
        _day(d.date, d.start, d.end) | {"day_id": d.day_id, DAY_TOPIC: d.topic, DAY_NOTE: d.note}
        for d in spec.days
    ]
    return _new_draft() | {
        "training_id": spec.training_id,
        "status": "published" if spec.published else "draft",
        CODE: spec.code,
        TITLE: spec.title,
        DESCRIPTION: spec.description,
        VENUE: spec.venue,
        SEATS: spec.capacity,
        DEADLINE: spec.registration_closes.isoformat() if spec.registration_closes else None,
        "deadline_auto": False,
        # Not asked in the chat, but kept: saving must not drop the venue's map pin.
        "latitude": spec.latitude,
        "longitude": spec.longitude,
        "days": days,
        "mode": FIX_MODE,
    }


def _deadline(data: Draft, now: datetime) -> datetime | None:
    """The deadline the draft gives (`now` local and naive): as set, or by default."""
    days = [d for d in data["days"] if d[DAY_DATE]]
    if data.get("deadline_auto") and days:
        return rules.default_deadline(date.fromisoformat(days[0][DAY_DATE]), now.date())
    return datetime.fromisoformat(data[DEADLINE]) if data[DEADLINE] else None


def data_to_spec(
    data: Draft, tz: tzinfo, now: datetime, *, published: bool = False
) -> TrainingSpec:
    """The spec of the draft (`now` local and naive); days not yet complete are left out."""
    return TrainingSpec(
        code=data[CODE],
        title=data[TITLE],
        venue=data[VENUE],
        capacity=data[SEATS],
        tz=tz,
        description=data[DESCRIPTION],
        registration_closes=_deadline(data, now),
        published=published,
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        days=tuple(
            DaySpec(
                date=date.fromisoformat(d[DAY_DATE]),
                start=time.fromisoformat(d[TIMES]),
                end=time.fromisoformat(d[DAY_END]),
                topic=d[DAY_TOPIC],
                note=d[DAY_NOTE],
                day_id=d["day_id"],
            )
            for d in data["days"]
            if d[DAY_DATE] and d[TIMES] and d[DAY_END]
        ),
        training_id=data["training_id"],
    )


def _draft(context: BotContext) -> Draft | None:
    data = context.user_data.get(DRAFT_KEY) if context.user_data is not None else None
    return data if isinstance(data, dict) else None


def _local_now(context: BotContext) -> datetime:
    return context.now().astimezone(context.settings.timezone).replace(tzinfo=None)


def _missing(data: Draft) -> str | None:
    """The first thing the draft still lacks (pointing `day` at its day), or None."""
    for name in (CODE, TITLE, VENUE, SEATS):
        if not data.get(name):
            return name
    if not data["days"]:
        return DATES
    for index, day in enumerate(data["days"]):
        for name in DAY_NEEDS:
            if not day[name]:
                data["day"] = index
                return name
    return None


# ---- reading answers ------------------------------------------------------------------------
AnswerParser = Callable[[Draft, str, datetime], None]


def _current_day(data: Draft) -> Draft:
    day: Draft = data["days"][data["day"]]
    return day


def _set(name: str, parse: Callable[[str], Any]) -> AnswerParser:
    def answer(data: Draft, text: str, now: datetime) -> None:
        value = parse(text)
        if name in PER_DAY:
            _current_day(data)[name] = value
        else:
            data[name] = value

    return answer


def _not_past(dates: tuple[date, ...], now: datetime) -> None:
    if any(d < now.date() for d in dates):
        raise InvalidValueError(Problem("staff.hint.date_past"))


def _clock(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def _answer_dates(data: Draft, text: str, now: datetime) -> None:
    """The days of a new training, with their times when the message gives them."""
    days = natural.parse_days(text, now.date())
    _not_past(days.dates, now)
    if days.start and days.end:
        rules.check_times(days.start, days.end)
    data["days"] = [_day(d, days.start, days.end) for d in days.dates]
    data["day"] = 0


def _answer_day_date(data: Draft, text: str, now: datetime) -> None:
    """One day's date (an added day may give its times too)."""
    days = natural.parse_days(text, now.date())
    if len(days.dates) != 1:
        raise InvalidValueError(Problem("natural.problem.one_date"))
    _not_past(days.dates, now)
    day = _current_day(data)
    day[DAY_DATE] = days.dates[0].isoformat()
    if days.start:
        if days.end:
            rules.check_times(days.start, days.end)
        day[TIMES], day[DAY_END] = _clock(days.start), _clock(days.end)


def _answer_times(data: Draft, text: str, now: datetime) -> None:
    """A day's start and end; a start alone leaves the end to be asked."""
    times = natural.parse_times(text)
    if times.end:
        rules.check_times(times.start, times.end)
    day = _current_day(data)
    day[TIMES], day[DAY_END] = _clock(times.start), _clock(times.end)


def _answer_end(data: Draft, text: str, now: datetime) -> None:
    day = _current_day(data)
    start = time.fromisoformat(day[TIMES])
    end = natural.parse_end_time(text, start)
    rules.check_times(start, end)
    day[DAY_END] = _clock(end)


def _answer_deadline(data: Draft, text: str, now: datetime) -> None:
    on, at = natural.parse_moment(text, now.date(), rules.END_OF_DAY)
    deadline = datetime.combine(on, at)
    if deadline < now:
        raise InvalidValueError(Problem("staff.hint.deadline_past"))
    data[DEADLINE], data["deadline_auto"] = deadline.isoformat(), False


ANSWERS: dict[str, AnswerParser] = {
    CODE: _set(CODE, rules.parse_code),
    TITLE: _set(TITLE, partial(rules.parse_text, "title")),
    DESCRIPTION: _set(DESCRIPTION, partial(rules.parse_text, "description", required=False)),
    VENUE: _set(VENUE, partial(rules.parse_text, "venue")),
    SEATS: _set(SEATS, lambda text: rules.parse_capacity(natural.parse_count(text))),
    DEADLINE: _answer_deadline,
    DATES: _answer_dates,
    DAY_DATE: _answer_day_date,
    TIMES: _answer_times,
    DAY_END: _answer_end,
    DAY_TOPIC: _set(DAY_TOPIC, partial(rules.parse_text, "topic", required=False)),
    DAY_NOTE: _set(DAY_NOTE, partial(rules.parse_text, "note", required=False)),
}


# ---- showing ---------------------------------------------------------------------------------
def _clock_shown(value: str | None, lang: str) -> str:
    return format_clock(time.fromisoformat(value), lang) if value else "-"


def _times_shown(day: Draft, lang: str) -> str:
    return f"{_clock_shown(day[TIMES], lang)}–{_clock_shown(day[DAY_END], lang)}"


def _date_shown(value: str | None, lang: str) -> str:
    return format_staff_day(date.fromisoformat(value), lang) if value else "-"


def _deadline_shown(data: Draft, now: datetime, lang: str) -> str:
    deadline = _deadline(data, now)
    if deadline is None:
        return t("staff.summary.no_deadline", lang)
    moment = t(
        "moment",
        lang,
        date=format_staff_day(deadline.date(), lang),
        time=format_clock(deadline.time(), lang),
    )
    if data.get("deadline_auto"):
        return t("staff.summary.deadline_auto", lang, moment=moment)
    return moment


def _current(data: Draft, name: str, lang: str, now: datetime) -> str:
    """What a field holds now, as shown next to its question when it is being fixed."""
    if name in PER_DAY and not data["days"]:
        return ""
    if name == DEADLINE:
        return _deadline_shown(data, now, lang)
    value = _current_day(data).get(name) if name in PER_DAY else data.get(name)
    if name == TIMES and value:
        return _times_shown(_current_day(data), lang)
    if name == DAY_DATE and value:
        return _date_shown(value, lang)
    return "" if value is None else str(value)


def _question(data: Draft, name: str, lang: str) -> str:
    day = _current_day(data) if name in PER_DAY and data["days"] else {}
    return t(
        f"staff.ask.{name}",
        lang,
        n=data.get("day", 0) + 1,
        date=_date_shown(day.get(DAY_DATE), lang),
        start=_clock_shown(day.get(TIMES), lang),
    )


def _button(text: str, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=pack(TRAINING_PREFIX, *parts))


def _staff_action(name: str, lang: str, *parts: object) -> InlineKeyboardButton:
    """The staff label `name` as a button, in its role (a colour for save, red for dropping)."""
    return inline_button(staff_action(name, lang, pack(TRAINING_PREFIX, *parts)))


def _question_buttons(data: Draft, name: str, lang: str) -> InlineKeyboardMarkup | None:
    """Skip an optional field, the deadline's two defaults, or the day before's times."""
    rows: list[list[InlineKeyboardButton]] = []
    if name in SKIPPABLE:
        rows.append([_button(t(f"staff.skip.{name}", lang), SKIP)])
    if name == DEADLINE:
        rows.append([_button(t("staff.button.deadline_auto", lang), AUTO)])
        rows.append([_button(t("staff.skip.deadline", lang), SKIP)])
    before = data["days"][data["day"] - 1] if name == TIMES and data.get("day", 0) > 0 else None
    if before and before[TIMES] and before[DAY_END]:
        text = t("staff.button.same_times", lang, n=data["day"], times=_times_shown(before, lang))
        rows.append([_button(text, SAME)])
    return InlineKeyboardMarkup(rows) if rows else None


async def _ask(
    update: Update, context: BotContext, name: str, hint: Problem | None = None, notice: str = ""
) -> str | int:
    """Ask question `name` (with a hint after a bad answer, or a notice of what the last
    answer said); returns its state."""
    lang = await user_language(update, context)
    data = _draft(context)
    if data is None:
        return await _lost_draft(update, context)
    text = _question(data, name, lang)
    current = _current(data, name, lang, _local_now(context))
    if data.get("mode") == FIX_MODE and current:
        text += "\n" + t("staff.ask.current", lang, value=current)
    if hint is not None:
        text = problem_text(hint, lang) + "\n\n" + text
    elif notice:
        text = notice + "\n" + text
    await acknowledge(update)
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            text, reply_markup=_question_buttons(data, name, lang)
        )
    return name


def _summary_lines(data: Draft, now: datetime, lang: str) -> str:
    values = {
        CODE: data[CODE],
        TITLE: data[TITLE],
        DESCRIPTION: (data[DESCRIPTION] or "-")[:500],
        VENUE: data[VENUE],
        SEATS: data[SEATS],
        DEADLINE: _deadline_shown(data, now, lang),
    }
    return "\n".join(
        t("staff.line", lang, label=label(LABELS[name], lang), value=values[name])
        for name in TRAINING_FIELDS
    )


def _day_line(index: int, day: Draft, lang: str) -> str:
    line = t(
        "staff.summary.day",
        lang,
        n=index + 1,
        date=_date_shown(day[DAY_DATE], lang),
        times=_times_shown(day, lang),
    )
    extras = [
        t("staff.line", lang, label=label(LABELS[name], lang), value=day[name])
        for name in (DAY_TOPIC, DAY_NOTE)
        if day[name]
    ]
    return "\n".join([line, *("    " + extra for extra in extras)])


def summary_text(data: Draft, lang: str, tz: tzinfo, now: datetime) -> str:
    """The whole draft, with what still stops it from being saved (`now` local, naive)."""
    days = "\n".join(_day_line(i, d, lang) for i, d in enumerate(data["days"]))
    problems = rules.spec_problems(data_to_spec(data, tz, now))
    problem_lines = "\n".join("⚠️ " + problem_line(p, lang) for p in problems)
    return t(
        "staff.summary",
        lang,
        lines=Safe(_summary_lines(data, now, lang)),
        days=Safe(days or "-"),
        problems=Safe(problem_lines),
    )


def _next_day(data: Draft) -> tuple[date, Draft] | None:
    """The day after the last one, at the same times (when the last one is complete)."""
    last = data["days"][-1] if data["days"] else None
    if last is None or not all(last[name] for name in DAY_NEEDS):
        return None
    return date.fromisoformat(last[DAY_DATE]) + timedelta(days=1), last


def summary_buttons(data: Draft, lang: str) -> InlineKeyboardMarkup:
    """Fix any field or day, add a day (the next one with the same times in one tap), save."""
    fixes = [_button(label(LABELS[name], lang), FIX, name) for name in TRAINING_FIELDS]
    rows = [fixes[i : i + 2] for i in range(0, len(fixes), 2)]
    days = [_button(t("staff.fix.day", lang, n=i + 1), DAY, i) for i in range(len(data["days"]))]
    rows += [days[i : i + 3] for i in range(0, len(days), 3)]
    following = _next_day(data)
    if following is not None and len(data["days"]) < natural.MAX_DAYS:
        on, last = following
        text = t(
            "staff.button.next_day",
            lang,
            date=format_staff_day(on, lang),
            times=_times_shown(last, lang),
        )
        rows.append([_button(text, NEXT_DAY)])
    rows.append([_button(button_text("add_day", lang), ADD_DAY)])
    if data.get("status") in (None, "draft"):
        rows.append([_button(button_text("save_draft", lang), SAVE)])
        rows.append([_staff_action("save_publish", lang, SAVE_PUBLISH)])
    else:
        rows.append([_staff_action("save", lang, SAVE)])
    rows.append([_button(button_text("quit", lang), QUIT)])
    return InlineKeyboardMarkup(rows)


def _in_date_order(days: list[Draft]) -> None:
    """Sort the draft's days as they will be numbered (days not yet dated last)."""
    days.sort(key=lambda d: (d[DAY_DATE] is None, d[DAY_DATE] or "", d[TIMES] or ""))


async def _show_summary(update: Update, context: BotContext, notice: str = "") -> str | int:
    """The draft's summary, with `notice` (a text) on top."""
    lang = await user_language(update, context)
    data = _draft(context)
    if data is None:
        return await _lost_draft(update, context)
    data["mode"] = FIX_MODE
    _in_date_order(data["days"])
    text = summary_text(data, lang, context.settings.timezone, _local_now(context))
    if notice:
        text = notice + "\n\n" + text
    await acknowledge(update)
    if update.effective_message is not None:
        await update.effective_message.reply_text(text, reply_markup=summary_buttons(data, lang))
    return SUMMARY


async def _lost_draft(update: Update, context: BotContext) -> int:
    """The draft is gone (or the button names no training): the stale answer, and unlike a
    stale button inside a draft, the conversation ends."""
    await stale(update, context)
    return ConversationHandler.END


async def _go_on(update: Update, context: BotContext, notice: str = "") -> str | int:
    """The next question the draft needs, or the summary when it needs none."""
    data = _draft(context)
    if data is None:
        return await _lost_draft(update, context)
    missing = _missing(data)
    if missing is None:
        return await _show_summary(update, context, notice)
    return await _ask(update, context, missing, notice=notice)


def _days_read(data: Draft, lang: str) -> str:
    """What a message of several dates was read as ("3 hari: Sel, 8 Des 2026; …")."""
    dates = [_date_shown(day[DAY_DATE], lang) for day in data["days"]]
    return t("staff.dates.read", lang, count=len(dates), dates="; ".join(dates))


# ---- entry points -----------------------------------------------------------------------------
@requires(Right.EDIT_TRAININGS, everywhere=True)
async def start_new_training(update: Update, context: BotContext) -> str | int:
    """ "Pelatihan baru": start an empty draft and ask for the code."""
    if context.user_data is not None:
        context.user_data[DRAFT_KEY] = _new_draft()
    if update.callback_query is not None:
        lang = await user_language(update, context)
        await edit_or_send(update, context, t("staff.new.intro", lang))
    return await _ask(update, context, CODE)


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
    if context.user_data is not None:
        context.user_data[DRAFT_KEY] = spec_to_data(
            rules.spec_of(training, context.settings.timezone)
        )
    return await _show_summary(update, context)


# ---- answers ----------------------------------------------------------------------------------
def _receiver(name: str) -> Callable[[Update, BotContext], Any]:
    """The handler of a typed answer to question `name`: a bad one is asked again with a
    hint, and changes nothing."""

    @requires(Right.EDIT_TRAININGS)
    async def receive(update: Update, context: BotContext) -> str | int:
        data = _draft(context)
        message = update.effective_message
        if data is None or message is None or message.text is None:
            return await _lost_draft(update, context)
        try:
            ANSWERS[name](data, message.text, _local_now(context))
        except InvalidValueError as invalid:
            return await _ask(update, context, name, invalid.problem)
        several = name == DATES and len(data["days"]) > 1
        notice = _days_read(data, await user_language(update, context)) if several else ""
        return await _go_on(update, context, notice)

    receive.__name__ = f"receive_{name}"
    return receive


def _question_button(name: str) -> Callable[[Update, BotContext], Any]:
    """The buttons under question `name`: skip, the default deadline, the same times."""

    @requires(Right.EDIT_TRAININGS)
    async def pressed(update: Update, context: BotContext) -> str | int:
        data = _draft(context)
        query = update.callback_query
        if data is None or query is None:
            return await _lost_draft(update, context)
        action = (unpack(query.data, TRAINING_PREFIX, 1) or [""])[0]
        if action == SKIP and name in SKIPPABLE:
            ANSWERS[name](data, SKIPPABLE[name], _local_now(context))
        elif action == SKIP and name == DEADLINE:
            data[DEADLINE], data["deadline_auto"] = None, False
        elif action == AUTO and name == DEADLINE:
            data[DEADLINE], data["deadline_auto"] = None, True
        elif action == SAME and name == TIMES and data["day"] > 0:
            before, day = data["days"][data["day"] - 1], _current_day(data)
            day[TIMES], day[DAY_END] = before[TIMES], before[DAY_END]
        else:
            await stale(update, context)
            return name
        return await _go_on(update, context)

    pressed.__name__ = f"press_{name}"
    return pressed


def _wrong_kind(name: str) -> Callable[[Update, BotContext], Any]:
    """A sticker, photo or the like where text is expected: a hint and the question again."""

    @requires(Right.EDIT_TRAININGS)
    async def wrong_kind(update: Update, context: BotContext) -> str | int:
        return await _ask(update, context, name, Problem("staff.hint.text_expected"))

    return wrong_kind


# ---- summary and day menu -----------------------------------------------------------------
async def _summary_action(
    update: Update, context: BotContext, data: Draft, parts: list[str]
) -> str | int | None:
    """What a summary button does; None when the button is not one of the summary's."""
    if parts in ([SAVE], [SAVE_PUBLISH]):
        return await _save(update, context, data, publish=parts == [SAVE_PUBLISH])
    if parts == [ADD_DAY]:
        data["days"].append(_day())
        data["mode"] = FLOW
        return await _go_on(update, context)
    if parts == [NEXT_DAY] and (following := _next_day(data)) is not None:
        on, last = following
        data["days"].append(
            _day(on, time.fromisoformat(last[TIMES]), time.fromisoformat(last[DAY_END]))
        )
        return await _show_summary(update, context)
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
    return None


async def _show_day_menu(update: Update, context: BotContext) -> str | int:
    lang = await user_language(update, context)
    data = _draft(context)
    assert data is not None
    fixes = [_button(label(LABELS[name], lang), DAY_FIX, name) for name in DAY_FIELDS]
    rows = [fixes[:2], fixes[2:]]
    if len(data["days"]) > 1:
        rows.append([_staff_action("drop_day", lang, DROP_DAY)])
    rows.append([_button(button_text("back", lang), BACK)])
    await acknowledge(update)
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            t("staff.day_menu", lang, n=data["day"] + 1), reply_markup=InlineKeyboardMarkup(rows)
        )
    return DAY_MENU


async def _day_action(
    update: Update, context: BotContext, data: Draft, parts: list[str]
) -> str | int | None:
    """What a day menu's button does; None when the button is not one of the menu's."""
    if parts == [BACK]:
        return await _show_summary(update, context)
    if parts == [DROP_DAY] and len(data["days"]) > 1:
        del data["days"][data["day"]]
        data["day"] = 0
        return await _show_summary(update, context)
    if len(parts) == 2 and parts[0] == DAY_FIX and parts[1] in (*DAY_FIELDS, DAY_END):
        data["mode"] = FIX_MODE
        return await _ask(update, context, parts[1])
    return None


Action = Callable[[Update, BotContext, Draft, list[str]], Coroutine[Any, Any, str | int | None]]


def _buttons_of(act: Action, state: str) -> Callable[[Update, BotContext], Any]:
    """The handler of a menu's buttons (the summary's, a day's): a button it does not know is
    stale, and the menu stays."""

    @requires(Right.EDIT_TRAININGS)
    async def pressed(update: Update, context: BotContext) -> str | int:
        query = update.callback_query
        assert query is not None
        data = _draft(context)
        if data is None:
            return await _lost_draft(update, context)
        following = await act(update, context, data, (query.data or "").split(":")[1:])
        if following is not None:
            return following
        await stale(update, context)
        return state

    pressed.__name__ = f"press_{state}"
    return pressed


handle_summary_button = _buttons_of(_summary_action, SUMMARY)
handle_day_button = _buttons_of(_day_action, DAY_MENU)


@requires(Right.EDIT_TRAININGS)
async def expect_buttons(update: Update, context: BotContext) -> str | int:
    """Typing while the summary waits for a button: show it again."""
    lang = await user_language(update, context)
    return await _show_summary(update, context, t("staff.hint.use_buttons", lang))


def _refusal_text(refusal: WriteRefusal, lang: str) -> str:
    lines = "\n".join("• " + problem_line(p, lang) for p in refusal.problems)
    return t("staff.save.refused", lang, problems=Safe(lines))


def _saved_text(written: Written, lang: str) -> str:
    if written.published:
        lines = [t("staff.save.published", lang)]
    elif written.created:
        lines = [t("staff.save.created", lang, publish=button_text("publish", lang))]
    else:
        lines = [t("staff.save.updated", lang)]
    if written.promoted:
        lines.append(t("staff.save.promoted", lang, promoted=written.promoted))
    if written.told:
        lines.append(t("staff.save.told", lang, told=written.told))
    return "\n".join(lines)


async def _may_write(context: BotContext, code: str) -> bool:
    """Whether the permit holds on the training of this code (a new one: on every training)."""
    permit = permit_of(context)
    async with context.sessions() as session:
        training_id = await training_id_of_code(session, code)
    if permit is None or training_id is None:
        return permit is not None and permit.staff.may_everywhere(permit.right)
    return permit.allows(training_id)


async def _save(update: Update, context: BotContext, data: Draft, *, publish: bool) -> str | int:
    user = update.effective_user
    assert user is not None
    lang = await user_language(update, context)
    spec = data_to_spec(data, context.settings.timezone, _local_now(context), published=publish)
    if len(spec.days) != len(data["days"]):
        return await _show_summary(update, context, t("staff.problem.incomplete_day", lang))
    if not await _may_write(context, spec.code):
        await refuse(update, context)
        return ConversationHandler.END
    async with context.sessions() as session:
        outcome = await write_trainings(session, [spec], now=context.now(), changed_by=user.id)
    if isinstance(outcome, WriteRefusal):
        return await _show_summary(update, context, _refusal_text(outcome, lang))
    [written] = outcome
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    await acknowledge(update)
    await render_training(update, context, written.training_id, _saved_text(written, lang))
    if written.published:
        await send_share_kit(update, context, written.training_id)
    return ConversationHandler.END


@requires(Right.EDIT_TRAININGS)
async def quit_training(update: Update, context: BotContext) -> int:
    """`/batal` or "Batal": leave without saving."""
    lang = await user_language(update, context)
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
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


def register(application: Application) -> None:
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
