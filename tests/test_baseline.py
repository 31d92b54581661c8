"""The business baseline asked at registration when follow-ups are on (FOLLOW_UP_DAYS): sales
as a band, workers typed (a hint for a word), selling online; kept dated with the person, not
asked again while recent, asked again once it is old; erased with the person's data."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db import SessionFactory
from bot.models import BusinessBaseline, Participant, RegistrationStatus
from bot.playground.botapi import FakeUser, SentMessage
from bot.services.baseline import Baseline, keep_baseline
from bot.services.retention import purge_expired
from bot.settings import Settings
from tests.factories import make_participant, make_registration, make_training
from tests.harness import BotHarness, FakeClock
from tests.test_registration_handlers import go_to_name
from tests.test_retention import LONG_AGO, OLD_DAYS, RECENT_DAYS, RETENTION
from tests.training_files import KP_FILE, add_training, one_training


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Follow-ups on, as by default outside the tests."""
    return replace(settings, follow_up_days=(90, 180))


async def _baselines(harness: BotHarness, telegram_id: int) -> list[BusinessBaseline]:
    async with harness.sessions() as session:
        return list(
            await session.scalars(
                select(BusinessBaseline)
                .join(Participant, Participant.id == BusinessBaseline.participant_id)
                .where(Participant.telegram_id == telegram_id)
                .order_by(BusinessBaseline.id)
            )
        )


async def _to_district(harness: BotHarness, user: FakeUser) -> SentMessage:
    """From the name question to the district's buttons (tapped): the message that asked."""
    await harness.send(user, "Siti Aminah")
    user.share_contact("6281234567890")
    await harness.deliver()
    [sector_q] = await harness.send(user, "Warung Bu Siti")
    await harness.press(user, sector_q, "Kuliner")
    await harness.press(user, sector_q, "Klojen")
    return sector_q


async def _answer_baseline(harness: BotHarness, user: FakeUser, sales_q: SentMessage) -> None:
    """Sales by button, a word for the workers (a hint, the question again), then 3, online;
    then the registration is confirmed."""
    assert "omzet (penjualan) per bulan" in sales_q.text
    assert [label for label, _ in sales_q.buttons()] == [
        "< Rp 5 juta", "Rp 5–15 juta", "Rp 15–50 juta", "Rp 50–100 juta", "> Rp 100 juta",
    ]  # fmt: skip
    assert await harness.press(user, sales_q, "Rp 5–15 juta") == []
    assert "termasuk pemilik" in sales_q.text and sales_q.buttons() == []
    hint, again = await harness.send(user, "tiga orang")
    assert "Mohon ketik angka saja" in hint.text and "termasuk pemilik" in again.text
    [online_q] = await harness.send(user, "3")
    assert "berjualan online" in online_q.text
    await harness.press(user, online_q, "Ya")
    assert "Periksa data" in online_q.text
    assert "Omzet per bulan: Rp 5–15 juta" in online_q.text and "Pekerja: 3" in online_q.text
    assert "Jualan online: Ya" in online_q.text
    await harness.press(user, online_q, "Konfirmasi")
    assert "Pendaftaran berhasil" in online_q.text or "terdaftar!" in online_q.text


async def _registered(harness: BotHarness, telegram_id: int) -> FakeUser:
    """A new participant registered for KP-2026-01, the baseline answered."""
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(telegram_id, "Siti")
    await go_to_name(harness, user)
    await _answer_baseline(harness, user, await _to_district(harness, user))
    return user


async def test_registration_asks_the_baseline_and_keeps_it_dated(
    harness: BotHarness, clock: FakeClock
) -> None:
    user = await _registered(harness, 301)
    # The consent named the business questions and why (the training's message, kept above).
    [consent] = [old for old in user.messages()[0].history if "Apakah Anda setuju?" in old]
    assert "kisaran omzet per bulan" in consent and "bukan angka pasti" in consent
    [baseline] = await _baselines(harness, 301)
    assert (baseline.sales_band, baseline.workers, baseline.sells_online) == ("5_15", 3, True)
    assert baseline.asked_at == clock()


async def test_a_recent_baseline_is_not_asked_again_an_old_one_is(
    harness: BotHarness, clock: FakeClock
) -> None:
    user = await _registered(harness, 302)
    # A week later, another training: the returning participant goes straight to the summary.
    clock.advance(days=7)
    second = one_training("KP-2026-02", day=f"{(clock() + timedelta(days=10)).date()}", closes=None)
    await add_training(harness.sessions, second, clock())
    [listing] = await harness.send(user, "/daftar")
    await harness.press(user, listing, "KP-2026-02" if "KP-2026-02" in listing.text else "sisa")
    assert "Periksa data" in listing.text and "Omzet per bulan" not in listing.text
    await harness.press(user, listing, "Konfirmasi")
    assert len(await _baselines(harness, 302)) == 1
    # Half a year on, the baseline is old: the next registration asks it again, first.
    clock.advance(days=181)
    later = one_training("KP-2027-01", day=f"{(clock() + timedelta(days=10)).date()}", closes=None)
    await add_training(harness.sessions, later, clock())
    [listing] = await harness.send(user, "/daftar")
    await harness.press(user, listing, "sisa")
    await _answer_baseline(harness, user, listing)
    first, second_baseline = await _baselines(harness, 302)
    assert second_baseline.asked_at - first.asked_at == timedelta(days=188)


async def test_hapusdata_erases_the_baseline(harness: BotHarness) -> None:
    user = await _registered(harness, 303)
    assert len(await _baselines(harness, 303)) == 1
    [shown] = await harness.send(user, "/datasaya")  # what is stored is shown first
    assert "Tentang usaha Anda" in shown.text
    assert "Saat mendaftar, " in shown.text and "omzet Rp 5–15 juta, pekerja 3" in shown.text
    [ask] = await harness.send(user, "/hapusdata")
    await harness.press(user, ask, "Ya, hapus")
    assert "Data pribadi Anda sudah dihapus" in ask.text
    assert await _baselines(harness, 303) == []


async def test_retention_erases_the_baselines_of_long_finished_trainings(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    async with sessions() as s:
        old = await make_training(s, days=OLD_DAYS, now=LONG_AGO)
        recent = await make_training(s, days=RECENT_DAYS, now=LONG_AGO)
        for telegram_id, training in ((1, old), (2, recent)):
            person = await make_participant(s, telegram_id, now=LONG_AGO)
            await make_registration(s, person, training, RegistrationStatus.CONFIRMED, LONG_AGO)
            keep_baseline(s, person.id, Baseline("lt5", 1, False), LONG_AGO)
        await s.commit()
    async with sessions() as s:
        assert (await purge_expired(s, clock(), RETENTION)).telegram_ids == (1,)
    async with sessions() as s:
        left = await s.scalars(
            select(Participant.telegram_id).join(
                BusinessBaseline, BusinessBaseline.participant_id == Participant.id
            )
        )
        assert list(left) == [2]


async def test_a_colleague_s_baseline_is_asked_and_kept_as_theirs(harness: BotHarness) -> None:
    user = await _registered(harness, 304)
    [consent] = await harness.press(user, user.last(), "Daftarkan rekan")
    assert "kisaran omzet per bulan" in consent.text  # named on the colleague's behalf too
    await harness.press(user, consent, "setuju")
    await harness.send(user, "Rina Wati")
    [business_q] = await harness.send(user, "0813-1111-2222")
    await harness.press(user, business_q, "Warung Bu Siti")
    await harness.press(user, business_q, "Kuliner")
    await harness.press(user, business_q, "Klojen")
    await _answer_baseline(harness, user, business_q)
    async with harness.sessions() as session:
        rows = await session.execute(
            select(Participant.full_name, BusinessBaseline.workers)
            .join(Participant, Participant.id == BusinessBaseline.participant_id)
            .order_by(BusinessBaseline.id)
        )
        assert [tuple(row) for row in rows.all()] == [("Siti Aminah", 3), ("Rina Wati", 3)]
