"""Fixing one's own details from /saya or "Data saya": each detail checked as at registration,
staff's lists showing the change, and a certificate already issued reissued under a new name
with its number kept."""

from __future__ import annotations

from sqlalchemy import select

from bot.models import Certificate, Participant
from bot.playground.botapi import FakeUser, SentMessage
from bot.services import certificates
from bot.services.reports import export_training
from bot.services.staff import get_training
from jobs.outbox import sender_of
from tests.after_factories import finished_training, telegram_id_of
from tests.conftest import JAKARTA
from tests.harness import BotHarness
from tests.staff_factories import make_participant, make_training, register

SITI = 9101


def _with(messages: list[SentMessage], label: str) -> SentMessage:
    """The newest message with a button whose label holds `label`."""
    found = [m for m in messages if any(label in text for text, _ in m.buttons())]
    assert found, f"no message with a button {label!r}"
    return found[-1]


async def _open(harness: BotHarness, user: FakeUser, command: str = "/saya") -> SentMessage:
    screens = await harness.send(user, command)
    edit = _with(screens, "Ubah data")
    await harness.press(user, edit, "Ubah data")
    details = user.last()
    assert details.text.startswith("Data Anda") or "Data Anda" in details.text
    return details


async def _participant(harness: BotHarness, telegram_id: int) -> Participant:
    async with harness.sessions() as session:
        row = await session.scalar(
            select(Participant).where(Participant.telegram_id == telegram_id)
        )
    assert row is not None
    return row


async def test_each_detail_is_changed_with_the_registrations_checks(harness: BotHarness) -> None:
    async with harness.sessions() as session:
        training = await make_training(session, "KP-2026-01", title="Kain Perca", capacity=5)
        siti = await make_participant(session, SITI, "Siti Aminah", phone="+6281234567801")
        await register(session, siti, training)
    user = harness.user(SITI, "Siti")
    details = await _open(harness, user)
    assert "Nama: Siti Aminah" in details.text and "Nomor HP: 0812-3456-7801" in details.text
    assert details.styles()["✅ Selesai"] == "success"

    await harness.press(user, details, "Nama")
    assert "nama lengkap" in user.last().text
    [refused] = await harness.send(user, "x")
    assert "Nama harus 2 sampai 100 huruf" in refused.text
    [saved] = await harness.send(user, "siti  aminah   rahayu")
    assert "Perubahan tersimpan" in saved.text and "Nama: Siti Aminah Rahayu" in saved.text

    await harness.press(user, saved, "Nomor HP")
    assert user.last().keyboard()[0]["request_contact"] is True
    [refused] = await harness.send(user, "0812 3456 78O1")
    assert "ada huruf di nomor itu" in refused.text
    phone_saved, saved = await harness.send(user, "0813 9999 8888")
    assert "0813-9999-8888" in phone_saved.text
    assert phone_saved.reply_markup == {"remove_keyboard": True}
    assert "Nomor HP: 0813-9999-8888" in saved.text

    await harness.press(user, saved, "Nama usaha")
    [saved] = await harness.send(user, "toko kain siti")
    assert "Nama usaha: Toko Kain Siti" in saved.text
    await harness.press(user, saved, "Bidang usaha")
    assert "bidang usaha" in saved.text  # the details became the sector buttons
    await harness.press(user, saved, "Jasa")
    assert "Bidang usaha: 🛠 Jasa" in saved.text
    await harness.press(user, saved, "Kecamatan")
    await harness.press(user, saved, "Luar kota")
    assert "Kecamatan: Luar kota" in saved.text
    await harness.press(user, saved, "Selesai")
    assert "Data Anda tersimpan" in saved.text

    person = await _participant(harness, SITI)
    assert (person.full_name, person.phone) == ("Siti Aminah Rahayu", "+6281399998888")
    assert (person.business_name, person.sector, person.district) == (
        "Toko Kain Siti", "jasa", "luar kota",
    )  # fmt: skip
    async with harness.sessions() as session:  # what staff export and list
        loaded = await get_training(session, training.id)
        assert loaded is not None
        export = await export_training(session, loaded, JAKARTA)
    [row] = export.rows
    assert row.name == "Siti Aminah Rahayu" and row.phone == "+6281399998888"


async def test_a_new_name_reissues_the_certificate_and_keeps_its_number(
    harness: BotHarness,
) -> None:
    _, [registration] = await finished_training(harness.sessions, ["Ayu Lestari"], [[1, 2, 3]])
    telegram_id = await telegram_id_of(harness.sessions, registration)
    async with harness.sessions() as session:
        issued = await certificates.issue(session, registration.id, harness.clock(), JAKARTA)
        assert issued is not None
        number = issued.number
    user = harness.user(telegram_id, "Ayu")
    details = await _open(harness, user, "/datasaya")
    await harness.press(user, details, "Nama")
    saved, pdf = await harness.send(user, "Ayu Lestari Putri")  # the PDF from the outbox
    assert "Sertifikat Anda dibuat ulang dengan nama baru" in saved.text
    assert pdf.document is not None and "nama diperbaiki" in pdf.text and number in pdf.text
    async with harness.sessions() as session:
        certificate = await session.scalar(select(Certificate))
    assert certificate is not None
    assert (certificate.number, certificate.revision) == (number, 2)
    assert certificate.name == "Ayu Lestari Putri"

    # The same name typed again changes nothing: no new revision, no new PDF.
    await harness.press(user, saved, "Nama")
    [again] = await harness.send(user, "Ayu Lestari Putri")
    assert "dibuat ulang" not in again.text
    await sender_of(harness.app).run()
    assert user.last() is again


async def test_without_details_a_sticker_and_leaving(harness: BotHarness) -> None:
    nobody = harness.user(9102, "Rina")
    [menu] = await harness.send(nobody, "/start")
    nobody.press_data(menu, "det:menu")  # a button from a time they had details
    await harness.deliver()
    assert "Belum ada data yang bisa diubah" in nobody.last().text

    async with harness.sessions() as session:
        await make_participant(session, SITI, "Siti Aminah")
    user = harness.user(SITI, "Siti")
    details = await _open(harness, user, "/datasaya")
    await harness.press(user, details, "Nama usaha")
    user.send_sticker()
    await harness.deliver()
    assert "Mohon ketik jawabannya" in user.last().text
    [left] = await harness.send(user, "/batal")
    assert "berhenti mengubah data" in left.text
    assert (await _participant(harness, SITI)).business_name == "Warung Siti"
    user.press_data(details, "det:district:99")  # a forged district: the details again
    await harness.deliver()
    assert "Data Anda" in details.text and "Kecamatan: Klojen" in details.text
