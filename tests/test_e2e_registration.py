"""End to end: import trainings with the CLI, then register through `python -m bot`."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.playground.botapi import (
    BOT_USERNAME,
    FakeBotApiServer,
    FakeTelegram,
    FakeUser,
    SentMessage,
)
from tests.conftest import TOKEN
from tests.harness import BotProcess, run_cli, subprocess_env
from tests.training_files import one_training

pytestmark = pytest.mark.e2e
WAIT = 20


async def _changed(tg: FakeTelegram, message: SentMessage, needle: str) -> None:
    await tg.wait_for(lambda: needle in message.text, WAIT)


async def _tap(
    tg: FakeTelegram, user: FakeUser, message: SentMessage, label: str, needle: str
) -> SentMessage:
    """Tap a button and wait for `needle` (in a new message or in the tapped one)."""
    count = len(user.messages())
    user.press(message, label)
    await tg.wait_for(
        lambda: needle in message.text or any(needle in m.text for m in user.messages()[count:]),
        WAIT,
    )
    return next((m for m in user.messages()[count:] if needle in m.text), message)


async def _say(tg: FakeTelegram, user: FakeUser, text: str, needle: str) -> SentMessage:
    count = len(user.messages())
    user.send_text(text)
    await tg.wait_for(lambda: any(needle in m.text for m in user.messages()[count:]), WAIT)
    return next(m for m in user.messages()[count:] if needle in m.text)


async def test_import_then_register_new_returning_and_waitlisted(
    tg: FakeTelegram, fake_server: FakeBotApiServer, tmp_path: Path
) -> None:
    soon = date.today() + timedelta(days=30)
    later = date.today() + timedelta(days=40)
    training_file = tmp_path / "pelatihan.yaml"
    training_file.write_text(
        one_training("E2E-A", capacity=1, day=soon.isoformat(), closes=None, title="Kain Perca")
        + one_training(
            "E2E-B", capacity=10, day=later.isoformat(), closes=None, title="Melukis Kain"
        ).replace("trainings:\n", "")
    )
    bad_file = tmp_path / "rusak.yaml"
    bad_file.write_text(
        one_training(day=soon.isoformat(), closes=None).replace("capacity: 30", "capacity: nol")
    )
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=fake_server.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}",
        LOG_LEVEL="INFO",
    )

    code, out, err = await run_cli(env, "import-trainings", str(bad_file))
    assert code == 1 and "line 5" in err and "capacity" in err and "Traceback" not in err
    assert "alembic" not in err  # the tool's output is its result, not the schema upgrade
    code, out, err = await run_cli(env, "import-trainings", str(training_file))
    assert code == 0, err
    summary, *shares = out.splitlines()
    assert summary == (
        "imported 2 training(s): 2 created, 0 updated (E2E-A, E2E-B); "
        "0 told of changes, 0 moved up from the waiting list"
    )
    # Both are open: their links (and WhatsApp texts) follow, to pass on.
    assert f"link: https://t.me/{BOT_USERNAME}?start=E2E-B" in shares

    bot = BotProcess(env, tmp_path / "bot.log")
    await bot.start()
    try:
        await tg.wait_for(lambda: tg.get_updates_calls > 0, timeout=30)
        # A new participant, by buttons and a shared contact.
        rina = tg.user(5101, "Rina")
        listing = await _say(tg, rina, "/daftar", "Pelatihan yang dibuka")
        consent = await _tap(tg, rina, listing, "Kain Perca", "Data pribadi Anda")
        await _tap(tg, rina, consent, "setuju", "nama lengkap")
        phone_q = await _say(tg, rina, "Rina Wati", "nomor HP")
        assert phone_q.keyboard()[0]["request_contact"] is True
        count = len(rina.messages())
        rina.share_contact("6281234567890")
        await tg.wait_for(lambda: any("nama usaha" in m.text for m in rina.messages()[count:]))
        sector_q = await _say(tg, rina, "Batik Rina", "bidang usaha")
        await _tap(tg, rina, sector_q, "Fesyen", "kecamatan")
        await _tap(tg, rina, sector_q, "Lowokwaru", "Periksa data")
        await _tap(tg, rina, sector_q, "Konfirmasi", "Pendaftaran berhasil")

        # The same participant again: choose, confirm.
        listing = await _say(tg, rina, "/daftar", "Pelatihan yang dibuka")
        await _tap(tg, rina, listing, "Melukis Kain", "Periksa data")
        assert "Rina Wati" in listing.text and "0812-3456-7890" in listing.text
        await _tap(tg, rina, listing, "Konfirmasi", "Pendaftaran berhasil")
        assert "Melukis Kain" in listing.text

        # The only seat of E2E-A is taken: the next person waits (via the deep link).
        budi = tg.user(5102, "Budi")
        consent = await _say(tg, budi, "/start E2E-A", "Data pribadi Anda")
        await _tap(tg, budi, consent, "setuju", "nama lengkap")
        await _say(tg, budi, "Budi Santoso", "nomor HP")
        await _say(tg, budi, "0812 1111 2222", "nama usaha")
        sector_q = await _say(tg, budi, "Bakso Budi", "bidang usaha")
        await _tap(tg, budi, sector_q, "Kuliner", "kecamatan")
        await _tap(tg, budi, sector_q, "Luar kota", "Periksa data")
        await _tap(tg, budi, sector_q, "Masuk daftar tunggu", "daftar tunggu nomor 1")
    finally:
        stopped = await bot.stop()
    output = bot.output()
    assert stopped == 0, output
    assert "Traceback" not in output and TOKEN not in output
    assert "81234567890" not in output  # phone numbers never logged in full
