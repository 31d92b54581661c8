"""/start, /help, /language, and what happens to messages no feature expects."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from telegram import Update
from telegram.ext import CommandHandler

from bot.db import SessionFactory
from bot.models import BotState, Participant
from bot.runtime.context import BotContext
from bot.texts.helpdesk import city_of, free_for
from tests.harness import BotHarness


async def test_start_greets_in_indonesian_with_the_menu(harness: BotHarness) -> None:
    user = harness.user(101, "Siti")
    replies = await harness.send(user, "/start")
    assert len(replies) == 1
    assert "Halo, Siti!" in replies[0].text
    labels = [label for label, _ in replies[0].buttons()]
    assert any("Ikut pelatihan" in label for label in labels)
    assert any("Pelatihan saya" in label for label in labels)
    async with harness.sessions() as session:
        participant = (
            await session.execute(select(Participant).where(Participant.telegram_id == 101))
        ).scalar_one()
    assert participant.language == "id"
    assert participant.chat_id == 101


async def test_markup_in_a_name_is_shown_escaped(harness: BotHarness) -> None:
    user = harness.user(102, "<b>Budi</b> & Co")
    replies = await harness.send(user, "/start")
    assert "Halo, <b>Budi</b> & Co!" in replies[0].text
    assert "&lt;b&gt;Budi&lt;/b&gt; &amp; Co" in replies[0].html


async def test_language_choice_is_stored_and_used(harness: BotHarness) -> None:
    user = harness.user(103, "Ana")
    await harness.send(user, "/start")
    [menu] = await harness.send(user, "/language")
    assert "Pilih bahasa" in menu.text
    await harness.press(user, menu, "English")
    assert menu.text == "Language set to English."
    [help_text] = await harness.send(user, "/bantuan")
    assert "/register" in help_text.text
    await harness.restart()
    [welcome] = await harness.send(user, "/start")
    assert welcome.text.startswith("Hello, Ana!")


async def test_help_by_button(harness: BotHarness) -> None:
    user = harness.user(104)
    [menu] = await harness.send(user, "/start")
    replies = await harness.press(user, menu, "Bantuan")
    assert "/daftar" in replies[0].text


async def test_unknown_command_and_odd_messages_get_a_hint(harness: BotHarness) -> None:
    user = harness.user(105)
    [reply] = await harness.send(user, "/frobnicate")
    assert "Perintah tidak dikenal" in reply.text
    for send in (user.send_sticker, user.send_photo, user.send_voice):
        before = len(user.messages())
        send()
        await harness.deliver()
        assert "belum bisa membaca" in user.messages()[before].text
    [reply] = await harness.send(user, "x" * 5000)
    assert "tidak bisa diteruskan ke petugas" in reply.text  # no staff group configured
    [reply] = await harness.send(user, "/batal")
    assert "Tidak ada yang sedang Anda isi" in reply.text and "/saya" in reply.text


async def test_stale_and_forged_buttons_get_a_polite_answer(harness: BotHarness) -> None:
    user = harness.user(106)
    [menu] = await harness.send(user, "/start")
    for data in ("lang:xx", "lang", "zzz:1:2", "lang:id:extra", "💥" * 10):
        user.press_data(menu, data)
        await harness.deliver()
        answer = harness.answers()[-1]
        assert "tidak berlaku" in answer["text"]
    user.press_data(None, "lang:en")  # a button of a message Telegram no longer has
    await harness.deliver()
    assert harness.answers()[-1].get("text") in (None, "")


@pytest.mark.handler_error
async def test_a_failing_handler_gives_a_short_apology(harness: BotHarness) -> None:
    async def explode(update: Update, context: BotContext) -> None:
        raise RuntimeError("database exploded: secret details")

    harness.app.handlers[0].insert(0, CommandHandler("explode", explode))
    user = harness.user(107)
    [reply] = await harness.send(user, "/explode")
    assert "Maaf, ada gangguan" in reply.text
    assert "secret details" not in reply.text
    assert "Traceback" not in reply.text


async def test_command_lists_are_registered_per_language(harness: BotHarness) -> None:
    lists = harness.tg.commands
    default = next(
        v for (scope, lang), v in lists.items() if "all_private_chats" in scope and not lang
    )
    english = next(
        v for (scope, lang), v in lists.items() if "all_private_chats" in scope and lang == "en"
    )
    assert {c["command"] for c in default} >= {"start", "daftar", "saya", "hapusdata", "batal"}
    assert {c["command"] for c in english} >= {"start", "register", "my", "deletedata", "cancel"}
    assert "umumkan" not in {c["command"] for c in default}
    staff = next(v for (scope, _), v in lists.items() if '"chat"' in scope)
    assert {"admin", "umumkan", "peserta", "ekspor", "hadir"} <= {c["command"] for c in staff}


async def test_language_survives_a_restart_without_a_user_data_row(
    harness: BotHarness, sessions: SessionFactory
) -> None:
    user = harness.user(104, "Ana")
    await harness.send(user, "/start")
    [menu] = await harness.send(user, "/language")
    await harness.press(user, menu, "English")
    async with sessions() as session:
        rows = (await session.execute(select(BotState.kind, BotState.key))).all()
    # The language is the participant's; user_data only caches it, so nothing is stored.
    assert ("user_data", "104") not in rows
    await harness.restart()
    [help_text] = await harness.send(user, "/bantuan")
    assert "/register" in help_text.text


@pytest.mark.handler_error
async def test_the_apology_after_a_restart_is_in_the_users_language(harness: BotHarness) -> None:
    user = harness.user(108, "Ana")
    await harness.send(user, "/start")
    [menu] = await harness.send(user, "/language")
    await harness.press(user, menu, "English")
    await harness.restart()  # the language is no longer cached: the first update fails at once

    async def explode(update: Update, context: BotContext) -> None:
        raise RuntimeError("boom")

    harness.app.handlers[0].insert(0, CommandHandler("explode", explode))
    [reply] = await harness.send(user, "/explode")
    assert "Sorry" in reply.text, reply.text


async def test_the_welcome_says_free_and_the_city_of_the_office(harness: BotHarness) -> None:
    """The two words that build trust: "gratis", and the city read from ORG_NAME."""
    [welcome] = await harness.send(harness.user(131, "Siti"), "/start")
    assert harness.settings.org_name.endswith("Kota Malang")
    assert "Pelatihannya gratis untuk pelaku usaha mikro di Kota Malang." in welcome.text


def test_the_city_is_read_from_the_offices_name() -> None:
    assert city_of("Dinas Koperasi dan UKM Kota Malang") == "Kota Malang"
    assert city_of("Dinas Koperasi Kabupaten Gianyar") == "Kabupaten Gianyar"
    assert city_of("Dinas Koperasi dan Usaha Mikro") is None
    assert free_for("Dinas Koperasi", "id") == "Pelatihannya gratis untuk pelaku usaha mikro."
    assert free_for("Dinas Koperasi Kota Batu", "en").endswith("owners in Kota Batu.")
