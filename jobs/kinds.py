"""What each kind of outbox row says: its data is read (services) and rendered (texts).

Kinds differ only here. Each renderer takes the claimed rows of its kind and returns, by row
id, the message to send, or None when what it would say no longer applies (the row is then
skipped, not sent).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.documents.ics import calendar_filename, training_calendar
from bot.runtime.context import AnyApplication
from bot.services.announcements import announcement_bodies, announcement_progress
from bot.services.business_follow_up import pending_follow_up
from bot.services.certificates import certificate_views, offer_view
from bot.services.helpdesk import question_views, receipt_views, reply_views
from bot.services.notices import (
    ChangeView,
    SeatView,
    change_views,
    seat_views,
    training_days_of,
)
from bot.services.outbox import Claimed, Kind, Recorded
from bot.services.participants import colleague_names, languages_of, languages_of_telegram_ids
from bot.services.reports import export_training
from bot.services.rsvp import reminder_views
from bot.services.staff import get_training
from bot.services.survey import pending_survey
from bot.settings import Settings
from bot.texts import t
from bot.texts.after_training import certificate_message, certificate_offer, survey_message
from bot.texts.announcements import render_announcement, report_text
from bot.texts.exports import export_message
from bot.texts.follow_up import follow_up_first
from bot.texts.helpdesk import question_message, receipt_message, reply_message
from bot.texts.message import Attachment, Outgoing
from bot.texts.notices import render_change_notice, render_seat_notice
from bot.texts.reminders import render_morning, render_reminder, render_venue_pin
from jobs.follow_ups import AnnouncementProgress, FollowUp, HelpdeskReceipts

Rendered = dict[int, Outgoing | None]


@dataclass(frozen=True)
class RenderContext:
    """What renderers may need besides the rows: the settings and the time."""

    settings: Settings
    now: datetime


View = TypeVar("View")
Renderer = Callable[[AsyncSession, Sequence[Claimed], RenderContext], Awaitable[Rendered]]


async def _languages(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> dict[int, str]:
    """Each row's reader's language, by row id (the default for rows without a person)."""
    ids = [r.participant_id for r in rows if r.participant_id is not None]
    known = await languages_of(session, ids)
    default = context.settings.default_language
    return {r.id: known.get(r.participant_id or 0, default) for r in rows}


async def _read_one_by_one(
    rows: Sequence[Claimed],
    read: Callable[[Claimed], Awaitable[View | None]],
    render: Callable[[Claimed, View], Outgoing],
) -> Rendered:
    """Rows whose data is read one at a time, in order (`read`), and rendered (`render`); None
    for a row whose data is gone (what it would say no longer applies)."""
    rendered: Rendered = {}
    for row in rows:
        view = await read(row)
        rendered[row.id] = render(row, view) if view else None
    return rendered


async def render_reminders(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """Day-before reminders with their RSVP buttons."""
    views = await reminder_views(session, [r.id for r in rows])
    tz = context.settings.timezone
    return {
        r.id: render_reminder(views[r.id], tz, context.now) if r.id in views else None for r in rows
    }


async def render_mornings(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """Morning-of reminders, while the day has not started and they are on."""
    if context.settings.morning_reminder_time is None:  # turned off since they were queued
        return dict.fromkeys((r.id for r in rows), None)
    views = await reminder_views(session, [r.id for r in rows], Kind.MORNING)
    tz = context.settings.timezone
    rendered: Rendered = {}
    for row in rows:
        view = views.get(row.id)
        live = view is not None and view.starts_at > context.now
        rendered[row.id] = render_morning(view, tz) if view and live else None
    return rendered


async def render_pins(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """The venue's map pin after a reminder, while the training has coordinates."""
    views = await reminder_views(session, [r.id for r in rows], Kind.VENUE)
    return {r.id: render_venue_pin(views[r.id]) if r.id in views else None for r in rows}


async def render_announcements(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """Each recipient's copy of an announcement."""
    bodies = await announcement_bodies(session, {r.announcement_id or 0 for r in rows})
    languages = await _languages(session, rows, context)
    rendered: Rendered = {}
    for row in rows:
        body = bodies.get(row.announcement_id or 0)
        rendered[row.id] = render_announcement(body, languages[row.id]) if body else None
    return rendered


async def render_seats(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """ "A seat is free for you", while the seat is still theirs."""
    views = await seat_views(session, [r.registration_id or 0 for r in rows])
    languages = await _languages(session, rows, context)
    rendered: Rendered = {}
    for row in rows:
        view = views.get(row.registration_id or 0)
        if view is None:
            rendered[row.id] = None
            continue
        calendar = await _calendar(session, view, context) if view.first_day else None
        rendered[row.id] = render_seat_notice(view, languages[row.id], calendar)
    return rendered


async def _calendar(
    session: AsyncSession, view: ChangeView | SeatView, context: RenderContext
) -> Attachment:
    """The calendar file of the seat a notice is about."""
    days = await training_days_of(session, view.training_id)
    content = training_calendar(
        view, days, view.registration_id, context.settings.timezone, context.now
    )
    return Attachment(calendar_filename(view.code), content)


async def render_changes(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """What changed in a training, old → new, with a fresh calendar file for a seat."""
    pairs = [((r.payload or {}).get("change_id", 0), r.registration_id or 0) for r in rows]
    views = await change_views(session, pairs)
    languages = await _languages(session, rows, context)
    rendered: Rendered = {}
    for row, pair in zip(rows, pairs, strict=True):
        view = views.get(pair)
        if view is None:
            rendered[row.id] = None
            continue
        calendar = None
        if not view.cancelled:
            calendar = await _calendar(session, view, context)
        rendered[row.id] = render_change_notice(view, languages[row.id], calendar)
    return rendered


async def render_reports(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """An announcement's final numbers, to the staff member who sent it."""
    languages = await _chat_languages(session, rows, context)
    return await _read_one_by_one(
        rows,
        lambda row: announcement_progress(session, row.announcement_id or 0),
        lambda row, progress: Outgoing(report_text(progress, languages[row.id])),
    )


async def _chat_languages(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> dict[int, str]:
    """The language of whoever reads each row's chat (staff have no participant row link)."""
    known = await languages_of_telegram_ids(session, [r.chat_id for r in rows])
    default = context.settings.default_language
    return {r.id: known.get(r.chat_id, default) for r in rows}


async def render_exports(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """A training's participant list, made now, to the staff member who asked for it."""
    from bot.documents.exports import xlsx_attachment

    tz = context.settings.timezone
    printed_at = context.now.astimezone(tz).replace(tzinfo=None)
    rendered: Rendered = {}
    for row in rows:
        payload = row.payload or {}
        training = await get_training(session, int(payload.get("training_id") or 0))
        lang = str(payload.get("language") or context.settings.default_language)
        if training is None:
            rendered[row.id] = None
            continue
        export = await export_training(session, training, tz)
        rendered[row.id] = export_message(export, lang, xlsx_attachment(export, lang, printed_at))
    return rendered


async def render_surveys(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """The feedback survey at its first unanswered question, while it is unfinished."""
    languages = await _languages(session, rows, context)
    return await _read_one_by_one(
        rows,
        lambda row: pending_survey(session, row.registration_id or 0),
        lambda row, state: survey_message(state, languages[row.id], intro=True),
    )


async def render_follow_ups(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """The follow-up (or its one reminder) at its first unanswered question, while unfinished."""
    languages = await _languages(session, rows, context)
    rendered: Rendered = {}
    for row in rows:
        payload = row.payload or {}
        state = await pending_follow_up(
            session, row.registration_id or 0, int(payload.get("round", 0))
        )
        reminder = bool(payload.get("reminder"))
        rendered[row.id] = (
            follow_up_first(state, languages[row.id], reminder=reminder) if state else None
        )
    return rendered


async def render_certificate_offers(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """ "Is your name spelled right?" while the certificate is earned and not yet confirmed."""
    languages = await _languages(session, rows, context)
    min_days = context.settings.certificate_min_days
    return await _read_one_by_one(
        rows,
        lambda row: offer_view(session, row.registration_id or 0, min_days),
        lambda row, view: certificate_offer(view, languages[row.id]),
    )


async def render_certificates(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """The certificate's PDF, for its latest revision only (a fixed name is queued anew)."""
    from bot.documents.certificate import certificate_filename, certificate_pdf

    ids = [int((r.payload or {}).get("certificate_id", 0)) for r in rows]
    views = await certificate_views(session, ids)
    languages = await _languages(session, rows, context)
    settings = context.settings
    rendered: Rendered = {}
    for row, certificate_id in zip(rows, ids, strict=True):
        payload = row.payload or {}
        view = views.get(certificate_id)
        if view is None or payload.get("revision") != view.revision:
            rendered[row.id] = None
            continue
        printed = settings.default_language
        # Off the event loop: a page with its fonts takes a fraction of a second to lay out.
        pdf = await asyncio.to_thread(
            certificate_pdf, view, settings.org_name, str(payload.get("bot", "")), printed
        )
        filename = certificate_filename(view, printed)
        rendered[row.id] = certificate_message(view, filename, pdf, languages[row.id])
    return rendered


async def render_questions(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """A participant's message for the staff group, with who they are and their registrations
    (in the office's language)."""
    views = await question_views(session, [r.id for r in rows], context.now)
    lang = context.settings.default_language
    return {r.id: question_message(views[r.id], lang) if r.id in views else None for r in rows}


async def render_replies(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """A staff member's reply, to the participant who asked."""
    views = await reply_views(session, [r.id for r in rows])
    org = context.settings.org_name
    return {r.id: reply_message(views[r.id], org) if r.id in views else None for r in rows}


async def render_receipts(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """Under a staff member's reply in the group: whether it reached the participant."""
    replies = {r.id: int((r.payload or {}).get("reply_delivery_id", 0)) for r in rows}
    views = await receipt_views(session, list(replies.values()))
    lang = context.settings.default_language
    rendered: Rendered = {}
    for row in rows:
        view = views.get(replies[row.id])
        rendered[row.id] = receipt_message(view, lang) if view else None
    return rendered


RENDERERS: dict[str, Renderer] = {
    Kind.REMINDER: render_reminders,
    Kind.MORNING: render_mornings,
    Kind.VENUE: render_pins,
    Kind.ANNOUNCEMENT: render_announcements,
    Kind.SEAT: render_seats,
    Kind.CHANGE: render_changes,
    Kind.REPORT: render_reports,
    Kind.EXPORT: render_exports,
    Kind.SURVEY: render_surveys,
    Kind.FOLLOW_UP: render_follow_ups,
    Kind.CERTIFICATE_OFFER: render_certificate_offers,
    Kind.CERTIFICATE: render_certificates,
    Kind.HELPDESK_QUESTION: render_questions,
    Kind.HELPDESK_REPLY: render_replies,
    Kind.HELPDESK_RECEIPT: render_receipts,
}


# What follows the answers to rows of a kind: which ids of what was recorded it takes, and
# the follow-up (made once per sender, it may keep state: when progress was last shown).
FOLLOW_UPS: dict[
    Kind, tuple[Callable[[Recorded], set[int]], Callable[[AnyApplication], FollowUp]]
] = {
    Kind.HELPDESK_REPLY: (lambda recorded: recorded.helpdesk_replies, HelpdeskReceipts),
    Kind.ANNOUNCEMENT: (lambda recorded: recorded.announcements, AnnouncementProgress),
}


async def render_all(
    session: AsyncSession, rows: Sequence[Claimed], context: RenderContext
) -> Rendered:
    """Render a claimed batch, kind by kind; rows of an unknown kind say nothing (skipped)."""
    rendered: Rendered = {}
    by_kind: dict[str, list[Claimed]] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    for kind, group in by_kind.items():
        renderer = RENDERERS.get(kind)
        if renderer is None:
            rendered.update(dict.fromkeys((r.id for r in group), None))
            continue
        rendered.update(await renderer(session, group, context))
    return await _naming_colleagues(session, rows, rendered, context)


async def _naming_colleagues(
    session: AsyncSession, rows: Sequence[Claimed], rendered: Rendered, context: RenderContext
) -> Rendered:
    """A message about a colleague goes to the account that registered them: it says first
    whom it is about ("For Siti Aminah, the colleague you registered")."""
    names = await colleague_names(session, {r.participant_id for r in rows if r.participant_id})
    about = [r for r in rows if r.participant_id in names and rendered.get(r.id) is not None]
    languages = await _languages(session, about, context)
    for row in about:
        message = rendered[row.id]
        assert message is not None
        heading = t("col.for", languages[row.id], name=names[row.participant_id or 0])
        rendered[row.id] = replace(message, text=f"{heading}\n\n{message.text}".strip())
    return rendered
