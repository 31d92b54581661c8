"""Months after the training (FOLLOW_UP_DAYS): each attendee gets one follow-up per round
through the outbox, across restarts, and nobody absent does; it is answered by buttons (a typed
number of workers, an optional photo) and resumed after a restart; one reminder when left
unfinished, then nothing; staff see how many answered; erasure deletes the answers."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from bot.models import FollowUpResponse, Registration, TrainingDay
from bot.services import business_follow_up
from bot.services.privacy import erase_participant
from bot.services.retention import purge_expired
from bot.settings import Settings
from jobs.after_training import queue_follow_ups
from tests.after_factories import finished_training, telegram_id_of
from tests.conftest import ADMIN_ID
from tests.harness import BotHarness

ROUNDS = (90, 180)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Follow-ups on, as by default outside the tests."""
    return replace(settings, follow_up_days=ROUNDS)


async def _run_job(harness: BotHarness) -> None:
    """One tick of the after-training job, as the job queue runs it, and the woken sender."""
    await queue_follow_ups(SimpleNamespace(application=harness.app))  # type: ignore[arg-type]
    await harness.run_woken_sender()


async def _last_day_end(harness: BotHarness, registration: Registration) -> datetime:
    async with harness.sessions() as session:
        end = await session.scalar(
            select(func.max(TrainingDay.ends_at)).where(
                TrainingDay.training_id == registration.training_id
            )
        )
    assert end is not None
    return end


def _count(harness: BotHarness, telegram_id: int, text: str) -> int:
    return sum(text in m.text for m in harness.tg.sent_to(telegram_id))


async def _responses(harness: BotHarness) -> list[FollowUpResponse]:
    async with harness.sessions() as session:
        return list(
            await session.scalars(
                select(FollowUpResponse).order_by(
                    FollowUpResponse.registration_id, FollowUpResponse.round
                )
            )
        )


async def test_one_follow_up_per_attendee_and_round_across_restarts(harness: BotHarness) -> None:
    # Siti came every day, Budi on the last one, Wayan never.
    _, regs = await finished_training(
        harness.sessions, ["Siti", "Budi", "Wayan"], [[1, 2, 3], [3], []]
    )
    ids = [await telegram_id_of(harness.sessions, r) for r in regs]
    end = await _last_day_end(harness, regs[0])
    harness.clock.set(end + timedelta(days=89))  # a day too soon
    await _run_job(harness)
    assert [_count(harness, i, "Sudah 90 hari") for i in ids] == [0, 0, 0]
    # Queued by a process that died before sending: nothing is lost after a restart...
    harness.clock.set(end + timedelta(days=90, hours=1))
    async with harness.sessions() as session:
        assert await business_follow_up.queue_follow_ups(session, harness.clock(), ROUNDS) == 2
    await harness.restart()
    harness.clock.advance(hours=2)  # past every lease
    await _run_job(harness)
    assert [_count(harness, i, "Sudah 90 hari") for i in ids] == [1, 1, 0]
    # ...and nothing is sent twice: more ticks, other restarts, days later.
    for _ in range(2):
        harness.clock.advance(days=1)
        await harness.restart()
        await _run_job(harness)
    assert [_count(harness, i, "Sudah 90 hari") for i in ids] == [1, 1, 0]
    # The second round, once too.
    harness.clock.set(end + timedelta(days=180, hours=1))
    await _run_job(harness)
    await harness.restart()
    await _run_job(harness)
    assert [_count(harness, i, "Sudah 180 hari") for i in ids] == [1, 1, 0]
    rows = [(r.registration_id, r.round) for r in await _responses(harness)]
    assert rows == [(regs[0].id, 90), (regs[0].id, 180), (regs[1].id, 90), (regs[1].id, 180)]


async def test_answering_with_a_restart_in_the_middle_and_staff_see_the_count(
    harness: BotHarness,
) -> None:
    _, regs = await finished_training(harness.sessions, ["Siti", "Budi"], [[1, 2, 3], [1]])
    siti = harness.user(await telegram_id_of(harness.sessions, regs[0]), "Siti")
    harness.clock.set(await _last_day_end(harness, regs[0]) + timedelta(days=90, hours=1))
    await _run_job(harness)
    follow_up = next(m for m in siti.messages() if "Sudah 90 hari" in m.text)
    assert "masih berjalan" in follow_up.text
    await harness.press(siti, follow_up, "Ya")
    assert "omzet per bulan" in follow_up.text
    old_button = follow_up.callback_for("< Rp 5 juta")
    await harness.press(siti, follow_up, "Rp 15–50 juta")
    assert "termasuk pemilik" in follow_up.text
    await harness.restart()  # between the question and the typed answer
    [hint] = await harness.send(siti, "empat")
    assert "Mohon ketik angka saja" in hint.text
    [applied] = await harness.send(siti, "4")
    assert "ilmu dari pelatihan" in applied.text
    # An old button (a question already answered) changes nothing.
    siti.press_data(follow_up, old_button)
    await harness.deliver()
    await harness.press(siti, applied, "Sebagian")
    assert "produk baru" in applied.text
    await harness.press(siti, applied, "Ya")
    assert "satu foto" in applied.text
    [again] = await harness.send(siti, "ini fotonya")
    assert "kirim foto" in again.text
    siti.send_photo()
    await harness.deliver()
    mentoring = siti.last()
    assert "pendampingan" in mentoring.text
    await harness.press(siti, mentoring, "Ya")
    assert "Terima kasih" in mentoring.text
    [response, _] = await _responses(harness)
    assert (response.running, response.sales_band, response.workers) == (True, "15_50", 4)
    assert (response.applied, response.new_product, response.photo_file_id) == (
        "partly", True, "pho1",
    )  # fmt: skip
    assert response.mentoring is True and response.finished_at is not None
    # Staff read it on the training's feedback page: one of the two answered.
    staff = harness.user(ADMIN_ID, "Staf")
    [menu] = await harness.send(staff, "/admin")
    await harness.press(staff, menu, "KP-2026-01")
    await harness.press(staff, menu, "Dokumen")
    [summary] = await harness.press(staff, menu, "Ringkasan umpan balik")
    assert "Tindak lanjut 90 hari: 1 dari 2 menjawab" in summary.text


async def test_an_unanswered_follow_up_gets_one_reminder_then_nothing(harness: BotHarness) -> None:
    _, regs = await finished_training(harness.sessions, ["Siti", "Budi"], [[1], [2]])
    siti = harness.user(await telegram_id_of(harness.sessions, regs[0]), "Siti")
    budi = harness.user(await telegram_id_of(harness.sessions, regs[1]), "Budi")
    harness.clock.set(await _last_day_end(harness, regs[0]) + timedelta(days=90, hours=1))
    await _run_job(harness)
    await harness.press(siti, siti.last(), "Ya")  # Siti begins, Budi does not
    harness.clock.advance(days=4)
    await _run_job(harness)
    assert _count(harness, budi.id, "Pengingat") == 0
    harness.clock.advance(days=2)
    await _run_job(harness)
    [reminder] = [m for m in budi.messages() if "Pengingat" in m.text]
    assert "masih berjalan" in reminder.text  # where he is: the first question
    [siti_reminder] = [m for m in siti.messages() if "Pengingat" in m.text]
    assert "omzet per bulan" in siti_reminder.text  # where she left off
    for _ in range(3):
        harness.clock.advance(days=10)
        await harness.restart()
        await _run_job(harness)
    assert _count(harness, budi.id, "Pengingat") == 1 and _count(harness, siti.id, "Pengingat") == 1


async def test_erasure_deletes_the_follow_up_answers(harness: BotHarness) -> None:
    _, regs = await finished_training(harness.sessions, ["Siti", "Budi"], [[1], [2]])
    siti = harness.user(await telegram_id_of(harness.sessions, regs[0]), "Siti")
    harness.clock.set(await _last_day_end(harness, regs[0]) + timedelta(days=90, hours=1))
    await _run_job(harness)
    await harness.press(siti, siti.last(), "Ya")
    [shown] = await harness.send(siti, "/datasaya")  # what is stored is shown first
    assert "tindak lanjut 90 hari: omzet –, pekerja –" in shown.text
    async with harness.sessions() as session:
        await erase_participant(session, siti.id, harness.clock())
    assert [r.registration_id for r in await _responses(harness)] == [regs[1].id]
    # Nothing is asked of an erased person again, nor reminded.
    harness.clock.advance(days=6)
    await _run_job(harness)
    assert _count(harness, siti.id, "Pengingat") == 0


async def test_retention_deletes_the_follow_ups_of_long_finished_trainings(
    harness: BotHarness,
) -> None:
    long_ago = harness.clock() - timedelta(days=1000)
    days = tuple((long_ago + timedelta(days=n)).date() for n in range(3))
    _, regs = await finished_training(harness.sessions, ["Siti"], [[1]], days=days, now=long_ago)
    end = await _last_day_end(harness, regs[0])
    async with harness.sessions() as session:
        assert await business_follow_up.queue_follow_ups(session, end + timedelta(days=91), ROUNDS)
    assert len(await _responses(harness)) == 1
    async with harness.sessions() as session:
        result = await purge_expired(session, harness.clock(), timedelta(days=730))
    assert result.purged == 1 and await _responses(harness) == []
