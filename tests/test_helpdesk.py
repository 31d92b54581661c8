"""A person to ask: what a participant types outside a step reaches the staff group with who
they are; a staff member's reply there reaches the participant; the group sees it arrived."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.db import SessionFactory
from bot.models import Delivery, DeliveryState, HelpdeskMessage, Participant, RegistrationStatus
from bot.playground.botapi import FakeTelegram, FakeUser, SentMessage
from bot.services import outbox
from bot.services.access import Role
from bot.services.helpdesk import (
    CUT,
    MAX_TEXT,
    Asked,
    Asker,
    ask_staff,
    forget_messages,
    queue_receipts,
)
from bot.services.outbox import NOTICE, Kind, NewDelivery, enqueue
from bot.settings import Settings
from jobs.outbox import sender_of
from tests.conftest import ADMIN_ID
from tests.harness import BotHarness, FakeClock
from tests.staff_factories import grant, make_participant, make_training, register

STAFF_CHAT = -1001987654321
ORG = "Dinas Koperasi dan UKM Kota Malang"
CONTACT = "WA 0812-3333-4444 · Jl. Tugu No. 1, Malang"
PARTICIPANT = 4242
BUDI = 4343
NEW_STAFF_CHAT = -1001555000111
OTHER_STAFF = 9000002


@pytest.fixture
async def office(
    settings: Settings, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> AsyncIterator[BotHarness]:
    """The bot of an office with a staff group, a name and a contact."""
    configured = replace(
        settings,
        staff_chat_id=STAFF_CHAT,
        org_name=ORG,
        org_contact=CONTACT,
        admin_ids=frozenset({ADMIN_ID, OTHER_STAFF}),
    )
    bot = BotHarness(configured, sessions, tg, clock)
    await bot.start()
    yield bot
    await bot.stop()


async def _siti(harness: BotHarness) -> FakeUser:
    """Siti Aminah, confirmed for one training and waiting for another."""
    async with harness.sessions() as session:
        first = await make_training(session, "KP-2026-01", title="Kain Perca", capacity=5)
        second = await make_training(session, "MK-2026-02", title="Melukis Kain", capacity=5)
        siti = await make_participant(session, PARTICIPANT, "Siti Aminah", phone="+6281234567801")
        await register(session, siti, first)
        await register(session, siti, second, RegistrationStatus.WAITLISTED)
    return harness.tg.user(PARTICIPANT, "Siti", username="siti_perca")


def _staff(harness: BotHarness, user_id: int = ADMIN_ID, name: str = "Bu Rina") -> FakeUser:
    return harness.user(user_id, name).in_group(STAFF_CHAT, "Staf Dinas")


def _group(harness: BotHarness) -> list[SentMessage]:
    return harness.tg.sent_to(STAFF_CHAT)


async def test_a_question_goes_to_the_staff_group_and_the_reply_comes_back(
    office: BotHarness,
) -> None:
    siti = await _siti(office)
    [ack] = await office.send(siti, "Bu, pelatihannya mulai jam berapa? <penting>")
    assert "sudah kami teruskan ke petugas" in ack.text and ORG in ack.text

    [question] = _group(office)
    assert "Siti Aminah" in question.text and "Telegram: Siti (@siti_perca)" in question.text
    assert "0812-3456-7801" in question.text  # staff can call back
    assert "KP-2026-01 · Kain Perca" in question.text and "terdaftar" in question.text
    assert "MK-2026-02 · Melukis Kain" in question.text and "daftar tunggu nomor 1" in question.text
    assert "Bu, pelatihannya mulai jam berapa? <penting>" in question.text  # escaped, shown

    staff = _staff(office)
    staff.send_text("Mulai jam 08.00, Bu. Datang 15 menit lebih awal ya.", reply_to=question)
    await office.deliver()

    reply = siti.last()
    assert "Balasan dari petugas" in reply.text and ORG in reply.text
    assert "Mulai jam 08.00, Bu. Datang 15 menit lebih awal ya." in reply.text
    receipt = _group(office)[-1]
    assert receipt.text == "✅ Terkirim ke Siti Aminah."
    assert receipt.reply_to is not None  # under the staff member's reply
    async with office.sessions() as session:
        forward = await session.scalar(
            select(Delivery).where(Delivery.kind == Kind.HELPDESK_QUESTION.value)
        )
    assert forward is not None and forward.message_id == question.message_id


async def _budi(harness: BotHarness) -> FakeUser:
    """Budi Santoso, made after Siti (a higher participant id), registered for nothing, who
    reads the bot in English."""
    async with harness.sessions() as session:
        budi = await make_participant(session, BUDI, "Budi Santoso", phone="+6281234567802")
        budi.language = "en"
        await session.commit()
    return harness.tg.user(BUDI, "Budi", "en")


async def test_each_reply_reaches_its_own_asker_of_two(office: BotHarness) -> None:
    # Asked in the opposite order to their creation, so that no id of one person's question
    # (its row, its delivery, its message in the group) is the id of the person who asked it.
    siti = await _siti(office)
    budi = await _budi(office)
    await office.send(budi, "Pak, apakah parkir motor gratis?")
    await office.send(siti, "Bu, boleh bawa anak?")
    budis_question, sitis_question = _group(office)
    assert "Budi Santoso" in budis_question.text and "parkir motor" in budis_question.text
    assert "Siti Aminah" in sitis_question.text and "bawa anak" in sitis_question.text
    before = {BUDI: len(budi.messages()), PARTICIPANT: len(siti.messages())}

    staff = _staff(office)
    staff.send_text("Boleh, Bu, ada ruang bermain.", reply_to=sitis_question)
    staff.send_text("Gratis, Pak, di halaman belakang.", reply_to=budis_question)
    await office.deliver()

    [to_siti] = siti.messages()[before[PARTICIPANT] :]
    [to_budi] = budi.messages()[before[BUDI] :]
    assert "ada ruang bermain" in to_siti.text and "halaman belakang" not in to_siti.text
    assert "halaman belakang" in to_budi.text and "ruang bermain" not in to_budi.text
    assert to_siti.text.startswith("💬 Balasan dari petugas")  # each in their own language
    assert to_budi.text.startswith("💬 Reply from the staff of")
    # One receipt for each reply, naming its own asker (the two replies are sent side by side,
    # so their receipts may come in either order).
    receipts = sorted(m.text for m in _group(office)[2:])
    assert receipts == ["✅ Terkirim ke Budi Santoso.", "✅ Terkirim ke Siti Aminah."]
    async with office.sessions() as session:
        answered_by = list(
            await session.scalars(
                select(HelpdeskMessage.staff_id).where(HelpdeskMessage.direction == "reply")
            )
        )
    assert answered_by == [ADMIN_ID, ADMIN_ID]  # who answered is on record


async def test_the_reply_finds_the_participant_after_a_restart(office: BotHarness) -> None:
    siti = await _siti(office)
    budi = await _budi(office)
    await office.send(budi, "Jam berapa selesai?")  # another asker, first
    await office.send(siti, "Apakah ada biaya pendaftaran?")
    [_, question] = _group(office)
    budi_had = len(budi.messages())

    await office.restart()

    staff = _staff(office)
    staff.send_text("Gratis, Bu. Tidak ada biaya.", reply_to=question)
    await office.deliver()
    assert "Gratis, Bu. Tidak ada biaya." in siti.last().text
    assert len(budi.messages()) == budi_had  # the other asker got nothing
    assert _group(office)[-1].text == "✅ Terkirim ke Siti Aminah."


async def test_only_staff_replies_count_in_the_group(office: BotHarness) -> None:
    siti = await _siti(office)
    await office.send(siti, "Lokasinya di mana?")
    [question] = _group(office)
    received = len(siti.messages())

    stranger = office.user(7777, "Pak Joko").in_group(STAFF_CHAT, "Staf Dinas")
    stranger.send_text("Di Hotel Sahid, Bu.", reply_to=question)
    stranger.send_text("halo semua")
    await office.deliver()
    assert len(siti.messages()) == received  # nothing reached the participant
    assert _group(office) == [question]  # and the group got no answer either

    other = _staff(office, OTHER_STAFF, "Pak Budi")
    other.send_text("Di Hotel Sahid Montana Dua, Bu.", reply_to=question)
    await office.deliver()
    assert "Hotel Sahid Montana Dua" in siti.last().text


async def test_a_blocked_participant_is_reported_to_the_group(office: BotHarness) -> None:
    siti = await _siti(office)
    await office.send(siti, "Saya mau tanya")
    [question] = _group(office)
    office.tg.block(PARTICIPANT)
    _staff(office).send_text("Silakan, Bu.", reply_to=question)
    await office.deliver()
    assert _group(office)[-1].text == "⚠️ Tidak terkirim: Siti Aminah memblokir bot ini."

    # Blocked now: the next reply is refused at once, without a send.
    _staff(office).send_text("Halo?", reply_to=question)
    await office.deliver()
    assert _group(office)[-1].text == "⚠️ Tidak terkirim: Siti Aminah memblokir bot ini."
    sends = [c for c in office.tg.calls_of("sendMessage") if c["chat_id"] == PARTICIPANT]
    assert len(sends) == 2  # the "passed on" and the first reply; none for "Halo?"


async def test_someone_unregistered_who_blocked_the_bot_is_named_as_telegram_shows_them(
    office: BotHarness,
) -> None:
    dewi = office.tg.user(5353, "Dewi Lestari")
    await office.send(dewi, "Tanya")
    [question] = _group(office)
    office.tg.block(5353)
    for text in ("Silakan, Bu.", "Halo?"):  # sent and refused; then refused at once
        _staff(office).send_text(text, reply_to=question)
        await office.deliver()
        assert _group(office)[-1].text == "⚠️ Tidak terkirim: Dewi Lestari memblokir bot ini."


async def test_someone_who_unblocks_and_writes_again_is_answered(office: BotHarness) -> None:
    siti = await _siti(office)
    await office.send(siti, "Tanya dulu")
    [question] = _group(office)
    office.tg.block(PARTICIPANT)
    _staff(office).send_text("Silakan, Bu.", reply_to=question)
    await office.deliver()
    assert "memblokir bot" in _group(office)[-1].text
    office.tg.blocked.clear()  # Siti unblocks the bot and writes again
    office.clock.advance(seconds=61)
    await office.send(siti, "Maaf, tadi terblokir")
    again = _group(office)[-1]
    assert "Maaf, tadi terblokir" in again.text
    _staff(office).send_text("Tidak apa-apa, Bu.", reply_to=again)
    await office.deliver()
    assert "Tidak apa-apa, Bu." in siti.last().text
    assert _group(office)[-1].text == "✅ Terkirim ke Siti Aminah."


async def test_writing_while_a_reply_waits_is_a_new_question_not_part_of_the_reply(
    office: BotHarness, clock: FakeClock
) -> None:
    siti = await _siti(office)
    await office.send(siti, "Tanya satu")
    [question] = _group(office)
    office.auto_send = False
    _staff(office).send_text("Jawaban satu", reply_to=question)
    await office.deliver()  # the reply waits in the outbox...
    await office.send(siti, "Tanya dua")  # ...while Siti writes again
    office.auto_send = True
    clock.advance(seconds=61)
    await sender_of(office.app).run()
    replies = [m.text for m in siti.messages() if "Balasan dari petugas" in m.text]
    assert len(replies) == 1 and "Jawaban satu" in replies[0] and "Tanya dua" not in replies[0]
    assert "Tanya dua" in _group(office)[1].text


async def test_a_reply_in_a_new_staff_group_finds_the_question_asked_there(
    office: BotHarness,
) -> None:
    siti = await _siti(office)
    budi = await _budi(office)
    await office.send(budi, "Question in the old group")
    office.settings = replace(office.settings, staff_chat_id=NEW_STAFF_CHAT)  # the office moves
    await office.restart()
    await office.send(siti, "Pertanyaan di grup baru")
    [old] = office.tg.sent_to(STAFF_CHAT)
    [new] = office.tg.sent_to(NEW_STAFF_CHAT)
    assert new.message_id == old.message_id  # message ids count per chat
    staff = office.user(ADMIN_ID, "Bu Rina").in_group(NEW_STAFF_CHAT, "Staf Dinas Baru")
    staff.send_text("Jawaban untuk Siti", reply_to=new)
    await office.deliver()
    assert "Jawaban untuk Siti" in siti.last().text
    assert all("Jawaban untuk Siti" not in m.text for m in budi.messages())


async def test_a_reply_delivered_twice_by_telegram_is_passed_on_once(office: BotHarness) -> None:
    siti = await _siti(office)
    await office.send(siti, "Tanya")
    [question] = _group(office)
    update = _staff(office).send_text("Sekali saja", reply_to=question)
    office.tg.push_update({"message": update["message"]})  # the same message again
    await office.deliver()
    assert sum("Sekali saja" in text for text in siti.texts()) == 1
    async with office.sessions() as session:
        replies = await session.scalar(
            select(func.count())
            .select_from(HelpdeskMessage)
            .where(HelpdeskMessage.direction == "reply")
        )
    assert replies == 1


async def test_a_question_is_kept_whole_up_to_the_limit_and_cut_to_it_beyond(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    async with sessions() as session:
        for number, text in ((1, "a" * MAX_TEXT), (2, "b" * (MAX_TEXT + 1))):
            asker = Asker(6000 + number, 6000 + number, "Penanya", None, "id")
            await ask_staff(session, asker, text, STAFF_CHAT, clock())
    async with sessions() as session:
        whole, cut = await session.scalars(
            select(HelpdeskMessage.text).order_by(HelpdeskMessage.id)
        )
    assert whole == "a" * MAX_TEXT
    assert cut == "b" * (MAX_TEXT - len(CUT)) + CUT and len(cut) == MAX_TEXT


async def _first_claimed(harness: BotHarness) -> str:
    async with harness.sessions() as session:
        [first] = await outbox.claim(
            session, "worker:h:1:a", 1, harness.clock(), timedelta(minutes=5)
        )
    await outbox_release(harness, first.id)
    return first.kind


async def outbox_release(harness: BotHarness, delivery_id: int) -> None:
    async with harness.sessions() as session:
        await outbox.release(session, [delivery_id], "worker:h:1:a")


async def test_questions_and_replies_go_before_bulk_sends(
    office: BotHarness, clock: FakeClock
) -> None:
    bulk = [
        NewDelivery(kind=Kind.SURVEY, key=f"survey:{n}", chat_id=5000 + n, due_at=clock())
        for n in range(5)
    ]
    async with office.sessions() as session:
        await enqueue(session, bulk, clock() - timedelta(minutes=1))
        await session.commit()
    office.auto_send = False
    siti = await _siti(office)
    await office.send(siti, "Tanya")
    assert await _first_claimed(office) == Kind.HELPDESK_QUESTION.value
    office.auto_send = True
    await office.deliver()  # the question goes (and the surveys with it: the outbox empties)
    [question] = _group(office)
    async with office.sessions() as session:
        await enqueue(session, [replace(b, key=b.key + ":2") for b in bulk], clock())
        await session.commit()
    office.auto_send = False
    _staff(office).send_text("Jawaban", reply_to=question)
    await office.deliver()
    assert await _first_claimed(office) == Kind.HELPDESK_REPLY.value


async def test_a_follow_up_forward_waits_a_minute_from_the_last_one_not_from_now(
    office: BotHarness, clock: FakeClock
) -> None:
    siti = await _siti(office)
    await office.send(siti, "pertama")  # forwarded at once
    clock.advance(seconds=30)
    await office.send(siti, "kedua")  # its turn comes a minute after the first one
    assert len(_group(office)) == 1
    clock.advance(seconds=31)
    await sender_of(office.app).run()
    assert len(_group(office)) == 2 and "kedua" in _group(office)[1].text


async def test_a_question_deleted_before_its_turn_leaves_the_others_to_go(
    office: BotHarness,
) -> None:
    budi = await _budi(office)
    siti = await _siti(office)
    office.auto_send = False
    await office.send(budi, "Question from Budi")
    await office.send(siti, "Pertanyaan Siti")
    [ask] = await office.send(budi, "/hapusdata")
    await office.press(budi, ask, "Yes, delete my data")
    await sender_of(office.app).run()
    [forward] = _group(office)
    assert "Pertanyaan Siti" in forward.text


async def test_staff_get_a_hint_for_replies_that_cannot_be_passed_on(office: BotHarness) -> None:
    siti = await _siti(office)
    await office.send(siti, "Tanya jadwal")
    [question] = _group(office)
    staff = _staff(office)
    staff.send_sticker(reply_to=question)
    await office.deliver()
    assert _group(office)[-1].text.startswith("Hanya balasan berupa teks, pesan suara, foto")
    receipt_like = _group(office)[-1]
    staff.send_text("Ini jawabannya", reply_to=receipt_like)
    await office.deliver()
    assert "balas (reply) pesan pertanyaannya" in _group(office)[-1].text
    assert siti.texts()[-1].startswith("✅ Pesan Anda sudah kami teruskan")  # nothing else came


async def test_a_flood_makes_a_few_forwards_not_fifty(office: BotHarness, clock: FakeClock) -> None:
    siti = await _siti(office)
    await office.send(siti, "pesan 0")
    for number in range(1, 50):
        siti.send_text(f"pesan {number}")
    await office.deliver(concurrently=True)  # 49 at one instant
    assert len(_group(office)) == 1  # the first went at once; the rest wait for the next turn
    acks = [text for text in siti.texts() if "teruskan" in text]
    assert len(acks) == 3  # forwarded, forwarded (the next turn), "passed on too" once

    clock.advance(seconds=61)  # the next turn: what came meanwhile goes as one message
    await sender_of(office.app).run()
    forwards = _group(office)
    assert len(forwards) == 2
    assert "pesan 1\npesan 2\n" in forwards[1].text and "pesan 19" in forwards[1].text
    # What the account's flood throttle dropped unread never got this far.
    assert "pesan 20" not in forwards[1].text
    assert any("terlalu banyak pesan" in text for text in siti.texts())
    async with office.sessions() as session:
        count = await session.scalar(select(func.count()).select_from(HelpdeskMessage))
    assert count == 2


async def test_the_receipt_names_someone_unregistered_by_their_telegram_name(
    office: BotHarness,
) -> None:
    dewi = office.tg.user(5353, "Dewi Lestari")
    await office.send(dewi, "Halo, cara daftarnya bagaimana?")
    [question] = _group(office)
    assert "belum mengisi nama" in question.text and "Telegram: Dewi Lestari\n" in question.text
    assert "@" not in question.text  # she has no username
    _staff(office).send_text("Ketik /daftar, Bu.", reply_to=question)
    await office.deliver()
    assert "Ketik /daftar, Bu." in dewi.last().text
    assert _group(office)[-1].text == "✅ Terkirim ke Dewi Lestari."


async def test_the_receipt_uses_the_name_the_person_last_wrote_under(
    office: BotHarness, clock: FakeClock
) -> None:
    await office.send(office.tg.user(5353, "Dewi Lestari"), "Pertanyaan pertama")
    clock.advance(seconds=61)
    renamed = office.tg.user(5353, "Dewi Baru")  # she changed her name in Telegram
    await office.send(renamed, "Pertanyaan kedua")
    await office.send(office.tg.user(5454, "Rina"), "Pertanyaan orang lain")
    second = next(m for m in _group(office) if "Pertanyaan kedua" in m.text)
    _staff(office).send_text("Jawaban", reply_to=second)
    await office.deliver()
    assert _group(office)[-1].text == "✅ Terkirim ke Dewi Baru."


async def test_after_someone_deletes_their_data_no_reply_reaches_them(
    office: BotHarness,
) -> None:
    siti = await _siti(office)
    await office.send(siti, "Saya ingin tanya soal sertifikat")
    [question] = _group(office)
    office.auto_send = False
    _staff(office).send_text("Sertifikat dibagikan hari terakhir.", reply_to=question)
    await office.deliver()  # the reply waits in the outbox...
    [ask] = await office.send(siti, "/hapusdata")
    await office.press(siti, ask, "Ya, hapus data saya")  # ...while Siti deletes her data
    office.auto_send = True
    received = len(siti.messages())
    await sender_of(office.app).run()
    assert len(siti.messages()) == received  # what she wrote and was answered is gone
    async with office.sessions() as session:
        rows = (
            await session.execute(
                select(HelpdeskMessage.text, HelpdeskMessage.sender_name, HelpdeskMessage.username)
            )
        ).all()
    assert [tuple(row) for row in rows] == [("", None, None)] * 2  # her Telegram name too
    _staff(office).send_text("Halo?", reply_to=question)
    await office.deliver()
    assert _group(office)[-1].text == (
        "Peserta ini sudah menghapus datanya, jadi balasan tidak bisa dikirim."
    )
    assert len(siti.messages()) == received


async def test_a_new_message_after_a_sent_forward_is_a_new_forward_whoever_else_waits(
    office: BotHarness, clock: FakeClock
) -> None:
    siti = await _siti(office)
    budi = await _budi(office)
    await office.send(budi, "Question one")
    await office.send(budi, "Question two")  # waits for Budi's next turn, a minute on
    await office.send(siti, "Pertanyaan pertama")  # Siti's first goes at once
    await office.send(siti, "Pertanyaan kedua")  # hers was sent: not added to it (nor Budi's)
    assert [m.text.count("Pertanyaan") for m in _group(office)] == [0, 1]
    clock.advance(seconds=61)
    await sender_of(office.app).run()
    forwards = [m.text for m in _group(office)]
    assert len(forwards) == 4
    assert any("Question two" in f and "Question one" not in f for f in forwards)
    assert any("Pertanyaan kedua" in f and "Pertanyaan pertama" not in f for f in forwards)


async def test_nothing_is_added_to_a_forward_a_sender_has_claimed(
    office: BotHarness, sessions: SessionFactory, clock: FakeClock
) -> None:
    office.auto_send = False
    asker = Asker(4444, 4444, "Wayan", None, "id")
    async with sessions() as session:
        first = await ask_staff(session, asker, "satu", STAFF_CHAT, clock())
    async with sessions() as session:  # a sender claims it, and is about to render it
        [claimed] = await outbox.claim(session, "worker:h:1:a", 10, clock(), timedelta(minutes=5))
    async with sessions() as session:
        second = await ask_staff(session, asker, "dua", STAFF_CHAT, clock())
    assert (first, second) == (Asked.FORWARDED, Asked.FORWARDED)  # "dua" gets its own
    async with sessions() as session:
        texts = list(
            await session.scalars(select(HelpdeskMessage.text).order_by(HelpdeskMessage.id))
        )
    assert texts == ["satu", "dua"] and claimed.kind == Kind.HELPDESK_QUESTION.value


async def test_a_receipt_goes_before_bulk_sends_and_only_for_the_replies_answered(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    now = clock()
    replies = [
        NewDelivery(
            kind=Kind.HELPDESK_REPLY, key=f"helpdesk-reply:{STAFF_CHAT}:{n}", chat_id=4000 + n,
            payload={"staff_chat_id": STAFF_CHAT}, priority=NOTICE, due_at=now,
        )
        for n in (1, 2)
    ]  # fmt: skip
    bulk = [
        NewDelivery(kind=Kind.SURVEY, key=f"survey:{n}", chat_id=5000 + n, due_at=now)
        for n in range(5)
    ]
    async with sessions() as session:
        await enqueue(session, [*replies, *bulk], now - timedelta(minutes=1))
        answered = await session.scalar(select(Delivery.id).where(Delivery.key == replies[0].key))
        await session.execute(
            update(Delivery)
            .where(Delivery.kind == Kind.HELPDESK_REPLY.value)
            .values(state=DeliveryState.SENT)
        )
        await session.commit()
    assert answered is not None
    async with sessions() as session:
        assert await queue_receipts(session, [answered], now) == 1  # not the other reply's
    async with sessions() as session:
        [first] = await outbox.claim(session, "worker:h:1:a", 1, now, timedelta(minutes=5))
    assert first.kind == Kind.HELPDESK_RECEIPT.value  # before the five bulk rows due earlier


async def test_staff_typing_outside_a_step_is_not_forwarded(office: BotHarness) -> None:
    staff = office.user(ADMIN_ID, "Bu Rina")
    [answer] = await office.send(staff, "coba coba")
    assert "belum bisa membaca" in answer.text
    assert _group(office) == []


async def test_a_role_holder_typing_outside_a_step_is_not_forwarded(office: BotHarness) -> None:
    """Staff with a role (not in ADMIN_IDS) are staff here too: their words are not a question
    from a participant, with or without a command sent first since the bot started."""
    volunteer = office.user(7070, "Mas Doni")
    await grant(office, 7070, Role.CHECKIN)
    [answer] = await office.send(volunteer, "coba coba")
    assert "belum bisa membaca" in answer.text
    assert _group(office) == []
    async with office.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(HelpdeskMessage)) == 0


async def test_help_and_start_name_the_office_and_its_contact(office: BotHarness) -> None:
    person = office.user(5151, "Dewi")
    [help_text] = await office.send(person, "/bantuan")
    assert ORG in help_text.text and CONTACT in help_text.text
    assert "Tulis saja di chat ini" in help_text.text
    [welcome] = await office.send(person, "/start")
    assert f"Ini bot pelatihan {ORG}." in welcome.text and CONTACT in welcome.text
    assert "Dinas Koperasi dan Usaha Mikro" not in welcome.text


async def test_without_a_staff_group_people_are_pointed_to_the_office(
    harness: BotHarness,
) -> None:
    person = harness.user(5252, "Dewi")
    [answer] = await harness.send(person, "Halo, saya mau tanya")
    assert "tidak bisa diteruskan" in answer.text
    assert "hubungi petugas Dinas Koperasi dan Usaha Mikro" in answer.text
    assert harness.tg.calls_of("sendMessage")[-1]["chat_id"] == 5252


async def test_a_very_long_message_is_cut_to_fit_the_group(office: BotHarness) -> None:
    siti = await _siti(office)
    [ack] = await office.send(siti, "tolong " * 1000)
    assert "sudah kami teruskan" in ack.text
    [question] = _group(office)
    assert question.text.count("tolong") < 300 and "[…]" in question.text


# ---- voice notes, photos and files ---------------------------------------------------------


async def test_a_voice_note_goes_to_the_group_and_a_voice_reply_comes_back(
    office: BotHarness,
) -> None:
    siti = await _siti(office)
    siti.send_voice()
    await office.deliver()
    assert "sudah kami teruskan ke petugas" in siti.last().text

    [question] = _group(office)
    assert question.method == "copyMessage" and question.media_kind == "voice"
    assert question.text.startswith("❓ Pesan dari peserta · 🎤 pesan suara")
    assert "Siti Aminah" in question.text and "0812-3456-7801" in question.text
    assert "KP-2026-01 · Kain Perca" in question.text  # who asked, in the caption

    staff = _staff(office)
    staff.send_voice(reply_to=question)
    await office.deliver()
    reply = siti.last()
    assert reply.method == "copyMessage" and reply.media_kind == "voice"
    assert reply.text.startswith("💬 Balasan dari petugas " + ORG)
    assert _group(office)[-1].text == "✅ Terkirim ke Siti Aminah."


async def test_a_photo_with_a_caption_and_a_text_reply(office: BotHarness) -> None:
    siti = await _siti(office)
    siti.send_photo(caption="Ini struk pembayaran saya <lunas>")
    await office.deliver()
    [question] = _group(office)
    assert question.media_kind == "photo"
    assert "🖼 foto" in question.text and "Ini struk pembayaran saya <lunas>" in question.text

    _staff(office).send_text("Terima kasih, Bu, sudah kami catat.", reply_to=question)
    await office.deliver()
    reply = siti.last()
    assert reply.method == "sendMessage" and "sudah kami catat" in reply.text
    assert _group(office)[-1].text == "✅ Terkirim ke Siti Aminah."


async def test_a_document_both_ways(office: BotHarness) -> None:
    siti = await _siti(office)
    await office.send(siti, "Bu, ini proposal usaha saya")
    siti.send_document("proposal.pdf", b"%PDF-1.4 proposal", caption="mohon dicek")
    await office.deliver()
    # The words went at once, so the file is a forward of its own, a turn later.
    [text_question] = _group(office)
    assert "proposal usaha saya" in text_question.text
    async with office.sessions() as session:
        await session.execute(update(Delivery).values(due_at=office.clock()))
        await session.commit()
    await sender_of(office.app).run()
    _, file_question = _group(office)
    assert file_question.media_kind == "document" and "📎 dokumen" in file_question.text
    assert "mohon dicek" in file_question.text

    staff = _staff(office)
    staff.send_document("jadwal.pdf", b"%PDF-1.4 jadwal", reply_to=file_question, caption="Ini")
    await office.deliver()
    reply = siti.last()
    assert reply.media_kind == "document"
    assert reply.media and reply.media["document"]["file_name"] == "jadwal.pdf"
    assert "Balasan dari petugas" in reply.text and "Ini" in reply.text


async def test_words_and_a_photo_within_a_minute_make_one_forward(
    office: BotHarness, clock: FakeClock
) -> None:
    siti = await _siti(office)
    await office.send(siti, "pesan pertama")  # goes at once
    await office.send(siti, "ini fotonya:")  # waits for the next turn
    siti.send_photo(caption="produk saya")
    siti.send_photo()  # the waiting forward carries a photo already: a turn of its own
    await office.deliver()
    assert len(_group(office)) == 1
    clock.advance(seconds=61)
    await sender_of(office.app).run()
    _, second = _group(office)
    assert second.media_kind == "photo"
    assert "ini fotonya:\nproduk saya" in second.text
    clock.advance(seconds=61)
    await sender_of(office.app).run()
    third = _group(office)[2]
    assert third.media_kind == "photo" and "<blockquote>" not in third.html


async def test_a_sticker_outside_a_step_gets_a_hint(office: BotHarness) -> None:
    siti = await _siti(office)
    siti.send_sticker()
    await office.deliver()
    assert "tetapi tidak yang ini" in siti.last().text
    assert _group(office) == []


async def test_a_photo_during_a_step_gets_the_steps_hint_not_a_forward(
    office: BotHarness,
) -> None:
    async with office.sessions() as session:
        await make_training(session, "KP-2026-01", title="Kain Perca", capacity=5)
    user = office.user(5151)
    [listing] = await office.send(user, "/daftar")
    await office.press(user, listing, "Kain Perca")
    await office.press(user, listing, "setuju")
    before = len(user.messages())
    user.send_photo()
    await office.deliver()
    hint, question = user.messages()[before:]
    assert "Mohon ketik" in hint.text and "nama" in question.text.lower()
    assert _group(office) == []


async def test_after_someone_deletes_their_data_their_voice_note_is_not_answered(
    office: BotHarness,
) -> None:
    siti = await _siti(office)
    siti.send_voice()
    await office.deliver()
    [question] = _group(office)
    async with office.sessions() as session:
        participant_id = await session.scalar(select(HelpdeskMessage.participant_id))
        assert participant_id is not None
        await forget_messages(session, [participant_id])
        await session.commit()
        row = await session.scalar(select(HelpdeskMessage))
        assert row is not None and row.media is None and row.media_message_id is None
    _staff(office).send_voice(reply_to=question)
    await office.deliver()
    assert "sudah menghapus datanya" in _group(office)[-1].text


async def test_a_photo_with_a_long_caption_and_many_registrations_fits_one_caption(
    office: BotHarness,
) -> None:
    siti = await _siti(office)
    async with office.sessions() as session:
        for number in range(3, 8):
            training = await make_training(
                session, f"PL-2026-{number:02d}", title="Pelatihan " + "Panjang " * 12, capacity=5
            )
            person = await session.scalar(
                select(Participant).where(Participant.telegram_id == PARTICIPANT)
            )
            assert person is not None
            await register(session, person, training)
    siti.send_photo(caption="Struk " + "pembayaran " * 150)
    await office.deliver()
    [question] = _group(office)  # the fake refuses a caption over 1024 characters
    assert question.media_kind == "photo" and len(question.text) <= 1024
    assert question.text.endswith("dikirim ke peserta.") and CUT.strip() in question.text
    assert "… dan 5 lainnya" in question.text  # two of seven registrations listed
