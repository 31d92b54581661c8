"""The waiting list says what comes next: a message when a seat frees up, no reminders and no
calendar file until then; the seat notice brings the dates and the calendar file."""

from __future__ import annotations

from datetime import date

import icalendar

from bot.playground.botapi import FakeUser, SentMessage
from bot.runtime.context import BotContext
from jobs.reminders import queue_due_reminders
from tests.harness import BotHarness
from tests.reminder_fixtures import local
from tests.test_registration_handlers import confirm_label, fill_profile, go_to_name
from tests.training_files import KP_FILE, add_training

DEC7 = date(2026, 12, 7)
KP_ONE_SEAT = KP_FILE.replace("capacity: 30", "capacity: 1")


async def _register(harness: BotHarness, user: FakeUser) -> SentMessage:
    await go_to_name(harness, user)
    summary = await fill_profile(harness, user)
    await harness.press(user, summary, confirm_label(summary))
    return summary


async def _remind(harness: BotHarness) -> None:
    """One run of the reminder job, then the outbox sender, as the scheduler would."""
    await queue_due_reminders(BotContext(harness.app))
    await harness.run_woken_sender()


async def test_waiting_gets_no_reminder_nor_calendar_until_a_seat_frees_up(
    harness: BotHarness,
) -> None:
    await add_training(harness.sessions, KP_ONE_SEAT)
    holder, waiting = harness.user(601, "Ani"), harness.user(602, "Budi")
    await _register(harness, holder)
    result = await _register(harness, waiting)
    assert "daftar tunggu nomor 1" in result.text
    assert "kami kirim pesan di sini" in result.text and "tidak ada pengingat" in result.text
    assert not any("kalender" in label for label, _ in result.buttons())

    # The day before, at reminder time: the seat holder is reminded, the waiting one is not.
    seen = len(waiting.messages())
    harness.clock.set(local(DEC7, "16:00"))
    await _remind(harness)
    assert "besok" in holder.last().text
    assert len(waiting.messages()) == seen
    [card, _footer] = await harness.send(waiting, "/saya")
    assert "daftar tunggu" in card.text
    assert not any("kalender" in label for label, _ in card.buttons())

    # The holder cancels: the seat is Budi's, and he is told with the dates and the calendar.
    [holder_card, _footer] = await harness.send(holder, "/saya")
    await harness.press(holder, holder_card, "Batal ikut")
    await harness.press(holder, holder_card, "Ya")
    notice = waiting.last()
    assert notice.text.startswith("🎉 Kursi tersedia! Anda sekarang mendapat kursi")
    assert "8–10 Desember 2026" in notice.text and "file kalender" in notice.text
    assert notice.document is not None
    events = icalendar.Calendar.from_ical(notice.document[1]).walk("VEVENT")
    assert [e.decoded("dtstart").date() for e in events] == [
        date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 10)
    ]  # fmt: skip
    # Now a seat: tomorrow's reminder follows (its time has passed, so at once).
    await _remind(harness)
    assert "besok" in waiting.last().text
