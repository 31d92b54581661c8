"""Data for the after-the-training tests: a finished training, people, who came on which day."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime

import pypdf
import pypdfium2
import zxingcpp
from sqlalchemy import select

from bot.db import SessionFactory
from bot.models import Attendance, Participant, Registration, Training, TrainingDay
from tests.staff_factories import NOW, make_participant, make_training, register

# The `clock` fixture's day is 1 December 2026: this training ran from 24 to 26 November.
DAYS = (date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26))
SPECIAL = "Ni Luh Ayu Pradnyaswari — Śrī"
STAFF_ID = 9000001


async def finished_training(
    sessions: SessionFactory,
    names: Sequence[str],
    present_days: Sequence[Sequence[int]],
    *,
    code: str = "KP-2026-01",
    days: tuple[date, ...] = DAYS,
    first_id: int = 700_000,
    now: datetime = NOW,
) -> tuple[Training, list[Registration]]:
    """A training with these confirmed people, each present on the given day numbers (the rows
    made, and the check-ins recorded, at `now`)."""
    async with sessions() as session:
        training = await make_training(
            session, code, days=days, capacity=max(len(names), 1), now=now
        )
        day_ids = {
            d.day_number: d.id
            for d in await session.scalars(
                select(TrainingDay).where(TrainingDay.training_id == training.id)
            )
        }
        registrations = []
        for index, (name, present) in enumerate(zip(names, present_days, strict=True)):
            person = await make_participant(
                session, first_id + index, name, business=f"Usaha {name.split()[0]}", now=now
            )
            registration = await register(session, person, training, at=now)
            registrations.append(registration)
            for number in present:
                session.add(
                    Attendance(
                        registration_id=registration.id,
                        training_day_id=day_ids[number],
                        method="manual",
                        checked_in_by=STAFF_ID,
                        checked_in_at=now,
                    )
                )
        await session.commit()
    return training, registrations


async def telegram_id_of(sessions: SessionFactory, registration: Registration) -> int:
    """The Telegram id of the person behind a registration."""
    async with sessions() as session:
        participant = await session.get(Participant, registration.participant_id)
        assert participant is not None and participant.telegram_id is not None
        return participant.telegram_id


def pdf_text(content: bytes) -> str:
    """Every page's text of a PDF, joined."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(content: bytes) -> list[str]:
    """Each page's text of a PDF."""
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def qr_codes_on_page(content: bytes, page: int = 0) -> list[str]:
    """The QR codes on a PDF page, rendered as a person's phone camera would see it."""
    document = pypdfium2.PdfDocument(content)
    image = document[page].render(scale=3).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]
