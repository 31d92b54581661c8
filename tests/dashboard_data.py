"""Data and helpers for the staff dashboard's tests: signed initData, a training an office
would really run (names, businesses, districts, check-ins), and settings with the Mini App."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from bot.db import SessionFactory
from bot.models import OUTSIDE_DISTRICT, Attendance, RegistrationStatus, TrainingStatus
from bot.services.staff import get_training
from bot.services.webapp_auth import sign_init_data
from bot.settings import Settings
from tests.conftest import TOKEN
from tests.staff_factories import make_participant, make_training, register

if TYPE_CHECKING:
    from aiohttp.test_utils import TestClient

    from tests.harness import BotHarness

WEBAPP_URL = "https://bot.example.org/app/"
CLOCK_DAY = date(2026, 12, 1)  # the `clock` fixture's day

# (name, business, sector, district, phone)
PEOPLE = (
    ("Siti Aminah", "Warung Bu Siti", "kuliner", "Klojen", "+6281234560001"),
    ("Budi Santoso", "Bengkel Budi Jaya", "jasa", "Sukun", "+6281234560002"),
    ("Dewi Lestari", "Batik Tulis Dewi", "fesyen_kriya", "Lowokwaru", "+6285733210003"),
    ("Agus Salim", "Toko Kelontong Agus", "perdagangan", "Blimbing", "+6281234560004"),
    ("Rina Wulandari", "Kue Basah Rina", "kuliner", "Kedungkandang", "+6281234560005"),
    ("Made Wirawan", "Kerajinan Bambu Made", "fesyen_kriya", OUTSIDE_DISTRICT, "+6281234560006"),
    ("Yuliana Putri", "Jahit Yuli", "jasa", "Klojen", "+6281234560007"),
    ("Hendra Gunawan", "Ternak Lele Hendra", "pertanian_peternakan", "Kedungkandang", None),
    ("Nur Hidayah", "Keripik Tempe Nur", "kuliner", "Sukun", "+6281234560009"),
    ("Fitri Handayani", "Kain Perca Fitri", "fesyen_kriya", "Blimbing", "+6281234560010"),
    ("Wahyu Pratama", "Sablon Wahyu", "jasa", "Lowokwaru", "+6281234560011"),
    ("Sri Wahyuni", "Jamu Gendong Sri", "kuliner", "Klojen", "+6281234560012"),
    ("Eko Prasetyo", "Warung Kopi Eko", "kuliner", "Blimbing", "+6281234560013"),
    ("Lestari Ningsih", "Toko Batik Lestari", "perdagangan", "Klojen", "+6281234560014"),
)
CONFIRMED = 11  # the first eleven hold a seat, then two wait and one cancelled
PRESENT_ON_DAY_1 = 8


@dataclass(frozen=True)
class DashboardData:
    """What `make_dashboard_data` made: ids the tests look up."""

    training_id: int
    day_ids: tuple[int, ...]
    registration_ids: tuple[int, ...]  # in the order of PEOPLE
    other_training_id: int


def signed_init_data(
    user_id: int,
    now: datetime,
    *,
    token: str = TOKEN,
    first_name: str = "Staf",
    language_code: str = "id",
    age: timedelta = timedelta(minutes=1),
) -> str:
    """initData as Telegram would hand it to the Mini App, signed with `token`."""
    user = {"id": user_id, "first_name": first_name, "language_code": language_code}
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, separators=(",", ":")),
        "auth_date": str(int((now - age).timestamp())),
    }
    return sign_init_data(fields, token)


def dashboard_settings(base: Settings) -> Settings:
    """`base` with the Mini App at WEBAPP_URL."""
    return replace(base, webapp_url=WEBAPP_URL)


def dashboard_days(today: date) -> tuple[date, date, date]:
    """The three days of the dashboard's training: yesterday, `today` and tomorrow."""
    return (today - timedelta(days=1), today, today + timedelta(days=1))


async def make_dashboard_data(sessions: SessionFactory, today: date = CLOCK_DAY) -> DashboardData:
    """A three-day training (yesterday, `today`, tomorrow) with fourteen people, eight checked in
    on day 1, and a second training two weeks later with two; registrations spread over a week,
    starting eleven days before `today`."""
    days = dashboard_days(today)
    first_registration = datetime.combine(today - timedelta(days=11), time(3, 0), tzinfo=UTC)
    async with sessions() as session:
        training = await make_training(
            session,
            "KP-2026-01",
            capacity=CONFIRMED,
            days=days,
            status=TrainingStatus.OPEN,
            now=first_registration,
        )
        training_id = training.id
        loaded = await get_training(session, training_id)
        assert loaded is not None
        day_ids = tuple(d.id for d in loaded.days)
        registration_ids = []
        for index, (name, business, sector, district, phone) in enumerate(PEOPLE):
            person = await make_participant(
                session,
                700_000 + index,
                name,
                business=business,
                sector=sector,
                district=district,
                now=first_registration,
            )
            person.phone = phone
            status = RegistrationStatus.CONFIRMED
            if index >= CONFIRMED:
                status = (
                    RegistrationStatus.WAITLISTED
                    if index < len(PEOPLE) - 1
                    else RegistrationStatus.CANCELLED
                )
            at = first_registration + timedelta(days=index // 3, hours=index)
            registration = await register(session, person, training, status, at=at)
            registration_ids.append(registration.id)
            if index < PRESENT_ON_DAY_1:
                session.add(
                    Attendance(
                        registration_id=registration.id,
                        training_day_id=day_ids[0],
                        method="qr",
                        checked_in_by=1,
                        checked_in_at=datetime.combine(days[0], time(1, index), tzinfo=UTC),
                    )
                )
        await session.commit()
        other = await make_training(
            session,
            "BT-2026-02",
            title="Batik Tulis untuk Pemula",
            capacity=20,
            days=(today + timedelta(days=13), today + timedelta(days=14)),
            now=first_registration,
        )
        for index in range(2):
            person = await make_participant(
                session, 710_000 + index, f"Peserta Batik {index + 1}", now=first_registration
            )
            await register(session, person, other, at=first_registration)
        return DashboardData(training_id, day_ids, tuple(registration_ids), other.id)


@asynccontextmanager
async def dashboard_client(harness: BotHarness) -> AsyncIterator[TestClient[Any, Any]]:
    """A client of the dashboard's server around the harness's bot, with the Mini App on."""
    from aiohttp import test_utils

    from bot.web.webhook import build_dashboard_app

    app = build_dashboard_app(harness.app, dashboard_settings(harness.settings))
    client: TestClient[Any, Any] = test_utils.TestClient(test_utils.TestServer(app))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()
