"""Exports (.xlsx and .csv) sent to staff and written by `python -m bot export`."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from bot.models import RegistrationStatus, Rsvp
from bot.services.staff import get_training
from tests.conftest import ADMIN_ID, TOKEN
from tests.factories import answer_reminder
from tests.harness import BotHarness, run_cli, subprocess_env
from tests.staff_factories import make_participant, populate, register

NAME = "Ni Luh Ayu Pradnyaswari — Śrī"


async def _training_with_people(harness: BotHarness) -> int:
    training, registrations = await populate(harness.sessions, confirmed=2, waiting=1, cancelled=1)
    async with harness.sessions() as session:
        person = await make_participant(session, 888, NAME, business='=HYPERLINK("x")')
        await register(session, person, training, RegistrationStatus.WAITLISTED)
        loaded = await get_training(session, training.id)
        assert loaded is not None
        await answer_reminder(session, registrations[0], loaded.days[1], Rsvp.NO)
    return training.id


async def test_export_sends_xlsx_and_csv(harness: BotHarness) -> None:
    await _training_with_people(harness)
    staff = harness.user(ADMIN_ID, "Staf")
    replies = await harness.send(staff, "/ekspor KP-2026-01")
    assert [m.method for m in replies] == ["sendDocument", "sendDocument"]
    xlsx, csv_doc = replies[0].document, replies[1].document
    assert xlsx is not None and csv_doc is not None
    assert xlsx[0] == "peserta-KP-2026-01.xlsx" and csv_doc[0] == "peserta-KP-2026-01.csv"
    assert "5 pendaftaran" in replies[0].text

    book = load_workbook(io.BytesIO(xlsx[1]))
    assert book.sheetnames == ["Ringkasan", "KP-2026-01"]
    summary = book["Ringkasan"]
    assert [c.value for c in summary[1]][:3] == ["Kode", "Pelatihan", "Tempat"]
    assert summary["A2"].value == "KP-2026-01"
    assert isinstance(summary["E2"].value, datetime) and summary["E2"].is_date
    assert (summary["H2"].value, summary["I2"].value, summary["J2"].value) == (2, 2, 1)
    sheet = book["KP-2026-01"]
    headers = [c.value for c in sheet[1]]
    assert headers[:9] == [
        "No",
        "Nama",
        "Telepon",
        "Nama usaha",
        "Bidang usaha",
        "Kecamatan",
        "Status",
        "No. antre",
        "Waktu daftar",
    ]
    assert headers[9:] == [
        "Konfirmasi hari 1",
        "Konfirmasi hari 2",
        "Konfirmasi hari 3",
        "Hadir hari 1",
        "Hadir hari 2",
        "Hadir hari 3",
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= 20
    registered = sheet["I2"]
    assert registered.is_date and registered.value == datetime(2026, 12, 1, 9, 0)
    assert sheet["K2"].value == "tidak"
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[6] for r in rows] == ["terdaftar", "terdaftar", "antre", "antre", "batal"]
    assert [r[7] for r in rows] == [None, None, 1, 2, None]
    # Sector and district as a reader says them, not the stored codes.
    assert {(r[4], r[5]) for r in rows} == {("Kuliner", "Klojen")}
    ours = next(r for r in rows if r[1] == NAME)
    assert ours[3] == '=HYPERLINK("x")'  # text, not a formula
    assert sheet.cell(row=2 + rows.index(ours), column=4).data_type == "s"

    raw = csv_doc[1]
    assert raw.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert parsed[0][:2] == ["No", "Nama"]
    assert len(parsed) == 6
    csv_row = next(r for r in parsed if r[1] == NAME)
    assert csv_row[3] == '\'=HYPERLINK("x")'
    assert csv_row[2].startswith("+62")
    assert parsed[1][8] == "2026-12-01 09:00"
    assert (parsed[1][4], parsed[1][5]) == ("Kuliner", "Klojen")


async def test_export_by_button_and_choice(harness: BotHarness) -> None:
    training_id = await _training_with_people(harness)
    staff = harness.user(ADMIN_ID, "Staf")
    [chooser] = await harness.send(staff, "/export")
    replies = await harness.press(staff, chooser, "KP-2026-01")
    assert [m.method for m in replies] == ["sendDocument", "sendDocument"]
    [menu] = await harness.send(staff, "/admin")
    await harness.press(staff, menu, "KP-2026-01")
    replies = await harness.press(staff, menu, "Ekspor")
    assert len(replies) == 2 and training_id


async def test_cli_export(harness: BotHarness, tmp_path: Path) -> None:
    await _training_with_people(harness)
    url = harness.settings.database_url
    target = tmp_path / "out.xlsx"
    cli_env = subprocess_env(TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=url)
    code, out, err = await run_cli(
        cli_env, "export", "KP-2026-01", "--format", "xlsx", "-o", str(target)
    )
    assert code == 0, err
    assert load_workbook(target).sheetnames == ["Ringkasan", "KP-2026-01"]
    target = tmp_path / "out.csv"
    code, out, err = await run_cli(
        cli_env, "export", "kp-2026-01", "--format", "csv", "-o", str(target)
    )
    assert code == 0, err
    assert out.strip() == f"wrote {target}"
    assert NAME in target.read_bytes().decode("utf-8-sig")
    code, _out, err = await run_cli(cli_env, "export", "NOPE", "-o", str(tmp_path / "x"))
    assert code == 1
    assert err.strip() == "no training with code 'NOPE'"
    assert not (tmp_path / "x").exists()
