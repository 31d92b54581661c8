"""/hapusdata and "Data saya": confirmation, what is erased and kept, what is shown."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.models import (
    BotState,
    Certificate,
    Participant,
    Registration,
    RegistrationStatus,
    SurveyResponse,
)
from bot.services.helpdesk import Asker, ask_staff
from tests.factories import make_participant, make_registration, make_training
from tests.harness import BotHarness

CONFIRMED = RegistrationStatus.CONFIRMED
WAITING = RegistrationStatus.WAITLISTED
QUEUED = datetime(2026, 11, 20, tzinfo=UTC)


async def _participant(harness: BotHarness, telegram_id: int) -> Participant:
    async with harness.sessions() as s:
        row = await s.scalar(select(Participant).where(Participant.telegram_id == telegram_id))
        assert row is not None
        return row


async def test_erase_asks_first_and_keeps_data_on_no(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        await make_participant(s, 401, full_name="Siti Aminah")
    user = harness.user(401)
    [ask] = await harness.send(user, "/hapusdata")
    assert "Yang akan dihapus: nama, nomor HP" in ask.text
    assert ask.styles() == {"Ya, hapus data saya": "danger", "Tidak jadi": None}  # red for erasing
    assert "tanpa nama" in ask.text
    [hint] = await harness.send(user, "hapus saja")
    assert "pilih dengan tombol" in hint.text
    user.send_photo()
    await harness.deliver()
    assert "pilih dengan tombol" in user.last().text
    await harness.press(user, ask, "Tidak jadi")
    assert ask.text == "Baik, data Anda tidak dihapus."
    assert (await _participant(harness, 401)).full_name == "Siti Aminah"
    [again] = await harness.send(user, "/hapusdata")
    [left] = await harness.send(user, "/batal")
    assert "tidak dihapus" in left.text
    assert (await _participant(harness, 401)).full_name == "Siti Aminah"
    assert again.buttons()


async def test_erase_clears_the_profile_cancels_and_promotes(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        training = await make_training(s, capacity=1, title="Batik <Tulis>")
        me = await make_participant(s, 410, full_name="Siti Aminah", phone="+6281234567890")
        mine = await make_registration(s, me, training, CONFIRMED)
        waiting = await make_registration(
            s, await make_participant(s, 411), training, WAITING, QUEUED
        )
    user = harness.user(410)
    await harness.send(user, "/start")
    harness.app.user_data[410]["draft_name"] = "Siti Aminah"  # left over from a conversation
    [ask] = await harness.send(user, "/hapusdata")
    await harness.press(user, ask, "Ya, hapus")
    assert "Data pribadi Anda sudah dihapus" in ask.text
    assert "Pendaftaran yang dibatalkan: Batik <Tulis>" in ask.text
    row = await _participant(harness, 410)
    assert (row.full_name, row.phone, row.business_name, row.sector, row.district) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert row.consent_at is None and row.erased_at is not None
    async with harness.sessions() as s:
        statuses = {r.id: r.status for r in await s.scalars(select(Registration))}
    assert statuses == {mine.id: RegistrationStatus.CANCELLED, waiting.id: CONFIRMED}
    assert "Kursi tersedia!" in harness.user(411).last().text
    await harness.app.update_persistence()
    async with harness.sessions() as s:
        stored = await s.scalar(
            select(BotState).where(BotState.kind == "user_data", BotState.key == "410")
        )
    assert stored is None or "Siti" not in str(stored.value)
    # The user still gets answers in their language; the data view shows the erasure.
    [view] = await harness.send(user, "/datasaya")
    assert "Nama: (kosong)" in view.text
    assert "Data pribadi dihapus:" in view.text


async def test_erase_in_english_and_for_an_unknown_user(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        await make_participant(s, 420, language="en")
    user = harness.user(420)
    [ask] = await harness.send(user, "/deletedata")
    assert "What will be deleted" in ask.text
    await harness.press(user, ask, "Yes, delete")
    assert ask.text.startswith("Your personal data has been deleted.")
    stranger = harness.user(421)
    [ask] = await harness.send(stranger, "/hapusdata")
    await harness.press(stranger, ask, "Ya, hapus")
    assert "tidak menyimpan data pribadi" in ask.text


async def test_a_yes_without_the_question_asks_it_first(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        await make_participant(s, 430, full_name="Siti Aminah")
    user = harness.user(430)
    [menu] = await harness.send(user, "/start")
    # Callback data of the confirmation, forged on another message: no erasing yet.
    user.press_data(menu, "erase:yes")
    await harness.deliver()
    ask = user.last()
    assert (await _participant(harness, 430)).full_name == "Siti Aminah"
    assert "Yang akan dihapus: nama, nomor HP" in ask.text and ask.buttons()
    # Still the question's step: something else gets the hint, the button then erases.
    [hint] = await harness.send(user, "hapus saja")
    assert "pilih dengan tombol" in hint.text
    await harness.press(user, ask, "Ya, hapus")
    assert "Data pribadi Anda sudah dihapus" in ask.text
    assert (await _participant(harness, 430)).full_name is None


async def test_a_yes_long_after_the_question_asks_again(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        await make_participant(s, 431, full_name="Siti Aminah")
    user = harness.user(431)
    [ask] = await harness.send(user, "/hapusdata")
    await harness.restart()  # the question survives a restart...
    harness.clock.advance(minutes=harness.settings.conversation_timeout_minutes + 1)
    [again] = await harness.press(user, ask, "Ya, hapus")  # ...but not its timeout
    assert "Yang akan dihapus" in again.text
    assert (await _participant(harness, 431)).full_name == "Siti Aminah"
    await harness.press(user, again, "Ya, hapus")
    assert (await _participant(harness, 431)).full_name is None


async def test_erase_buttons_reject_garbage(harness: BotHarness) -> None:
    user = harness.user(425)
    [ask] = await harness.send(user, "/hapusdata")
    for data in ("erase:maybe", "erase", "erase:yes:1"):
        user.press_data(ask, data)
        await harness.deliver()
        assert "tidak berlaku" in harness.answers()[-1]["text"]


async def test_my_data_shows_everything_escaped(harness: BotHarness) -> None:
    async with harness.sessions() as s:
        training = await make_training(s, code="KP-2026-01", title="Kain <Perca>")
        me = await make_participant(
            s, 430, full_name="Budi & <Sons>", business_name="Warung <b>Bu Sri</b>"
        )
        await make_registration(s, me, training, CONFIRMED)
    user = harness.user(430)
    [view] = await harness.send(user, "/datasaya")
    assert "Nama: Budi & <Sons>" in view.text
    assert "Nama usaha: Warung <b>Bu Sri</b>" in view.text
    assert "Nomor HP: 0812-0000-430" in view.text  # as people write it, not +62
    assert "Kecamatan: Klojen" in view.text
    assert "ID Telegram: 430" in view.text
    assert "Kain <Perca> (KP-2026-01) (8–10 Desember 2026): terdaftar" in view.text
    assert "&lt;b&gt;Bu Sri&lt;/b&gt;" in view.html
    assert "/hapusdata" in view.text


async def test_my_data_from_the_help_and_the_list(harness: BotHarness) -> None:
    user = harness.user(440)
    [none] = await harness.send(user, "/mydata")
    assert "belum menyimpan data" in none.text
    await harness.send(user, "/start")
    [help_text] = await harness.send(user, "/bantuan")
    assert "/datasaya" in help_text.text
    [view] = await harness.press(user, help_text, "Data saya")
    assert "ID Telegram: 440" in view.text
    replies = await harness.send(user, "/saya")
    [again] = await harness.press(user, replies[-1], "Data saya")
    assert "ID Telegram: 440" in again.text


async def test_my_data_shows_messages_survey_certificates_and_colleagues(
    harness: BotHarness,
) -> None:
    now = harness.clock()
    async with harness.sessions() as s:
        training = await make_training(s, code="KP-2026-01", title="Kain Perca")
        me = await make_participant(s, 440, full_name="Siti Aminah")
        mine = await make_registration(s, me, training, CONFIRMED)
        s.add(Participant(
            registered_by_id=me.id, full_name="Rina <Rekan>", language="id", created_at=now,
            updated_at=now,
        ))  # fmt: skip
        s.add(SurveyResponse(
            registration_id=mine.id, training_id=training.id, overall=5, helped="Cara <hitung> HPP",
            started_at=now, finished_at=now, updated_at=now,
        ))  # fmt: skip
        s.add(Certificate(
            registration_id=mine.id, training_id=training.id, seq=1, number="KP-2026-01/0001",
            verify_code="ABCDEF123456", name="Siti A. <Sertifikat>", business="Warung <Siti>",
            issued_at=now, updated_at=now,
        ))  # fmt: skip
        await s.commit()
        asker = Asker(440, 440, "Siti Tg", "siti_tg", "id")
        await ask_staff(s, asker, "Jam berapa <mulai>?", -100123, now)
    user = harness.user(440)
    [view] = await harness.send(user, "/datasaya")
    for shown in (
        "Pesan ke petugas",
        "Jam berapa <mulai>?",
        "Nama Telegram: Siti Tg (@siti_tg)",
        "Jawaban survei",
        "Kain Perca (KP-2026-01): Cara <hitung> HPP",
        "Nama di sertifikat",
        "Kain Perca (KP-2026-01): Siti A. <Sertifikat> · Warung <Siti>",
        "Rekan yang Anda daftarkan",
        "Rina <Rekan>",
    ):
        assert shown in view.text, shown
    assert "&lt;mulai&gt;" in view.html and "&lt;Rekan&gt;" in view.html
