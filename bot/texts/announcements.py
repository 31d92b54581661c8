"""How announcements read: the message participants get, and staff's progress and report."""

from __future__ import annotations

from bot.services.announcements import AnnouncementBody, Progress
from bot.texts import Safe, t
from bot.texts.message import Outgoing


def announcement_message(body: str, title: str | None, lang: str) -> str:
    """The message participants receive: a header (with the training's title) and the body.

    `body` is HTML the bot trusts (the staff member's formatted text, already escaped).
    """
    if title:
        return t("announce.message", lang, title=title, body=Safe(body))
    return t("announce.message_all", lang, body=Safe(body))


def render_announcement(announcement: AnnouncementBody, lang: str) -> Outgoing:
    """One recipient's copy, in their language when the bot wrote it."""
    return Outgoing(announcement_message(announcement.body_for(lang), announcement.title, lang))


def progress_text(progress: Progress, lang: str) -> str:
    """The progress line shown while sending."""
    return t(
        "announce.progress", lang,
        done=progress.done, total=progress.total,
        sent=progress.sent, blocked=progress.blocked, failed=progress.failed,
    )  # fmt: skip


def report_text(progress: Progress, lang: str) -> str:
    """The final report: delivered, blocked the bot, failed (and unknown if any)."""
    text = t(
        "announce.report", lang,
        total=progress.total, sent=progress.sent,
        blocked=progress.blocked, failed=progress.failed,
    )  # fmt: skip
    if progress.unknown:
        text += t("announce.report_unknown", lang, unknown=progress.unknown)
    return text
