"""The pieces every printed document and chart stands on: fonts that render every name, QR
codes that scan, charts that are images, and the numbers they show."""

from __future__ import annotations

import io
from datetime import date

import pypdf
import zxingcpp
from PIL import Image

from bot.db import SessionFactory
from bot.documents.charts import bar_chart, line_chart
from bot.documents.pdf import new_pdf, pdf_bytes
from bot.documents.qr import qr_png
from bot.models import RegistrationStatus
from bot.services.attendance import check_in
from bot.services.statistics import training_statistics
from tests.factories import JAKARTA, make_participant, make_registration, make_training

NAMES = ("Ni Luh Ayu Pradnyaswari", "Śrī Nguyễn", "Siti 'Ainun", "Ömer Çelik")


def decode_qr(png: bytes) -> list[str]:
    """Every QR code an image holds, as text."""
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


def test_every_name_prints_and_reads_back() -> None:
    pdf = new_pdf("Nama")
    pdf.add_page()
    for name in NAMES:
        pdf.cell(text=name, new_x="LMARGIN", new_y="NEXT")
    content = pdf_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = reader.pages[0].extract_text()
    assert all(name in text for name in NAMES), text
    assert reader.metadata is not None and reader.metadata.title == "Nama"


def test_a_qr_code_decodes_to_its_link() -> None:
    link = "https://t.me/pelatihan_test_bot?start=KP-2026-01"
    assert decode_qr(qr_png(link)) == [link]


def test_charts_are_images() -> None:
    for png in (
        bar_chart(["Klojen", "Sukun"], [3, 1], "Peserta per kecamatan"),
        line_chart([date(2026, 12, 1), date(2026, 12, 3)], [2, 5], "Pendaftaran"),
    ):
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.width > 600


async def test_the_numbers_of_a_training(sessions: SessionFactory) -> None:
    async with sessions() as s:
        training = await make_training(s, capacity=2)
        people = [
            await make_participant(s, 10 + i, district=district, sector=sector)
            for i, (district, sector) in enumerate(
                [("Klojen", "kuliner"), ("Klojen", "jasa"), ("Sukun", "kuliner")]
            )
        ]
        first = await make_registration(s, people[0], training)
        await make_registration(s, people[1], training)
        await make_registration(s, people[2], training, RegistrationStatus.WAITLISTED)
        day = training.days[0]
        await check_in(s, first.checkin_token, 1, day.starts_at, tz=JAKARTA)
    async with sessions() as s:
        stats = await training_statistics(s, training.id, JAKARTA)
        assert await training_statistics(s, 999_999, JAKARTA) is None
    assert stats is not None
    assert (stats.confirmed, stats.waitlisted, stats.cancelled) == (2, 1, 0)
    assert stats.by_district == (("Klojen", 2), ("Sukun", 1))
    assert stats.by_sector == (("kuliner", 2), ("jasa", 1))
    assert sum(n for _, n in stats.registrations_per_day) == 3
    assert [(a.day_number, a.present) for a in stats.attendance] == [(1, 1), (2, 0), (3, 0)]
