"""Registering a colleague: one account registers another person of the same business, who has
their own name and phone, their own seat (or place in the queue), and whose messages come to
that account's chat."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from sqlalchemy import select

from bot.documents.exports import HEADER_ROW
from bot.models import Participant, Registration, RegistrationStatus
from bot.playground.botapi import FakeUser, SentMessage
from bot.runtime.context import BotContext
from jobs.reminders import queue_due_reminders
from tests.conftest import ADMIN_ID
from tests.harness import BotHarness
from tests.reminder_fixtures import local
from tests.test_registration_handlers import confirm_label
from tests.training_files import KP_FILE, add_training, one_training

HOLDER, COLLEAGUE = "Siti Aminah", "Budi Santoso"


async def register_self(harness: BotHarness, user: FakeUser) -> SentMessage:
    """/daftar → the first training → consent → every field → confirm; the result message."""
    [listing] = await harness.send(user, "/daftar")
    await harness.press(user, listing, "Kain Perca")  # the list becomes the consent question
    await harness.press(user, listing, "setuju")
    assert "nama lengkap" in listing.text
    await harness.send(user, HOLDER)
    await harness.send(user, "0812 3456 7890")
    [sector_q] = await harness.send(user, "Warung Bu Siti")
    await harness.press(user, sector_q, "Kuliner")
    await harness.press(user, sector_q, "Klojen")
    await harness.press(user, sector_q, "Konfirmasi")
    return sector_q


async def register_colleague(
    harness: BotHarness, user: FakeUser, button_on: SentMessage, name: str = COLLEAGUE
) -> SentMessage:
    """ "➕ Daftarkan rekan" under a result → consent on their behalf → their fields → confirm;
    the summary message, which became the result."""
    # Below the result (which stays as it was): the training with the consent on their behalf.
    [consent] = await harness.press(user, button_on, "Daftarkan rekan")
    assert "Hotel Sahid" in consent.text
    assert "rekan Anda sudah setuju" in consent.text and "chat ini" in consent.text
    await harness.press(user, consent, "setuju")
    assert "nama lengkap rekan Anda" in consent.text
    [phone_q] = await harness.send(user, name)
    assert "nomor HP rekan Anda" in phone_q.text
    # No "share my number" button: it would share the account holder's own number.
    assert phone_q.reply_markup is None
    before = len(user.messages())
    user.share_contact("6281234567890")
    await harness.deliver()
    [hint] = user.messages()[before:]
    assert "ketik nomor HP rekan Anda" in hint.text
    [business_q] = await harness.send(user, "0813-1111-2222")
    assert "0813-1111-2222" in business_q.text and "nama usaha" in business_q.text
    # The account's own business, one tap away.
    assert [label for label, _ in business_q.buttons()] == ["🏪 Warung Bu Siti"]
    await harness.press(user, business_q, "Warung Bu Siti")
    assert "bidang usaha" in business_q.text
    await harness.press(user, business_q, "Kuliner")
    await harness.press(user, business_q, "Klojen")
    assert f"Periksa data rekan Anda, {name}" in business_q.text
    assert "Warung Bu Siti" in business_q.text and "0813-1111-2222" in business_q.text
    await harness.press(user, business_q, confirm_label(business_q))
    return business_q


async def _people(harness: BotHarness) -> list[Participant]:
    async with harness.sessions() as session:
        return list(await session.scalars(select(Participant).order_by(Participant.id)))


async def _registrations(harness: BotHarness) -> list[tuple[str | None, RegistrationStatus]]:
    async with harness.sessions() as session:
        rows = await session.execute(
            select(Participant.full_name, Registration.status)
            .join(Participant, Participant.id == Registration.participant_id)
            .order_by(Registration.id)
        )
        return [(name, status) for name, status in rows.all()]


async def test_a_colleague_registered_beside_oneself_in_my_and_the_export(
    harness: BotHarness,
) -> None:
    await add_training(harness.sessions, KP_FILE)
    siti = harness.user(301, "Siti")
    mine = await register_self(harness, siti)
    assert "Pendaftaran berhasil" in mine.text
    result = await register_colleague(harness, siti, mine)
    assert f"{COLLEAGUE} terdaftar" in result.text and "chat ini" in result.text
    assert "Pendaftaran berhasil" in mine.text  # the first result stays as it was

    holder, colleague = await _people(harness)
    assert (holder.telegram_id, holder.registered_by_id) == (301, None)
    assert colleague.telegram_id is None and colleague.registered_by_id == holder.id
    assert (colleague.full_name, colleague.phone) == (COLLEAGUE, "+6281311112222")
    assert colleague.chat_id == 301 and colleague.consent_at is not None
    confirmed = RegistrationStatus.CONFIRMED
    assert await _registrations(harness) == [(HOLDER, confirmed), (COLLEAGUE, confirmed)]

    # /saya: their own first, then the colleagues they registered, under a heading.
    own, heading, theirs, footer = await harness.send(siti, "/saya")
    assert "Pelatihan Kain Perca" in own.text and COLLEAGUE not in own.text
    assert "Rekan yang Anda daftarkan" in heading.text
    assert f"Untuk: {COLLEAGUE}" in theirs.text and "Status: terdaftar" in theirs.text
    assert "Daftarkan rekan" in " ".join(label for label, _ in footer.buttons())
    # The colleague's ticket is theirs: their name on it.
    [ticket] = await harness.press(siti, theirs, "Tiket hadir")
    assert ticket.method == "sendPhoto" and COLLEAGUE in ticket.text

    # The same colleague (same phone) twice for one training: one registration.
    again = await register_colleague(harness, siti, result)
    assert f"{COLLEAGUE} sudah terdaftar" in again.text
    assert len(await _registrations(harness)) == 2

    # The export: each their own row and phone, and who registered the colleague.
    staff = harness.user(ADMIN_ID, "Staf")
    [reply] = await harness.send(staff, "/ekspor KP-2026-01")
    assert reply.document is not None
    sheet = load_workbook(io.BytesIO(reply.document[1]))["KP-2026-01"]
    headers = [c.value for c in sheet[HEADER_ROW]]
    rows = [
        dict(zip(headers, row, strict=True))
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    ]
    people = {row["Nama"]: (row["Telepon"], row["Didaftarkan oleh"]) for row in rows}
    assert people == {HOLDER: ("0812-3456-7890", None), COLLEAGUE: ("0813-1111-2222", HOLDER)}
    # The staff list in the chat says it too.
    [listing] = await harness.send(staff, "/peserta KP-2026-01")
    assert f"didaftarkan oleh {HOLDER}" in listing.text


async def test_the_colleague_waits_for_a_seat_and_the_holder_hears_and_cancels(
    harness: BotHarness,
) -> None:
    await add_training(harness.sessions, one_training(capacity=1))
    siti = harness.user(302, "Siti")
    mine = await register_self(harness, siti)
    result = await register_colleague(harness, siti, mine)
    assert f"{COLLEAGUE} masuk daftar tunggu nomor 1" in result.text

    # Siti gives up her own seat: it goes to her colleague, and she is told, naming him.
    own, _, theirs, _ = await harness.send(siti, "/saya")
    assert "daftar tunggu" in theirs.text.lower()
    await harness.press(siti, own, "Batal ikut")
    before = len(siti.messages())
    await harness.press(siti, own, "Ya, batal ikut")
    [notice] = siti.messages()[before:]
    assert notice.text.startswith(f"👥 Untuk {COLLEAGUE}, rekan yang Anda daftarkan")
    cancelled, confirmed = RegistrationStatus.CANCELLED, RegistrationStatus.CONFIRMED
    assert await _registrations(harness) == [(HOLDER, cancelled), (COLLEAGUE, confirmed)]

    # Cancelling the colleague's registration from /saya.
    heading, theirs, _ = await harness.send(siti, "/saya")
    assert "Rekan yang Anda daftarkan" in heading.text
    await harness.press(siti, theirs, "Batal ikut")
    assert f"Untuk: {COLLEAGUE}" in theirs.text and "Yakin" in theirs.text
    await harness.press(siti, theirs, "Ya, batal ikut")
    assert "batal ikut" in theirs.text
    assert await _registrations(harness) == [(HOLDER, cancelled), (COLLEAGUE, cancelled)]


async def test_the_colleague_s_reminder_comes_to_the_holder_s_chat(harness: BotHarness) -> None:
    await add_training(harness.sessions, one_training(day="2026-12-08"))
    siti = harness.user(303, "Siti")
    mine = await register_self(harness, siti)
    await register_colleague(harness, siti, mine)
    before = len(siti.messages())

    harness.clock.set(local(date(2026, 12, 7), "16:00"))
    await queue_due_reminders(BotContext(harness.app))
    reminders = siti.messages()[before:]
    assert len(reminders) == 2
    [theirs] = [m for m in reminders if COLLEAGUE in m.text]
    assert theirs.text.startswith(f"👥 Untuk {COLLEAGUE}, rekan yang Anda daftarkan")
    assert "Pengingat" in theirs.text
    [own] = [m for m in reminders if m is not theirs]
    assert "Untuk" not in own.text
    # Siti answers for him.
    await harness.press(siti, theirs, "Ya, saya datang")
    assert "Jawaban Anda: Ya, saya datang" in theirs.text


async def test_erasing_one_s_data_erases_the_colleagues_one_registered(
    harness: BotHarness,
) -> None:
    await add_training(harness.sessions, KP_FILE)
    siti = harness.user(304, "Siti")
    mine = await register_self(harness, siti)
    await register_colleague(harness, siti, mine)

    [question] = await harness.send(siti, "/hapusdata")
    assert "Data rekan yang Anda daftarkan juga dihapus" in question.text
    assert COLLEAGUE in question.text
    await harness.press(siti, question, "Ya")
    assert "sudah dihapus" in question.text
    for person in await _people(harness):
        assert person.full_name is None and person.phone is None and person.erased_at
    statuses = [status for _, status in await _registrations(harness)]
    assert statuses == [RegistrationStatus.CANCELLED] * 2
    [nothing] = await harness.send(siti, "/saya")
    assert "Daftarkan rekan" in " ".join(label for label, _ in nothing.buttons())
