"""What follows the answers to rows of some kinds (registered with their kind in `jobs.kinds`):
an announcement finishes once every row has an answer (its report is queued) or shows staff its
progress; a staff reply whose send ended gets a receipt in the staff group.

A follow-up takes the ids the outbox's `record` names for its kind and says whether it queued
something new (the sender then looks again at once).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from telegram.error import BadRequest, TelegramError

from bot.runtime.context import AnyApplication, deps_of
from bot.sending.gate import NOTICE
from bot.services.announcements import announcement_progress, finish_if_done, get_announcement
from bot.services.helpdesk import queue_receipts
from bot.services.participants import language_of
from bot.texts.announcements import progress_text

log = logging.getLogger(__name__)

# Staff's progress message is edited at most this often (edits count against the rate too).
PROGRESS_EVERY_SECONDS = 3.0


class AnnouncementProgress:
    """Finish a complete announcement, else edit the staff member's progress message."""

    def __init__(self, application: AnyApplication) -> None:
        self.application = application
        self.deps = deps_of(application)
        self._last_edit: dict[int, float] = {}

    async def __call__(self, announcement_ids: set[int]) -> bool:
        """After answers to these announcements' rows; True when a report was queued."""
        queued = False
        for announcement_id in announcement_ids:
            try:
                if await self.finish(announcement_id):
                    queued = True
                else:
                    await self._edit_progress(announcement_id, force=False)
            except Exception:
                log.exception("progress of announcement %s not shown", announcement_id)
        return queued

    async def finish(self, announcement_id: int) -> bool:
        """Mark a complete announcement done (its report is queued); True if it is."""
        async with self.deps.sessions() as session:
            finished = await finish_if_done(session, announcement_id, self.deps.clock())
        if finished:
            log.info("announcement %s finished", announcement_id)
            await self._edit_progress(announcement_id, force=True)
        return finished

    async def _edit_progress(self, announcement_id: int, *, force: bool) -> None:
        """Edit the staff member's progress message, at most every few seconds."""
        now = time.monotonic()
        if not force and now - self._last_edit.get(announcement_id, 0.0) < PROGRESS_EVERY_SECONDS:
            return
        self._last_edit[announcement_id] = now
        async with self.deps.sessions() as session:
            announcement = await get_announcement(session, announcement_id)
            if announcement is None or announcement.progress_message_id is None:
                return
            progress = await announcement_progress(session, announcement_id)
            lang = await language_of(session, announcement.created_by or 0)
        chat_id = announcement.progress_chat_id or announcement.created_by or 0
        text = progress_text(progress, lang or self.deps.settings.default_language)
        try:
            await self.application.bot.edit_message_text(
                text, chat_id, announcement.progress_message_id,
                rate_limit_args={"priority": NOTICE},
            )  # fmt: skip
        except BadRequest as exc:
            if "not modified" not in exc.message:
                log.info("progress of announcement %s not shown: %s", announcement_id, exc)
        except TelegramError as exc:
            log.info("progress of announcement %s not shown: %s", announcement_id, exc)


class HelpdeskReceipts:
    """Tell the staff group whether their replies reached the participants."""

    def __init__(self, application: AnyApplication) -> None:
        self.deps = deps_of(application)

    async def __call__(self, reply_ids: set[int]) -> bool:
        """After the sends of these replies ended; True when the receipts were queued."""
        try:
            async with self.deps.sessions() as session:
                await queue_receipts(session, reply_ids, self.deps.clock())
        except Exception:
            log.exception("receipts of helpdesk replies %s not queued", sorted(reply_ids))
            return False
        return True  # the receipts wait in the outbox


FollowUp = Callable[[set[int]], Awaitable[bool]]
