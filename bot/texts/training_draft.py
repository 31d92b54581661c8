"""The screens of creating or editing a training in the chat: each question (with the value it
replaces when fixing one, and its buttons), the summary, a day's menu, and what saving said."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo

from bot.services import natural_input as natural
from bot.services import training_spec as rules
from bot.services.training_draft import (
    CODE,
    DAY_DATE,
    DAY_FIELDS,
    DAY_NOTE,
    DAY_TOPIC,
    DEADLINE,
    DESCRIPTION,
    FIX_MODE,
    PER_DAY,
    SEATS,
    SKIPPABLE,
    TIMES,
    TITLE,
    TRAINING_FIELDS,
    VENUE,
    DayDraft,
    TrainingDraft,
)
from bot.services.training_spec import Problem
from bot.services.training_writer import WriteRefusal, Written
from bot.texts import Safe, callbacks, t
from bot.texts.formatting import format_clock, format_staff_day
from bot.texts.labels import button_text, label, staff_action
from bot.texts.message import Button, Keyboard, Outgoing
from bot.texts.trainings import problem_line, problem_text

PREFIX = callbacks.TRAINING
# Button actions after the `trn` prefix.
NEW, EDIT, SKIP, AUTO, SAME, NEXT_DAY = "new", "edit", "skip", "auto", "same", "next"
FIX, DAY, DAY_FIX, ADD_DAY, DROP_DAY, BACK = "fix", "day", "dfix", "add", "drop", "back"
SAVE, SAVE_PUBLISH, QUIT = "save", "savepub", "quit"
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


def _button(text: str, *parts: object) -> Button:
    return Button(text, callbacks.pack(PREFIX, *parts))


def _clock_shown(value: str | None, lang: str) -> str:
    return format_clock(time.fromisoformat(value), lang) if value else "-"


def _times_shown(day: DayDraft, lang: str) -> str:
    return f"{_clock_shown(day.start, lang)}–{_clock_shown(day.end, lang)}"


def _date_shown(value: str | None, lang: str) -> str:
    return format_staff_day(date.fromisoformat(value), lang) if value else "-"


def _deadline_shown(draft: TrainingDraft, now: datetime, lang: str) -> str:
    deadline = draft.deadline_at(now)
    if deadline is None:
        return t("staff.summary.no_deadline", lang)
    moment = t(
        "moment",
        lang,
        date=format_staff_day(deadline.date(), lang),
        time=format_clock(deadline.time(), lang),
    )
    if draft.deadline_auto:
        return t("staff.summary.deadline_auto", lang, moment=moment)
    return moment


def _current(draft: TrainingDraft, name: str, lang: str, now: datetime) -> str:
    """What a field holds now, as shown next to its question when it is being fixed."""
    if name in PER_DAY and not draft.days:
        return ""
    if name == DEADLINE:
        return _deadline_shown(draft, now, lang)
    value = draft.value(name)
    if name == TIMES and value:
        return _times_shown(draft.current, lang)
    if name == DAY_DATE and value:
        return _date_shown(value, lang)
    return "" if value is None else str(value)


def _question_text(draft: TrainingDraft, name: str, lang: str) -> str:
    day = draft.current if name in PER_DAY and draft.days else DayDraft()
    return t(
        f"staff.ask.{name}",
        lang,
        n=draft.day + 1,
        date=_date_shown(day.date, lang),
        start=_clock_shown(day.start, lang),
    )


def _question_buttons(draft: TrainingDraft, name: str, lang: str) -> Keyboard:
    """Skip an optional field, the deadline's two defaults, or the day before's times."""
    rows: list[tuple[Button, ...]] = []
    if name in SKIPPABLE:
        rows.append((_button(t(f"staff.skip.{name}", lang), SKIP),))
    if name == DEADLINE:
        rows.append((_button(t("staff.button.deadline_auto", lang), AUTO),))
        rows.append((_button(t("staff.skip.deadline", lang), SKIP),))
    before = draft.days[draft.day - 1] if name == TIMES and draft.day > 0 else None
    if before and before.start and before.end:
        text = t("staff.button.same_times", lang, n=draft.day, times=_times_shown(before, lang))
        rows.append((_button(text, SAME),))
    return tuple(rows)


def question(
    draft: TrainingDraft, name: str, lang: str, now: datetime, above: Problem | str = ""
) -> Outgoing:
    """Question `name` with, `above` it, a hint after a bad answer (a problem) or a notice of
    what the last answer said; with the value it replaces when fixing one (`now` local and
    naive)."""
    text = _question_text(draft, name, lang)
    current = _current(draft, name, lang, now)
    if draft.mode == FIX_MODE and current:
        text += "\n" + t("staff.ask.current", lang, value=current)
    if isinstance(above, Problem):
        text = problem_text(above, lang) + "\n\n" + text
    elif above:
        text = above + "\n" + text
    return Outgoing(text, _question_buttons(draft, name, lang))


def _summary_lines(draft: TrainingDraft, now: datetime, lang: str) -> str:
    values = {
        CODE: draft.code,
        TITLE: draft.title,
        DESCRIPTION: (draft.description or "-")[:500],
        VENUE: draft.venue,
        SEATS: draft.seats,
        DEADLINE: _deadline_shown(draft, now, lang),
    }
    return "\n".join(
        t("staff.line", lang, label=label(LABELS[name], lang), value=values[name])
        for name in TRAINING_FIELDS
    )


def _day_line(index: int, day: DayDraft, lang: str) -> str:
    line = t(
        "staff.summary.day",
        lang,
        n=index + 1,
        date=_date_shown(day.date, lang),
        times=_times_shown(day, lang),
    )
    extras = [
        t("staff.line", lang, label=label(LABELS[name], lang), value=getattr(day, name))
        for name in (DAY_TOPIC, DAY_NOTE)
        if getattr(day, name)
    ]
    return "\n".join([line, *("    " + extra for extra in extras)])


def _summary_text(draft: TrainingDraft, lang: str, tz: tzinfo, now: datetime) -> str:
    """The whole draft, with what still stops it from being saved (`now` local, naive)."""
    days = "\n".join(_day_line(i, d, lang) for i, d in enumerate(draft.days))
    problems = rules.spec_problems(draft.spec(tz, now))
    problem_lines = "\n".join("⚠️ " + problem_line(p, lang) for p in problems)
    return t(
        "staff.summary",
        lang,
        lines=Safe(_summary_lines(draft, now, lang)),
        days=Safe(days or "-"),
        problems=Safe(problem_lines),
    )


def _in_rows(buttons: list[Button], size: int) -> list[tuple[Button, ...]]:
    return [tuple(buttons[i : i + size]) for i in range(0, len(buttons), size)]


def _summary_buttons(draft: TrainingDraft, lang: str) -> Keyboard:
    """Fix any field or day, add a day (the next one with the same times in one tap), save."""
    rows = _in_rows([_button(label(LABELS[n], lang), FIX, n) for n in TRAINING_FIELDS], 2)
    days = [_button(t("staff.fix.day", lang, n=i + 1), DAY, i) for i in range(len(draft.days))]
    rows += _in_rows(days, 3)
    following = draft.next_day()
    if following is not None and len(draft.days) < natural.MAX_DAYS:
        on, last = following
        date_shown, times = format_staff_day(on, lang), _times_shown(last, lang)
        rows.append(
            (_button(t("staff.button.next_day", lang, date=date_shown, times=times), NEXT_DAY),)
        )
    rows.append((_button(button_text("add_day", lang), ADD_DAY),))
    if draft.status in (None, "draft"):
        rows.append((_button(button_text("save_draft", lang), SAVE),))
        rows.append((staff_action("save_publish", lang, callbacks.pack(PREFIX, SAVE_PUBLISH)),))
    else:
        rows.append((staff_action("save", lang, callbacks.pack(PREFIX, SAVE)),))
    rows.append((_button(button_text("quit", lang), QUIT),))
    return tuple(rows)


def summary(
    draft: TrainingDraft, lang: str, tz: tzinfo, now: datetime, notice: str = ""
) -> Outgoing:
    """The draft's summary with its buttons, `notice` (a text) on top."""
    text = _summary_text(draft, lang, tz, now)
    return Outgoing(notice + "\n\n" + text if notice else text, _summary_buttons(draft, lang))


def day_menu(draft: TrainingDraft, lang: str) -> Outgoing:
    """What can be changed of the current day, dropping it (when there are others), back."""
    fixes = [_button(label(LABELS[name], lang), DAY_FIX, name) for name in DAY_FIELDS]
    rows = [tuple(fixes[:2]), tuple(fixes[2:])]
    if len(draft.days) > 1:
        rows.append((staff_action("drop_day", lang, callbacks.pack(PREFIX, DROP_DAY)),))
    rows.append((_button(button_text("back", lang), BACK),))
    return Outgoing(t("staff.day_menu", lang, n=draft.day + 1), tuple(rows))


def days_read(draft: TrainingDraft, lang: str) -> str:
    """What a message of several dates was read as ("3 hari: Sel, 8 Des 2026; …")."""
    dates = [_date_shown(day.date, lang) for day in draft.days]
    return t("staff.dates.read", lang, count=len(dates), dates="; ".join(dates))


def refusal_text(refusal: WriteRefusal, lang: str) -> str:
    """Why the training could not be saved."""
    lines = "\n".join("• " + problem_line(p, lang) for p in refusal.problems)
    return t("staff.save.refused", lang, problems=Safe(lines))


def saved_text(written: Written, lang: str) -> str:
    """What saving did: created, updated or published, and who was promoted or told."""
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
