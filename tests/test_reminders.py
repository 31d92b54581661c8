"""Day-before reminders: exactly once, on time in any zone, after downtime, with RSVP."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.db import SessionFactory
from bot.models import (
    DeliveryState,
    Participant,
    Registration,
    RegistrationStatus,
    Rsvp,
    TrainingDay,
)
from bot.playground.botapi import FakeTelegram
from bot.runtime.context import BotContext
from bot.services.reminders import reminder_due_at, sync_reminders
from bot.settings import Settings
from bot.texts.formatting import zone_label
from jobs.reminders import queue_due_reminders
from tests.harness import BotHarness, FakeClock
from tests.reminder_fixtures import (
    JAKARTA,
    DayPlan,
    claim_due,
    deliveries,
    local,
    mark_leaving,
    register_people,
    rsvps,
)

DEC7, DEC8, DEC9 = date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9)


async def run_job(harness: BotHarness) -> None:
    """One run of the reminder job, as the scheduler would start it."""
    await queue_due_reminders(BotContext(harness.app))


async def test_sent_once_at_reminder_time_and_not_again_after_restart(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory, tg: FakeTelegram
) -> None:
    await register_people(sessions, clock(), [5001])
    user = harness.user(5001)

    clock.set(local(DEC7, "15:59"))
    await run_job(harness)
    assert user.messages() == []

    clock.set(local(DEC7, "16:00"))
    await run_job(harness)
    await run_job(harness)
    [reminder] = user.messages()
    assert "Pengingat: besok hari ke-1 dari 3" in reminder.text
    assert "Selasa, 8 Desember 2026" in reminder.text
    assert "08.00 WIB" in reminder.text
    assert "Hotel Sahid Montana Dua, Malang" in reminder.text
    assert "Kain perca" in reminder.text
    assert "Bawa gunting & kain <perca>" in reminder.text  # escaped, shown as typed
    assert [label for label, _ in reminder.buttons()] == [
        "✅ Ya, saya datang",
        "🚫 Tidak bisa datang",
    ]

    clock.advance(minutes=1)
    await harness.restart()
    await run_job(harness)
    assert len(user.messages()) == 1
    rows = await deliveries(sessions)
    assert [r.state for r in rows if r.state != DeliveryState.PENDING] == [DeliveryState.SENT]
    assert len(tg.calls_of("sendMessage")) == 1


async def test_missed_reminder_goes_out_after_downtime_unless_the_day_started(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    await register_people(sessions, clock(), [5002])
    user = harness.user(5002)
    clock.set(local(DEC7, "15:00"))
    await run_job(harness)

    clock.set(local(DEC8, "07:30"))  # down from 15:00 until the morning of day 1
    await run_job(harness)
    [reminder] = user.messages()
    assert "Pengingat: hari ini hari ke-1 dari 3" in reminder.text

    clock.set(local(DEC9, "09:00"))  # down again: day 2's reminder time and start passed
    await run_job(harness)
    assert len(user.messages()) == 1
    states = [r.state for r in sorted(await deliveries(sessions), key=lambda r: r.due_at)]
    # Day 1 sent late; day 2 started while the bot was down, so its reminder expired unsent.
    assert states == [DeliveryState.SENT, DeliveryState.SKIPPED, DeliveryState.PENDING]


@pytest.mark.parametrize("zone", ["Asia/Jayapura", "Asia/Jakarta"])
async def test_reminder_time_is_local_to_the_configured_zone(
    zone: str,
    settings: Settings,
    sessions: SessionFactory,
    tg: FakeTelegram,
    clock: FakeClock,
) -> None:
    tz = ZoneInfo(zone)
    harness = BotHarness(replace(settings, timezone=tz), sessions, tg, clock)
    await harness.start()
    try:
        await register_people(sessions, clock(), [5003], tz=tz)
        user = harness.user(5003)
        clock.set(local(DEC7, "15:59", tz))
        await run_job(harness)
        assert user.messages() == []
        clock.set(local(DEC7, "16:00", tz))
        await run_job(harness)
        [reminder] = user.messages()
        assert f"08.00 {zone_label(local(DEC8, '08:00', tz))}" in reminder.text  # local time
        rows = await deliveries(sessions)
        assert min(r.due_at for r in rows) == local(DEC7, "16:00", tz)
        assert reminder_due_at(DEC8, settings.reminder_time, tz) == local(DEC7, "16:00", tz)
    finally:
        await harness.stop()


async def test_registration_after_reminder_time_gets_one_at_once(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    clock.set(local(DEC7, "16:01"))
    await register_people(sessions, clock(), [5004])
    await run_job(harness)
    [reminder] = harness.user(5004).messages()
    assert "besok hari ke-1 dari 3" in reminder.text


async def test_registration_after_the_day_started_gets_none_for_that_day(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    clock.set(local(DEC8, "09:00"))
    await register_people(sessions, clock(), [5005])
    await run_job(harness)
    assert harness.user(5005).messages() == []
    clock.set(local(DEC8, "16:00"))
    await run_job(harness)
    [reminder] = harness.user(5005).messages()
    assert "besok hari ke-2 dari 3" in reminder.text


async def test_waitlisted_gets_none_until_promoted(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    _, [registration] = await register_people(
        sessions, clock(), [5006], status=RegistrationStatus.WAITLISTED
    )
    clock.set(local(DEC7, "16:00"))
    await run_job(harness)
    assert harness.user(5006).messages() == []

    async with sessions() as session:
        await session.execute(
            update(Registration)
            .where(Registration.id == registration.id)
            .values(status=RegistrationStatus.CONFIRMED)
        )
        await session.commit()
    clock.set(local(DEC7, "18:30"))
    await run_job(harness)
    assert len(harness.user(5006).messages()) == 1


async def test_cancelled_registration_gets_none(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    _, [registration] = await register_people(sessions, clock(), [5007])
    await run_job(harness)  # rows are made while the registration is confirmed
    assert len(await deliveries(sessions)) == 3
    async with sessions() as session:
        await session.execute(
            update(Registration)
            .where(Registration.id == registration.id)
            .values(status=RegistrationStatus.CANCELLED)
        )
        await session.commit()
    clock.set(local(DEC7, "16:00"))
    await run_job(harness)
    assert harness.user(5007).messages() == []
    assert {r.state for r in await deliveries(sessions)} == {DeliveryState.SKIPPED}


async def test_changed_date_is_reminded_again_and_changed_time_is_not(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    training, _ = await register_people(sessions, clock(), [5008])
    user = harness.user(5008)
    clock.set(local(DEC8, "16:00"))
    await run_job(harness)
    assert len(user.messages()) == 1  # day 2's reminder (day 1 has started)

    async def move_day_2(day: date, start: str) -> None:
        async with sessions() as session:
            await session.execute(
                update(TrainingDay)
                .where(TrainingDay.training_id == training.id, TrainingDay.day_number == 2)
                .values(date=day, starts_at=local(day, start), ends_at=local(day, "15:00"))
            )
            await session.commit()

    await move_day_2(DEC9, "10:00")  # same date, later start: nothing to resend
    clock.advance(minutes=5)
    await run_job(harness)
    assert len(user.messages()) == 1

    await move_day_2(date(2026, 12, 16), "08:00")  # a new date: a new reminder when due
    clock.advance(minutes=5)
    await run_job(harness)
    assert len(user.messages()) == 1
    clock.set(local(date(2026, 12, 15), "16:00"))
    await run_job(harness)
    assert len(user.messages()) == 2
    assert "Rabu, 16 Desember 2026" in user.last().text
    assert "hari ke-2 dari 3" in user.last().text


async def test_429_is_retried_and_sent_once_403_marks_unreachable(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory, tg: FakeTelegram
) -> None:
    await register_people(sessions, clock(), [5009, 5010])
    tg.fail_next("sendMessage", 5009, code=429, retry_after=1)
    tg.block(5010)
    clock.set(local(DEC7, "16:00"))
    await run_job(harness)
    await run_job(harness)

    assert len(harness.user(5009).messages()) == 1
    assert [c for c in tg.calls_of("sendMessage") if int(c["chat_id"]) == 5010] != []
    assert len([c for c in tg.calls_of("sendMessage") if int(c["chat_id"]) == 5010]) == 1
    async with sessions() as session:
        blocked = (
            await session.execute(select(Participant).where(Participant.telegram_id == 5010))
        ).scalar_one()
        assert blocked.unreachable_at == clock()
    states = sorted(r.state for r in await deliveries(sessions) if r.state != "pending")
    assert states == [DeliveryState.BLOCKED, DeliveryState.SENT]


async def test_row_left_sending_by_a_dead_process_becomes_unknown_not_resent(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    await register_people(sessions, clock(), [5011])
    clock.set(local(DEC7, "16:00"))
    async with sessions() as session:
        await sync_reminders(session, clock(), harness.settings.reminder_time, JAKARTA)
    [claimed] = await claim_due(sessions, clock(), "dead-host:1")
    assert await mark_leaving(sessions, claimed.id, "dead-host:1", clock())
    # ... and that process died before it could record anything.
    clock.advance(minutes=5)
    await run_job(harness)
    assert harness.user(5011).messages() == []
    row = next(r for r in await deliveries(sessions) if r.id == claimed.id)
    assert row.state == DeliveryState.SENDING

    clock.advance(minutes=20)
    await run_job(harness)
    assert harness.user(5011).messages() == []
    row = next(r for r in await deliveries(sessions) if r.id == claimed.id)
    assert row.state == DeliveryState.UNKNOWN and row.claimed_by == "dead-host:1"


async def test_concurrent_claimers_never_take_the_same_row(
    sessions: SessionFactory, clock: FakeClock, settings: Settings
) -> None:
    await register_people(sessions, clock(), list(range(6000, 6060)))
    clock.set(local(DEC7, "16:00"))
    async with sessions() as session:
        await sync_reminders(session, clock(), settings.reminder_time, JAKARTA)

    async def claimer(name: str) -> list[int]:
        taken: list[int] = []
        while True:
            batch = await claim_due(sessions, clock(), name, 7)
            if not batch:
                return taken
            taken += [r.id for r in batch]

    first, second, third = await asyncio.gather(claimer("a"), claimer("b"), claimer("c"))
    assert not set(first) & set(second) and not set(first) & set(third)
    assert not set(second) & set(third)
    assert len(first) + len(second) + len(third) == 60
    taken = set(first) | set(second) | set(third)
    rows = [r for r in await deliveries(sessions) if r.id in taken]
    # Reserved, not yet leaving: each row carries its claimer's name and is still pending.
    assert {r.claimed_by for r in rows} <= {"a", "b", "c"}
    assert all(r.state == DeliveryState.PENDING for r in rows)


async def test_a_reservation_of_a_dead_process_runs_out_and_is_sent_by_another(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    await register_people(sessions, clock(), [5021, 5022])
    clock.set(local(DEC7, "16:00"))
    async with sessions() as session:
        await sync_reminders(session, clock(), harness.settings.reminder_time, JAKARTA)
    # A process reserved both rows and died before sending either.
    reserved = await claim_due(sessions, clock(), "dead-host:2")
    assert len(reserved) == 2
    clock.advance(minutes=5)
    await run_job(harness)
    assert harness.user(5021).messages() == harness.user(5022).messages() == []

    clock.advance(seconds=harness.settings.stale_claim_seconds)
    await run_job(harness)
    assert len(harness.user(5021).messages()) == len(harness.user(5022).messages()) == 1
    # The dead process's late attempt finds the rows taken over.
    for item in reserved:
        assert not await mark_leaving(sessions, item.id, "dead-host:2", clock())
    ids = {r.id for r in reserved}
    rows = [r for r in await deliveries(sessions) if r.id in ids]
    assert [r.state for r in rows] == [DeliveryState.SENT, DeliveryState.SENT]
    assert [r.attempts for r in rows] == [1, 1]


async def _reminded(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory, users: list[int], **kw: object
) -> None:
    await register_people(sessions, clock(), users, **kw)  # type: ignore[arg-type]
    clock.set(local(DEC7, "16:00"))
    await run_job(harness)


async def test_rsvp_is_recorded_per_day_and_shown_in_the_message(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    await _reminded(harness, clock, sessions, [5012])
    user = harness.user(5012)
    reminder = user.last()

    assert await harness.press(user, reminder, "Ya, saya datang") == []
    assert "Jawaban Anda: Ya, saya datang" in reminder.text
    assert "Selasa, 8 Desember 2026" in reminder.text
    [row] = [r for r in await deliveries(sessions) if r.state == DeliveryState.SENT]
    assert await rsvps(sessions) == {(row.registration_id, row.training_day_id): Rsvp.YES}

    await harness.press(user, reminder, "Tidak bisa datang")
    assert "Jawaban Anda: Tidak bisa datang" in reminder.text
    assert "Batal ikut" not in " ".join(label for label, _ in reminder.buttons())  # 2 days left
    assert await rsvps(sessions) == {(row.registration_id, row.training_day_id): Rsvp.NO}


async def test_forged_or_foreign_rsvp_is_refused(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    await _reminded(harness, clock, sessions, [5013, 5014])
    owner, other = harness.user(5013), harness.user(5014)
    reminder = owner.last()
    data = reminder.callback_for("Ya, saya datang")

    for forged in (data, "rsvp:abc:y", "rsvp:1:maybe", "rsvp:999999:n", "rsvpx:x"):
        other.press_data(reminder, forged)
        await harness.deliver()
    answers = harness.answers()
    assert len(answers) == 5
    assert all(a.get("show_alert") for a in answers)
    assert all("tidak berlaku" in a["text"] for a in answers)
    assert await rsvps(sessions) == {}
    assert "Jawaban" not in reminder.text


async def test_no_for_every_remaining_day_offers_to_cancel(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    await _reminded(harness, clock, sessions, [5015], days=[DayPlan(DEC8, topic="Kain perca")])
    user = harness.user(5015)
    reminder = user.last()
    assert "Pengingat: pelatihan Anda besok" in reminder.text

    await harness.press(user, reminder, "Tidak bisa datang")
    assert "tidak bisa datang untuk setiap hari yang tersisa. Ingin batal ikut" in reminder.text
    clock.set(local(DEC8, "15:01"))  # the day is over: answers no longer change
    await harness.press(user, reminder, "Ya, saya datang")
    assert "sudah lewat" in harness.answers()[-1]["text"], harness.answers()
    assert list((await rsvps(sessions)).values()) == [Rsvp.NO]


async def test_cancel_offered_under_a_reminder_frees_the_seat(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    await _reminded(harness, clock, sessions, [5016], days=[DayPlan(DEC8, topic="Kain perca")])
    user = harness.user(5016)
    reminder = user.last()
    await harness.press(user, reminder, "Tidak bisa datang")
    await harness.press(user, reminder, "Batal ikut")
    assert "Yakin batal ikut" in reminder.text  # the same confirmation step as in /saya
    await harness.press(user, reminder, "Ya, batal ikut")
    async with sessions() as session:
        [status] = (await session.execute(select(Registration.status))).scalars().all()
    assert status == RegistrationStatus.CANCELLED


async def test_reminder_in_english_for_an_english_speaker(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    await register_people(sessions, clock(), [5016])
    async with sessions() as session:
        await session.execute(
            update(Participant).where(Participant.telegram_id == 5016).values(language="en")
        )
        await session.commit()
    clock.set(local(DEC7, "16:00"))
    await run_job(harness)
    reminder = harness.user(5016).last()
    assert "Reminder: tomorrow is day 1 of 3" in reminder.text
    assert "Tuesday, 8 December 2026" in reminder.text
    await harness.press(harness.user(5016), reminder, "I'll come")
    assert "Your answer: Yes, I'll come" in reminder.text


def test_due_time_is_the_day_before_at_reminder_time() -> None:
    due = reminder_due_at(DEC8, datetime.strptime("16:00", "%H:%M").time(), JAKARTA)
    assert due == local(DEC7, "16:00") and due.utcoffset() == timedelta(0)


async def test_a_reminder_whose_day_moved_after_it_was_queued_is_not_sent(
    harness: BotHarness, clock: FakeClock, sessions: SessionFactory
) -> None:
    training, _ = await register_people(sessions, clock(), [5017])
    clock.set(local(DEC7, "16:00"))
    async with sessions() as session:
        await sync_reminders(session, clock(), harness.settings.reminder_time, JAKARTA)
        # Day 1 moves to 20 December between the sync and the send.
        await session.execute(
            update(TrainingDay)
            .where(TrainingDay.training_id == training.id, TrainingDay.day_number == 1)
            .values(date=date(2026, 12, 20), starts_at=local(date(2026, 12, 20), "08:00"))
        )
        await session.commit()
    await run_job(harness)
    assert harness.user(5017).messages() == []
    first = [r for r in await deliveries(sessions) if r.key.endswith(":2026-12-08")]
    assert [r.state for r in first] == [DeliveryState.SKIPPED]
    moved = [r for r in await deliveries(sessions) if r.key.endswith(":2026-12-20")]
    assert [(r.state, r.due_at) for r in moved] == [
        (DeliveryState.PENDING, local(date(2026, 12, 19), "16:00"))
    ]
