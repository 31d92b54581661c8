"""The staff's pages: the menu of trainings, a training's page with what can be done with it,
the question before cancelling one, and the participant list a page at a time."""

from __future__ import annotations

from datetime import tzinfo

from bot.models import Training, TrainingDay, TrainingStatus
from bot.services import reports
from bot.services.access import Right, Staff
from bot.services.staff import TrainingLine
from bot.texts import Safe, callbacks, t
from bot.texts.callbacks import ADMIN, ANNOUNCE, ATTEND, DOCUMENTS, EXPORT, PEOPLE, SHARE
from bot.texts.columns import chat_line, participant_columns
from bot.texts.formatting import format_staff_day, format_time_range, short
from bot.texts.labels import action, label, staff_action
from bot.texts.message import Button, Keyboard, Outgoing

# Parts of the staff menu's prefix (`adm:<action>` or `adm:<action>:<training id>`).
VIEW = "view"  # a training's page
LIST = "list"
HELP = "help"
PARTICIPANT_MENU = "pmenu"
PUBLISH = "pub"
CLOSE = "close"
CANCEL_ASK = "cxl"
CANCEL_CONFIRM = "cxlok"
ANNOUNCE_START = "start"  # the announcement conversation's entry by button (`ann:start`)


def status_label(status: TrainingStatus, lang: str) -> str:
    """A training's status in words ("dibuka")."""
    return t(f"staff.training_status.{status.value}", lang)


def labelled(name: str, lang: str, prefix: str, *parts: object) -> Button:
    """The button of label `name` (its icon and one catalog key), in its role."""
    return staff_action(name, lang, callbacks.pack(prefix, *parts))


def _line(name: str, value: object, lang: str) -> str:
    """ "Kode: KP-2026-01", with the label's one catalog key."""
    return t("staff.line", lang, label=label(name, lang), value=value)


# ---- the menu -----------------------------------------------------------------------------
def _menu_line(line: TrainingLine, lang: str) -> str:
    first_day = format_staff_day(line.first_day, lang) if line.first_day else "-"
    return t(
        "staff.menu.line",
        lang,
        code=line.code,
        title=short(line.title, 60),
        status=status_label(line.status, lang),
        confirmed=line.confirmed,
        capacity=line.capacity,
        waiting=line.waitlisted,
        first_day=first_day,
    )


def _line_data(line: TrainingLine, staff: Staff) -> str:
    """A training of the menu opens its page, or (for check-in only) its attendance list."""
    if staff.has(Right.SEE_COUNTS):
        return callbacks.pack(ADMIN, VIEW, line.id)
    return callbacks.pack(ATTEND, "t", line.id, 0)


def staff_menu(
    lines: list[TrainingLine], lang: str, dashboard: str | None, staff: Staff
) -> Outgoing:
    """The trainings with status and counts; "new training", each training, announce, help,
    the participant menu (of these, what the role may use); first the staff dashboard when
    there is one (`dashboard`: its URL)."""
    body = "\n".join(_menu_line(line, lang) for line in lines) or t("staff.menu.empty", lang)
    rows: list[tuple[Button, ...]] = []
    if dashboard:
        rows.append((Button(t("staff.button.dashboard", lang), web_app=dashboard),))
    if staff.may_everywhere(Right.EDIT_TRAININGS):
        rows.append((labelled("new_training", lang, callbacks.TRAINING, "new"),))
    rows += [
        (Button(short(f"{line.code} · {line.title}", 60), _line_data(line, staff)),)
        for line in lines
    ]
    tools = [labelled("help", lang, ADMIN, HELP)]
    if staff.has(Right.ANNOUNCE):
        tools.insert(0, labelled("announce", lang, ANNOUNCE, ANNOUNCE_START))
    rows.append(tuple(tools))
    rows.append((labelled("participant_menu", lang, ADMIN, PARTICIPANT_MENU),))
    return Outgoing(t("staff.menu", lang, trainings=Safe(body)), tuple(rows))


def help_buttons(lang: str) -> Keyboard:
    """Under the staff help: the staff menu and the participant menu."""
    return (
        (
            labelled("staff_menu", lang, ADMIN, LIST),
            labelled("participant_menu", lang, ADMIN, PARTICIPANT_MENU),
        ),
    )


# ---- a training ---------------------------------------------------------------------------
def _day_line(day: TrainingDay, lang: str, tz: tzinfo) -> str:
    line = t(
        "staff.training.day",
        lang,
        n=day.day_number,
        date=format_staff_day(day.date, lang),
        times=format_time_range(day.starts_at, day.ends_at, tz, lang),
    )
    return line + (t("staff.training.topic", lang, topic=day.topic) if day.topic else "")


def training_text(training: Training, confirmed: int, waiting: int, lang: str, tz: tzinfo) -> str:
    """A training as staff see it: status, seats, and its days with their times."""
    tz_days = [_day_line(d, lang, tz) for d in training.days]
    people = t(
        "staff.training.participants",
        lang,
        confirmed=confirmed,
        capacity=training.capacity,
        waiting=waiting,
    )
    lines = [
        _line("code", training.code, lang),
        _line("status", status_label(training.status, lang).capitalize(), lang),
        _line("venue", training.venue, lang),
        _line("participants", people, lang),
    ]
    return t(
        "staff.training",
        lang,
        title=training.title,
        lines=Safe("\n".join(lines)),
        days=Safe("\n".join(tz_days) or "-"),
    )


def _status_rows(training: Training, lang: str) -> list[tuple[Button, ...]]:
    """Edit, publish or reopen, share and close: what changes the training."""
    tid, status = training.id, training.status
    rows: list[tuple[Button, ...]] = []
    if status != TrainingStatus.CANCELLED:
        rows.append((labelled("edit", lang, callbacks.TRAINING, "edit", tid),))
    if status == TrainingStatus.DRAFT:
        rows.append((labelled("publish", lang, ADMIN, PUBLISH, tid),))
    if status == TrainingStatus.CLOSED:
        rows.append((labelled("reopen", lang, ADMIN, PUBLISH, tid),))
    if status == TrainingStatus.OPEN:
        rows.append((labelled("share", lang, SHARE, tid),))
        rows.append((labelled("close", lang, ADMIN, CLOSE, tid),))
    return rows


def training_buttons(training: Training, lang: str, staff: Staff) -> Keyboard:
    """What this staff member can do with a training in its current status."""
    tid, live = training.id, training.status != TrainingStatus.CANCELLED

    def may(right: Right) -> bool:
        return staff.may(right, tid)

    edits = may(Right.EDIT_TRAININGS)
    rows = _status_rows(training, lang) if edits else []
    people = [labelled("participants", lang, PEOPLE, tid, 0)] if may(Right.SEE_PEOPLE) else []
    people += [labelled("export", lang, EXPORT, tid)] if may(Right.EXPORT) else []
    rows += [tuple(people)] if people else []
    if live and may(Right.CHECK_IN):
        rows.append((labelled("attendance", lang, ATTEND, "t", tid, 0),))
    rows.append((labelled("documents", lang, DOCUMENTS, "m", tid),))
    if live and edits:
        rows.append((labelled("cancel_training", lang, ADMIN, CANCEL_ASK, tid),))
    rows.append((labelled("back", lang, ADMIN, LIST),))
    return tuple(rows)


def training_page(
    training: Training,
    counts: reports.TrainingCounts,
    staff: Staff,
    lang: str,
    tz: tzinfo,
    notice: str = "",
) -> Outgoing:
    """A training's page as this staff member may use it, with an optional notice on top."""
    text = training_text(training, counts.confirmed, counts.waitlisted, lang, tz)
    buttons = training_buttons(training, lang, staff)
    return Outgoing(f"{notice}\n\n{text}" if notice else text, buttons)


def cancel_question(training: Training, counts: reports.TrainingCounts, lang: str) -> Outgoing:
    """Cancel this training (telling everyone registered)? Yes, or back to its page."""
    text = t(
        "staff.cancel.ask",
        lang,
        title=training.title,
        code=training.code,
        people=counts.confirmed + counts.waitlisted,
    )
    yes = action(
        "staff.button.cancel_yes", lang, callbacks.pack(ADMIN, CANCEL_CONFIRM, training.id)
    )
    no = Button(t("staff.button.cancel_no", lang), callbacks.pack(ADMIN, VIEW, training.id))
    return Outgoing(text, ((yes,), (no,)))


# ---- participants -------------------------------------------------------------------------
def participants_text(
    counts: reports.TrainingCounts, page: reports.ParticipantPage, lang: str
) -> str:
    """Counts on top, then one page of the list; always under Telegram's 4096 characters."""
    days = "\n".join(
        t(
            "staff.people.day",
            lang,
            n=d.day_number,
            date=format_staff_day(d.date, lang),
            yes=d.rsvp_yes,
            no=d.rsvp_no,
            present=d.attended,
        )
        for d in counts.days
    )
    columns = participant_columns()
    lines = "\n".join(chat_line(row, columns, lang) for row in page.rows)
    return t(
        "staff.people",
        lang,
        title=short(counts.title, 100),
        code=counts.code,
        confirmed=counts.confirmed,
        capacity=counts.capacity,
        waiting=counts.waitlisted,
        cancelled=counts.cancelled,
        days=Safe(days or "-"),
        list=Safe(lines or t("staff.people.none", lang)),
        page=page.page + 1,
        pages=page.pages,
    )


def participants_page(
    training_id: int, counts: reports.TrainingCounts, page: reports.ParticipantPage, lang: str
) -> Outgoing:
    """One page of the participant list; previous / next page, and back to the training."""
    nav = []
    if page.page > 0:
        prev = callbacks.pack(PEOPLE, training_id, page.page - 1)
        nav.append(Button(t("staff.button.prev", lang), prev))
    if page.page + 1 < page.pages:
        following = callbacks.pack(PEOPLE, training_id, page.page + 1)
        nav.append(Button(t("staff.button.next", lang), following))
    rows = [tuple(nav)] if nav else []
    rows.append((labelled("back", lang, ADMIN, VIEW, training_id),))
    return Outgoing(participants_text(counts, page, lang), tuple(rows))
