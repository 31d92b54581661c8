"""In a group chat the bot shows nothing personal: commands and buttons point to a private chat."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import pytest
from sqlalchemy import select

from bot.db import SessionFactory
from bot.models import Participant, RegistrationStatus
from bot.playground.botapi import BOT_USERNAME, FakeTelegram, FakeUser, SentMessage
from bot.settings import Settings
from tests.conftest import ADMIN_ID
from tests.harness import BotHarness, FakeClock
from tests.staff_factories import make_participant, populate, register

POINTER = "Saya hanya melayani lewat chat pribadi"
PARTICIPANT_ID = 555
PHONE = "+6281234567890"
STAFF_CHAT = -1001987654321


async def _people(harness: BotHarness) -> int:
    """A training with registrations, one of them the participant who writes in the group."""
    training, _ = await populate(harness.sessions, confirmed=2, waiting=1)
    async with harness.sessions() as session:
        person = await make_participant(session, PARTICIPANT_ID, "Siti Rahayu", phone=PHONE)
        await register(session, person, training, RegistrationStatus.CONFIRMED)
    return training.id


def _assert_only_pointers(messages: list[SentMessage], count: int) -> None:
    assert len(messages) == count, [m.text for m in messages]
    for message in messages:
        assert message.method == "sendMessage" and message.document is None
        assert message.text.startswith(POINTER)
        assert message.buttons() == [("💬 Buka chat pribadi", f"https://t.me/{BOT_USERNAME}")]


@pytest.mark.parametrize(
    ("sender", "commands"),
    [
        (ADMIN_ID, ["/ekspor KP-2026-01", "/ekspor", "/peserta KP-2026-01", "/admin", "/hadir"]),
        (ADMIN_ID, ["/export@pelatihan_test_bot KP-2026-01", "/umumkan"]),
        (PARTICIPANT_ID, ["/saya", "/datasaya", "/hapusdata", "/daftar", "/start"]),
    ],
)
async def test_commands_in_a_group_only_point_to_a_private_chat(
    harness: BotHarness, sender: int, commands: list[str]
) -> None:
    await _people(harness)
    person = harness.user(sender, "Staf")
    group = person.in_group()
    for command in commands:
        await harness.send(group, command)
    _assert_only_pointers(group.messages(), len(commands))
    assert person.messages() == []  # nor was anything sent to the private chat instead
    assert harness.tg.calls_of("sendDocument") == []


async def test_buttons_in_a_group_reveal_nothing(harness: BotHarness) -> None:
    training_id = await _people(harness)
    staff: FakeUser = harness.user(ADMIN_ID, "Staf").in_group()
    [pointer] = await harness.send(staff, "/admin")
    for data in (
        f"exp:{training_id}",
        f"adm:view:{training_id}",
        f"ppl:{training_id}:1",
        "menu:my",
    ):
        staff.press_data(pointer, data)
        await harness.deliver()
    _assert_only_pointers(staff.messages(), 1)
    assert pointer.history == []  # not edited into a list either
    answers = harness.answers()
    assert len(answers) == 4
    assert all(a["show_alert"] and "chat pribadi" in a["text"] for a in answers)
    assert harness.tg.calls_of("sendDocument") == []


async def test_the_pointer_speaks_the_persons_language(harness: BotHarness) -> None:
    await _people(harness)
    async with harness.sessions() as session:
        person = await session.scalar(
            select(Participant).where(Participant.telegram_id == PARTICIPANT_ID)
        )
        assert person is not None
        person.language = "en"
        await session.commit()
    group = harness.user(PARTICIPANT_ID, "Siti").in_group()
    [pointer] = await harness.send(group, "/saya")
    assert pointer.text.startswith("I only help in a private chat")
    assert pointer.buttons() == [("💬 Open a private chat", f"https://t.me/{BOT_USERNAME}")]
    group.press_data(pointer, "menu:my")
    await harness.deliver()
    assert harness.answers()[-1]["text"] == "This button only works in a private chat with the bot."


async def test_group_chatter_is_left_alone_and_private_chats_still_work(
    harness: BotHarness,
) -> None:
    await _people(harness)
    person = harness.user(PARTICIPANT_ID, "Siti")
    group = person.in_group()
    for text in ("halo semua", "081234567890"):
        await harness.send(group, text)
    assert group.messages() == []
    [listing] = await harness.send(person, "/datasaya")
    assert "0812-3456-7890" in listing.text  # PHONE as people write it


@pytest.fixture
async def office(
    settings: Settings, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> AsyncIterator[BotHarness]:
    """The bot of an office whose staff group is `STAFF_CHAT` (the helpdesk's group)."""
    bot = BotHarness(replace(settings, staff_chat_id=STAFF_CHAT), sessions, tg, clock)
    await bot.start()
    yield bot
    await bot.stop()


async def test_the_staff_group_itself_gets_no_lists_either(office: BotHarness) -> None:
    # The staff group is still a group: whoever reads it (a new volunteer, a forwarded
    # screenshot) sees what the bot posts there, so staff's commands point away from it too.
    training_id = await _people(office)
    staff = office.user(ADMIN_ID, "Staf").in_group(STAFF_CHAT, "Staf Dinas")
    commands = ["/ekspor KP-2026-01", "/peserta KP-2026-01", "/admin", "/hadir KP-2026-01"]
    for command in commands:
        await office.send(staff, command)
    _assert_only_pointers(staff.messages(), len(commands))
    pointer = staff.messages()[0]
    staff.press_data(pointer, f"exp:{training_id}")
    await office.deliver()
    assert office.answers()[-1]["show_alert"] and pointer.history == []
    assert office.tg.calls_of("sendDocument") == []
    assert all(PHONE not in m.text and "Siti Rahayu" not in m.text for m in staff.messages())
    assert office.user(ADMIN_ID).messages() == []  # nor sent to the private chat instead
