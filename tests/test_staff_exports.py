"""Exports (.xlsx and .csv) sent to staff and written by `python -m bot export`."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.db import SessionFactory
from bot.documents.exports import HEADER_ROW
from bot.models import RegistrationStatus, Rsvp
from bot.services.staff import get_training
from tests.conftest import ADMIN_ID, TOKEN
from tests.factories import answer_reminder
from tests.harness import BotHarness, FakeClock, run_cli, subprocess_env
from tests.staff_factories import DAYS, NOW, make_participant, populate, register

NAME = "Ni Luh Ayu Pradnyaswari — Śrī"


async def _training_with_people(
    sessions: SessionFactory, *, now: datetime = NOW, days: tuple[date, ...] = DAYS
) -> int:
    training, registrations = await populate(
        sessions, confirmed=2, waiting=1, cancelled=1, days=days, now=now
    )
    async with sessions() as session:
        person = await make_participant(session, 888, NAME, business='=HYPERLINK("x")', now=now)
        await register(session, person, training, RegistrationStatus.WAITLISTED, at=now)
        loaded = await get_training(session, training.id)
        assert loaded is not None
        await answer_reminder(session, registrations[0], loaded.days[1], Rsvp.NO, at=now)
    return training.id


async def test_export_is_an_excel_file_an_office_hands_in_as_it_is(harness: BotHarness) -> None:
    await _training_with_people(harness.sessions)
    staff = harness.user(ADMIN_ID, "Staf")
    [reply] = await harness.send(staff, "/ekspor KP-2026-01")
    assert reply.method == "sendDocument" and reply.document is not None
    assert reply.document[0] == "peserta-KP-2026-01.xlsx"
    assert "5 pendaftaran" in reply.text
    assert [label for label, _ in reply.buttons()] == ["📄 Kirim juga sebagai CSV"]

    book = load_workbook(io.BytesIO(reply.document[1]))
    assert book.sheetnames == ["Ringkasan", "KP-2026-01", "KP-2026-01 batal"]
    summary = book["Ringkasan"]
    assert [c.value for c in summary[1]][:3] == ["Kode", "Pelatihan", "Tempat"]
    assert summary["A2"].value == "KP-2026-01"
    assert isinstance(summary["E2"].value, datetime) and summary["E2"].is_date
    assert (summary["H2"].value, summary["I2"].value, summary["J2"].value) == (2, 2, 1)

    sheet = book["KP-2026-01"]
    # The title block: what, when, where, how many, printed when.
    title, about, counts, printed = (sheet.cell(row=n, column=1).value for n in range(1, 5))
    assert title == "Daftar peserta — Pelatihan Kain Perca dan Melukis Kain"
    assert about == "KP-2026-01 · 8–10 Desember 2026 · Hotel Sahid Montana Dua, Malang"
    assert counts == "Terdaftar: 2/2 · Daftar tunggu: 2 · Batal: 1"
    assert printed == "Dicetak Sel, 1 Des 2026 pukul 09.00"
    headers = [c.value for c in sheet[HEADER_ROW]]
    assert headers == [
        "No", "Nama", "Telepon", "Nama usaha", "Bidang usaha", "Kecamatan", "Status",
        "No. daftar tunggu", "Waktu daftar", "Didaftarkan oleh", "Akan datang hari 1",
        "Akan datang hari 2", "Akan datang hari 3", "Hadir hari 1", "Hadir hari 2", "Hadir hari 3",
    ]  # fmt: skip
    # A frozen header with a filter, printed on A4 landscape fitted to the width.
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:P{HEADER_ROW + 4}"
    assert (sheet.page_setup.orientation, sheet.page_setup.paperSize) == ("landscape", 9)
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.column_dimensions["B"].width >= 20
    rows = list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    first = HEADER_ROW + 1
    assert sheet.cell(row=first, column=9).is_date
    assert sheet.cell(row=first, column=9).value == datetime(2026, 12, 1, 9, 0)
    assert rows[0][10] is None and rows[0][11] == "tidak"
    # Only people who hold a seat or wait for one; the cancelled have their own sheet.
    assert [r[6] for r in rows] == [
        "terdaftar",
        "terdaftar",
        "daftar tunggu nomor 1",
        "daftar tunggu nomor 2",
    ]
    assert [r[7] for r in rows] == [None, None, 1, 2]
    assert [r[6] for r in book["KP-2026-01 batal"].iter_rows(min_row=first, values_only=True)] == [
        "batal"
    ]
    # Sector and district as a reader says them, not the stored codes; phones as people
    # write them.
    assert {(r[4], r[5]) for r in rows} == {("Kuliner", "Klojen")}
    assert all(str(r[2]).startswith("08") and "-" in str(r[2]) for r in rows)
    ours = next(r for r in rows if r[1] == NAME)
    assert ours[3] == '=HYPERLINK("x")'  # text, not a formula
    assert sheet.cell(row=first + rows.index(ours), column=4).data_type == "s"

    [csv_doc] = await harness.press(staff, reply, "CSV")
    assert csv_doc.document is not None and csv_doc.document[0] == "peserta-KP-2026-01.csv"
    raw = csv_doc.document[1]
    assert raw.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert parsed[0][:2] == ["No", "Nama"]
    assert len(parsed) == 6
    csv_row = next(r for r in parsed if r[1] == NAME)
    assert csv_row[3] == '\'=HYPERLINK("x")'
    assert csv_row[2].startswith("08")
    assert parsed[1][8] == "2026-12-01 09:00"
    assert (parsed[1][4], parsed[1][5]) == ("Kuliner", "Klojen")


async def test_an_erased_person_is_named_so_not_a_blank_row(harness: BotHarness) -> None:
    await _training_with_people(harness.sessions)
    staff = harness.user(ADMIN_ID, "Staf")
    harness.user(888).send_command("hapusdata")
    await harness.deliver()
    erase = harness.user(888).last()
    await harness.press(harness.user(888), erase, "Ya, hapus")
    [reply] = await harness.send(staff, "/ekspor KP-2026-01")
    assert reply.document is not None
    book = load_workbook(io.BytesIO(reply.document[1]))
    gone = list(book["KP-2026-01 batal"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))
    assert ("(data dihapus atas permintaan)", "data dihapus") in {(r[1], r[6]) for r in gone}
    assert all(r[1] for r in gone)


async def test_export_by_button_and_choice(harness: BotHarness) -> None:
    training_id = await _training_with_people(harness.sessions)
    staff = harness.user(ADMIN_ID, "Staf")
    [chooser] = await harness.send(staff, "/export")
    replies = await harness.press(staff, chooser, "KP-2026-01")
    assert [m.method for m in replies] == ["sendDocument"]
    [menu] = await harness.send(staff, "/admin")
    await harness.press(staff, menu, "KP-2026-01")
    replies = await harness.press(staff, menu, "Ekspor")
    assert len(replies) == 1 and training_id


@pytest.mark.e2e
async def test_cli_export(
    sessions: SessionFactory, db_url: str, tmp_path: Path, wall_clock: FakeClock
) -> None:
    first = wall_clock().date() + timedelta(days=30)
    days = tuple(first + timedelta(days=n) for n in range(3))
    await _training_with_people(sessions, now=wall_clock(), days=days)
    url = db_url
    target = tmp_path / "out.xlsx"
    cli_env = subprocess_env(TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=url)
    code, out, err = await run_cli(
        cli_env, "export", "KP-2026-01", "--format", "xlsx", "-o", str(target)
    )
    assert code == 0, err
    assert load_workbook(target).sheetnames == ["Ringkasan", "KP-2026-01", "KP-2026-01 batal"]
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
