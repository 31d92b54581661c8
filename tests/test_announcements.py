"""Staff announcements through the chat: audiences, preview, escaping, refusals, sending once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from bot.db import SessionFactory
from bot.models import (
    Announcement,
    AnnouncementState,
    Delivery,
    Participant,
    RegistrationStatus,
)
from bot.playground.botapi import FakeTelegram, FakeUser, SentMessage
from bot.runtime.context import BotApplication
from bot.services.announcements import MAX_TEXT_CHARS
from bot.services.outbox import Kind
from bot.settings import Settings
from bot.texts import t
from jobs import outbox as outbox_job
from jobs.outbox import JOB_NAME, sender_of
from tests.announce_factories import make_participants, make_training, register, training_with
from tests.conftest import ADMIN_ID
from tests.harness import BotHarness, FakeClock
from tests.reminder_fixtures import claim_due, mark_leaving


@pytest.fixture
async def fast(
    settings: Settings, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> AsyncIterator[BotHarness]:
    """The bot with a high BROADCAST_RATE, for tests that are not about the rate."""
    bot = BotHarness(replace(settings, broadcast_rate=1000), sessions, tg, clock)
    await bot.start()
    yield bot
    await bot.stop()


async def _write_announcement(
    harness: BotHarness, staff: FakeUser, audience: str, training_label: str | None, text: str
) -> list[SentMessage]:
    """Staff go through the conversation up to the preview; returns the preview messages."""
    menu = (await harness.send(staff, "/umumkan"))[-1]
    await harness.press(staff, menu, audience)
    if training_label is not None:
        await harness.press(staff, menu, training_label)
    return await harness.send(staff, text)


async def run_announcements(app: BotApplication) -> None:
    """What the sender job does: send everything due, then the report."""
    await sender_of(app).run()


async def send_batches(app: BotApplication, batches: int) -> None:
    """A sender that claims `batches` batches and then stops (as the bot does when stopped)."""
    checks = iter([True] * (batches + 1))  # run's own look, then one look per claim
    await sender_of(app).run(lambda: next(checks, False))


async def _announcements(sessions: SessionFactory) -> list[Announcement]:
    async with sessions() as session:
        return list((await session.execute(select(Announcement))).scalars())


async def test_staff_announce_to_confirmed_participants(
    fast: BotHarness, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> None:
    fast.auto_send = False  # this test decides when the sender runs
    training = await training_with(sessions, clock(), [501, 502], title="Kain Perca & Batik")
    waiting = await make_participants(sessions, clock(), [503])
    await register(sessions, clock(), training.id, waiting, RegistrationStatus.WAITLISTED)
    staff = fast.user(ADMIN_ID, "Ani")

    menu = (await fast.send(staff, "/umumkan"))[-1]
    assert menu.text == t("announce.choose_audience")
    assert len(menu.buttons()) == 3
    await fast.press(staff, menu, "Peserta terdaftar")
    assert menu.text == t("staff.choose_training")
    # Each training named by title, first day and how many the audience holds there.
    assert [label for label, _ in menu.buttons()] == ["Kain Perca & Batik · 8 Des · 2 peserta"]
    await fast.press(staff, menu, "Kain Perca & Batik · 8 Des")
    assert "Kain Perca &amp; Batik" not in menu.text  # shown escaped, seen as typed
    assert "Kain Perca & Batik" in menu.text and "(2 penerima)" in menu.text

    header, preview, confirm = await fast.send(staff, "Besok bawa <gunting> & kain perca.")
    assert header.text == t("announce.preview_header")
    assert preview.text == (
        "📢 Pengumuman — Kain Perca & Batik\n\nBesok bawa <gunting> & kain perca."
    )
    assert "<b>2</b>" in confirm.html
    await fast.press(staff, confirm, "Kirim")
    assert confirm.text == t("announce.progress_starting")

    await run_announcements(fast.app)
    for chat in (501, 502):
        received = tg.sent_to(chat)
        assert [m.html for m in received] == [preview.html]
    assert tg.sent_to(503) == []
    assert "2 dari 2" in confirm.text
    report = staff.last()
    assert "Terkirim: 2" in report.text and "Memblokir bot: 0" in report.text
    assert "Gagal: 0" in report.text and "Tidak pasti" not in report.text
    (announcement,) = await _announcements(sessions)
    assert announcement.state is AnnouncementState.DONE
    assert announcement.created_by == ADMIN_ID


async def test_waiting_list_and_everyone(
    fast: BotHarness, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> None:
    now = clock()
    first = await training_with(sessions, now, [601, 602])
    second = await make_training(sessions, now, title="Melukis Kain")
    waiting = await make_participants(sessions, now, [603], language="en")
    await register(sessions, now, second.id, waiting, RegistrationStatus.WAITLISTED)
    await make_participants(sessions, now, [604])  # never registered: never announced to
    staff = fast.user(ADMIN_ID)

    *_, confirm = await _write_announcement(
        fast, staff, "Daftar tunggu", f"ann:tr:{second.id}", "Masih ada harapan"
    )
    await fast.press(staff, confirm, "Kirim")
    await run_announcements(fast.app)
    # Each participant reads the header in their own language.
    assert tg.sent_to(603)[-1].text == "📢 Announcement — Melukis Kain\n\nMasih ada harapan"
    assert tg.sent_to(601) == []

    *_, confirm = await _write_announcement(
        fast, staff, "Semua yang pernah", None, "Kantor tutup hari Jumat"
    )
    assert "<b>3</b>" in confirm.html
    await fast.press(staff, confirm, "Kirim")
    await run_announcements(fast.app)
    for chat in (601, 602, 603):
        assert tg.sent_to(chat)[-1].text.endswith("Kantor tutup hari Jumat")
    assert tg.sent_to(604) == []
    assert first.id != second.id


async def test_markup_typed_literally_stays_literal_and_formatting_is_kept(
    fast: BotHarness, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> None:
    training = await training_with(sessions, clock(), [701])
    staff = fast.user(ADMIN_ID)
    menu = (await fast.send(staff, "/umumkan"))[-1]
    await fast.press(staff, menu, "Peserta terdaftar")
    await fast.press(staff, menu, f"ann:tr:{training.id}")
    # "Penting" in bold and "gunting" in italic via Telegram's formatting, the rest typed.
    text = "Penting: bawa gunting <b>bukan</b> pisau & lem"
    staff._message(
        text=text,
        entities=[
            {"type": "bold", "offset": 0, "length": 8},
            {"type": "italic", "offset": 14, "length": 7},
        ],
    )
    before = len(staff.messages())
    await fast.deliver()
    _, preview, confirm = staff.messages()[before:]
    assert preview.text.endswith(text)
    assert "<b>Penting:</b> bawa <i>gunting</i> &lt;b&gt;bukan&lt;/b&gt; pisau &amp; lem" in (
        preview.html
    )
    await fast.press(staff, confirm, "Kirim")
    await run_announcements(fast.app)
    assert [m.html for m in tg.sent_to(701)] == [preview.html]


async def test_bad_text_and_wrong_messages_get_a_hint(
    fast: BotHarness, sessions: SessionFactory, clock: FakeClock
) -> None:
    training = await training_with(sessions, clock(), [801])
    staff = fast.user(ADMIN_ID)
    menu = (await fast.send(staff, "/umumkan"))[-1]
    assert (await fast.send(staff, "halo"))[-1].text == t("announce.buttons_expected")
    await fast.press(staff, menu, "Peserta terdaftar")
    await fast.press(staff, menu, f"ann:tr:{training.id}")

    too_long = "a" * (MAX_TEXT_CHARS + 1)
    (reply,) = await fast.send(staff, too_long)
    assert reply.text == t(
        "announce.text_too_long", "id", length=MAX_TEXT_CHARS + 1, limit=MAX_TEXT_CHARS
    )
    staff.send_sticker()
    await fast.deliver()
    assert staff.last().text == t("announce.text_expected")
    replies = await fast.send(staff, "a" * MAX_TEXT_CHARS)
    assert len(replies) == 3  # the longest allowed text still fits in one message
    assert await _announcements(sessions)


async def test_cancel_and_leave_send_nothing(
    fast: BotHarness, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> None:
    training = await training_with(sessions, clock(), [901])
    staff = fast.user(ADMIN_ID)
    *_, confirm = await _write_announcement(
        fast, staff, "Peserta terdaftar", f"ann:tr:{training.id}", "Satu"
    )
    send = confirm.callback_for("Kirim")
    await fast.press(staff, confirm, "Berhenti")
    assert confirm.text == t("announce.cancelled")
    staff.press_data(confirm, send)  # the old preview's button
    await fast.deliver()
    assert fast.answers()[-1]["text"] == t("announce.already_started")

    *_, second = await _write_announcement(
        fast, staff, "Peserta terdaftar", f"ann:tr:{training.id}", "Dua"
    )
    assert (await fast.send(staff, "/batal"))[-1].text == t("stopped")
    await fast.press(staff, second, "Kirim")
    assert fast.answers()[-1]["text"] == t("announce.already_started")

    await run_announcements(fast.app)
    assert tg.sent_to(901) == []
    states = {a.state for a in await _announcements(sessions)}
    assert states == {AnnouncementState.CANCELLED}


async def test_no_recipients_ends_the_conversation(
    fast: BotHarness, sessions: SessionFactory, clock: FakeClock
) -> None:
    training = await make_training(sessions, clock())
    staff = fast.user(ADMIN_ID)
    menu = (await fast.send(staff, "/umumkan"))[-1]
    await fast.press(staff, menu, "Daftar tunggu")
    await fast.press(staff, menu, f"ann:tr:{training.id}")
    assert menu.text == t("announce.no_recipients")


async def test_anyone_else_is_refused_even_with_forged_buttons(
    fast: BotHarness, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> None:
    training = await training_with(sessions, clock(), [1001])
    staff = fast.user(ADMIN_ID)
    *_, confirm = await _write_announcement(
        fast, staff, "Peserta terdaftar", f"ann:tr:{training.id}", "Rahasia"
    )
    (draft,) = await _announcements(sessions)

    stranger = fast.user(1001, "Budi")
    for command in ("/umumkan", "/broadcast"):
        (reply,) = await fast.send(stranger, command)
        assert reply.text == t("error.not_staff")
    forged = [
        f"ann:send:{draft.id}",
        f"ann:drop:{draft.id}",
        "ann:aud:confirmed",
        f"ann:tr:{training.id}",
        "ann:start",
        "ann:send:abc",
        "ann:",
        "ann:send:1:2:3",
    ]
    for data in forged:
        stranger.press_data(confirm, data)
        await fast.deliver()
        answer = fast.answers()[-1]
        assert answer["text"] == t("error.not_staff") and answer.get("show_alert")
    assert [m.text for m in stranger.messages()] == [t("error.not_staff")] * 2
    (still,) = await _announcements(sessions)
    assert still.state is AnnouncementState.DRAFT
    await run_announcements(fast.app)
    assert len(tg.sent_to(1001)) == 2

    # Staff with a forged button get the plain stale-button answer.
    staff.press_data(confirm, "ann:send:zz")
    await fast.deliver()
    assert fast.answers()[-1]["text"] == t("error.stale_button")


async def test_double_tap_on_kirim_sends_once(
    fast: BotHarness, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> None:
    chats = list(range(1100, 1110))
    training = await training_with(sessions, clock(), chats)
    staff = fast.user(ADMIN_ID)
    *_, confirm = await _write_announcement(
        fast, staff, "Peserta terdaftar", f"ann:tr:{training.id}", "Sekali saja"
    )
    send = confirm.callback_for("Kirim")
    staff.press_data(confirm, send)
    staff.press_data(confirm, send)
    await fast.deliver(concurrently=True)
    assert fast.answers()[-1]["text"] == t("announce.already_started")
    await run_announcements(fast.app)
    await run_announcements(fast.app)

    # A new conversation does not revive the old preview either.
    await fast.send(staff, "/umumkan")
    staff.press_data(confirm, send)
    await fast.deliver()
    await run_announcements(fast.app)

    for chat in chats:
        assert len(tg.sent_to(chat)) == 1
    (announcement,) = await _announcements(sessions)
    async with sessions() as session:
        rows = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.kind == Kind.ANNOUNCEMENT)
        )
    assert rows == len(chats)
    assert announcement.state is AnnouncementState.DONE
    assert sum("Terkirim: 10" in text for text in staff.texts()) == 1


async def test_announcement_to_500_with_blocks_429s_and_a_restart(
    fast: BotHarness,
    sessions: SessionFactory,
    tg: FakeTelegram,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast.auto_send = False  # this test decides when the sender runs
    monkeypatch.setattr(outbox_job, "batch_size", lambda _rate: 150)
    chats = list(range(700_000, 700_500))
    training = await training_with(sessions, clock(), chats)
    blocked = set(chats[7::25])
    assert len(blocked) == 20
    for chat in blocked:
        tg.block(chat)
    for chat in (chats[3], chats[160], chats[420]):
        tg.fail_next("sendMessage", chat, code=429, retry_after=1)
    staff = fast.user(ADMIN_ID)
    *_, confirm = await _write_announcement(
        fast, staff, "Peserta terdaftar", f"ann:tr:{training.id}", "Jadwal hari kedua berubah."
    )
    await fast.press(staff, confirm, "Kirim")

    # The first process gets through part of the list, then stops (a restart).
    await send_batches(fast.app, 2)
    assert sum(len(tg.sent_to(c)) for c in chats) < 300
    await fast.restart()
    jobs = fast.app.job_queue.get_jobs_by_name(JOB_NAME) if fast.app.job_queue else ()
    assert len(jobs) == 1
    await run_announcements(fast.app)  # what the job does after the restart
    await run_announcements(fast.app)  # and again on its next tick: nothing left

    for chat in chats:
        expected = 0 if chat in blocked else 1
        assert len(tg.sent_to(chat)) == expected, chat
    report = staff.last().text
    assert "Terkirim: 480" in report
    assert "Memblokir bot: 20" in report
    assert "Gagal: 0" in report and "Tidak pasti" not in report
    assert tg.too_many_requests == 3
    async with sessions() as session:
        unreachable = await session.scalar(
            select(func.count()).where(Participant.unreachable_at.is_not(None))
        )
    assert unreachable == 20


async def test_stale_claims_after_a_crash_are_unknown_not_resent(
    fast: BotHarness, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> None:
    fast.auto_send = False  # this test decides when the sender runs
    chats = list(range(1200, 1210))
    training = await training_with(sessions, clock(), chats)
    staff = fast.user(ADMIN_ID)
    *_, confirm = await _write_announcement(
        fast, staff, "Peserta terdaftar", f"ann:tr:{training.id}", "Info"
    )
    await fast.press(staff, confirm, "Kirim")
    # A process began to send three rows and died before recording any answer.
    lost = await claim_due(sessions, clock(), "crashed", 3)
    for item in lost:
        assert await mark_leaving(sessions, item.id, "crashed", clock())
    await fast.restart()
    await run_announcements(fast.app)
    assert sum(len(tg.sent_to(c)) for c in chats) == 7
    assert "Terkirim" not in staff.last().text  # not finished while those rows are open

    clock.advance(seconds=fast.settings.stale_claim_seconds + 1)
    await run_announcements(fast.app)
    for item in lost:
        assert tg.sent_to(item.chat_id) == []
    report = staff.last().text
    assert "Terkirim: 7" in report and "Tidak pasti (koneksi terputus" in report
    assert report.rstrip().endswith(": 3")


async def test_the_job_is_installed_once_with_a_stable_name(harness: BotHarness) -> None:
    assert harness.app.job_queue is not None
    assert len(harness.app.job_queue.get_jobs_by_name(JOB_NAME)) == 1
    await harness.restart()
    assert harness.app.job_queue is not None
    assert len(harness.app.job_queue.get_jobs_by_name(JOB_NAME)) == 1


async def test_the_conversation_survives_a_restart(
    fast: BotHarness, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> None:
    training = await training_with(sessions, clock(), [1501])
    staff = fast.user(ADMIN_ID)
    menu = (await fast.send(staff, "/umumkan"))[-1]
    await fast.press(staff, menu, "Peserta terdaftar")
    await fast.restart()
    await fast.press(staff, menu, f"ann:tr:{training.id}")
    await fast.restart()
    *_, confirm = await fast.send(staff, "Sampai jumpa besok")
    await fast.restart()
    await fast.press(staff, confirm, "Kirim")
    await run_announcements(fast.app)
    assert [m.text.splitlines()[-1] for m in tg.sent_to(1501)] == ["Sampai jumpa besok"]
