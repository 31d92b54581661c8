"""Sharing a training: the deep link, the WhatsApp text and the A4 poster (PNG and PDF), from
the chat (the share button, publishing, a training file) and from the command line."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from PIL import Image

from bot.db import SessionFactory
from bot.documents.poster import poster_pdf, poster_png
from bot.models import TrainingStatus
from bot.playground.botapi import BOT_USERNAME, FakeBotApiServer, FakeTelegram, SentMessage
from bot.services.sharing import TrainingShare
from bot.services.training_spec import DaySpec, TrainingSpec
from bot.settings import Settings
from bot.texts.labels import button_text
from tests.conftest import ADMIN_ID, JAKARTA, TOKEN
from tests.dashboard_data import CLOCK_DAY
from tests.harness import BotHarness, FakeClock, run_cli, subprocess_env
from tests.staff_factories import make_training
from tests.test_documents_base import decode_qr
from tests.training_files import KP_FILE, kp_file, one_training

ORG = "Dinas Koperasi & UKM Kota Malang"
LINK = f"https://t.me/{BOT_USERNAME}?start=KP-2026-01"


@pytest.fixture
async def office(
    settings: Settings, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> AsyncIterator[BotHarness]:
    """The bot of an office that set its name (`ORG_NAME`)."""
    bot = BotHarness(replace(settings, org_name=ORG), sessions, tg, clock)
    await bot.start()
    yield bot
    await bot.stop()


def pdf_text(content: bytes) -> str:
    """The text of a PDF's pages, read back, with lines joined (a long title wraps)."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_as_png(content: bytes) -> bytes:
    """The PDF's first page as an image, rendered here (not by the bot)."""
    document = pypdfium2.PdfDocument(content)
    image = document[0].render(scale=200 / 72).to_pil()
    document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def check_kit(kit: list[SentMessage], link: str, title: str) -> tuple[str, str]:
    """The four messages of a share: the link, the WhatsApp text, the PNG and the PDF poster;
    both posters carry a QR code that decodes to exactly the link. Returns the WhatsApp text
    and the PDF's text."""
    header, whatsapp, png, pdf = kit
    assert f"<code>{link}</code>" in header.html
    assert whatsapp.html == whatsapp.text  # plain text, nothing to parse
    assert link in whatsapp.text and title in whatsapp.text
    assert png.document is not None and pdf.document is not None
    assert png.document[0].endswith(".png") and pdf.document[0].endswith(".pdf")
    image = Image.open(io.BytesIO(png.document[1]))
    assert abs(image.width - 1240) <= 1 and abs(image.height - 1754) <= 1  # A4 at 150 dpi
    assert decode_qr(png.document[1]) == [link]
    assert decode_qr(pdf_as_png(pdf.document[1])) == [link]
    assert len(pypdf.PdfReader(io.BytesIO(pdf.document[1])).pages) == 1
    return whatsapp.text, pdf_text(pdf.document[1])


async def test_the_share_button_gives_link_whatsapp_text_and_poster(
    office: BotHarness, tg: FakeTelegram
) -> None:
    async with office.sessions() as session:
        training = await make_training(session)
    staff = office.user(ADMIN_ID, "Staf")
    page = (await office.send(staff, "/admin"))[-1]
    await office.press(staff, page, "KP-2026-01")  # the menu becomes the training's page
    assert "Status: Dibuka" in page.text
    kit = await office.press(staff, page, button_text("share", "id"))
    whatsapp, poster = check_kit(kit, LINK, "Pelatihan Kain Perca dan Melukis Kain")
    assert whatsapp == (
        "Halo Bapak/Ibu pelaku usaha mikro! 👋\n"
        f"{ORG} membuka pendaftaran pelatihan:\n\n"
        "*Pelatihan Kain Perca dan Melukis Kain*\n"
        "🗓 Selasa–Kamis, 8–10 Desember 2026\n"
        "⏰ 08.00–15.00 WIB\n"
        "📍 Hotel Sahid Montana Dua, Malang\n"
        "👥 Kuota 30 peserta\n\n"
        "Pelatihannya gratis untuk pelaku usaha mikro di Kota Malang.\n"
        "Daftar lewat Telegram, cukup 1 menit:\n"
        f"{LINK}"
    )
    for expected in (
        ORG,
        "Pelatihan Kain Perca dan Melukis Kain",
        "Selasa–Kamis, 8–10 Desember 2026",
        "08.00–15.00 WIB",
        "Hotel Sahid Montana Dua, Malang",
        "30 peserta",
        LINK,
    ):
        assert expected in poster, expected
    assert "Pindai untuk mendaftar lewat Telegram" in poster
    assert training.registration_closes_at is None  # no deadline: no "open until" line
    assert "dibuka sampai" not in poster


async def test_a_training_not_open_is_not_shared(harness: BotHarness) -> None:
    async with harness.sessions() as session:
        draft = await make_training(session, "DRAF-01", status=TrainingStatus.DRAFT)
    staff = harness.user(ADMIN_ID, "Staf")
    menu = (await harness.send(staff, "/admin"))[-1]
    await harness.press(staff, menu, "DRAF-01")
    assert "Status: Draf" in menu.text
    assert button_text("share", "id") not in [label for label, _ in menu.buttons()]
    staff.press_data(menu, f"shr:{draft.id}")  # an old or forged share button
    await harness.deliver()
    assert "tidak sedang dibuka" in harness.answers()[-1]["text"]
    staff.press_data(menu, "shr:999")
    await harness.deliver()
    assert "tidak berlaku" in harness.answers()[-1]["text"]
    participant = harness.user(333, "Tono")
    participant.press_data(menu, f"shr:{draft.id}")
    await harness.deliver()
    assert harness.answers()[-1]["text"] == "Perintah ini tidak tersedia."
    assert participant.messages() == []


async def test_a_training_file_shares_what_it_published(harness: BotHarness) -> None:
    day = (CLOCK_DAY + timedelta(days=14)).isoformat()  # two weeks after the `clock` fixture's
    draft = one_training("DRAF-02", day=day, closes=None, title="Melukis Kain")
    draft = draft.replace("    capacity: 30\n", "    capacity: 30\n    published: false\n")
    content = KP_FILE + draft.replace("trainings:\n", "")
    staff = harness.user(ADMIN_ID, "Staf")
    staff.send_document("pelatihan.yaml", content.encode())
    await harness.deliver()
    answer, *kit = staff.messages()
    assert "File diimpor" in answer.text
    whatsapp, _ = check_kit(kit, LINK, "Pelatihan Kain Perca dan Melukis Kain")
    assert "⏳ Pendaftaran dibuka sampai Minggu, 6 Desember 2026" in whatsapp
    assert "Kamis, 10 Desember 2026 · 08.00–12.00 WIB" in whatsapp  # each day: its times

    # The draft waits for staff: its page says so, and publishing it shares it.
    menu = (await harness.send(staff, "/admin"))[-1]
    await harness.press(staff, menu, "DRAF-02")
    assert "Status: Draf" in menu.text
    kit = await harness.press(staff, menu, button_text("publish", "id"))
    assert "Diterbitkan" in menu.text
    check_kit(kit, f"https://t.me/{BOT_USERNAME}?start=DRAF-02", "Melukis Kain")


def test_a_poster_fits_a_long_title_many_days_and_a_long_venue() -> None:
    spec = TrainingSpec(
        code="KP-PANJANG",
        title="Pembinaan Kemampuan dan Keterampilan Kerja bagi Usaha Mikro Masyarakat " * 3,
        description="Praktik langsung dan pendampingan pemasaran setelah pelatihan. " * 5,
        venue="Hotel Sahid Montana Dua, Jl. Kahuripan No. 9, Klojen, Kota Malang " * 2,
        capacity=120,
        tz=JAKARTA,
        days=tuple(
            DaySpec(date(2026, 12, n), time(8), time(12 if n % 4 else 15)) for n in range(8, 20, 2)
        ),
        registration_closes=datetime(2026, 12, 6, 17, 0),
    )
    share = TrainingShare(spec, TrainingStatus.OPEN)
    link = f"https://t.me/{BOT_USERNAME}?start=KP-PANJANG"
    content = poster_pdf(share, link, ORG, "en", JAKARTA)
    text = pdf_text(content)
    assert len(pypdf.PdfReader(io.BytesIO(content)).pages) == 1
    assert "Friday, 18 December 2026 · 08:00–12:00 WIB" in text
    assert "open until Sunday, 6 December 2026 at 17:00 WIB" in text
    assert decode_qr(poster_png(content)) == [link]


@pytest.mark.e2e
async def test_the_command_line_writes_posters_and_prints_the_share(
    fake_server: FakeBotApiServer, tmp_path: Path, wall_clock: FakeClock
) -> None:
    database = tmp_path / "bot.sqlite3"
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=fake_server.base_url,
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        ORG_NAME=ORG,
    )
    training_file = tmp_path / "pelatihan.yaml"
    training_file.write_text(kp_file(wall_clock().date() + timedelta(days=60)))
    code, out, err = await run_cli(env, "import-trainings", str(training_file))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("imported 1 training(s): 1 created")
    assert "== KP-2026-01 is open for registration ==" in lines
    assert f"link: {LINK}" in lines and "*Pelatihan Kain Perca dan Melukis Kain*" in lines
    assert "poster: python -m bot poster KP-2026-01 -o poster-KP-2026-01.pdf" in lines

    for name in ("poster.pdf", "poster.png"):
        code, out, err = await run_cli(env, "poster", "kp-2026-01", "-o", str(tmp_path / name))
        assert code == 0, err
        assert f"wrote {tmp_path / name}" in out and f"link: {LINK}" in out
        assert f"{ORG} membuka pendaftaran pelatihan:" in out
    pdf = (tmp_path / "poster.pdf").read_bytes()
    assert ORG in pdf_text(pdf) and "Hotel Sahid Montana Dua, Malang" in pdf_text(pdf)
    assert decode_qr(pdf_as_png(pdf)) == [LINK]
    assert decode_qr((tmp_path / "poster.png").read_bytes()) == [LINK]

    code, _, err = await run_cli(env, "poster", "KP-2026-01", "-o", str(tmp_path / "p.jpg"))
    assert code == 2 and ".pdf or .png" in err
    code, _, err = await run_cli(env, "poster", "NOPE", "-o", str(tmp_path / "p.pdf"))
    assert code == 1 and "no training with code 'NOPE'" in err and "Traceback" not in err
    offline = env | {"TELEGRAM_API_BASE_URL": "http://127.0.0.1:9"}
    code, _, err = await run_cli(offline, "poster", "KP-2026-01", "-o", str(tmp_path / "p.pdf"))
    assert code == 1 and "cannot reach the Bot API" in err and "Traceback" not in err
