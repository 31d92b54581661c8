"""The registration conversation as a participant lives it, step by step, with bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.models import BotState, Participant, Registration, RegistrationStatus
from bot.playground.botapi import FakeUser, SentMessage
from jobs.reminders import WAKE_JOB_NAME
from tests.harness import BotHarness
from tests.training_files import KP_FILE, add_training, one_training

# What a message typed outside every step gets when no staff group is set (the helpdesk).
OUTSIDE_A_STEP = "tidak bisa diteruskan ke petugas"


async def _registrations(harness: BotHarness) -> list[Registration]:
    async with harness.sessions() as session:
        return list((await session.execute(select(Registration))).scalars())


async def _participant(harness: BotHarness, telegram_id: int) -> Participant | None:
    async with harness.sessions() as session:
        return (
            await session.execute(select(Participant).where(Participant.telegram_id == telegram_id))
        ).scalar_one_or_none()


async def _press(harness: BotHarness, user: FakeUser, message: SentMessage, label: str) -> None:
    await harness.press(user, message, label)


async def go_to_name(
    harness: BotHarness,
    user: FakeUser,
    training: str = "Kain Perca",
    closes: str = "Minggu, 6 Desember 2026 pukul 23.59 WIB",
) -> None:
    """/daftar → training → consent; the bot now asks for the name. The list becomes the
    training's details (registration open until `closes`) with the consent question, then the
    name question: no new message."""
    [listing] = await harness.send(user, "/daftar")
    assert "Pelatihan yang dibuka" in listing.text
    assert await harness.press(user, listing, training) == []
    assert "Hotel Sahid" in listing.text
    assert f"Pendaftaran dibuka sampai {closes}" in listing.text
    assert "Data pribadi Anda: apakah Anda setuju?" in listing.text and "/hapusdata" in listing.text
    assert listing.styles() == {"✅ Saya setuju": "success", "Tidak setuju, berhenti": None}
    assert await harness.press(user, listing, "setuju") == []
    assert "Anda menyetujui" in listing.text and "nama lengkap" in listing.text
    assert "Hotel Sahid" in listing.text and listing.buttons() == []


async def fill_profile(
    harness: BotHarness, user: FakeUser, name: str = "Siti Aminah"
) -> SentMessage:
    """From the name question to the summary; returns the summary message."""
    [phone_q] = await harness.send(user, name)
    assert "nomor HP" in phone_q.text
    assert phone_q.keyboard()[0]["request_contact"] is True
    assert "Bagikan nomor saya" in phone_q.keyboard()[0]["text"]
    before = len(user.messages())
    user.share_contact("6281234567890")
    await harness.deliver()
    # The business question says the number was saved and takes the share keyboard away.
    [business_q] = user.messages()[before:]
    assert "0812-3456-7890" in business_q.text and "nama usaha" in business_q.text
    assert business_q.reply_markup == {"remove_keyboard": True}
    [sector_q] = await harness.send(user, "Warung Bu Siti")
    assert "bidang usaha" in sector_q.text
    await harness.press(user, sector_q, "Kuliner")
    assert "kecamatan" in sector_q.text
    await harness.press(user, sector_q, "Klojen")
    assert "Periksa data" in sector_q.text
    return sector_q


def confirm_label(summary: SentMessage) -> str:
    """The summary's confirm button: a full training's says it leads to the waiting list."""
    return "Masuk daftar tunggu" if "Kursi sudah penuh" in summary.text else "Konfirmasi"


async def test_a_new_participant_registers_step_by_step(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(201, "Siti")
    await go_to_name(harness, user)
    summary = await fill_profile(harness, user)
    assert "Siti Aminah" in summary.text and "Kuliner" in summary.text
    assert "Selasa, 8 Desember 2026, 08.00–15.00 WIB" in summary.text
    styles = summary.styles()  # the main action is green; fixing a field keeps the app's colour
    assert styles["✅ Konfirmasi"] == "success" and styles["✏️ Nama"] is None
    await harness.press(user, summary, "Konfirmasi")
    assert "Pendaftaran berhasil" in summary.text and "/saya" in summary.text
    assert "Sehari sebelum setiap hari pelatihan, kami kirim pengingat" in summary.text
    assert [label for label, _ in summary.buttons()] == [
        "📅 Simpan ke kalender", "➕ Daftarkan rekan", "📋 Pelatihan saya", "📝 Pelatihan lain",
        "🏠 Menu",
    ]  # fmt: skip
    [registration] = await _registrations(harness)
    assert registration.status == RegistrationStatus.CONFIRMED
    participant = await _participant(harness, 201)
    assert participant is not None and participant.has_profile
    assert participant.sector == "kuliner" and participant.district == "Klojen"


async def test_the_list_shows_dates_venue_and_seats(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(202)
    [listing] = await harness.send(user, "/pelatihan")
    assert "Selasa, 8 Desember 2026 – Kamis, 10 Desember 2026" in listing.text
    assert "Hotel Sahid Montana Dua" in listing.text and "Sisa kursi: 30" in listing.text
    [(label, data)] = listing.buttons()
    assert label == "Kain Perca dan Melukis… · 8 Des · sisa 30"
    assert data is not None and data.startswith("reg:training:")
    # The button of /pelatihan starts the registration.
    await harness.press(user, listing, "Kain Perca")
    assert "Data pribadi Anda" in listing.text
    english = harness.user(203, language_code="en")
    await harness.send(english, "/language")
    await harness.press(english, english.last(), "English")
    [listing] = await harness.send(english, "/trainings")
    assert "Tuesday, 8 December 2026" in listing.text and "Seats left: 30" in listing.text
    assert listing.buttons()[0][0] == "Kain Perca dan Melukis… · 8 Dec · 30 left"


async def test_no_open_training_gets_a_friendly_message(harness: BotHarness) -> None:
    user = harness.user(204)
    [reply] = await harness.send(user, "/pelatihan")
    assert "belum ada pelatihan" in reply.text
    [reply] = await harness.send(user, "/daftar")
    assert "belum ada pelatihan" in reply.text
    [reply] = await harness.send(user, "Siti")  # no conversation is waiting for this
    assert OUTSIDE_A_STEP in reply.text


async def test_menu_button_and_deep_link_open_registration(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(205)
    [menu] = await harness.send(user, "/start")
    [listing] = await harness.press(user, menu, "Ikut pelatihan")
    assert "Pelatihan yang dibuka" in listing.text
    other = harness.user(206)
    [details] = await harness.send(other, "/start KP-2026-01")
    assert "Pelatihan Kain Perca" in details.text and "Data pribadi Anda" in details.text
    replies = await harness.send(other, "/start NOPE-1")
    assert "NOPE-1" in replies[0].text and "tidak ditemukan" in replies[0].text
    assert "Pelatihan yang dibuka" in replies[1].text
    replies = await harness.send(other, "/start <b>&x")
    assert "&lt;b&gt;&amp;x" in replies[0].html


async def test_returning_participant_registers_in_two_taps(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    await add_training(harness.sessions, one_training("KP-2026-02", day="2026-12-20", closes=None))
    user = harness.user(207)
    await go_to_name(harness, user)
    summary = await fill_profile(harness, user)
    await harness.press(user, summary, "Konfirmasi")
    [listing] = await harness.send(user, "/daftar")
    assert listing.buttons()[0][0] == "✅ Kain Perca dan Melukis… · 8 Des"  # already held
    before = len(user.messages())
    await harness.press(user, listing, "20 Des")  # tap 1: the training
    assert "Periksa data" in listing.text and "Siti Aminah" in listing.text
    # The dates and times of the training before confirming.
    assert "Hari 1</b>: Minggu, 20 Desember 2026, 08.00–15.00 WIB" in listing.html
    await harness.press(user, listing, "Konfirmasi")  # tap 2
    assert "Pendaftaran berhasil" in listing.text
    assert len(user.messages()) == before
    assert len(await _registrations(harness)) == 2


async def test_fixing_one_field_returns_to_the_summary(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(208)
    await go_to_name(harness, user)
    summary = await fill_profile(harness, user)
    [question] = await harness.press(user, summary, "✏️ Nama")
    assert "nama lengkap" in question.text
    [again] = await harness.send(user, "Siti Rahayu")
    assert "Periksa data" in again.text and "Siti Rahayu" in again.text
    [phone_q] = await harness.press(user, again, "Nomor HP")
    # Fixing the phone from the summary: the saved number (taking the keyboard away), then
    # the summary with its buttons.
    replies = await harness.send(user, "0812-9999-8888")
    assert "0812-9999-8888" in replies[0].text
    assert replies[0].reply_markup == {"remove_keyboard": True}
    assert "Periksa data" in replies[1].text and "Nomor HP: 0812-9999-8888" in replies[1].text
    summary = replies[1]
    await harness.press(user, summary, "Bidang usaha")
    await harness.press(user, summary, "Jasa")
    assert "Periksa data" in summary.text and "Jasa" in summary.text
    await harness.press(user, summary, "Kecamatan")
    await harness.press(user, summary, "Luar kota")
    assert "Luar kota" in summary.text
    [business_q] = await harness.press(user, summary, "Nama usaha")
    [summary] = await harness.send(user, "Jahit Rahayu")
    await harness.press(user, summary, "Konfirmasi")
    participant = await _participant(harness, 208)
    assert participant is not None
    assert (participant.full_name, participant.phone, participant.sector) == (
        "Siti Rahayu",
        "+6281299998888",
        "jasa",
    )
    assert participant.district == "luar kota" and participant.business_name == "Jahit Rahayu"
    del phone_q, business_q


async def test_markup_in_typed_values_is_shown_escaped(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(209)
    await go_to_name(harness, user)
    summary = await fill_profile(harness, user, name="<b>Budi</b> & Co 🎉")
    assert "<b>Budi</b> & Co 🎉" in summary.text
    assert "&lt;b&gt;Budi&lt;/b&gt; &amp; Co" in summary.html
    await harness.press(user, summary, "Konfirmasi")
    assert "berhasil" in summary.text


@pytest.mark.parametrize("step", ["choose", "consent", "name", "phone", "business", "sector"])
async def test_wrong_kind_of_message_gets_a_hint_and_the_question_again(
    harness: BotHarness, step: str
) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(210)
    expected = {
        "choose": "Pelatihan yang dibuka",
        "consent": "Data pribadi Anda",
        "name": "nama lengkap",
        "phone": "nomor HP",
        "business": "nama usaha",
        "sector": "bidang usaha",
    }[step]
    [listing] = await harness.send(user, "/daftar")
    if step != "choose":
        await harness.press(user, listing, "Kain Perca")
    if step not in ("choose", "consent"):
        await harness.press(user, listing, "setuju")
    if step in ("phone", "business", "sector"):
        await harness.send(user, "Siti Aminah")
    if step in ("business", "sector"):
        await harness.send(user, "081234567890")
    if step == "sector":
        await harness.send(user, "Warung")
    for send in (user.send_sticker, user.send_photo, user.send_voice):
        before = len(user.messages())
        send()
        await harness.deliver()
        hint, question = user.messages()[before:]
        assert "Mohon ketik" in hint.text or "tombol" in hint.text
        assert expected in question.text
    if step in ("choose", "consent", "sector"):
        hint, question = await harness.send(user, "halo")
        assert "pilih dengan tombol" in hint.text and expected in question.text
        hint, question = await harness.send(user, "x" * 5000)
        assert expected in question.text


async def test_bad_names_and_phones_are_asked_again(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(211)
    await go_to_name(harness, user)
    for bad in ("S", "x" * 5000, "   "):
        [reply] = await harness.send(user, bad)
        assert "2 sampai 100" in reply.text
    [phone_q] = await harness.send(user, "  Siti   Aminah  ")
    for bad in ("12345", "halo", "+14155552671", "9" * 4000):
        [reply] = await harness.send(user, bad)
        assert "tidak bisa kami pakai" in reply.text
        assert reply.keyboard()[0]["request_contact"] is True
    before = len(user.messages())
    user.share_contact("6281234567890", user_id=999)  # someone else's contact
    await harness.deliver()
    [reply] = user.messages()[before:]
    assert "nomor Anda sendiri" in reply.text
    [business_q] = await harness.send(user, "0812 3456 7890")
    assert "0812-3456-7890" in business_q.text and "nama usaha" in business_q.text
    participant_name = await _participant(harness, 211)
    assert participant_name is None or participant_name.full_name is None  # nothing stored yet
    del phone_q


async def test_a_phone_with_a_letter_is_asked_again_and_names_are_capitalised(
    harness: BotHarness,
) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(212)
    await go_to_name(harness, user)
    await harness.send(user, "siti aminah")
    [reply] = await harness.send(user, "0812 3456 78O1")  # a letter O for the zero
    assert "ada huruf" in reply.text and "0812 3456 7890" in reply.text
    assert reply.keyboard()[0]["request_contact"] is True  # the same question, not a new number
    [business_q] = await harness.send(user, "0812 3456 7801")
    assert business_q.text.startswith("Nomor HP dicatat: 0812-3456-7801 ✅")
    assert "nama usaha" in business_q.text
    [sector_q] = await harness.send(user, "WARUNG BU SITI DAN ANAK")
    await harness.press(user, sector_q, "Kuliner")
    await harness.press(user, sector_q, "Klojen")
    assert "Nama: Siti Aminah\nNomor HP: 0812-3456-7801\nNama usaha: Warung Bu Siti dan Anak" in (
        sector_q.text
    )
    await harness.press(user, sector_q, "Konfirmasi")
    participant = await _participant(harness, 212)
    assert participant is not None
    assert participant.full_name == "Siti Aminah" and participant.phone == "+6281234567801"
    assert participant.business_name == "Warung Bu Siti dan Anak"
    [data] = await harness.send(user, "/datasaya")
    assert "Nomor HP: 0812-3456-7801" in data.text


async def test_a_name_typed_in_mixed_case_is_kept_as_typed(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(213)
    await go_to_name(harness, user)
    summary = await fill_profile(harness, user, name="Dewi McDonald")
    assert "Nama: Dewi McDonald" in summary.text


async def test_cancel_at_any_step_removes_the_keyboard(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(212)
    await go_to_name(harness, user)
    await harness.send(user, "Siti Aminah")
    [reply] = await harness.send(user, "/batal")
    assert "berhenti mengisi" in reply.text and reply.reply_markup == {"remove_keyboard": True}
    [reply] = await harness.send(user, "081234567890")
    assert OUTSIDE_A_STEP in reply.text  # the conversation is over
    [reply] = await harness.send(user, "/cancel")
    assert "Tidak ada yang sedang Anda isi" in reply.text
    assert await _registrations(harness) == []


async def test_declining_consent_ends_without_storing(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(213)
    [listing] = await harness.send(user, "/daftar")
    await harness.press(user, listing, "Kain Perca")
    await harness.press(user, listing, "Tidak")
    assert "Pendaftaran berhenti di sini" in listing.text
    assert "📝 Pelatihan lain" in [label for label, _ in listing.buttons()]
    participant = await _participant(harness, 213)
    assert participant is None or participant.consent_at is None


async def test_a_restart_mid_conversation_loses_nothing(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(214)
    await go_to_name(harness, user)
    await harness.send(user, "Siti Aminah")
    await harness.restart()
    [business_q] = await harness.send(user, "081234567890")
    assert "nama usaha" in business_q.text
    [sector_q] = await harness.send(user, "Warung Bu Siti")
    await harness.restart()
    await harness.press(user, sector_q, "Kuliner")
    await harness.press(user, sector_q, "Sukun")
    await harness.restart()
    await harness.press(user, sector_q, "Konfirmasi")
    assert "berhasil" in sector_q.text
    [registration] = await _registrations(harness)
    assert registration.status == RegistrationStatus.CONFIRMED


async def test_forged_and_stale_buttons_get_a_polite_answer(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(215)
    [listing] = await harness.send(user, "/daftar")
    for data in ("reg:training:999999", "reg:training:abc", "reg:training:" + "9" * 40):
        user.press_data(listing, data)
        await harness.deliver()
        assert "tidak bisa dipilih" in harness.answers()[-1]["text"]
    for data in ("reg:sector:kuliner", "reg:zzz", "reg", "reg:confirm", "reg:district:99"):
        user.press_data(listing, data)
        await harness.deliver()
        assert "tidak berlaku" in harness.answers()[-1]["text"]
    await harness.press(user, listing, "Kain Perca")
    await harness.press(user, listing, "setuju")
    user.press_data(listing, "reg:consent:maybe")
    await harness.deliver()
    assert "tidak berlaku" in harness.answers()[-1]["text"]
    # After the conversation, its buttons are answered politely too.
    await harness.send(user, "/batal")
    user.press_data(listing, "reg:consent:yes")
    await harness.deliver()
    assert "sudah selesai" in harness.answers()[-1]["text"]


async def test_double_tap_on_confirm_makes_one_registration(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(216)
    await go_to_name(harness, user)
    summary = await fill_profile(harness, user)
    data = summary.callback_for("Konfirmasi")
    user.press_data(summary, data)
    user.press_data(summary, data)
    await harness.deliver(concurrently=True)
    assert len(await _registrations(harness)) == 1
    assert "berhasil" in summary.text
    assert "sudah selesai" in harness.answers()[-1]["text"]


async def test_a_full_training_puts_the_next_person_on_the_waiting_list(
    harness: BotHarness,
) -> None:
    await add_training(harness.sessions, one_training(capacity=1))
    first, second = harness.user(217), harness.user(218)
    for user in (first, second):
        await go_to_name(harness, user)
        summary = await fill_profile(harness, user)
        await harness.press(user, summary, confirm_label(summary))
    result = second.last()
    assert "daftar tunggu nomor 1" in result.text
    # What comes next: a message when a seat frees up, no reminders until then, no calendar.
    assert "kami kirim pesan di sini" in result.text and "tidak ada pengingat" in result.text
    assert [label for label, _ in result.buttons()] == [
        "➕ Daftarkan rekan", "📋 Pelatihan saya", "📝 Pelatihan lain", "🏠 Menu"
    ]  # fmt: skip
    [listing] = await harness.send(harness.user(219), "/pelatihan")
    assert "penuh" in listing.text and "daftar tunggu" in listing.buttons()[0][0]
    [listing] = await harness.send(second, "/pelatihan")
    assert listing.buttons()[0][0] == "⏳ Kain Perca · 8 Des · daftar tunggu nomor 1"


async def test_choosing_a_training_one_holds_shows_the_registration(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(220)
    await go_to_name(harness, user)
    await harness.press(user, await fill_profile(harness, user), "Konfirmasi")
    [listing] = await harness.send(user, "/daftar")
    assert listing.buttons()[0][0].startswith("✅ Kain Perca")
    assert await harness.press(user, listing, "Kain Perca") == []
    # Their registration in place of the list, not a new summary.
    text = listing.text
    assert "Anda sudah terdaftar di pelatihan ini" in text and "Periksa data" not in text
    assert "kursi Anda sudah dipesan" in text and "Hotel Sahid Montana Dua" in text
    assert "Selasa, 8 Desember 2026, 08.00–15.00 WIB" in text and "Hari 3" in text
    assert [label for label, _ in listing.buttons()] == [
        "📅 Simpan ke kalender", "❌ Batal ikut", "📋 Pelatihan saya",
        "📝 Pelatihan lain", "🏠 Menu",
    ]  # fmt: skip
    # The same from a deep link; and the cancel button is /saya's, with its question.
    [card] = await harness.send(user, "/start KP-2026-01")
    assert "Anda sudah terdaftar di pelatihan ini" in card.text
    assert card.styles()["❌ Batal ikut"] == "danger"
    await harness.press(user, card, "Batal ikut")
    assert "Yakin batal" in card.text
    assert card.styles() == {"Ya, batal ikut": "danger", "Tidak, tetap ikut": None}
    await harness.press(user, card, "Ya, batal ikut")
    assert "Anda batal ikut" in card.text
    assert len(await _registrations(harness)) == 1
    # Cancelled: the training is offered again, unmarked.
    [listing] = await harness.send(user, "/daftar")
    assert listing.buttons()[0][0] == "Kain Perca dan Melukis… · 8 Des · sisa 30"


async def test_a_waiting_place_is_shown_with_its_position(harness: BotHarness) -> None:
    await add_training(harness.sessions, one_training(capacity=1))
    first, second = harness.user(223), harness.user(224)
    for user in (first, second):
        await go_to_name(harness, user)
        summary = await fill_profile(harness, user)
        await harness.press(user, summary, confirm_label(summary))
    [listing] = await harness.send(second, "/daftar")
    await harness.press(second, listing, "daftar tunggu nomor 1")
    assert "daftar tunggu nomor 1" in listing.text and "08.00–15.00 WIB" in listing.text
    # A waiting place is no seat: no calendar file offered.
    assert [label for label, _ in listing.buttons()] == [
        "❌ Batal ikut", "📋 Pelatihan saya", "📝 Pelatihan lain", "🏠 Menu"
    ]  # fmt: skip


async def test_every_end_of_a_registration_offers_the_next_step(harness: BotHarness) -> None:
    user = harness.user(225)
    [empty] = await harness.send(user, "/daftar")
    assert "belum ada pelatihan" in empty.text
    assert [label for label, _ in empty.buttons()] == ["📋 Pelatihan saya", "🏠 Menu"]
    [menu] = await harness.press(user, empty, "Menu")
    assert "Ikut pelatihan" in menu.buttons()[0][0]
    [mine] = await harness.press(user, empty, "Pelatihan saya")
    assert "belum terdaftar" in mine.text
    # A training closed while its button was on screen: the list again, here empty.
    await add_training(harness.sessions, KP_FILE)
    [listing] = await harness.send(user, "/daftar")
    harness.clock.advance(days=6)
    await harness.press(user, listing, "Kain Perca")
    assert "tidak bisa dipilih" in harness.answers()[-1]["text"]
    assert "belum ada pelatihan" in listing.text and len(listing.buttons()) == 2


async def test_training_closing_meanwhile_is_explained(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(221)
    await go_to_name(harness, user)
    summary = await fill_profile(harness, user)
    harness.clock.advance(days=6)  # past the deadline of 6 December 23:59
    await harness.press(user, summary, "Konfirmasi")
    assert "batas waktu pendaftaran sudah lewat" in summary.text
    assert "📝 Pelatihan lain" in [label for label, _ in summary.buttons()]
    assert await _registrations(harness) == []


async def test_an_idle_conversation_ends_with_a_message(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    job_queue = harness.app.job_queue
    assert job_queue is not None
    # A paused scheduler: timeouts get scheduled, and the test decides when one fires.
    job_queue.scheduler.start(paused=True)
    try:
        user = harness.user(222)
        await go_to_name(harness, user)
        await harness.send(user, "Siti Aminah")
        [job] = [j for j in job_queue.jobs() if j.name == "_trigger_timeout"]
        assert job.next_t is not None
        await job.run(harness.app)
    finally:
        job_queue.scheduler.shutdown(wait=False)
    reply = user.last()
    assert "lama tidak ada jawaban" in reply.text and "/daftar" in reply.text
    assert reply.reply_markup == {"remove_keyboard": True}
    [reply] = await harness.send(user, "081234567890")
    assert OUTSIDE_A_STEP in reply.text


async def test_only_a_registration_with_a_reminder_due_now_wakes_the_reminder_job(
    harness: BotHarness,
) -> None:
    queue = harness.app.job_queue
    assert queue is not None
    await add_training(harness.sessions, KP_FILE)  # 8 December: its reminder is days away
    user = harness.user(230)
    await go_to_name(harness, user)
    await harness.press(user, await fill_profile(harness, user), "Konfirmasi")
    assert not queue.get_jobs_by_name(WAKE_JOB_NAME)  # the repeating job will see to it
    # Tomorrow's training, after today's reminder time: the reminder goes out right away.
    await add_training(harness.sessions, one_training("KP-BESOK", day="2026-12-02", closes=None))
    harness.clock.advance(hours=8)  # 17:00 in Jakarta
    other = harness.user(231)
    [listing] = await harness.send(other, "/daftar")
    assert "2 Des" in listing.buttons()[0][0]  # the soonest first
    await harness.press(other, listing, "2 Des")
    await harness.press(other, listing, "setuju")
    await harness.press(other, await fill_profile(harness, other), "Konfirmasi")
    assert len(queue.get_jobs_by_name(WAKE_JOB_NAME)) == 1


async def test_a_full_trainings_summary_says_it_leads_to_the_waiting_list(
    harness: BotHarness,
) -> None:
    """Before the tap, not after it: the summary and its button say "daftar tunggu"."""
    await add_training(harness.sessions, one_training(capacity=1))
    first, second = harness.user(231), harness.user(232)
    await go_to_name(harness, first)
    summary = await fill_profile(harness, first)
    assert "penuh" not in summary.text and "Ketuk Konfirmasi" in summary.text
    await harness.press(first, summary, "✅ Konfirmasi")
    await go_to_name(harness, second)
    summary = await fill_profile(harness, second)
    assert "Kursi sudah penuh." in summary.text and "Anda masuk daftar tunggu" in summary.text
    labels = [label for label, _ in summary.buttons()]
    assert "⏳ Masuk daftar tunggu" in labels and "✅ Konfirmasi" not in labels
    await harness.press(second, summary, "Masuk daftar tunggu")
    assert "Anda masuk daftar tunggu nomor 1" in summary.text


async def test_invisible_and_direction_characters_are_taken_out_of_typed_names(
    harness: BotHarness,
) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(214)
    await go_to_name(harness, user)
    # Zero-width space, a right-to-left override, a bell, and an accent typed apart ("e" + ́).
    summary = await fill_profile(harness, user, name="Ni Luh\u200b Ade\u0301\u202e\u0007 Sari")
    assert "Nama: Ni Luh Adé Sari\n" in summary.text
    await harness.press(user, summary, "Konfirmasi")
    participant = await _participant(harness, 214)
    assert participant is not None and participant.full_name == "Ni Luh Ad\u00e9 Sari"


async def _store_as_before(harness: BotHarness, user_id: int) -> None:
    """Rewrite a user's stored draft as the version before the draft became a dataclass wrote
    it: loose keys, and the open question under `step`."""
    await harness.stop()
    async with harness.sessions() as session:
        row = await session.scalar(
            select(BotState).where(BotState.kind == "user_data", BotState.key == str(user_id))
        )
        assert row is not None
        draft = row.value["v"]["registration"]
        old = {key: draft[key] for key in ("training_id", "consent_at", "name")}
        row.value = {"v": {**row.value["v"], "registration": {**old, "step": "asking_phone"}}}
        await session.commit()
    harness.app = harness._build()
    await harness.start()


async def test_a_draft_stored_by_the_version_before_resumes(harness: BotHarness) -> None:
    """Someone mid-registration across the upgrade goes on where they were."""
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(240)
    await go_to_name(harness, user)
    await harness.send(user, "Siti Aminah")
    await _store_as_before(harness, 240)
    [business_q] = await harness.send(user, "081234567890")
    assert "nama usaha" in business_q.text
    [sector_q] = await harness.send(user, "Warung Bu Siti")
    await harness.press(user, sector_q, "Kuliner")
    await harness.press(user, sector_q, "Klojen")
    assert "Nama: Siti Aminah\n" in sector_q.text
    await harness.press(user, sector_q, "Konfirmasi")
    [registration] = await _registrations(harness)
    assert registration.status == RegistrationStatus.CONFIRMED


async def test_leaving_an_older_drafts_phone_question_takes_its_keyboard_away(
    harness: BotHarness,
) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(241)
    await go_to_name(harness, user)
    await harness.send(user, "Siti Aminah")
    await _store_as_before(harness, 241)
    stopped, listing = await harness.send(user, "/daftar")
    assert stopped.reply_markup == {"remove_keyboard": True}
    assert "Pelatihan yang dibuka" in listing.text
