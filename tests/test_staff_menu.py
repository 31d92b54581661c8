"""The staff side at a glance: /start shows staff their menu (the participant menu a tap
away), staff help, the command lists per language, one label per thing on every staff screen,
and an announcement picker that names each training with its date and count."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.models import RegistrationStatus
from bot.runtime.commands import STAFF_COMMANDS
from bot.texts import CATALOG, t
from bot.texts.labels import ICONS, button_text, label
from tests.conftest import ADMIN_ID
from tests.harness import BotHarness
from tests.staff_factories import make_participant, make_training, populate, register


def labels_of(buttons: list[tuple[str, str | None]]) -> list[str]:
    """The visible labels of a message's buttons."""
    return [text for text, _ in buttons]


async def test_staff_start_shows_the_staff_menu_and_the_participant_menu_is_a_tap_away(
    harness: BotHarness,
) -> None:
    await populate(harness.sessions, confirmed=2, waiting=1)
    staff = harness.user(ADMIN_ID, "Ani")
    [menu] = await harness.send(staff, "/start")
    assert "Menu staf" in menu.text and "KP-2026-01" in menu.text
    assert labels_of(menu.buttons()) == [
        button_text("new_training", "id"),
        "KP-2026-01 · Pelatihan Kain Perca dan Melukis Kain",
        button_text("announce", "id"),
        button_text("help", "id"),
        button_text("participant_menu", "id"),
    ]
    await harness.press(staff, menu, button_text("participant_menu", "id"))
    assert "Halo, Ani!" in menu.text
    assert labels_of(menu.buttons()) == [
        t("menu.register"),
        t("menu.my"),
        t("menu.help"),
        t("menu.language"),
        button_text("staff_menu", "id"),
    ]
    [listing] = await harness.press(staff, menu, t("menu.register"))
    assert "Pelatihan yang dibuka" in listing.text  # the participant menu works for staff too
    await harness.send(staff, "/batal")
    await harness.press(staff, menu, button_text("staff_menu", "id"))
    assert "Menu staf" in menu.text

    # A deep link still opens registration for staff; participants see their own menu.
    replies = await harness.send(staff, "/start KP-2026-01")
    assert "Pelatihan Kain Perca dan Melukis Kain" in replies[0].text
    assert not any("Menu staf" in m.text for m in replies)
    [welcome] = await harness.send(harness.user(333, "Tono"), "/start")
    assert "Halo, Tono!" in welcome.text and "Menu staf" not in welcome.text
    assert button_text("staff_menu", "id") not in labels_of(welcome.buttons())


HELP_LINES = {
    "id": (
        "/admin — Menu staf: semua pelatihan; buat, ubah, terbitkan, bagikan",
        "/peserta — Peserta: jumlah per status dan daftar peserta",
        "/umumkan — Umumkan: kirim pesan ke peserta",
        "/ekspor — Ekspor: daftar peserta sebagai file Excel",
        "/hadir — Hadir: catat kehadiran hari ini",
        "/batal — berhenti mengisi",
        "Bagikan: halaman pelatihan → Bagikan",
        "published: false",
    ),
    "en": (
        "/admin — Staff menu:",
        "/participants — Participants:",
        "/broadcast — Announce:",
        "/export — Export:",
        "/checkin — Check-in:",
        "/cancel — stop filling in",
        "Share: a training's page → Share",
    ),
}


@pytest.mark.parametrize(("lang", "command"), [("id", "/bantuan"), ("en", "/help")])
async def test_staff_help_names_every_staff_command_and_what_it_does(
    harness: BotHarness, lang: str, command: str
) -> None:
    staff = harness.user(ADMIN_ID, "Ani")
    if lang == "en":
        await harness.send(staff, "/language")
        await harness.press(staff, staff.last(), "English")
    [help_text] = await harness.send(staff, command)
    assert help_text.text.startswith(label("help", lang))
    missing = [line for line in HELP_LINES[lang] if line not in help_text.text]
    assert not missing, help_text.text


async def test_staff_help_from_the_menu_and_back(harness: BotHarness) -> None:
    staff = harness.user(ADMIN_ID, "Ani")
    [typed] = await harness.send(staff, "/bantuan")
    menu = (await harness.send(staff, "/start"))[-1]
    [help_text] = await harness.press(staff, menu, button_text("help", "id"))
    assert help_text.text == typed.text
    await harness.press(staff, help_text, button_text("staff_menu", "id"))
    assert help_text.text.startswith("Menu staf")
    [participant_help] = await harness.send(harness.user(333), "/bantuan")
    assert participant_help.text.startswith("Bantuan") and "/admin" not in participant_help.text


def _commands(harness: BotHarness, **scope: Any) -> dict[str | None, list[dict[str, str]]]:
    """The command lists set for a scope, by language code."""
    return {
        call.get("language_code"): call["commands"]
        for call in harness.tg.calls_of("setMyCommands")
        if call.get("scope") == scope
    }


async def test_staff_command_lists_are_published_per_language(harness: BotHarness) -> None:
    lists = _commands(harness, type="chat", chat_id=ADMIN_ID)
    assert set(lists) == {None, "id", "en"}
    indonesian = {c["command"]: c["description"] for c in lists["id"]}
    english = {c["command"]: c["description"] for c in lists["en"]}
    assert indonesian["peserta"] == f"{label('participants', 'id')} — " + t(
        "does.participants", "id"
    )
    assert english["participants"].startswith("Participants — ")
    assert {name for name, _, _, _ in STAFF_COMMANDS} <= set(indonesian)
    assert {english_name for _, english_name, _, _ in STAFF_COMMANDS} <= set(english)
    assert lists[None] == lists["id"]  # the office's language by default
    participants = _commands(harness, type="all_private_chats")
    assert "admin" not in {c["command"] for c in participants[None]}


def test_each_label_has_one_key() -> None:
    """No two labels read the same: a label is reused by key, never copied."""
    for lang in (0, 1):
        texts = [pair[lang] for key, pair in CATALOG.items() if key.startswith("label.")]
        assert len(texts) == len(set(texts)), sorted(texts)
    assert set(ICONS) <= {key.removeprefix("label.") for key in CATALOG}


async def test_every_button_of_a_training_page_is_a_label(harness: BotHarness) -> None:
    async with harness.sessions() as session:
        await make_training(session, days=(date(2026, 12, 1),))
    staff = harness.user(ADMIN_ID, "Ani")
    [page] = await harness.send(staff, "/admin")
    await harness.press(staff, page, "KP-2026-01")
    names = ("edit", "share", "close", "participants", "export", "attendance", "documents")
    assert labels_of(page.buttons()) == [
        *(button_text(name, "id") for name in names),
        button_text("cancel_training", "id"),
        button_text("back", "id"),
    ]
    assert f"{label('participants', 'id')}: 0/30" in page.text
    # Elsewhere the same label is the same key: the attendance sheet's way to the list.
    await harness.press(staff, page, button_text("attendance", "id"))
    assert "Kehadiran" in page.text
    assert button_text("participants", "id") in labels_of(page.buttons())


async def test_the_announcement_picker_names_each_training_with_date_and_count(
    harness: BotHarness,
) -> None:
    async with harness.sessions() as session:
        first = await make_training(session, "KP-01", title="Kain Perca", capacity=2)
        later = await make_training(
            session, "KP-02", title="Kain Perca", days=(date(2027, 1, 12), date(2027, 1, 13))
        )
        for number, (training, status) in enumerate(
            [
                (first, RegistrationStatus.CONFIRMED),
                (first, RegistrationStatus.CONFIRMED),
                (first, RegistrationStatus.WAITLISTED),
                (later, RegistrationStatus.CONFIRMED),
            ]
        ):
            person = await make_participant(session, 700 + number, f"Peserta {number}")
            await register(session, person, training, status)
    staff = harness.user(ADMIN_ID, "Ani")
    [menu] = await harness.send(staff, "/start")
    [ask] = await harness.press(staff, menu, button_text("announce", "id"))
    assert ask.text == t("announce.choose_audience")
    await harness.press(staff, ask, "Peserta terdaftar")
    assert ask.text == t("staff.choose_training")
    assert labels_of(ask.buttons()) == [
        "Kain Perca · 12 Jan · 1 peserta",
        "Kain Perca · 8 Des · 2 peserta",
    ]
    await harness.send(staff, "/batal")
    [ask] = await harness.send(staff, "/umumkan")
    await harness.press(staff, ask, "Daftar tunggu")
    assert labels_of(ask.buttons()) == [
        "Kain Perca · 12 Jan · 0 di daftar tunggu",
        "Kain Perca · 8 Des · 1 di daftar tunggu",
    ]
    await harness.press(staff, ask, "8 Des")
    assert "(1 penerima)" in ask.text
