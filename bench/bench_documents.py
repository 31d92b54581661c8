"""300 certificates and a 300-person activity report: time and peak memory.

    python -m bench.bench_documents                    # SQLite file in a temporary folder
    python -m bench.bench_documents --samples docs/img # also the sample images of docs/using.md

The data: one three-day training with 300 confirmed participants (Indonesian names, some with
marks such as "Ni Luh Ayu Pradnyaswari — Śrī" or "Nguyễn"), all present every day, spread
over the five districts and six sectors, registered over three weeks; 200 answered the survey.

Measured, each from the database to the finished bytes:
- certificates: numbering all 300 (`issue_all`) and the ZIP of 300 PDFs (`certificates_zip`,
  fonts cut down to the batch's characters once); the baseline renders with the full DejaVu
  faces, as a single certificate is (timed on 10, scaled to 300);
- the report: its numbers, five charts, the PDF and the workbook.
Memory: how far each step raised the process's peak resident size, and that peak at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import resource
import secrets
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.db import SessionFactory, create_engine, create_session_factory, upgrade_database_sync
from bot.documents.activity_report import (
    activity_report_pdf,
    activity_report_xlsx,
    training_charts,
)
from bot.documents.attendance_sheet import attendance_sheet_pdf
from bot.documents.certificate import certificate_pdf, certificates_zip
from bot.models import (
    Attendance,
    Participant,
    Registration,
    RegistrationStatus,
    SurveyResponse,
    SurveyTopic,
    Training,
    TrainingDay,
    TrainingStatus,
)
from bot.services import certificates
from bot.services.activity import activity_report_view, attendance_sheet_view
from bot.services.certificates import CertificateView
from bot.services.survey import TOPICS

TZ = ZoneInfo("Asia/Jakarta")
ORG = "Dinas Koperasi dan Usaha Mikro Kota Malang"
BOT = "pelatihan_malang_bot"
PEOPLE = 300
DAYS = (date(2026, 12, 8), date(2026, 12, 9), date(2026, 12, 10))
NOW = datetime(2026, 12, 10, 15, 30, tzinfo=TZ)
FIRST = ("Siti", "Budi", "Ni Luh", "I Made", "Dewi", "Agus", "Nguyễn", "Śrī", "Rina", "Wayan")
MIDDLE = ("Ayu", "Santoso", "Putri", "Aminah", "Kusuma", "Rahayu", "Hartono", "Lestari")
LAST = ("Pradnyaswari", "Wijaya", "Setiawan", "Nurhaliza", "Thị Hoa", "Saraswati", "Utami")
DISTRICTS = ("Klojen", "Blimbing", "Kedungkandang", "Sukun", "Lowokwaru", "luar kota")
SECTORS = ("kuliner", "fesyen_kriya", "jasa", "perdagangan", "pertanian_peternakan", "lainnya")
SAYINGS = (
    "Cara menghitung harga pokok produksi, sekarang saya tahu untung sebenarnya.",
    "Praktik langsung membuat kain perca jadi tas, bisa langsung dijual.",
    "Foto produk pakai HP dan cara menulis keterangan di marketplace.",
    "Bertemu sesama pelaku usaha, saling tukar pengalaman dan pemasok.",
)
T = TypeVar("T")


def _name(rng: random.Random, index: int) -> str:
    if index == 0:
        return "Ni Luh Ayu Pradnyaswari — Śrī"
    return f"{rng.choice(FIRST)} {rng.choice(MIDDLE)} {rng.choice(LAST)}"


async def _training(session: object) -> Training:
    training = Training(
        code="KP-2026-01",
        title="Pembinaan Kemampuan dan Keterampilan Kerja bagi Usaha Mikro: Kain Perca dan "
        "Melukis Kain",
        description="",
        venue="Hotel Sahid Montana Dua, Malang",
        capacity=PEOPLE,
        status=TrainingStatus.CLOSED,
        created_at=NOW - timedelta(days=40),
        updated_at=NOW - timedelta(days=40),
    )
    topics = ("Kain perca", "Melukis kain", "Pemasaran produk")
    for number, (day, topic) in enumerate(zip(DAYS, topics, strict=True), start=1):
        start = datetime.combine(day, datetime.min.time(), tzinfo=TZ) + timedelta(hours=8)
        training.days.append(
            TrainingDay(
                day_number=number,
                date=day,
                starts_at=start,
                ends_at=start + timedelta(hours=7),
                topic=topic,
                note="",
            )
        )
    session.add(training)  # type: ignore[attr-defined]
    await session.flush()  # type: ignore[attr-defined]
    return training


async def populate(sessions: SessionFactory) -> int:
    """The training, its 300 participants, their attendance and 200 survey answers."""
    rng = random.Random(14)
    async with sessions() as session:
        training = await _training(session)
        for index in range(PEOPLE):
            registered = NOW - timedelta(days=24 - index * 21 / PEOPLE, hours=rng.random() * 8)
            person = Participant(
                telegram_id=10_000 + index,
                chat_id=10_000 + index,
                language="id",
                full_name=_name(rng, index),
                phone=f"+62812{3400000 + index:07d}",
                business_name=f"Usaha {rng.choice(('Berkah', 'Jaya', 'Mandiri', 'Sari'))} {index}",
                sector=rng.choice(SECTORS),
                district=rng.choice(DISTRICTS),
                consent_at=registered,
                created_at=registered,
                updated_at=registered,
            )
            registration = Registration(
                participant=person,
                training=training,
                status=RegistrationStatus.CONFIRMED,
                queued_at=registered,
                queue_seq=index + 1,
                confirmed_at=registered,
                checkin_token=secrets.token_hex(16),
                created_at=registered,
                updated_at=registered,
            )
            session.add(registration)
            await session.flush()
            for day in training.days:
                session.add(
                    Attendance(
                        registration_id=registration.id,
                        training_day_id=day.id,
                        method="qr",
                        checked_in_by=1,
                        checked_in_at=day.starts_at,
                    )
                )
            if index < 200:
                _answer(session, rng, registration, training)
        await session.commit()
        return training.id


def _answer(
    session: object, rng: random.Random, registration: Registration, training: Training
) -> None:
    response = SurveyResponse(
        registration_id=registration.id,
        training_id=training.id,
        overall=rng.choice((4, 5, 5, 3)),
        material=rng.choice((4, 5, 4, 3)),
        trainer=rng.choice((5, 5, 4)),
        helped=rng.choice(SAYINGS),
        started_at=NOW,
        finished_at=NOW,
        updated_at=NOW,
    )
    response.topics = [SurveyTopic(topic=t) for t in rng.sample(TOPICS, 2)]
    session.add(response)  # type: ignore[attr-defined]


def _max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(step: Callable[[], T]) -> tuple[T, float, float, float]:
    """The step's result, its wall time (s), its CPU time (s: on a shared machine it tells the
    work from the waiting) and how far it raised the process's peak resident size (MB;
    tracemalloc would slow fontTools down tenfold and distort the time)."""
    before = _max_rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    result = step()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    return result, elapsed, cpu, _max_rss_mb() - before


async def _certificate_views(sessions: SessionFactory, training_id: int) -> list[CertificateView]:
    async with sessions() as session:
        ids = await certificates.issue_all(session, training_id, 0, NOW, TZ)
        views = await certificates.certificate_views(session, ids)
    return [views[i] for i in ids]


def bench_certificates(sessions: SessionFactory, training_id: int) -> list[CertificateView]:
    """Number 300 certificates, then render the ZIP; the baseline renders with full fonts."""
    views, numbering, numbering_cpu, _ = measure(
        lambda: asyncio.run(_certificate_views(sessions, training_id))
    )
    content, elapsed, cpu, peak = measure(lambda: certificates_zip(views, ORG, BOT))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        count = len(archive.namelist())
    sample = views[:10]
    _, baseline, _, _ = measure(lambda: [certificate_pdf(v, ORG, BOT) for v in sample])
    scaled = baseline / len(sample) * len(views)
    print(f"certificates: numbering {len(views)}: {numbering:.2f} s (CPU {numbering_cpu:.2f} s)")
    print(
        f"certificates: ZIP of {count} PDFs, {len(content) / 2**20:.1f} MB: {elapsed:.1f} s "
        f"(CPU {cpu:.1f} s; {elapsed / count * 1000:.0f} ms each), peak +{peak:.0f} MB"
    )
    print(
        f"certificates: baseline, full fonts per PDF: {baseline / len(sample) * 1000:.0f} ms "
        f"each, {scaled:.1f} s for {len(views)} (ratio {scaled / elapsed:.1f}x)"
    )
    return views


def bench_report(sessions: SessionFactory, training_id: int) -> None:
    """The report of 300 people from the database: numbers, charts, PDF and workbook."""

    async def view() -> object:
        async with sessions() as session:
            return await activity_report_view(session, training_id, TZ)

    def report() -> tuple[bytes, bytes]:
        found = asyncio.run(view())
        assert found is not None
        return (
            activity_report_pdf(found, ORG, TZ, NOW),  # type: ignore[arg-type]
            activity_report_xlsx(found),  # type: ignore[arg-type]
        )

    (pdf, xlsx), elapsed, cpu, peak = measure(report)
    print(
        f"report: 300 people, PDF {len(pdf) / 1024:.0f} KB + xlsx {len(xlsx) / 1024:.0f} KB: "
        f"{elapsed:.2f} s (CPU {cpu:.2f} s), peak +{peak:.0f} MB"
    )


def write_samples(
    sessions: SessionFactory, training_id: int, views: list[CertificateView], folder: Path
) -> None:
    """The images of docs/using.md: a certificate, a sheet, the report's first page, a chart."""
    import pypdfium2

    async def load() -> tuple[object, object]:
        async with sessions() as session:
            sheet = await attendance_sheet_view(session, training_id, 1)
            report = await activity_report_view(session, training_id, TZ)
        return sheet, report

    sheet, report = asyncio.run(load())
    folder.mkdir(parents=True, exist_ok=True)
    pages = {
        "certificate.png": certificate_pdf(views[0], ORG, BOT),
        "attendance-sheet.png": attendance_sheet_pdf(sheet, ORG, TZ, NOW),  # type: ignore[arg-type]
        "activity-report.png": activity_report_pdf(report, ORG, TZ, NOW),  # type: ignore[arg-type]
    }
    for name, pdf in pages.items():
        image = pypdfium2.PdfDocument(pdf)[0].render(scale=1.4).to_pil()
        image.save(folder / name, optimize=True)
    charts = dict(training_charts(report.statistics, "id"))  # type: ignore[attr-defined]
    (folder / "statistik-districts.png").write_bytes(charts["districts.png"])
    print(f"samples written to {folder}")


def main() -> None:
    """Build the data, run both benchmarks, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=Path, help="also write the sample images here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.sqlite3"
        upgrade_database_sync(url)
        engine = create_engine(url)
        sessions = create_session_factory(engine)
        try:
            training_id = asyncio.run(populate(sessions))
            print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            views = bench_certificates(sessions, training_id)
            bench_report(sessions, training_id)
            if args.samples:
                write_samples(sessions, training_id, views, args.samples)
        finally:
            asyncio.run(engine.dispose())
    print(f"process: maximum resident size {_max_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
