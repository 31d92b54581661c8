"""/saya: the list, the calendar file, cancelling with confirmation, and bad buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import select

from bot.db import SessionFactory
from bot.models import Participant, Registration, RegistrationStatus
from bot.playground.botapi import FakeTelegram, SentMessage
from bot.settings import Settings
from tests.factories import make_participant, make_registration, make_training
from tests.harness import BotHarness, FakeClock
from tests.harness import test_settings as changed_settings

CONFIRMED = RegistrationStatus.CONFIRMED
WAITING = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED
QUEUED = datetime(2026, 11, 20, tzinfo=UTC)
MAKASSAR = ZoneInfo("Asia/Makassar")


async def _status(harness: BotHarness, registration_id: int) -> RegistrationStatus:
    async with harness.sessions() as s:
        row = await s.get(Registration, registration_id)
        assert row is not None
        return row.status


def _registration_messages(replies: list[SentMessage]) -> list[SentMessage]:
    return [m for m in replies if any("Batal ikut" in b or "Cancel" in b for b, _ in m.buttons())]


async def test_no_registrations_offers_to_register(harness: BotHarness) -> None:
    user = harness.user(201)
    [reply] = await harness.send(user, "/saya")
    assert "belum terdaftar" in reply.text
    assert any("Daftar" in label for label, _ in reply.buttons())


async def test_list_shows_days_in_indonesian_with_buttons(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        training = await make_training(s, code="KP-2026-01")
        me = await make_participant(s, 202)
        await make_registration(s, me, training, CONFIRMED)
    user = harness.user(202)
    replies = await harness.send(user, "/saya")
    [card] = _registration_messages(replies)
    assert "Pelatihan Kain Perca dan Melukis Kain" in card.text
    assert "KP-2026-01" in card.text
    assert "terdaftar" in card.text
    assert "Hotel Sahid Montana Dua, Malang" in card.text
    assert "Hari 1: Selasa, 8 Desember 2026, 08.00–15.00 WIB" in card.text
    assert "Hari 3: Kamis, 10 Desember 2026, 08.00–12.00 WIB" in card.text
    assert "Melukis kain" in card.text
    labels = [label for label, _ in card.buttons()]
    assert labels == ["📅 Simpan ke kalender", "❌ Batal ikut", "🎫 Tiket hadir"]
    assert card.callback_for("Tiket hadir").startswith("qr:")
    assert any("Data saya" in label for label, _ in replies[-1].buttons())


async def test_list_in_english_from_the_menu_button(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        training = await make_training(s)
        me = await make_participant(s, 203, language="en")
        await make_registration(s, me, training, CONFIRMED)
    user = harness.user(203)
    [menu] = await harness.send(user, "/start")
    replies = await harness.press(user, menu, "My trainings")
    [card] = _registration_messages(replies)
    assert "Day 1: Tuesday, 8 December 2026, 08:00–15:00 WIB" in card.text
    assert "confirmed" in card.text
    assert card.buttons()[0][0] == "📅 Add to calendar"


async def test_waiting_list_position_and_no_check_in_code(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        training = await make_training(s, capacity=1)
        await make_registration(s, await make_participant(s, 210), training, CONFIRMED)
        await make_registration(s, await make_participant(s, 211), training, WAITING, QUEUED)
        me = await make_participant(s, 212)
        registration = await make_registration(
            s, me, training, WAITING, QUEUED + timedelta(minutes=1)
        )
    replies = await harness.send(harness.user(212), "/saya")
    [card] = _registration_messages(replies)
    assert "daftar tunggu nomor 2" in card.text
    assert not any("QR" in label for label, _ in card.buttons())
    # No calendar file for a waiting place (it would look like a seat), even asked for directly.
    assert [label for label, _ in card.buttons()] == ["❌ Batal ikut"]
    harness.user(212).press_data(card, f"ics:{registration.id}")
    await harness.deliver()
    assert "setelah Anda mendapat kursi" in harness.answers()[-1]["text"]
    assert all(m.document is None for m in harness.user(212).messages())


async def test_markup_in_titles_and_venues_is_escaped(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        training = await make_training(
            s,
            title="<b>Batik</b> & Tenun",
            venue="Aula <Dinas> & Co",
            days=[(date(2026, 12, 8), "08:00", "15:00", "Motif <i>kawung</i>")],
        )
        await make_registration(s, await make_participant(s, 220), training, CONFIRMED)
        ended = await make_training(
            s, title="Lama <x>", days=[(date(2026, 11, 2), "08:00", "12:00", "")]
        )
        await make_registration(s, await make_participant(s, 221), ended, CONFIRMED)
        other = await s.scalar(select(Participant).where(Participant.telegram_id == 220))
        assert other is not None
        await make_registration(s, other, ended, CANCELLED)
    replies = await harness.send(harness.user(220), "/saya")
    [card] = _registration_messages(replies)
    assert "<b>Batik</b> & Tenun" in card.text
    assert "&lt;b&gt;Batik&lt;/b&gt; &amp; Tenun" in card.html
    assert "Aula <Dinas> & Co" in card.text
    assert "Motif <i>kawung</i>" in card.text
    history = replies[-1]
    assert "Pelatihan saya sebelumnya" in history.text
    assert "Lama <x> (2 November 2026): dibatalkan" in history.text


async def test_a_training_with_many_long_days_fits_one_message(harness: BotHarness) -> None:
    days = [
        (date(2027, 1, 1) + timedelta(days=i), "08:00", "15:00", f"Topik {i} " + "x" * 190)
        for i in range(40)
    ]
    async with harness.sessions() as s:
        training = await make_training(s, title="T" * 200, venue="V" * 200, days=days)
        await make_registration(s, await make_participant(s, 230), training, CONFIRMED)
    replies = await harness.send(harness.user(230), "/saya")
    [card] = _registration_messages(replies)
    assert len(card.text) <= 4096
    assert "hari lagi" in card.text
    assert "Hari 1:" in card.text


async def test_calendar_file_has_every_day_in_local_time(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        training = await make_training(s, code="KP-2026-01", notes=["Bawa gunting kain"])
        mine = await make_registration(s, await make_participant(s, 240), training, CONFIRMED)
    user = harness.user(240)
    [card] = _registration_messages(await harness.send(user, "/saya"))
    [first] = await harness.press(user, card, "kalender")
    [again] = await harness.press(user, card, "kalender")
    assert first.document is not None and again.document is not None
    name, content = first.document
    assert name == "pelatihan-KP-2026-01.ics"
    assert "Jadwal" in first.text
    calendar = icalendar.Calendar.from_ical(content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert len(events) == 3
    start = events[0].decoded("dtstart")
    assert start == datetime(2026, 12, 8, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert str(start.tzinfo) == "Asia/Jakarta"
    assert events[0]["DTSTART"].params["TZID"] == "Asia/Jakarta"
    assert events[2].decoded("dtend") == datetime(2026, 12, 10, 5, 0, tzinfo=UTC)
    assert str(events[0]["SUMMARY"]) == "Pelatihan Kain Perca dan Melukis Kain — Kain perca"
    assert str(events[0]["LOCATION"]) == "Hotel Sahid Montana Dua, Malang"
    assert "Bawa gunting kain" in str(events[0]["DESCRIPTION"])
    assert [str(e["UID"]) for e in events] == [
        f"reg{mine.id}-day{n}@pelatihan-bot" for n in (1, 2, 3)
    ]
    again_uids = [
        str(e["UID"]) for e in icalendar.Calendar.from_ical(again.document[1]).walk("VEVENT")
    ]
    assert sorted(again_uids) == sorted(str(e["UID"]) for e in events)
    assert calendar.walk("VTIMEZONE")


@pytest.fixture
async def makassar_harness(
    settings: Settings, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> AsyncIterator[BotHarness]:
    """The bot configured for central Indonesian time (WITA)."""
    bot = BotHarness(changed_settings(settings, timezone=MAKASSAR), sessions, tg, clock)
    await bot.start()
    yield bot
    await bot.stop()


async def test_calendar_and_list_use_the_configured_zone(makassar_harness: BotHarness) -> None:
    harness = makassar_harness
    async with harness.sessions() as s:
        training = await make_training(
            s, tz=MAKASSAR, days=[(date(2026, 12, 8), "09:00", "16:00", "Kain perca")]
        )
        await make_registration(s, await make_participant(s, 250), training, CONFIRMED)
    user = harness.user(250)
    [card] = _registration_messages(await harness.send(user, "/saya"))
    assert "09.00–16.00 WITA" in card.text
    [document] = await harness.press(user, card, "kalender")
    assert document.document is not None
    [event] = icalendar.Calendar.from_ical(document.document[1]).walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Asia/Makassar"
    assert event.decoded("dtstart") == datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
    assert event.decoded("dtend") == datetime(2026, 12, 8, 16, 0, tzinfo=MAKASSAR)


async def test_cancel_asks_first_then_frees_the_seat_for_the_next(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        training = await make_training(s, capacity=1)
        mine = await make_registration(s, await make_participant(s, 260), training, CONFIRMED)
        waiting = await make_registration(
            s, await make_participant(s, 261, language="en"), training, WAITING, QUEUED
        )
    user, next_in_line = harness.user(260), harness.user(261)
    [card] = _registration_messages(await harness.send(user, "/saya"))
    await harness.press(user, card, "Batal ikut")
    assert "Yakin batal ikut" in card.text
    await harness.press(user, card, "Tidak")
    assert "Hari 1:" in card.text
    assert any("Batal ikut" in label for label, _ in card.buttons())
    assert await _status(harness, mine.id) == CONFIRMED
    await harness.press(user, card, "Batal ikut")
    await harness.press(user, card, "Ya")
    assert "Anda batal ikut" in card.text
    assert card.buttons() == []
    assert await _status(harness, mine.id) == CANCELLED
    assert await _status(harness, waiting.id) == CONFIRMED
    # One message: the seat, the dates, and the calendar file it now deserves.
    [notice] = next_in_line.messages()
    assert notice.text.startswith("🎉 A seat is free! You now have a seat at")
    assert "8–10 December 2026" in notice.text and "calendar file" in notice.text
    assert notice.document is not None and notice.document[0].endswith(".ics")
    events = icalendar.Calendar.from_ical(notice.document[1]).walk("VEVENT")
    assert len(events) == len(training.days)
    replies = await harness.press(next_in_line, notice, "My trainings")
    assert "confirmed" in _registration_messages(replies)[0].text


async def test_double_tap_on_yes_cancels_once(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        training = await make_training(s, capacity=1)
        mine = await make_registration(s, await make_participant(s, 270), training, CONFIRMED)
        await make_registration(s, await make_participant(s, 271), training, WAITING, QUEUED)
        await make_registration(s, await make_participant(s, 272), training, WAITING, QUEUED)
    user = harness.user(270)
    [card] = _registration_messages(await harness.send(user, "/saya"))
    await harness.press(user, card, "Batal ikut")
    data = card.callback_for("Ya")
    user.press_data(card, data)
    user.press_data(card, data)
    await harness.deliver(concurrently=True)
    assert await _status(harness, mine.id) == CANCELLED
    assert "sudah dibatalkan sebelumnya" in harness.answers()[-1]["text"]
    assert len([m for m in harness.user(271).messages() if "Kursi tersedia" in m.text]) == 1
    assert harness.user(272).messages() == []


async def test_forged_stale_and_garbage_buttons_get_a_polite_answer(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        training = await make_training(s)
        theirs = await make_registration(s, await make_participant(s, 280), training, CONFIRMED)
        mine = await make_registration(s, await make_participant(s, 281), training, CONFIRMED)
    user = harness.user(281)
    [card] = _registration_messages(await harness.send(user, "/saya"))
    for data in (f"cxl:{theirs.id}", f"cxly:{theirs.id}", f"cxln:{theirs.id}", f"ics:{theirs.id}"):
        user.press_data(card, data)
        await harness.deliver()
        assert "tidak ditemukan" in harness.answers()[-1]["text"]
    for data in ("cxly:abc", "cxl:", "ics:1:2", "cxly:99999999999999999999", "ics:-4"):
        user.press_data(card, data)
        await harness.deliver()
        text = harness.answers()[-1]["text"]
        assert "tidak berlaku" in text or "tidak ditemukan" in text
    assert await _status(harness, theirs.id) == CONFIRMED
    async with harness.sessions() as s:
        row = await s.get(Registration, mine.id)
        assert row is not None
        await s.delete(row)
        await s.commit()
    for label in ("Batal ikut", "kalender"):
        user.press_data(card, card.callback_for(label))
        await harness.deliver()
        assert "tidak ditemukan" in harness.answers()[-1]["text"]
    user.press_data(None, f"cxly:{theirs.id}")  # a button of a message Telegram forgot
    await harness.deliver()
    assert "tidak ditemukan" in harness.answers()[-1]["text"]


async def test_odd_messages_while_asked_get_a_hint(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        training = await make_training(s)
        mine = await make_registration(s, await make_participant(s, 290), training, CONFIRMED)
    user = harness.user(290)
    [card] = _registration_messages(await harness.send(user, "/saya"))
    await harness.press(user, card, "Batal ikut")
    [hint] = await harness.send(user, "ya")
    assert "tombol Ya atau Tidak" in hint.text
    user.send_sticker()
    await harness.deliver()
    assert "tombol Ya atau Tidak" in user.last().text
    [left] = await harness.send(user, "/batal")
    assert "Anda tetap ikut" in left.text
    [stray] = await harness.send(user, "halo")
    assert "tidak bisa diteruskan ke petugas" in stray.text  # outside a step now
    assert await _status(harness, mine.id) == CONFIRMED
    # The question's buttons still work after leaving (or a timeout, or a restart).
    await harness.restart()
    await harness.press(user, card, "Ya")
    assert await _status(harness, mine.id) == CANCELLED


async def test_a_blocked_promoted_user_does_not_break_the_cancel(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        training = await make_training(s, capacity=1)
        await make_registration(s, await make_participant(s, 300), training, CONFIRMED)
        waiting = await make_registration(
            s, await make_participant(s, 301), training, WAITING, QUEUED
        )
    harness.tg.block(301)
    user = harness.user(300)
    [card] = _registration_messages(await harness.send(user, "/saya"))
    await harness.press(user, card, "Batal ikut")
    await harness.press(user, card, "Ya")
    assert "Anda batal ikut" in card.text
    assert await _status(harness, waiting.id) == CONFIRMED
    async with harness.sessions() as s:
        blocked = await s.scalar(select(Participant).where(Participant.telegram_id == 301))
        assert blocked is not None and blocked.unreachable_at is not None
