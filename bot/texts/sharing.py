"""A training shared: the message staff get, the WhatsApp text and the poster's words.

The schedule is put in words once (`schedule`): the WhatsApp text and the poster show the same
lines. The WhatsApp text is plain text, ready to paste (no HTML; *bold* is WhatsApp's own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta, tzinfo
from itertools import pairwise

from babel.dates import format_date

from bot.services.sharing import TrainingShare
from bot.services.training_spec import END_OF_DAY
from bot.texts import Safe, t, unescape
from bot.texts.formatting import format_date_range, format_day, format_hours, format_time
from bot.texts.helpdesk import free_for


@dataclass(frozen=True)
class Schedule:
    """The days in words, and the hours when every day keeps the same (else each day's line
    carries its own)."""

    days: tuple[str, ...]
    hours: str | None


def _weekday(day: date, lang: str) -> str:
    return format_date(day, "EEEE", locale="en" if lang == "en" else "id")


def _consecutive(days: list[date]) -> bool:
    return all(b - a == timedelta(days=1) for a, b in pairwise(days))


def schedule(share: TrainingShare, lang: str, tz: tzinfo) -> Schedule:
    """ "Senin–Rabu, 8–10 Desember 2026" and "08.00–15.00 WIB", or one line per day."""
    dates = [d.date for d in share.spec.days]
    if not dates:
        return Schedule((), None)
    first = share.spec.days[0]
    same_hours = len({(d.start, d.end) for d in share.spec.days}) == 1
    if same_hours and len(dates) > 1 and _consecutive(dates):
        span = format_date_range(dates[0], dates[-1], lang)
        line = f"{_weekday(dates[0], lang)}–{_weekday(dates[-1], lang)}, {span}"
        return Schedule((line,), format_hours(first.date, first.start, first.end, tz, lang))
    if same_hours:
        lines = tuple(format_day(d, lang) for d in dates)
        return Schedule(lines, format_hours(first.date, first.start, first.end, tz, lang))
    return Schedule(
        tuple(
            t(
                "share.day_times",
                lang,
                date=format_day(d.date, lang),
                times=format_hours(d.date, d.start, d.end, tz, lang),
            )
            for d in share.spec.days
        ),
        None,
    )


def until(share: TrainingShare, lang: str, tz: tzinfo) -> str | None:
    """When registration closes, in words (None: open until the training starts)."""
    closes = share.spec.registration_closes
    if closes is None:
        return None
    day = format_day(closes.date(), lang)
    if closes.time() == END_OF_DAY:
        return day
    return t("moment", lang, date=day, time=format_time(closes.replace(tzinfo=tz), tz, lang))


def whatsapp_text(share: TrainingShare, link: str, org_name: str, lang: str, tz: tzinfo) -> str:
    """The ready-to-paste WhatsApp message (plain text)."""
    when = schedule(share, lang, tz)
    lines = [t("whatsapp.dates", lang, dates=day) for day in when.days]
    if when.hours:
        lines.append(t("whatsapp.times", lang, times=when.hours))
    closes = until(share, lang, tz)
    # WhatsApp shows *text* in bold; a title with its own asterisks stays as typed.
    title = share.spec.title if "*" in share.spec.title else f"*{share.spec.title}*"
    text = t(
        "whatsapp.text",
        lang,
        org=org_name,
        title=title,
        schedule=Safe("\n".join(lines)),
        venue=share.spec.venue,
        capacity=share.spec.capacity,
        deadline=Safe(t("whatsapp.deadline", lang, until=closes) if closes else ""),
        free=Safe(free_for(org_name, lang)),
        link=link,
    )
    return unescape(text)


def share_text(share: TrainingShare, link: str, lang: str) -> str:
    """What staff read above the WhatsApp text and the poster (HTML)."""
    return t("share.header", lang, title=share.spec.title, link=link)
