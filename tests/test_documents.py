"""The printed documents read back: the attendance sheet, certificates (their numbers and QR
codes), the activity report and its workbook."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

import openpyxl
import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.db import SessionFactory
from bot.documents.activity_report import activity_report_pdf, activity_report_xlsx
from bot.documents.attendance_sheet import attendance_sheet_pdf
from bot.documents.certificate import certificate_pdf, certificates_zip
from bot.models import Certificate, Participant, SurveyResponse
from bot.playground.botapi import BOT_USERNAME
from bot.services import certificates
from bot.services.activity import activity_report_view, attendance_sheet_view
from bot.texts.formatting import masked_phone
from tests.after_factories import SPECIAL, finished_training, pdf_pages, pdf_text, qr_codes_on_page
from tests.conftest import JAKARTA

ORG = "Dinas Koperasi dan Usaha Mikro"
PRINTED = datetime(2026, 12, 1, 9, 0, tzinfo=JAKARTA)
NUMBER = re.compile(r"^KP-2026-01/\d{4}/XII/2026$")


def test_masked_phone() -> None:
    assert masked_phone("+6281234567801") == "0812-****-7801"
    assert masked_phone(None) == ""


async def test_attendance_sheet_reads_back_on_several_pages(sessions: SessionFactory) -> None:
    names = [f"Peserta {i:03d}" for i in range(1, 45)] + [SPECIAL, "Agus Salim"]
    training, _ = await finished_training(sessions, names, [[1]] * len(names))
    async with sessions() as session:
        view = await attendance_sheet_view(session, training.id, 2)
        assert await attendance_sheet_view(session, training.id, 9) is None
    assert view is not None
    pdf = attendance_sheet_pdf(view, ORG, JAKARTA, PRINTED)
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    first = pages[0]
    assert ORG.upper() in first and "DAFTAR HADIR PESERTA" in first
    assert "Rabu, 25 November 2026" in first and "2 dari 3" in first
    assert "08.00–15.00 WIB" in first and "Hotel Sahid Montana Dua" in first
    # The header row repeats on every page; people are in name order, numbered.
    assert all("Tanda Tangan" in page and "No. HP" in page for page in pages)
    text = "\n".join(pages)
    assert text.index("Agus Salim") < text.index(SPECIAL) < text.index("Peserta 001")
    assert SPECIAL in text and "Usaha Ni" in text
    assert "Jumlah peserta: 46" in pages[-1]
    # Phones are masked: the middle digits never reach paper.
    assert "0812-****-" in text and "+62812" not in text
    assert re.search(r"\b46\b", text)


async def test_certificate_reads_back_and_its_qr_is_the_deep_link(sessions: SessionFactory) -> None:
    training, regs = await finished_training(sessions, [SPECIAL, "Budi"], [[1, 2, 3], [1, 2]])
    async with sessions() as session:
        ids = await certificates.issue_all(session, training.id, 0, PRINTED, JAKARTA)
        views = await certificates.certificate_views(session, ids)
    assert len(ids) == 1  # Budi missed a day: every day is the default rule
    view = views[ids[0]]
    assert NUMBER.match(view.number) and view.number == "KP-2026-01/0001/XII/2026"
    pdf = certificate_pdf(view, ORG, BOT_USERNAME)
    text = pdf_text(pdf)
    for expected in (SPECIAL, view.number, "SERTIFIKAT", "24–26 November 2026", ORG, "Usaha Ni"):
        assert expected in text, expected
    link = f"https://t.me/{BOT_USERNAME}?start=sk_{view.verify_code}"
    assert qr_codes_on_page(pdf) == [link]
    assert regs[0].id == view.registration_id


async def test_numbers_are_unique_and_a_fixed_name_keeps_its_number(
    sessions: SessionFactory,
) -> None:
    training, regs = await finished_training(
        sessions, ["Siti", "Budi", "Wayan"], [[1, 2, 3], [1, 2, 3], [1, 2]]
    )
    async with sessions() as session:
        ids = await certificates.issue_all(session, training.id, 2, PRINTED, JAKARTA)
        again = await certificates.issue_all(session, training.id, 2, PRINTED, JAKARTA)
        numbers = [
            c.number for c in await session.scalars(select(Certificate).order_by(Certificate.seq))
        ]
    assert ids == again and len(ids) == 3  # CERTIFICATE_MIN_DAYS=2: Wayan earned one too
    assert numbers == [f"KP-2026-01/{n:04d}/XII/2026" for n in (1, 2, 3)]
    async with sessions() as session:
        fixed = await certificates.issue(session, regs[1].id, PRINTED, JAKARTA, name="Budi Santoso")
        assert fixed is not None and fixed.revision == 2 and fixed.number == numbers[1]
        # The database refuses a second certificate with the same number.
        session.add(
            Certificate(
                registration_id=regs[2].id + 1000,
                training_id=training.id,
                seq=99,
                number=numbers[0],
                verify_code="x",
                name="Palsu",
                business="",
                revision=1,
                issued_at=PRINTED,
                updated_at=PRINTED,
            )
        )
        with pytest.raises(IntegrityError):
            await session.commit()


async def test_forged_codes_are_refused(sessions: SessionFactory) -> None:
    training, _ = await finished_training(sessions, ["Siti"], [[1, 2, 3]])
    async with sessions() as session:
        [certificate_id] = await certificates.issue_all(session, training.id, 0, PRINTED, JAKARTA)
        code = (await session.get(Certificate, certificate_id)).verify_code  # type: ignore[union-attr]
        assert (await certificates.verify(session, code)) is not None
        altered = code[:-1] + ("A" if code[-1] != "A" else "B")
        for forged in (altered, "KP-2026-01", "", "x" * 200):
            assert await certificates.verify(session, forged) is None


async def test_the_zip_holds_one_pdf_per_eligible_person(sessions: SessionFactory) -> None:
    names = ["Siti", SPECIAL, "Budi", "Wayan"]
    training, _ = await finished_training(sessions, names, [[1, 2, 3], [1, 2, 3], [1], []])
    async with sessions() as session:
        ids = await certificates.issue_all(session, training.id, 0, PRINTED, JAKARTA)
        views = await certificates.certificate_views(session, ids)
    content = certificates_zip([views[i] for i in ids], ORG, BOT_USERNAME)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        files = archive.namelist()
        texts = [pdf_text(archive.read(name)) for name in files]
    assert files == ["sertifikat-KP-2026-01-0001.pdf", "sertifikat-KP-2026-01-0002.pdf"]
    assert "Siti" in texts[0] and SPECIAL in texts[1]


async def test_activity_report_and_workbook(sessions: SessionFactory) -> None:
    names = ["Siti", SPECIAL, "Budi"]
    training, regs = await finished_training(sessions, names, [[1, 2, 3], [1, 2], [1]])
    async with sessions() as session:
        await session.execute(
            update(Participant)
            .where(Participant.full_name == "Budi")
            .values(district="Sukun", sector="jasa")
        )
        session.add(
            SurveyResponse(
                registration_id=regs[0].id,
                training_id=training.id,
                overall=5,
                material=4,
                trainer=5,
                helped="Cara menghitung harga pokok & <b>kemasan</b>",
                started_at=PRINTED,
                finished_at=PRINTED,
                updated_at=PRINTED,
            )
        )
        await session.commit()
        view = await activity_report_view(session, training.id, JAKARTA)
    assert view is not None
    pdf = activity_report_pdf(view, ORG, JAKARTA, PRINTED)
    text = " ".join(pdf_text(pdf).split())  # a long line wraps
    for expected in (
        "LAPORAN KEGIATAN",
        ORG.upper(),
        "24–26 November 2026",
        "Selasa, 24 November 2026",
        "Hadir: 3",
        "Hadir: 1",
        "5.00 dari 5",
        "4.00 dari 5",
        "Cara menghitung harga pokok & <b>kemasan</b>",
        "1 dari 3 peserta yang hadir menjawab",
    ):
        assert expected in text, expected
    images = sum(len(page.images) for page in __import__("pypdf").PdfReader(io.BytesIO(pdf)).pages)
    assert images == 5  # registrations, status, attendance, districts, sectors
    book = openpyxl.load_workbook(io.BytesIO(activity_report_xlsx(view)))
    assert book.sheetnames == [
        "Ringkasan",
        "Pendaftaran per hari",
        "Kehadiran",
        "Kecamatan",
        "Sektor",
        "Umpan balik",
    ]
    attendance = [row for row in book["Kehadiran"].iter_rows(min_row=2, values_only=True)]
    assert [(row[0], row[2]) for row in attendance] == [(1, 3), (2, 2), (3, 1)]
    districts = dict(book["Kecamatan"].iter_rows(min_row=2, values_only=True))
    assert districts == {"Klojen": 2, "Sukun": 1}


JAVANESE = "ꦱꦶꦠꦶ ꦲꦩꦶꦤꦃ"  # Siti Aminah in aksara Jawa, which DejaVu cannot draw
CHINESE = "王小明 Wang"


async def test_names_the_fonts_cannot_draw_are_kept_and_said_so(sessions: SessionFactory) -> None:
    training, _ = await finished_training(sessions, [JAVANESE, CHINESE], [[1, 2, 3], [1, 2, 3]])
    async with sessions() as session:
        ids = await certificates.issue_all(session, training.id, 0, PRINTED, JAKARTA)
        views = await certificates.certificate_views(session, ids)
        sheet = await attendance_sheet_view(session, training.id, 1)
        stored = set((await session.execute(select(Participant.full_name))).scalars())
    assert sheet is not None
    content = certificates_zip([views[i] for i in ids], ORG, BOT_USERNAME)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        texts = [pdf_text(archive.read(name)) for name in archive.namelist()]
    texts.append(pdf_text(attendance_sheet_pdf(sheet, ORG, JAKARTA, PRINTED, "id")))
    unprintable = set(JAVANESE + "王小明") - {" "}
    note = "aksara yang tidak dapat dicetak"
    for text in texts:
        assert not unprintable & set(text), text  # no empty boxes where a name should be
        assert note in " ".join(text.split()), text
    assert "Wang" in texts[1] and "Wang" in texts[2]
    assert {JAVANESE, CHINESE} <= stored  # the names stay as typed
