"""The day itself: the morning-of reminder, the venue as a map pin, the check-in ticket."""

from __future__ import annotations

import io
import time as timer
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, time

import pytest
from PIL import Image
from sqlalchemy import update

from bot.db import SessionFactory
from bot.documents.ticket import ticket_png
from bot.models import DeliveryState, RegistrationStatus, TrainingDay
from bot.playground.botapi import BOT_USERNAME, FakeTelegram, SentMessage
from bot.runtime.context import BotContext
from bot.services.attendance import normalize_ticket_code, own_confirmed_registration
from bot.services.outbox import Kind
from bot.services.registration import register
from bot.settings import Settings
from bot.texts.links import checkin_link
from jobs.reminders import queue_due_reminders
from tests.conftest import ADMIN_ID, JAKARTA
from tests.harness import BotHarness, FakeClock
from tests.reminder_fixtures import (
    DayPlan,
    deliveries,
    local,
    make_participant,
    make_registration,
    register_people,
)
from tests.test_documents_base import decode_qr
from tests.training_files import KP_FILE, import_file, one_training, profile

DEC7, DEC8, DEC9, DEC16 = (date(2026, 12, d) for d in (7, 8, 9, 16))
MORNING = time(7, 0)
VENUE_FILE = KP_FILE.replace(
    "    days:", "    latitude: -7.9666\n    longitude: 112.6326\n    days:"
)


@pytest.fixture
async def morning(
    settings: Settings, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> AsyncIterator[BotHarness]:
    """The bot with morning-of reminders at 07:00."""
    bot = BotHarness(replace(settings, morning_reminder_time=MORNING), sessions, tg, clock)
    await bot.start()
    yield bot
    await bot.stop()


async def run_job(harness: BotHarness) -> None:
    """One run of the reminder job, as the scheduler starts it."""
    await queue_due_reminders(BotContext(harness.app))


async def test_both_reminders_arrive_once_across_a_restart_and_every_timeout(
    morning: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    await register_people(sessions, clock(), [7001])
    user = morning.user(7001)
    clock.set(local(DEC7, "16:00"))
    await run_job(morning)
    [day_before] = user.messages()
    assert "Pengingat: besok hari ke-1 dari 3" in day_before.text

    clock.set(local(DEC8, "06:59"))
    await run_job(morning)
    assert len(user.messages()) == 1
    clock.set(local(DEC8, "07:00"))
    await run_job(morning)
    [_, today] = user.messages()
    assert (
        "Hari ini pukul 08.00 WIB di Hotel Sahid Montana Dua, Malang — sampai jumpa!" in today.text
    )
    assert "hari ke-1 dari 3" in today.text and "tiket hadir" in today.text
    assert [label for label, _ in today.buttons()] == ["🎫 Tiket hadir"]

    stale = morning.settings.stale_claim_seconds
    for _ in range(3):  # past every lease and stale timeout, with restarts in between
        clock.advance(seconds=stale + 1)
        await morning.restart()
        await run_job(morning)
    assert len(user.messages()) == 2
    sent = [r for r in await deliveries(sessions, Kind.MORNING) if r.state == DeliveryState.SENT]
    assert len(sent) == 1 and sent[0].key.startswith("morning:")


async def test_a_morning_reminder_missed_while_down_goes_out_if_the_day_has_not_started(
    morning: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    await register_people(sessions, clock(), [7002])
    user = morning.user(7002)
    clock.set(local(DEC7, "10:00"))
    await run_job(morning)
    clock.set(local(DEC8, "07:40"))  # down from the day before until 07:40 on day 1
    await run_job(morning)
    texts = user.texts()
    assert len(texts) == 2  # the day-before reminder, late, and the morning one
    assert any("Pengingat: hari ini hari ke-1" in text for text in texts)
    assert any("Hari ini pukul 08.00 WIB" in text for text in texts)

    clock.set(local(DEC9, "08:30"))  # down again past day 2's start: nothing for day 2
    await run_job(morning)
    assert len(user.messages()) == 2


async def test_morning_reminders_are_off_by_default(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    assert harness.settings.morning_reminder_time is None
    await register_people(sessions, clock(), [7003])
    for moment in (local(DEC7, "16:00"), local(DEC8, "07:00"), local(DEC8, "07:59")):
        clock.set(moment)
        await run_job(harness)
    assert len(harness.user(7003).messages()) == 1  # the day-before reminder only
    assert await deliveries(sessions, Kind.MORNING) == []


async def test_morning_reminders_queued_before_they_were_turned_off_are_not_sent(
    settings: Settings, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> None:
    await register_people(sessions, clock(), [7007])
    for morning_time, moment in ((MORNING, local(DEC7, "10:00")), (None, local(DEC8, "07:00"))):
        bot = BotHarness(replace(settings, morning_reminder_time=morning_time), sessions, tg, clock)
        await bot.start()
        try:
            clock.set(moment)
            await run_job(bot)
        finally:
            await bot.stop()
    texts = [m.text for m in tg.sent_to(7007)]
    assert len(texts) == 1 and "Pengingat: hari ini hari ke-1" in texts[0]  # the day before's
    day_1 = [r.state for r in await deliveries(sessions, Kind.MORNING) if r.key.endswith("-08")]
    assert day_1 == [DeliveryState.SKIPPED]


async def test_a_date_change_moves_the_morning_reminder(
    morning: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    training, _ = await register_people(sessions, clock(), [7004])
    user = morning.user(7004)
    await run_job(morning)
    async with sessions() as session:
        await session.execute(
            update(TrainingDay)
            .where(TrainingDay.training_id == training.id, TrainingDay.day_number == 2)
            .values(date=DEC16, starts_at=local(DEC16, "09:00"), ends_at=local(DEC16, "15:00"))
        )
        await session.commit()
    clock.set(local(DEC9, "07:00"))
    await run_job(morning)
    assert not any("Hari ini pukul" in text for text in user.texts() if "ke-2" in text)
    clock.set(local(DEC16, "07:00"))
    await run_job(morning)
    assert "Hari ini pukul 09.00 WIB" in user.last().text and "hari ke-2 dari 3" in user.last().text
    states = {r.key[-10:]: r.state for r in await deliveries(sessions, Kind.MORNING)}
    assert states["2026-12-09"] == DeliveryState.SKIPPED
    assert states["2026-12-16"] == DeliveryState.SENT


async def test_no_morning_reminder_for_a_day_that_starts_before_it_or_the_waiting_list(
    morning: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    early = [DayPlan(DEC8, start="06:30"), DayPlan(DEC9, start="08:00")]
    training, _ = await register_people(sessions, clock(), [7005], days=early)
    async with sessions() as session:
        waiting = await make_participant(session, 7006, clock())
        status = RegistrationStatus.WAITLISTED
        await make_registration(session, waiting, training, clock(), status=status)
    clock.set(local(DEC8, "07:00"))
    await run_job(morning)
    assert not any("Hari ini pukul" in text for text in morning.user(7005).texts())
    clock.set(local(DEC9, "07:00"))
    await run_job(morning)
    assert "Hari ini pukul 08.00 WIB" in morning.user(7005).last().text
    assert morning.user(7006).messages() == []


async def _registered_for_file(harness: BotHarness, text: str, telegram_id: int) -> None:
    result = await import_file(harness.sessions, text, harness.clock())
    training_id = result.written[0].training_id
    async with harness.sessions() as session:
        await register(
            session, telegram_id, training_id, profile(now=harness.clock()), harness.clock()
        )


async def test_a_file_with_coordinates_sends_the_pin_right_after_the_reminder_once(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory, tg: FakeTelegram
) -> None:
    await _registered_for_file(harness, VENUE_FILE, 7010)
    user = harness.user(7010)
    clock.set(local(DEC7, "16:00"))
    await run_job(harness)
    reminder, pin = user.messages()
    assert "Pengingat: besok hari ke-1 dari 3" in reminder.text
    assert pin.method == "sendVenue" and pin.venue == {
        "latitude": -7.9666,
        "longitude": 112.6326,
        "title": "Pelatihan Kain Perca dan Melukis Kain",
        "address": "Hotel Sahid Montana Dua, Malang",
    }
    for _ in range(2):
        clock.advance(seconds=harness.settings.stale_claim_seconds + 1)
        await harness.restart()
        await run_job(harness)
    assert len(user.messages()) == 2 and len(tg.calls_of("sendVenue")) == 1
    pins = await deliveries(sessions, Kind.VENUE)  # one per day; days 2 and 3 are due later
    [sent] = [r for r in pins if r.state == DeliveryState.SENT]
    assert sent.key == f"venue:{sent.registration_id}:{sent.training_day_id}:2026-12-08"


async def test_the_pin_waits_for_its_reminder_and_is_dropped_with_it(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory, tg: FakeTelegram
) -> None:
    await _registered_for_file(harness, VENUE_FILE, 7011)
    user = harness.user(7011)
    tg.fail_next("sendMessage", 7011, code=400)  # Telegram refuses the reminder's text
    clock.set(local(DEC7, "16:00"))
    await run_job(harness)
    await run_job(harness)
    assert user.messages() == [] and tg.calls_of("sendVenue") == []
    states = [r.state for r in await deliveries(sessions, Kind.VENUE)]
    assert DeliveryState.SKIPPED in states


async def test_no_pin_without_coordinates(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    await _registered_for_file(harness, KP_FILE, 7012)
    clock.set(local(DEC7, "16:00"))
    await run_job(harness)
    assert [m.method for m in harness.user(7012).messages()] == ["sendMessage"]
    assert await deliveries(sessions, Kind.VENUE) == []


async def test_a_file_with_latitude_200_is_refused_naming_the_line(harness: BotHarness) -> None:
    staff = harness.user(ADMIN_ID, "Staf")
    text = one_training(closes=None).replace(
        "    days:", "    latitude: 200\n    longitude: 112.63\n    days:"
    )
    staff.send_document("pelatihan.yaml", text.encode())
    await harness.deliver()
    reply = staff.last().text
    assert "File tidak diimpor (tidak ada yang diubah)" in reply
    assert "baris 6, isian latitude" in reply


async def _ticket_from_saya(harness: BotHarness, telegram_id: int) -> SentMessage:
    user = harness.user(telegram_id)
    screens = await harness.send(user, "/saya")
    card = next(m for m in screens if any("Tiket hadir" in label for label, _ in m.buttons()))
    await harness.press(user, card, "Tiket hadir")
    return user.last()


async def test_the_ticket_is_a_photo_whose_qr_holds_the_check_in_link(
    harness: BotHarness, sessions: SessionFactory
) -> None:
    _, [registration] = await register_people(sessions, harness.clock(), [7020])
    ticket = await _ticket_from_saya(harness, 7020)
    assert ticket.method == "sendPhoto" and ticket.photo is not None
    link = checkin_link(BOT_USERNAME, registration.checkin_token)
    assert decode_qr(ticket.photo) == [link]
    image = Image.open(io.BytesIO(ticket.photo))
    assert image.format == "PNG" and image.width == 720 and 900 <= image.height <= 1300
    async with sessions() as session:
        own = await own_confirmed_registration(session, registration.id, 7020)
    assert own is not None
    assert own.ticket in ticket.text and "Tiket hadir" in ticket.text
    assert "Peserta 7020" in ticket.text
    # One tap copies the short code (Bot API 7.11 CopyTextButton).
    assert ticket.buttons() == [(f"📋 Salin kode {own.ticket}", own.ticket)]
    assert ticket.reply_markup is not None
    [[copy]] = ticket.reply_markup["inline_keyboard"]
    assert copy["copy_text"] == {"text": own.ticket}


async def test_staff_find_a_person_by_the_ticket_code(
    harness: BotHarness, sessions: SessionFactory
) -> None:
    days = [DayPlan(date(2026, 12, 1))]  # today, on the test clock
    _, registrations = await register_people(sessions, harness.clock(), [7021, 7022], days=days)
    async with sessions() as session:
        own = await own_confirmed_registration(session, registrations[1].id, 7022)
    assert own is not None
    typed = own.ticket.lower().replace("-", " ")
    staff = harness.user(ADMIN_ID, "Staf")
    [sheet] = await harness.send(staff, f"/hadir KP-2026-01 {typed}")
    people = [label for label, _ in sheet.buttons() if label[0] in "⬜✅"]
    assert people == ["⬜ Peserta 7022"]  # only the ticket's holder
    await harness.press(staff, sheet, "Peserta 7022")
    assert sheet.buttons()[0][0] == "✅ Peserta 7022"


async def test_the_morning_reminder_brings_the_ticket_with_one_tap(
    morning: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    _, [registration] = await register_people(sessions, clock(), [7023])
    clock.set(local(DEC8, "07:00"))
    await run_job(morning)
    user = morning.user(7023)
    today = next(m for m in user.messages() if "Hari ini pukul" in m.text)
    await morning.press(user, today, "Tiket hadir")
    ticket = user.last()
    assert ticket.method == "sendPhoto" and ticket.photo is not None
    assert decode_qr(ticket.photo) == [checkin_link(BOT_USERNAME, registration.checkin_token)]


def test_ticket_codes_are_short_and_typed_forgivingly() -> None:
    assert normalize_ticket_code(" k7m-4qx ") == "K7M4QX"
    assert normalize_ticket_code("O1L") == "011"


async def test_a_ticket_renders_quickly_with_any_name(sessions: SessionFactory) -> None:
    _, [registration] = await register_people(sessions, local(DEC7, "09:00"), [7030])
    async with sessions() as session:
        own = await own_confirmed_registration(session, registration.id, 7030)
    assert own is not None
    own = replace(own, name="Ni Luh Ayu Pradnyaswari Śrī Nguyễn")
    link = checkin_link(BOT_USERNAME, own.checkin_token)
    ticket_png(own, link, "Dinas Koperasi", "id", JAKARTA)  # fonts loaded once
    started = timer.process_time()
    for _ in range(5):
        png = ticket_png(own, link, "Dinas Koperasi", "en", JAKARTA)
    assert (timer.process_time() - started) / 5 < 0.2  # about 50 ms; generous for a busy CI
    assert decode_qr(png) == [link]
