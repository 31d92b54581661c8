"""What the staff dashboard shows, as JSON for its page: the services' views with every label
already in the reader's language, and the page's own strings from the catalog.

Values here are plain text (the page sets them as text, never as HTML), so nothing is escaped;
the one exception is an announcement's preview, which is the bot's own escaped HTML.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.models import Training
from bot.services.dashboard import TrainingCard
from bot.services.reports import ParticipantRow, TrainingCounts
from bot.services.statistics import TrainingStatistics
from bot.services.webapp_auth import AccessRefusal
from bot.settings import LANGUAGES
from bot.texts import CATALOG, plain, t
from bot.texts.columns import status_label
from bot.texts.formatting import (
    district_label,
    format_button_day,
    format_date_range,
    format_phone,
    sector_label,
    without_icon,
)

Json = dict[str, Any]
# Catalog keys the page uses besides its own `app.*` ones.
_SHARED_KEYS = (
    "announce.audience.confirmed",
    "announce.audience.waitlist",
    "announce.audience.everyone",
    "announce.text_empty",
    "announce.text_too_long",
)
_REFUSAL_KEYS = {
    AccessRefusal.MISSING: "app.error.unauthorized",
    AccessRefusal.MALFORMED: "app.error.unauthorized",
    AccessRefusal.BAD_SIGNATURE: "app.error.unauthorized",
    AccessRefusal.EXPIRED: "app.error.expired",
    AccessRefusal.NOT_STAFF: "app.error.forbidden",
}


def page_texts(lang: str) -> dict[str, str]:
    """Every string the page shows, in `lang`, with its `{placeholders}` left to fill."""
    keys = [key for key in CATALOG if key.startswith("app.")] + list(_SHARED_KEYS)
    return {key: t(key, lang) for key in keys}


def error_json(key: str, code: str) -> Json:
    """An error answer: a code for the page and the sentence in every language (the page may
    not know the reader's language yet, and must not learn anything else)."""
    return {"error": code, "message": {lang: t(key, lang) for lang in LANGUAGES}}


def refusal_json(refusal: AccessRefusal) -> Json:
    """The answer to a request that is not let in."""
    return error_json(_REFUSAL_KEYS[refusal], refusal.value)


def _dates(days: list[date], lang: str) -> str:
    return format_date_range(min(days), max(days), lang) if days else t("app.no_days", lang)


def card_json(card: TrainingCard, lang: str, today: date) -> Json:
    """A training on the first screen: seats, waiting list, dates, check-ins per day."""
    line = card.line
    return {
        "id": line.id,
        "code": line.code,
        "title": line.title,
        "status": line.status.value,
        "status_label": t(f"staff.training_status.{line.status.value}", lang),
        "capacity": line.capacity,
        "confirmed": line.confirmed,
        "waitlisted": line.waitlisted,
        "dates": _dates([d.date for d in card.days], lang),
        "days": [
            {
                "id": d.id,
                "number": d.number,
                "label": format_button_day(d.date, lang),
                "present": d.present,
                "today": d.date == today,
                "future": d.date > today,
            }
            for d in card.days
        ],
    }


def training_json(training: Training, counts: TrainingCounts, lang: str, today: date) -> Json:
    """One training's header: title, venue, dates, counts, and per day RSVPs and check-ins."""
    return {
        "id": training.id,
        "code": training.code,
        "title": training.title,
        "venue": training.venue,
        "status": training.status.value,
        "status_label": t(f"staff.training_status.{training.status.value}", lang),
        "dates": _dates([d.date for d in training.days], lang),
        "capacity": counts.capacity,
        "confirmed": counts.confirmed,
        "waitlisted": counts.waitlisted,
        "cancelled": counts.cancelled,
        "days": [
            {
                "id": d.day_id,
                "number": d.day_number,
                "label": format_button_day(d.date, lang),
                "present": d.attended,
                "rsvp_yes": d.rsvp_yes,
                "rsvp_no": d.rsvp_no,
                "today": d.date == today,
                "future": d.date > today,
            }
            for d in counts.days
        ],
    }


def person_json(row: ParticipantRow, lang: str, *, phones: bool = True) -> Json:
    """One registration in the lists: who, their business, status and attendance per day
    (the phone only for whoever may see it)."""
    return {
        "registration_id": row.registration_id,
        "number": row.number,
        "name": row.name or t("staff.erased_name", lang),
        "business": row.business,
        "phone": format_phone(row.phone) if phones else "",
        "district": district_label(row.district, lang) if row.district else "",
        "sector": without_icon(sector_label(row.sector, lang)) if row.sector else "",
        "status": row.status.value,
        "status_label": status_label(row, lang),
        # Plain text for the page: the name goes in as typed (the page never reads it as HTML).
        "registered_by": plain("app.registered_by", lang, name=row.registered_by)
        if row.registered_by
        else "",
        "attended": list(row.attended),
    }


def _bars(pairs: list[tuple[str, int]]) -> list[Json]:
    return [{"label": label, "value": value} for label, value in pairs]


def statistics_json(stats: TrainingStatistics, lang: str) -> Json:
    """The numbers of the charts, each bar with its label in the reader's language."""
    return {
        "registrations": _bars(
            [(format_button_day(day, lang), n) for day, n in stats.registrations_per_day]
        ),
        "attendance": _bars(
            [(t("app.day", lang).format(n=d.day_number), d.present) for d in stats.attendance]
        ),
        "district": _bars([(district_label(name, lang), n) for name, n in stats.by_district]),
        "sector": _bars(
            [(without_icon(sector_label(code, lang)), n) for code, n in stats.by_sector]
        ),
        "confirmed": stats.confirmed,
    }
