"""`python -m bot attendance-sheet | certificates | report`: the office's documents from the
command line, read back."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest
from babel.dates import format_date

from bot.db import create_engine, create_session_factory
from bot.playground.botapi import BOT_USERNAME, FakeBotApiServer
from tests.after_factories import SPECIAL, finished_training, pdf_text, qr_codes_on_page
from tests.conftest import JAKARTA, TOKEN
from tests.harness import FakeClock, run_cli, subprocess_env


@pytest.mark.e2e
async def test_documents_from_the_command_line(
    fake_server: FakeBotApiServer, sqlite_url: str, tmp_path: Path, wall_clock: FakeClock
) -> None:
    # The training ended last week, as the command line's real clock sees it.
    today = wall_clock().astimezone(JAKARTA).date()
    days = tuple(today - timedelta(days=n) for n in (7, 6, 5))
    engine = create_engine(sqlite_url)
    try:
        await finished_training(
            create_session_factory(engine),
            [SPECIAL, "Budi", "Siti"],
            [[1, 2, 3], [1], [1, 2, 3]],
            days=days,
            now=wall_clock() - timedelta(days=14),
        )
    finally:
        await engine.dispose()
    env = subprocess_env(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=fake_server.base_url,
        DATABASE_URL=sqlite_url,
        ORG_NAME="Dinas Koperasi, UKM dan Tenaga Kerja",
    )
    sheet = tmp_path / "hadir.pdf"
    code, out, err = await run_cli(
        env, "attendance-sheet", "KP-2026-01", "--day", "2", "-o", str(sheet)
    )
    assert code == 0, err
    assert "3 participants" in out
    text = pdf_text(sheet.read_bytes())
    assert "DINAS KOPERASI, UKM DAN TENAGA KERJA" in text and SPECIAL in text
    assert format_date(days[1], "EEEE, d MMMM y", locale="id") in text

    folder = tmp_path / "sertifikat"
    code, out, err = await run_cli(env, "certificates", "KP-2026-01", "-o", str(folder))
    assert code == 0, err
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["sertifikat-KP-2026-01-0001.pdf", "sertifikat-KP-2026-01-0002.pdf"]
    first = (folder / files[0]).read_bytes()
    assert SPECIAL in pdf_text(first)
    [link] = qr_codes_on_page(first)
    assert link.startswith(f"https://t.me/{BOT_USERNAME}?start=sk_")
    # Again: the same people, the same numbers, nothing new.
    code, out, _ = await run_cli(env, "certificates", "KP-2026-01", "-o", str(folder))
    assert code == 0 and "wrote 2 certificates" in out
    assert qr_codes_on_page((folder / files[0]).read_bytes()) == [link]

    report = tmp_path / "laporan.pdf"
    code, out, err = await run_cli(env, "report", "KP-2026-01", "-o", str(report))
    assert code == 0, err
    assert "LAPORAN KEGIATAN" in pdf_text(report.read_bytes())
    book = openpyxl.load_workbook(tmp_path / "laporan.xlsx")
    assert "Kehadiran" in book.sheetnames

    code, _, err = await run_cli(env, "report", "TIDAK-ADA", "-o", str(report))
    assert code == 1 and "no training with code 'TIDAK-ADA'" in err
    code, _, err = await run_cli(env, "attendance-sheet", "KP-2026-01", "--day", "9")
    assert code == 1 and "has no day 9" in err
