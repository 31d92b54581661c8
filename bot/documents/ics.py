"""Calendar files (.ics): one event per training day, in the configured local zone."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.models import TrainingDay

PRODUCT_ID = "-//pelatihan-bot//ID"
UID_DOMAIN = "pelatihan-bot"


class CalendarTraining(Protocol):
    """What a calendar needs of a training (a `Training` row, or a view of one)."""

    @property
    def title(self) -> str: ...

    @property
    def venue(self) -> str: ...

    @property
    def description(self) -> str: ...


def event_uid(registration_id: int, day_number: int) -> str:
    """A UID that stays the same for the same registration and day, so a re-import updates."""
    return f"reg{registration_id}-day{day_number}@{UID_DOMAIN}"


def calendar_filename(training_code: str) -> str:
    """A safe file name such as `pelatihan-KP-2026-01.ics`."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", training_code).strip("-.") or "jadwal"
    return f"pelatihan-{safe}.ics"


def training_calendar(
    training: CalendarTraining,
    days: Sequence[TrainingDay],
    registration_id: int,
    tz: ZoneInfo,
    now: datetime,
) -> bytes:
    """The .ics file for one registration: every day of the training as an event."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", training.title)
    for day in sorted(days, key=lambda d: d.day_number):
        event = Event()
        event.add("uid", event_uid(registration_id, day.day_number))
        event.add("dtstamp", now)
        event.add("dtstart", day.starts_at.astimezone(tz))
        event.add("dtend", day.ends_at.astimezone(tz))
        summary = f"{training.title} — {day.topic}" if day.topic else training.title
        event.add("summary", summary)
        event.add("location", training.venue)
        description = "\n".join(part for part in (training.description, day.note) if part)
        if description:
            event.add("description", description)
        calendar.add_component(event)
    # VTIMEZONE blocks for the TZIDs used, so every calendar app places the times right.
    calendar.add_missing_timezones()
    return calendar.to_ical()
