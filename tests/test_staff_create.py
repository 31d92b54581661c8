"""Creating a training in the chat as staff do on a phone: natural dates and times, few
questions, a summary to fix anything, and at most 12 actions for a three-day training."""

from __future__ import annotations

from datetime import date, datetime, time

from bot.models import TrainingStatus
from bot.playground.botapi import BOT_USERNAME, FakeUser, SentMessage
from bot.texts.labels import button_text
from tests.conftest import ADMIN_ID, JAKARTA
from tests.harness import BotHarness
from tests.staff_factories import stored_training

MAX_ACTIONS = 12


class Staff:
    """A staff member who counts every message sent and button pressed."""

    def __init__(self, harness: BotHarness) -> None:
        self.harness = harness
        self.user: FakeUser = harness.user(ADMIN_ID, "Staf")
        self.actions = 0

    async def say(self, text: str) -> SentMessage:
        """Send `text`; the bot's last answer."""
        self.actions += 1
        replies = await self.harness.send(self.user, text)
        assert replies, text
        return replies[-1]

    async def tap(self, message: SentMessage, label: str) -> list[SentMessage]:
        """Press the button of `message` whose label holds `label`; the new messages."""
        self.actions += 1
        return await self.harness.press(self.user, message, label)

    async def tap_last(self, message: SentMessage, label: str) -> SentMessage:
        """Press a button; the last new message (or the edited one)."""
        replies = await self.tap(message, label)
        return replies[-1] if replies else message


def _local(moment: datetime) -> tuple[date, time]:
    local = moment.astimezone(JAKARTA)
    return local.date(), local.time()


async def test_a_three_day_training_in_at_most_12_actions(harness: BotHarness) -> None:
    staff = Staff(harness)
    menu = await staff.say("/start")  # staff land on the staff menu
    assert "Menu staf" in menu.text
    ask = await staff.tap_last(menu, "Pelatihan baru")
    assert "Kode pelatihan" in ask.text
    assert "Judul" in (await staff.say("KP-2026-09")).text
    assert "Tempat" in (await staff.say("Kain Perca & <Melukis> Kain")).text
    assert "Berapa kursi" in (await staff.say("Hotel Sahid Montana Dua, Malang")).text
    assert "Tanggal pelatihan" in (await staff.say("30 orang")).text
    ask = await staff.say("8-10 Des")
    assert "📅 3 hari: Sel, 8 Des 2026; Rab, 9 Des 2026; Kam, 10 Des 2026." in ask.text
    assert "Hari 1 (Sel, 8 Des 2026): jam berapa" in ask.text
    ask = await staff.say("08.00-15.00")
    assert "Hari 2 (Rab, 9 Des 2026)" in ask.text
    ask = await staff.tap_last(ask, "Sama dengan hari 1: 08.00–15.00")
    assert "Hari 3 (Kam, 10 Des 2026)" in ask.text
    summary = await staff.say("8-12")
    assert "Ringkasan" in summary.text and "Kain Perca & <Melukis> Kain" in summary.text
    assert "Batas daftar: Sen, 7 Des 2026 pukul 23.59 (otomatis)" in summary.text
    assert "Hari 3: Kam, 10 Des 2026, 08.00–12.00" in summary.text
    assert "⚠️" not in summary.text
    replies = await staff.tap(summary, "Simpan & terbitkan")
    assert staff.actions <= MAX_ACTIONS, staff.actions
    assert staff.actions == 11

    page, header, whatsapp, png, pdf = [summary, *replies][-5:]
    assert "Tersimpan dan diterbitkan" in page.text and "Status: Dibuka" in page.text
    assert f"https://t.me/{BOT_USERNAME}?start=KP-2026-09" in header.text
    assert "*Kain Perca & <Melukis> Kain*" in whatsapp.text
    assert "🗓 Kamis, 10 Desember 2026 · 08.00–12.00 WIB" in whatsapp.text
    assert png.document is not None and png.document[0] == "poster-KP-2026-09.png"
    assert pdf.document is not None and pdf.document[0] == "poster-KP-2026-09.pdf"

    training, days = await stored_training(harness.sessions)
    assert training.status == TrainingStatus.OPEN and training.capacity == 30
    assert training.description == ""
    assert training.registration_closes_at is not None
    assert _local(training.registration_closes_at) == (date(2026, 12, 7), time(23, 59))
    assert [_local(d.starts_at) for d in days] == [
        (date(2026, 12, n), time(8, 0)) for n in (8, 9, 10)
    ]
    assert [_local(d.ends_at)[1] for d in days] == [time(15, 0), time(15, 0), time(12, 0)]


async def test_days_one_by_one_with_the_next_day_button(harness: BotHarness) -> None:
    staff = Staff(harness)
    menu = await staff.say("/admin")
    await staff.tap(menu, "Pelatihan baru")
    for answer in ("BATIK-01", "Membatik dasar", "Balai Kota", "25"):
        await staff.say(answer)
    ask = await staff.say("Senin depan")  # Tuesday 1 December: Monday the 7th
    assert "Hari 1 (Sen, 7 Des 2026)" in ask.text
    summary = await staff.say("9 pagi - 3 sore")
    assert "Hari 1: Sen, 7 Des 2026, 09.00–15.00" in summary.text
    summary = await staff.tap_last(summary, "Besoknya: Sel, 8 Des 2026, 09.00–15.00")
    summary = await staff.tap_last(summary, "Besoknya: Rab, 9 Des 2026, 09.00–15.00")
    assert "Hari 3: Rab, 9 Des 2026, 09.00–15.00" in summary.text
    page = await staff.tap_last(summary, "Simpan sebagai draf")
    assert staff.actions <= MAX_ACTIONS, staff.actions
    assert "Tersimpan sebagai draf" in page.text and "Status: Draf" in page.text
    assert button_text("publish", "id") in [label for label, _ in page.buttons()]
    training, days = await stored_training(harness.sessions)
    assert training.status == TrainingStatus.DRAFT
    assert [d.date for d in days] == [date(2026, 12, 7), date(2026, 12, 8), date(2026, 12, 9)]


async def test_bad_input_gets_a_short_hint_and_loses_nothing(harness: BotHarness) -> None:
    staff = Staff(harness)
    menu = await staff.say("/admin")
    await staff.tap(menu, "Pelatihan baru")
    assert "Kode harus" in (await staff.say("kode salah!")).text
    await staff.say("KP-2026-10")
    await staff.say("Kain Perca")
    await staff.say("Aula Dinas")
    answer = await staff.say("dua puluh")
    assert "angka 1–10000" in answer.text and "Berapa kursi" in answer.text
    await staff.say("20 kursi")
    for typed, hint in (
        ("kapan-kapan", "Tanggal tidak dikenali"),
        ("30 Nov", "sudah lewat"),
        ("31 Feb", "Tanggal tidak dikenali"),
        ("Senin, 9 Des", "Rab, 9 Des 2026 bukan hari Senin"),
        ("10-8 Des", "Tanggal akhir harus sesudah"),
    ):
        answer = await staff.say(typed)
        assert hint in answer.text and "Tanggal pelatihan?" in answer.text, typed
    staff.user.send_sticker()
    await harness.deliver()
    assert "Mohon ketik" in staff.user.last().text
    ask = await staff.say("Rabu, 9 Des dan 10/12")
    assert "Hari 1 (Rab, 9 Des 2026)" in ask.text
    for typed, hint in (
        ("jam sembilan", "Jam tidak dikenali"),
        ("15.00-08.00", "setelah jam mulai"),
        ("25.00", "Jam tidak dikenali"),
    ):
        answer = await staff.say(typed)
        assert hint in answer.text and "Hari 1 (Rab, 9 Des 2026)" in answer.text, typed
    ask = await staff.say("9")  # a start alone: the end is asked next
    assert "mulai 09.00. Jam selesai?" in ask.text
    await harness.restart()  # a restart in the middle loses nothing
    ask = await staff.say("3")  # after a nine o'clock start: three in the afternoon
    assert "Hari 2 (Kam, 10 Des 2026)" in ask.text
    summary = await staff.tap_last(ask, "Sama dengan hari 1")
    assert "Kode: KP-2026-10" in summary.text and "Kursi: 20" in summary.text
    assert "Hari 1: Rab, 9 Des 2026, 09.00–15.00" in summary.text
    assert "Hari 2: Kam, 10 Des 2026, 09.00–15.00" in summary.text
    assert "Silakan pilih" in (await staff.say("simpan dong")).text

    # Fix anything from the summary: the deadline, the description, a day's times and topic.
    ask = await staff.tap_last(staff.user.last(), "Batas daftar")
    assert "Sekarang: Sel, 8 Des 2026 pukul 23.59 (otomatis)" in ask.text
    assert "Batas itu sudah lewat" in (await staff.say("kemarin")).text
    summary = await staff.say("7 Des 12.00")
    assert "Batas daftar: Sen, 7 Des 2026 pukul 12.00" in summary.text
    await staff.tap(summary, "Deskripsi")
    summary = await staff.say("Belajar menjahit kain perca.")
    day_menu = await staff.tap_last(summary, "Hari 2")
    ask = await staff.tap_last(day_menu, "Jam")
    assert "Sekarang: 09.00–15.00" in ask.text
    summary = await staff.say("08.00-12.00")
    day_menu = await staff.tap_last(summary, "Hari 2")
    await staff.tap(day_menu, "Materi")
    summary = await staff.say("Pemasaran")
    assert "Hari 2: Kam, 10 Des 2026, 08.00–12.00\n    Materi: Pemasaran" in summary.text
    page = await staff.tap_last(summary, "Simpan sebagai draf")
    assert "Tersimpan sebagai draf" in page.text

    training, days = await stored_training(harness.sessions)
    assert training.description == "Belajar menjahit kain perca."
    assert training.registration_closes_at is not None
    assert _local(training.registration_closes_at) == (date(2026, 12, 7), time(12, 0))
    assert [(_local(d.starts_at)[1], _local(d.ends_at)[1]) for d in days] == [
        (time(9, 0), time(15, 0)),
        (time(8, 0), time(12, 0)),
    ]
    assert days[1].topic == "Pemasaran"


async def test_a_draft_is_published_from_its_page_and_shared(harness: BotHarness) -> None:
    staff = Staff(harness)
    menu = await staff.say("/admin")
    await staff.tap(menu, "Pelatihan baru")
    for answer in ("KP-2026-11", "Kain Perca", "Aula Dinas", "20", "besok 08.00-12.00"):
        summary = await staff.say(answer)
    assert "Hari 1: Rab, 2 Des 2026, 08.00–12.00" in summary.text
    # The day before the first day is today: registration closes at the end of today.
    assert "Batas daftar: Sel, 1 Des 2026 pukul 23.59 (otomatis)" in summary.text
    page = await staff.tap_last(summary, "Simpan sebagai draf")
    assert "Status: Draf" in page.text
    assert button_text("share", "id") not in page.text
    replies = await staff.tap(page, "Terbitkan")
    assert "Diterbitkan: pendaftaran dibuka" in page.text and "Status: Dibuka" in page.text
    assert [m.method for m in replies] == [
        "sendMessage",
        "sendMessage",
        "sendDocument",
        "sendDocument",
    ]
    assert "start=KP-2026-11" in replies[0].text
    labels = [label for label, _ in page.buttons()]
    assert button_text("share", "id") in labels and button_text("close", "id") in labels
