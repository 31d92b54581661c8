"""The staff dashboard in a real headless browser (Debian's chromium) against the bot's real
server and services: read the numbers, check someone in, send the export and an
announcement; forged, expired and non-staff initData see a clear refusal and no data.

Screenshots at phone width go to the test's folder, and to `DASHBOARD_SCREENSHOTS` when set
(`DASHBOARD_SCREENSHOTS=docs/img` refreshes the pictures of docs/using.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from aiohttp import test_utils
from sqlalchemy import select

from bot.models import Attendance
from bot.settings import Settings
from bot.texts.formatting import format_button_day, format_date_range
from bot.web.webhook import build_dashboard_app
from tests.browser import Browser, Phone
from tests.conftest import ADMIN_ID, JAKARTA
from tests.dashboard_data import (
    CONFIRMED,
    PRESENT_ON_DAY_1,
    DashboardData,
    dashboard_days,
    dashboard_settings,
    make_dashboard_data,
    signed_init_data,
)
from tests.harness import BotHarness, FakeClock

# Telegram's light theme, as it hands it to a Mini App.
THEME = {
    "bg_color": "#ffffff",
    "secondary_bg_color": "#efeff4",
    "text_color": "#000000",
    "hint_color": "#8e8e93",
    "link_color": "#007aff",
    "button_color": "#3390ec",
    "button_text_color": "#ffffff",
    "section_bg_color": "#ffffff",
    "accent_text_color": "#007aff",
    "destructive_text_color": "#ff3b30",
}


@pytest.fixture
def clock() -> FakeClock:
    """The real time: chromium cannot run on a moved clock (libfaketime), so these tests show
    today's data, as a phone would (the API's tests run on the fake clock)."""
    return FakeClock(datetime.now(UTC))


@pytest.fixture
def db_url(sqlite_url: str) -> str:
    """SQLite is enough here: the API's tests run on both databases."""
    return sqlite_url


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test settings with the Mini App."""
    return dashboard_settings(settings)


@pytest.fixture
async def server(harness: BotHarness) -> AsyncIterator[str]:
    """The bot's dashboard server on a free loopback port; its /app/ address."""
    server = test_utils.TestServer(
        build_dashboard_app(harness.app, harness.settings), host="127.0.0.1"
    )
    await server.start_server()
    yield str(server.make_url("/app/"))
    await server.close()


@pytest.fixture
def shots(tmp_path: Path) -> Iterator[list[Path]]:
    """Where screenshots go: the test's folder, and DASHBOARD_SCREENSHOTS when set."""
    folders = [tmp_path]
    if os.environ.get("DASHBOARD_SCREENSHOTS"):
        folders.append(Path(os.environ["DASHBOARD_SCREENSHOTS"]))
    yield folders


def _today(harness: BotHarness) -> date:
    """The harness's day in Jakarta."""
    return harness.clock().astimezone(JAKARTA).date()


async def snap(phone: Phone, shots: list[Path], name: str) -> None:
    """Save a screenshot under every screenshot folder and check it is a picture."""
    for folder in shots:
        await phone.screenshot(folder / name)
    assert (shots[0] / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


async def scroll_to(phone: Phone, selector: str) -> None:
    """Scroll so that `selector` is at the top, under the sticky header."""
    script = "s => window.scrollTo(0, document.querySelector(s).offsetTop - 60)"
    await phone.call(lambda page: page.evaluate(script, selector))


def launch_url(server: str, init_data: str | None) -> str:
    """The page's address as Telegram opens it: launch parameters in the fragment."""
    params = [f"tgWebAppThemeParams={quote(json.dumps(THEME))}", "tgWebAppVersion=8.0"]
    if init_data is not None:
        params.insert(0, f"tgWebAppData={quote(init_data)}")
    return f"{server}#{'&'.join(params)}"


async def test_staff_read_the_numbers_check_someone_in_and_announce(
    harness: BotHarness, server: str, phone: Phone, shots: list[Path]
) -> None:
    data: DashboardData = await make_dashboard_data(harness.sessions, _today(harness))
    await phone.open(launch_url(server, signed_init_data(ADMIN_ID, harness.clock())))

    # The trainings, with seats, waiting list and check-ins per day.
    card = '.card[data-code="KP-2026-01"]'
    assert (
        await phone.text(f'{card} [data-count="seats"]') == f"{CONFIRMED}/{CONFIRMED} kursi terisi"
    )
    assert await phone.text(f'{card} [data-count="waiting"]') == "2 di daftar tunggu"
    assert await phone.texts(f"{card} .chip") == [
        f"Hari 1: {PRESENT_ON_DAY_1} hadir", "Hari 2: 0 hadir", "Hari 3: 0 hadir"
    ]  # fmt: skip
    await snap(phone, shots, "dashboard-trainings.png")

    # A training's people, searched.
    await phone.click(card)
    assert await phone.text('[data-count="confirmed"] b') == str(CONFIRMED)
    assert await phone.text('[data-count="waiting"] b') == "2"
    await phone.wait_for_text("#people-count", "14 dari 14 orang")
    await phone.fill('input[type="search"]', "batik")
    await phone.wait_for_text("#people-count", "2 dari 14 orang")
    assert await phone.texts("#people .name") == ["Dewi Lestari", "Lestari Ningsih"]
    await phone.fill('input[type="search"]', "")
    await phone.wait_for_text("#people-count", "14 dari 14 orang")
    await snap(phone, shots, "dashboard-participants.png")

    # Check-in by name on today's day: the count changes and the database agrees.
    await phone.click('[data-tab="checkin"]')
    await phone.wait_for_text("#checkin-count", f"0 dari {CONFIRMED} hadir")
    today = format_button_day(_today(harness), "id")
    assert await phone.text('.chip[aria-pressed="true"]') == f"Hari 2 · {today}"
    await phone.fill('#tab-body input[type="search"]', "rina")
    await phone.wait_for_text("#checkin li", "Rina Wulandari")
    await phone.click('#checkin li[data-name="Rina Wulandari"] button')
    await phone.wait_for_text("#checkin-count", f"1 dari {CONFIRMED} hadir")
    await phone.wait_for_text('#checkin li[data-name="Rina Wulandari"]', "✓ Hadir")
    async with harness.sessions() as session:
        [(registration_id, day_id)] = (
            await session.execute(
                select(Attendance.registration_id, Attendance.training_day_id).where(
                    Attendance.training_day_id == data.day_ids[1]
                )
            )
        ).all()
    assert (registration_id, day_id) == (data.registration_ids[4], data.day_ids[1])
    await phone.fill('#tab-body input[type="search"]', "")
    await phone.wait_for_text("#checkin li", "Agus Salim")
    await scroll_to(phone, ".tabs")
    await snap(phone, shots, "dashboard-checkin.png")

    # Charts drawn from the training's numbers.
    await phone.click('[data-tab="charts"]')
    await phone.wait_for_text('[data-chart="attendance"]', "Hari 2")
    assert await phone.texts('[data-chart="attendance"] .value') == [
        str(PRESENT_ON_DAY_1),
        "1",
        "0",
    ]
    assert await phone.texts('[data-chart="sector"] .label') == [
        "Kuliner", "Fesyen / kerajinan", "Jasa", "Perdagangan", "Pertanian / peternakan"
    ]  # fmt: skip
    await phone.call(
        lambda page: page.locator('[data-chart="district"]').scroll_into_view_if_needed()
    )
    await snap(phone, shots, "dashboard-charts.png")

    # The export goes to the staff member's chat, through the outbox.
    await phone.click("#export")
    await phone.wait_for_text("#toast", "File sedang dikirim ke chat Anda")
    await harness.run_woken_sender()
    staff = harness.user(ADMIN_ID, "Staf")
    [export] = staff.messages()
    assert export.document is not None and export.document[0] == "peserta-KP-2026-01.xlsx"

    # An announcement: preview, then "Kirim"; the report reaches the chat.
    await phone.click(".section .btn.secondary")
    await phone.fill(
        "#announce textarea", "Besok hari kedua dimulai pukul 08.00. Bawa gunting kain."
    )
    await phone.click('#announce button[type="submit"]')
    await phone.wait_for_text("#preview", "Bawa gunting kain.")
    assert await phone.text("#send") == f"Kirim ke {CONFIRMED} orang"
    await snap(phone, shots, "dashboard-announcement.png")
    await phone.click("#send")
    await phone.wait_for_text("#announce-progress", f"dari {CONFIRMED}")
    await harness.run_woken_sender()
    await harness.run_woken_sender()
    assert harness.tg.sent_to(700_000)[-1].text.endswith("Bawa gunting kain.")
    await phone.wait_for_text("#announce-progress", f"Selesai: {CONFIRMED} terkirim")
    assert staff.messages()[-1].text.startswith("📢 Pengumuman selesai dikirim")


@pytest.mark.parametrize(
    ("who", "sentence"),
    [
        ("nobody", "hanya bisa dibuka dari tombol di bot Telegram"),
        ("forged", "hanya bisa dibuka dari tombol di bot Telegram"),
        ("expired", "Sesi ini sudah kedaluwarsa"),
        ("not staff", "Dasbor ini hanya untuk staf dinas."),
    ],
)
async def test_forged_expired_and_non_staff_see_a_refusal_and_no_data(
    harness: BotHarness, server: str, phone: Phone, shots: list[Path], who: str, sentence: str
) -> None:
    await make_dashboard_data(harness.sessions, _today(harness))
    now = harness.clock()
    init_data = {
        "nobody": None,
        "forged": signed_init_data(ADMIN_ID, now, token="654321:OTHER-token"),
        "expired": signed_init_data(ADMIN_ID, now, age=timedelta(hours=2)),
        "not staff": signed_init_data(4242, now),
    }[who]
    await phone.open(launch_url(server, init_data))
    await phone.wait_for_text('[role="alert"]', sentence)
    page_text = await phone.text("body")
    for secret in ("KP-2026-01", "Siti", "kursi"):
        assert secret not in page_text
    if who == "not staff":
        await snap(phone, shots, "dashboard-refused.png")


async def test_english_speaking_staff_read_it_in_english(
    harness: BotHarness, server: str, phone: Phone
) -> None:
    await make_dashboard_data(harness.sessions, _today(harness))
    init_data = signed_init_data(ADMIN_ID, harness.clock(), language_code="en")
    await phone.open(launch_url(server, init_data))
    card = '.card[data-code="KP-2026-01"]'
    assert (
        await phone.text(f'{card} [data-count="seats"]') == f"{CONFIRMED}/{CONFIRMED} seats taken"
    )
    first, _, last = dashboard_days(_today(harness))
    assert await phone.text(f"{card} .hint") == format_date_range(first, last, "en")


async def test_an_admin_gives_a_role_and_the_volunteer_sees_only_check_in(
    harness: BotHarness, server: str, phone: Phone, browser: Browser, shots: list[Path]
) -> None:
    await make_dashboard_data(harness.sessions, _today(harness))
    await phone.open(launch_url(server, signed_init_data(ADMIN_ID, harness.clock())))
    await phone.click("#open-staff")
    await phone.wait_for_text("#staff", str(ADMIN_ID))
    await phone.fill("#staff-user", "4242")
    await phone.call(lambda page: page.select_option("#staff-role", "checkin"))
    await phone.click('input[type="checkbox"][value="KP-2026-01"]')
    await phone.click("#staff-grant")
    await phone.wait_for_text('#staff li[data-user="4242"]', "Petugas hadir · KP-2026-01")
    await phone.wait_for_text("#audit", "grant")
    await snap(phone, shots, "dashboard-staff.png")

    volunteer = await browser.new_phone()
    try:
        await volunteer.open(launch_url(server, signed_init_data(4242, harness.clock())))
        await volunteer.click('.card[data-code="KP-2026-01"]')
        await volunteer.wait_for_text("#checkin-count", f"dari {CONFIRMED} hadir")
        assert await volunteer.texts("[data-tab]") == ["Absensi"]
        assert await volunteer.texts("#export") == []
        assert all(not phone_text for phone_text in await volunteer.texts("#checkin .phone"))
    finally:
        await volunteer.close()
