"""One writer of trainings: the file (by chat and command line) and the chat follow one set of
rules; more seats move the waiting list up, changes reach every registrant, refusals change
nothing."""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from bot.cli.trainings import import_trainings_command
from bot.models import Registration, RegistrationStatus, Training
from bot.playground.botapi import FakeUser, SentMessage
from bot.runtime.context import deps_of
from bot.services.training_file import MAX_FILE_BYTES
from bot.settings import Settings
from handlers.staff import training_file
from tests.conftest import ADMIN_ID, TOKEN
from tests.harness import BotHarness
from tests.test_registration_handlers import confirm_label, fill_profile
from tests.training_files import KP_FILE, add_training, one_training

SEAT_NOTICE = "Kursi tersedia"
CHANGE_NOTICE = "Ada perubahan"


async def _send_file(harness: BotHarness, text: str) -> SentMessage:
    """A staff member sends `text` as a training file; returns the bot's answer."""
    staff = harness.user(ADMIN_ID, "Staf")
    before = len(staff.messages())
    staff.send_document("pelatihan.yaml", text.encode())
    await harness.deliver()
    [reply] = staff.messages()[before:]
    return reply


async def _register(harness: BotHarness, user_id: int, name: str) -> str:
    """`user_id` registers for the only open training through the chat; returns the result."""
    user = harness.user(user_id, name.split()[0])
    [listing] = await harness.send(user, "/daftar")
    await harness.press(user, listing, listing.callback_for(" · "))  # its only training
    await harness.press(user, listing, "setuju")
    summary = await fill_profile(harness, user, name)
    await harness.press(user, summary, confirm_label(summary))
    return summary.text


async def _statuses(harness: BotHarness) -> list[RegistrationStatus]:
    async with harness.sessions() as session:
        rows = await session.execute(select(Registration.status).order_by(Registration.id))
        return list(rows.scalars())


async def _training(harness: BotHarness, code: str = "KP-2026-01") -> Training | None:
    async with harness.sessions() as session:
        return await session.scalar(select(Training).where(Training.code == code))


async def _two_registrants(harness: BotHarness, capacity: int, first_id: int) -> None:
    """A one-day training with `capacity` seats; two people register for it in the chat."""
    await add_training(harness.sessions, one_training(capacity=capacity, closes=None))
    await _register(harness, first_id, "Ani Lestari")
    await _register(harness, first_id + 1, "Budi Santoso")


async def _edit_in_chat(harness: BotHarness) -> tuple[FakeUser, SentMessage]:
    """Staff open the training's summary to edit it: /admin, the training, "Ubah"."""
    staff = harness.user(ADMIN_ID, "Staf")
    [menu] = await harness.send(staff, "/admin")
    await harness.press(staff, menu, "KP-2026-01")  # the menu becomes the training's page
    [summary] = await harness.press(staff, menu, "Ubah")
    return staff, summary


def _notices(user: FakeUser, marker: str) -> list[SentMessage]:
    return [m for m in user.messages() if marker in m.text]


async def test_staff_imports_a_training_file_sent_as_a_document(harness: BotHarness) -> None:
    staff = harness.user(ADMIN_ID, "Staf")
    before = len(staff.messages())
    staff.send_document("pelatihan.yaml", KP_FILE.encode())
    await harness.deliver()
    [reply, *kit] = staff.messages()[before:]
    assert "File diimpor" in reply.text and "KP-2026-01" in reply.text
    assert len(kit) == 4  # it published KP-2026-01: its link, WhatsApp text and poster follow
    # Parsed in a process of its own (tests/test_privacy_review.py: the other chats go on).
    parser = deps_of(harness.app).services[training_file.PARSER_KEY]
    assert isinstance(parser, ProcessPoolExecutor)
    staff.send_document("besar.yaml", b"#" * (MAX_FILE_BYTES + 1))
    await harness.deliver()
    assert "batasnya 1 MB" in staff.last().text  # refused before it is downloaded
    staff.send_document("rusak.yaml", KP_FILE.replace("capacity: 30", "capacity: -3").encode())
    await harness.deliver()
    assert "baris 6, isian capacity" in staff.last().text
    staff.send_document("biner.bin", b"\xff\xfe\x00garbage")
    await harness.deliver()
    assert "tidak bisa dibaca" in staff.last().text
    [listing] = await harness.send(harness.user(223), "/pelatihan")
    assert "Pelatihan Kain Perca" in listing.text
    stranger = harness.user(224)
    stranger.send_document("pelatihan.yaml", one_training("HACK-1").encode())
    await harness.deliver()
    assert "belum bisa membaca" in stranger.last().text
    async with harness.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Training)) == 1


async def test_more_seats_in_a_file_imported_again_confirm_the_waiting_and_tell_them(
    harness: BotHarness,
) -> None:
    await add_training(harness.sessions, one_training(capacity=1, closes=None))
    assert "Pendaftaran berhasil" in await _register(harness, 301, "Ani Lestari")
    assert "daftar tunggu" in await _register(harness, 302, "Budi Santoso")

    reply = await _send_file(harness, one_training(capacity=3, closes=None))
    assert "File diimpor" in reply.text and "1 orang naik dari daftar tunggu" in reply.text
    assert await _statuses(harness) == [RegistrationStatus.CONFIRMED] * 2
    [notice] = _notices(harness.user(302), SEAT_NOTICE)
    assert "Pelatihan Kain Perca" in notice.text
    assert "8 Desember 2026" in notice.text  # the date, and the calendar file now it is a seat
    assert notice.document is not None and notice.document[0] == "pelatihan-KP-2026-01.ics"
    # The next person gets one of the free seats, not the waiting list.
    assert "Pendaftaran berhasil" in await _register(harness, 303, "Citra Dewi")
    assert await _statuses(harness) == [RegistrationStatus.CONFIRMED] * 3


async def test_fewer_seats_than_confirmed_are_refused_by_file_and_by_chat(
    harness: BotHarness,
) -> None:
    await _two_registrants(harness, 3, 311)

    reply = await _send_file(harness, one_training(capacity=1, closes=None))
    assert "tidak diimpor" in reply.text and "tidak ada yang diubah" in reply.text
    assert "Jumlah kursi 1 lebih sedikit dari 2 peserta yang sudah terdaftar" in reply.text
    assert "baris 5" in reply.text and "KP-2026-01" in reply.text
    training = await _training(harness)
    assert training is not None and training.capacity == 3

    staff, summary = await _edit_in_chat(harness)
    await harness.press(staff, summary, "Kursi")
    [summary] = await harness.send(staff, "1")
    [refused] = await harness.press(staff, summary, "Simpan")
    assert "Jumlah kursi 1 lebih sedikit dari 2 peserta yang sudah terdaftar" in refused.text
    training = await _training(harness)
    assert training is not None and training.capacity == 3


async def test_a_new_date_and_venue_by_file_reach_each_registrant_once(
    harness: BotHarness,
) -> None:
    await _two_registrants(harness, 1, 321)
    moved = one_training(capacity=1, closes=None, day="2026-12-09", venue="Balai Kota Malang")

    reply = await _send_file(harness, moved)
    assert "2 orang diberi tahu perubahan" in reply.text
    await _send_file(harness, moved)  # the same file again changes nothing and tells no one
    confirmed, waiting = harness.user(321), harness.user(322)
    [notice] = _notices(confirmed, CHANGE_NOTICE)
    assert "Hotel Sahid Montana Dua, Malang → Balai Kota Malang" in notice.text
    assert "Selasa, 8 Desember 2026 → Rabu, 9 Desember 2026" in notice.text
    assert notice.document is not None and notice.document[0].endswith(".ics")
    assert b"20261209" in notice.document[1]
    [notice] = _notices(waiting, CHANGE_NOTICE)
    assert "→ Balai Kota Malang" in notice.text and notice.document is None
    assert "daftar tunggu" in notice.text


async def test_a_new_date_and_venue_in_the_chat_reach_each_registrant_once(
    harness: BotHarness,
) -> None:
    await _two_registrants(harness, 1, 331)
    staff, summary = await _edit_in_chat(harness)
    await harness.press(staff, summary, "Tempat")
    [summary] = await harness.send(staff, "Balai Kota Malang")
    [day_menu] = await harness.press(staff, summary, "Hari 1")
    await harness.press(staff, day_menu, "Tanggal")
    [summary] = await harness.send(staff, "09-12-2026")
    await harness.press(staff, summary, "Simpan")  # the summary becomes the training's page
    assert "Perubahan tersimpan" in summary.text and "2 orang diberi tahu" in summary.text

    for user_id, has_calendar in ((331, True), (332, False)):
        [notice] = _notices(harness.user(user_id), CHANGE_NOTICE)
        assert "Hotel Sahid Montana Dua, Malang → Balai Kota Malang" in notice.text
        assert "Selasa, 8 Desember 2026 → Rabu, 9 Desember 2026" in notice.text
        assert (notice.document is not None) is has_calendar


BAD_IMPORTS = [
    (
        one_training("ci_kp01", closes=None),
        "Pelatihan ke-1 (ci_kp01), baris 2, isian code",
        "tidak diawali ci_",
    ),
    (
        one_training("LAMA-01", day="2026-11-20", closes=None),
        "Pelatihan ke-1 (LAMA-01), baris 7, isian days",
        "sudah lewat",
    ),
    (
        one_training("KP-2026-01", closes=None)
        + one_training("KP-2026-02", capacity=0).replace("trainings:\n", ""),
        "Pelatihan ke-2 (KP-2026-02), baris 11, isian capacity",
        "angka 1–10000",
    ),
    (
        one_training(closes=None).replace("    days:", "    latitude: -7.98\n    days:"),
        "Pelatihan ke-1 (KP-2026-01), baris 6, isian latitude",
        "keduanya",
    ),
]


@pytest.mark.parametrize(("text", "where", "why"), BAD_IMPORTS)
async def test_a_refused_file_says_where_and_why_in_indonesian_and_writes_nothing(
    harness: BotHarness, text: str, where: str, why: str
) -> None:
    reply = await _send_file(harness, text)
    assert "File tidak diimpor (tidak ada yang diubah)" in reply.text
    assert where in reply.text and why in reply.text
    async with harness.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Training)) == 0


async def test_a_refusal_in_the_second_training_leaves_the_first_unwritten(
    harness: BotHarness,
) -> None:
    await add_training(harness.sessions, one_training("KP-2026-02", capacity=2, closes=None))
    await _register(harness, 341, "Ani Lestari")
    await _register(harness, 342, "Budi Santoso")
    text = one_training("KP-2026-01", closes=None) + one_training(
        "KP-2026-02", capacity=1, closes=None
    ).replace("trainings:\n", "")
    reply = await _send_file(harness, text)
    assert "Pelatihan ke-2 (KP-2026-02), baris 11, isian capacity" in reply.text
    assert await _training(harness, "KP-2026-01") is None


async def test_an_english_speaking_staff_member_reads_the_refusal_in_english(
    harness: BotHarness,
) -> None:
    staff = harness.user(ADMIN_ID, "Staff", "en")
    [menu] = await harness.send(staff, "/language")
    await harness.press(staff, menu, "English")
    staff.send_document("pelatihan.yaml", one_training("ci_x1", closes=None).encode())
    await harness.deliver()
    assert "File not imported (nothing was changed)" in staff.last().text
    assert "Training 1 (ci_x1), line 2, field code" in staff.last().text


async def test_a_published_false_file_makes_a_draft_with_a_map_pin(harness: BotHarness) -> None:
    text = one_training(closes=None).replace(
        "    days:", "    published: false\n    latitude: -7.98\n    longitude: 112.63\n    days:"
    )
    assert "File diimpor" in (await _send_file(harness, text)).text
    training = await _training(harness)
    assert training is not None and training.status.value == "draft"
    assert (training.latitude, training.longitude) == (-7.98, 112.63)
    [listing] = await harness.send(harness.user(351), "/pelatihan")
    assert "Kain Perca" not in listing.text


def test_a_huge_file_is_refused_before_it_is_parsed(
    tmp_path: Path,
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the YAML parser was called")

    monkeypatch.setattr(yaml, "compose", never)
    monkeypatch.setattr(yaml, "safe_load", never)
    path = tmp_path / "besar.yaml"
    with path.open("w") as out:
        line = "# " + "x" * 997 + "\n"
        for _ in range(50_000):  # 50 MB
            out.write(line)
    settings = Settings(token=TOKEN, database_url=sqlite_url)
    assert import_trainings_command(settings, argparse.Namespace(file=str(path))) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "50.0 MB" in err and "limit is 1 MB" in err
