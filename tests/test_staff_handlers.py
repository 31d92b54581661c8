"""Staff tools through Telegram: the guard, the training conversation, status changes, lists."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.models import Registration, RegistrationStatus, Training, TrainingStatus
from bot.playground.botapi import FakeUser, SentMessage
from tests.conftest import ADMIN_ID
from tests.harness import BotHarness
from tests.staff_factories import make_participant, populate, register, stored_training

NOT_STAFF = "Perintah ini tidak tersedia."
STAFF_COMMANDS = (
    "/admin",
    "/peserta",
    "/participants",
    "/peserta KP-2026-01",
    "/ekspor",
    "/export KP-2026-01",
    "/hadir",
    "/checkin KP-2026-01",
)
STAFF_CALLBACKS = (
    "adm:list",
    "adm:view:{id}",
    "adm:pub:{id}",
    "adm:close:{id}",
    "adm:cxl:{id}",
    "adm:cxlok:{id}",
    "adm:zzz:1",
    "adm:help",
    "adm:pmenu",
    "adm",
    "ppl:{id}:0",
    "ppl:x",
    "exp:{id}",
    "att:t:{id}:0",
    "att:x:1:1:0",
    "trn:new",
    "trn:edit:{id}",
    "trn:save",
    "trn:skip",
    "trn:fix:code",
    "trn:day:0",
    "trn:dfix:date",
    "trn:quit",
    "trn:savepub",
    "trn:next",
    "trn:same",
    "trn:auto",
    "shr:{id}",
    "shr:x",
    "trn:💥",
)


async def test_non_staff_are_refused_every_staff_command_and_button(harness: BotHarness) -> None:
    training, _ = await populate(harness.sessions)
    user = harness.user(333, "Tono")
    [menu] = await harness.send(user, "/start")
    for command in STAFF_COMMANDS:
        replies = await harness.send(user, command)
        assert [m.text for m in replies] == [NOT_STAFF], command
    for data in STAFF_CALLBACKS:
        before = len(user.messages())
        user.press_data(menu, data.format(id=training.id))
        await harness.deliver()
        assert harness.answers()[-1]["text"] == NOT_STAFF, data
        assert len(user.messages()) == before
    async with harness.sessions() as session:
        stored = await session.get(Training, training.id)
        assert stored is not None and stored.status == TrainingStatus.OPEN
        assert (await session.execute(select(Registration))).scalars().first() is not None


async def test_staff_buttons_that_no_longer_fit_are_stale(harness: BotHarness) -> None:
    staff = harness.user(ADMIN_ID, "Staf")
    [menu] = await harness.send(staff, "/admin")
    for data in ("adm:view:999", "trn:save", "ppl:x", "att:x:1:2", "adm:zzz:1"):
        staff.press_data(menu, data)
        await harness.deliver()
        assert "tidak berlaku" in harness.answers()[-1]["text"], data


async def _say(harness: BotHarness, user: FakeUser, text: str) -> SentMessage:
    replies = await harness.send(user, text)
    assert replies, text
    return replies[-1]


async def _tap(
    harness: BotHarness, user: FakeUser, message: SentMessage, label: str
) -> SentMessage:
    replies = await harness.press(user, message, label)
    return replies[-1] if replies else message


async def test_create_edit_publish_close_and_cancel_a_training(harness: BotHarness) -> None:
    staff = harness.user(ADMIN_ID, "Staf")
    menu = await _say(harness, staff, "/admin")
    assert "Belum ada pelatihan" in menu.text
    ask = await _tap(harness, staff, menu, "Pelatihan baru")
    assert "Kode pelatihan" in ask.text
    for answer in ("BATIK-01", "Membatik <dasar> & warna", "Balai Kota", "25", "8-9 Des"):
        ask = await _say(harness, staff, answer)
    await _say(harness, staff, "08.00-15.00")
    summary = await _tap(harness, staff, staff.last(), "Sama dengan hari 1")
    assert "Membatik <dasar> & warna" in summary.text
    page = await _tap(harness, staff, summary, "Simpan sebagai draf")
    assert "Tersimpan sebagai draf" in page.text
    training, days = await stored_training(harness.sessions)
    assert training.status == TrainingStatus.DRAFT and training.capacity == 25
    assert [d.date for d in days] == [date(2026, 12, 8), date(2026, 12, 9)]
    day_ids = [d.id for d in days]

    summary = await _tap(harness, staff, page, "Ubah")
    day_menu = await _tap(harness, staff, summary, "Hari 1")
    ask = await _tap(harness, staff, day_menu, "Jam")
    assert "Sekarang: 08.00–15.00" in ask.text
    summary = await _say(harness, staff, "09:30-15:00")
    code_ask = await _tap(harness, staff, summary, "Kursi")
    summary = await _say(harness, staff, "40")
    assert code_ask.text != summary.text
    page = await _tap(harness, staff, summary, "Simpan sebagai draf")
    assert "Perubahan tersimpan" in page.text
    _, days = await stored_training(harness.sessions)
    assert [d.id for d in days] == day_ids
    assert days[0].starts_at.hour == 2 and days[0].starts_at.minute == 30  # 09:30 WIB

    kit = await harness.press(staff, page, "Terbitkan")  # the page is edited; the kit follows
    assert "Diterbitkan: pendaftaran dibuka" in page.text and len(kit) == 4
    page = await _tap(harness, staff, page, "Tutup pendaftaran")
    assert "Pendaftaran ditutup" in page.text
    await harness.press(staff, page, "Buka lagi pendaftaran")
    assert "pendaftaran dibuka" in page.text and "Status: Dibuka" in page.text
    ask = await _tap(harness, staff, page, "Batalkan pelatihan")
    assert "Batalkan" in ask.text and "tidak bisa diulang" in ask.text
    page = await _tap(harness, staff, ask, "Ya, batalkan")
    assert "Pelatihan dibatalkan" in page.text
    async with harness.sessions() as session:
        training = (await session.execute(select(Training))).scalar_one()
    assert training.status == TrainingStatus.CANCELLED


async def test_leaving_the_conversation(harness: BotHarness) -> None:
    staff = harness.user(ADMIN_ID, "Staf")
    menu = await _say(harness, staff, "/admin")
    await _tap(harness, staff, menu, "Pelatihan baru")
    assert "Tidak disimpan" in (await _say(harness, staff, "/batal")).text
    assert "tidak berlaku" not in staff.last().text
    async with harness.sessions() as session:
        assert (await session.execute(select(Training))).first() is None


async def test_cancelling_a_training_cancels_its_registrations(harness: BotHarness) -> None:
    _training, _registrations = await populate(harness.sessions, confirmed=2, waiting=1)
    staff = harness.user(ADMIN_ID, "Staf")
    menu = await _say(harness, staff, "/admin")
    assert "KP-2026-01" in menu.text and "2/2 peserta, 1 di daftar tunggu" in menu.text
    page = await _tap(harness, staff, menu, "KP-2026-01")
    ask = await _tap(harness, staff, page, "Batalkan pelatihan")
    assert "3 pendaftaran aktif" in ask.text
    page = await _tap(harness, staff, ask, "Ya, batalkan")
    assert "3 pendaftaran dibatalkan" in page.text
    async with harness.sessions() as session:
        rows = (await session.execute(select(Registration))).scalars().all()
    assert {r.status for r in rows} == {RegistrationStatus.CANCELLED}


async def test_participants_counts_and_pages(harness: BotHarness) -> None:
    training, _ = await populate(harness.sessions, confirmed=21, waiting=2, cancelled=1)
    async with harness.sessions() as session:
        person = await make_participant(session, 777, "<b>Budi</b> & Co", business="Kue & Roti")
        await register(session, person, training, RegistrationStatus.WAITLISTED)
    staff = harness.user(ADMIN_ID, "Staf")
    listing = await _say(harness, staff, "/peserta KP-2026-01")
    assert "Terdaftar: 21/21 · Daftar tunggu: 3 · Batal: 1" in listing.text
    assert "Hari 1 (Sel, 8 Des 2026): 👍 0 / 👎 0 · ✅ 0" in listing.text
    assert "hal. 1/2" in listing.text and "1. Peserta 001" in listing.text
    assert "21. " not in listing.text
    await harness.press(staff, listing, "Berikutnya")
    assert "hal. 2/2" in listing.text and "21. Peserta 021" in listing.text
    assert "<b>Budi</b> & Co" in listing.text and "daftar tunggu nomor 3" in listing.text
    assert len(listing.text) < 4096
    await harness.press(staff, listing, "Sebelumnya")
    assert "hal. 1/2" in listing.text

    chooser = await _say(harness, staff, "/participants")
    assert "Pilih pelatihan" in chooser.text
    shown = await _tap(harness, staff, chooser, "KP-2026-01")
    assert "Daftar peserta" in shown.text
    assert "tidak ditemukan" in (await _say(harness, staff, "/peserta NOPE")).text
