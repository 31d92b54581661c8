"""How many messages a registration costs: new messages count against Telegram's ~30 a second
for the whole bot, so a surge of registrations is only as fast as this number is small."""

from __future__ import annotations

from bot.playground.botapi import EDIT_METHODS, SEND_METHODS, FakeUser
from tests.harness import BotHarness
from tests.training_files import KP_FILE, add_training, one_training


def _counts(harness: BotHarness, user: FakeUser, since: int) -> tuple[int, int]:
    """New messages and edits in this user's chat among the Bot API calls after `since`."""
    calls = [
        method
        for method, params in harness.tg.calls[since:]
        if str(params.get("chat_id")) == str(user.chat_id)
    ]
    return (
        sum(method in SEND_METHODS for method in calls),
        sum(method in EDIT_METHODS for method in calls),
    )


async def _register_new(harness: BotHarness, user: FakeUser, title: str) -> None:
    """/start, the menu, a training, consent, the five answers, Konfirmasi."""
    [menu] = await harness.send(user, "/start")
    [listing] = await harness.press(user, menu, "Ikut pelatihan")
    await harness.press(user, listing, title)
    await harness.press(user, user.last(), "setuju")
    await harness.send(user, "Siti Aminah")
    user.share_contact("6281234567890")
    await harness.deliver()
    [sector_q] = await harness.send(user, "Warung Bu Siti")
    await harness.press(user, sector_q, "Kuliner")
    await harness.press(user, sector_q, "Klojen")
    await harness.press(user, sector_q, "Konfirmasi")
    assert "Pendaftaran berhasil" in sector_q.text


async def test_a_new_participant_costs_at_most_five_messages(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    user = harness.user(801)
    since = len(harness.tg.calls)
    await _register_new(harness, user, "Kain Perca")
    sends, edits = _counts(harness, user, since)
    assert (sends, edits) == (5, 5)
    # Answering a button press is no message: every tap is answered, none counted above.
    assert len(harness.answers()) == 6


async def test_a_returning_participant_costs_at_most_two_messages(harness: BotHarness) -> None:
    await add_training(harness.sessions, KP_FILE)
    await add_training(harness.sessions, one_training("KP-2026-02", day="2026-12-20", closes=None))
    user = harness.user(802)
    await _register_new(harness, user, "8 Des")
    since = len(harness.tg.calls)
    [menu] = await harness.send(user, "/start")
    [listing] = await harness.press(user, menu, "Ikut pelatihan")
    await harness.press(user, listing, "20 Des")
    assert "Periksa data" in listing.text
    await harness.press(user, listing, "Konfirmasi")
    assert "Pendaftaran berhasil" in listing.text
    sends, edits = _counts(harness, user, since)
    assert (sends, edits) == (2, 2)
