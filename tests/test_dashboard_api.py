"""The staff dashboard's server: its JSON API around the real Application (both databases),
the /admin button that opens it, and `python -m bot` serving it in polling mode."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest
from aiohttp import test_utils
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.models import Announcement, AnnouncementState, Attendance, Delivery
from bot.playground.botapi import FakeBotApiServer
from bot.settings import Settings
from bot.web.miniapp import INIT_DATA_HEADER
from bot.web.webhook import build_dashboard_app, build_webhook_app
from tests.conftest import ADMIN_ID, TOKEN
from tests.dashboard_data import (
    CONFIRMED,
    PEOPLE,
    PRESENT_ON_DAY_1,
    WEBAPP_URL,
    DashboardData,
    dashboard_settings,
    make_dashboard_data,
    signed_init_data,
)
from tests.harness import BotHarness, BotProcess, bot_env
from tests.test_webhook import free_port, wait_until_serving, webhook_env

Client = test_utils.TestClient[Any, Any]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test settings with the Mini App."""
    return dashboard_settings(settings)


@pytest.fixture
async def client(harness: BotHarness) -> AsyncIterator[Client]:
    """A client of the dashboard's server around the bot."""
    client: Client = test_utils.TestClient(
        test_utils.TestServer(build_dashboard_app(harness.app, harness.settings))
    )
    await client.start_server()
    yield client
    await client.close()


@pytest.fixture
async def data(harness: BotHarness) -> DashboardData:
    """The training of the dashboard's tests."""
    return await make_dashboard_data(harness.sessions)


def staff_headers(harness: BotHarness, user_id: int = ADMIN_ID, **kw: Any) -> dict[str, str]:
    """The header the page sends, with initData signed for `user_id` now."""
    return {INIT_DATA_HEADER: signed_init_data(user_id, harness.clock(), **kw)}


async def get(client: Client, harness: BotHarness, path: str) -> Any:
    """GET an API path as staff; the JSON answer."""
    response = await client.get(f"/app/api/{path}", headers=staff_headers(harness))
    assert response.status == 200, await response.text()
    assert response.headers["Cache-Control"] == "no-store"
    return await response.json()


async def post(client: Client, harness: BotHarness, path: str, body: Any) -> aiohttp.ClientResponse:
    """POST JSON to an API path as staff."""
    return await client.post(f"/app/api/{path}", json=body, headers=staff_headers(harness))


async def test_trainings_list_seats_waiting_and_checkins_per_day(
    harness: BotHarness, client: Client, data: DashboardData
) -> None:
    body = await get(client, harness, "trainings")
    first, second = body["trainings"][1], body["trainings"][0]  # newest first
    assert (first["code"], first["title"]) == (
        "KP-2026-01",
        "Pelatihan Kain Perca dan Melukis Kain",
    )
    assert (first["confirmed"], first["capacity"], first["waitlisted"]) == (CONFIRMED, CONFIRMED, 2)
    assert first["status_label"] == "dibuka"
    assert first["dates"] == "30 November – 2 Desember 2026"
    days = [(d["number"], d["present"], d["today"], d["future"]) for d in first["days"]]
    assert days == [(1, PRESENT_ON_DAY_1, False, False), (2, 0, True, False), (3, 0, False, True)]
    assert (second["code"], second["confirmed"], second["waitlisted"]) == ("BT-2026-02", 2, 0)


async def test_me_gives_the_page_its_strings_in_the_staff_members_language(
    harness: BotHarness, client: Client
) -> None:
    body = await get(client, harness, "me")
    assert body["lang"] == "id" and body["user"]["id"] == ADMIN_ID
    assert body["texts"]["app.export"] == "📥 Kirim Excel ke chat saya"
    assert body["texts"]["app.seats"] == "{confirmed}/{capacity} kursi terisi"
    english = await client.get("/app/api/me", headers=staff_headers(harness, language_code="en-GB"))
    assert (await english.json())["texts"]["app.tab.people"] == "Participants"


async def test_people_are_searched_by_name_business_and_phone_digits(
    harness: BotHarness, client: Client, data: DashboardData
) -> None:
    path = f"trainings/{data.training_id}/people"
    everyone = await get(client, harness, path)
    assert everyone["total"] == len(PEOPLE) == len(everyone["people"])
    first = everyone["people"][0]
    assert (first["name"], first["phone"], first["status_label"]) == (
        "Siti Aminah", "0812-3456-0001", "terdaftar"
    )  # fmt: skip
    assert first["attended"] == [True, False, False]
    assert [p["status_label"] for p in everyone["people"][CONFIRMED:]] == [
        "daftar tunggu nomor 1", "daftar tunggu nomor 2", "batal"
    ]  # fmt: skip

    async def names(query: str) -> list[str]:
        found = await get(client, harness, f"{path}?q={query}")
        return [p["name"] for p in found["people"]]

    assert await names("siti") == ["Siti Aminah"]
    assert await names("WARUNG") == ["Siti Aminah", "Eko Prasetyo"]
    assert await names("batik") == ["Dewi Lestari", "Lestari Ningsih"]
    assert await names("lestari%20toko") == ["Lestari Ningsih"]
    assert await names("0857-3321") == ["Dewi Lestari"]
    assert await names("%2B6285733") == ["Dewi Lestari"]
    assert await names("08") == []  # two digits find nobody rather than everybody
    assert await names("zzz") == []


async def test_checking_in_changes_the_count_and_the_database_agrees(
    harness: BotHarness, client: Client, data: DashboardData
) -> None:
    today = data.day_ids[1]
    rina = data.registration_ids[4]
    body = {"registration_id": rina, "day_id": today, "present": True}
    for _ in range(2):  # a double tap records one check-in
        response = await post(client, harness, "attendance", body)
        assert response.status == 200
        assert await response.json() == {"present": True, "day_present": 1}
    async with harness.sessions() as session:
        rows = (await session.execute(select(Attendance))).scalars().all()
        mine = [a for a in rows if a.training_day_id == today]
        assert [(a.registration_id, a.method, a.checked_in_by) for a in mine] == [
            (rina, "manual", ADMIN_ID)
        ]
    trainings = await get(client, harness, "trainings")
    assert trainings["trainings"][1]["days"][1]["present"] == 1

    undo = await post(client, harness, "attendance", {**body, "present": False})
    assert await undo.json() == {"present": False, "day_present": 0}


async def test_check_in_keeps_the_same_rules_as_the_chat(
    harness: BotHarness, client: Client, data: DashboardData
) -> None:
    waiting = data.registration_ids[CONFIRMED]
    refused = await post(
        client,
        harness,
        "attendance",
        {"registration_id": waiting, "day_id": data.day_ids[1], "present": True},
    )
    assert refused.status == 409
    assert (await refused.json())["error"] == "not_confirmed"
    tomorrow = await post(
        client,
        harness,
        "attendance",
        {"registration_id": data.registration_ids[0], "day_id": data.day_ids[2], "present": True},
    )
    assert tomorrow.status == 409
    body = await tomorrow.json()
    assert body["error"] == "future_day"
    assert body["message"]["id"].startswith("Hari ini belum tiba")
    for bad in ({}, {"registration_id": "1", "day_id": 1, "present": True}, [1]):
        response = await post(client, harness, "attendance", bad)
        assert response.status == 400


async def test_statistics_are_the_numbers_of_the_training(
    harness: BotHarness, client: Client, data: DashboardData
) -> None:
    body = await get(client, harness, f"trainings/{data.training_id}/statistics")
    assert [bar["value"] for bar in body["attendance"]] == [PRESENT_ON_DAY_1, 0, 0]
    assert sum(bar["value"] for bar in body["registrations"]) == len(PEOPLE)
    assert body["registrations"][0]["label"] == "Jum, 20 Nov"
    # Active registrations only (the cancelled one is not counted), most first, then by name.
    assert body["district"][:2] == [
        {"label": "Blimbing", "value": 3}, {"label": "Klojen", "value": 3}
    ]  # fmt: skip
    assert {"label": "Luar kota", "value": 1} in body["district"]
    assert body["sector"][0] == {"label": "Kuliner", "value": 5}
    missing = await client.get(
        "/app/api/trainings/999999/statistics", headers=staff_headers(harness)
    )
    assert missing.status == 404


async def test_the_export_reaches_the_staff_members_chat_once(
    harness: BotHarness, client: Client, data: DashboardData
) -> None:
    staff = harness.user(ADMIN_ID, "Staf")
    body = {"request_id": "0b8e0a36-5d0c-4a8e-9a7e-2f1c9d1b1a11"}
    for _ in range(2):  # the same tap twice: one file
        response = await post(client, harness, f"trainings/{data.training_id}/export", body)
        assert response.status == 200
    await harness.run_woken_sender()
    [message] = staff.messages()
    assert message.method == "sendDocument" and message.document is not None
    assert message.document[0] == "peserta-KP-2026-01.xlsx"
    assert "14 pendaftaran" in message.text
    assert [label for label, _ in message.buttons()] == ["📄 Kirim juga sebagai CSV"]
    book = load_workbook(io.BytesIO(message.document[1]))
    assert book.sheetnames[:2] == ["Ringkasan", "KP-2026-01"]
    # The CSV button under it is the chat's own.
    replies = await harness.press(staff, message, "📄 Kirim juga sebagai CSV")
    assert replies[0].document is not None and replies[0].document[0].endswith(".csv")
    bad = await post(client, harness, f"trainings/{data.training_id}/export", {"request_id": "x"})
    assert bad.status == 400


async def test_an_announcement_goes_through_preview_start_outbox_and_report(
    harness: BotHarness, client: Client, data: DashboardData
) -> None:
    staff = harness.user(ADMIN_ID, "Staf")
    text = "Besok bawa <gunting> & kain perca"
    draft = await post(
        client,
        harness,
        "announcements",
        {"audience": "confirmed", "training_id": data.training_id, "text": text},
    )
    body = await draft.json()
    assert body["recipients"] == CONFIRMED
    assert "Besok bawa &lt;gunting&gt; &amp; kain perca" in body["preview_html"]
    assert "Pelatihan Kain Perca dan Melukis Kain" in body["preview_html"]
    assert staff.messages() == []  # a draft sends nothing

    started = await post(client, harness, f"announcements/{body['id']}/start", {})
    assert (await started.json())["total"] == CONFIRMED
    again = await post(client, harness, f"announcements/{body['id']}/start", {})
    assert again.status == 409  # a second "Kirim" sends nobody anything twice
    await harness.run_woken_sender()
    siti = harness.tg.sent_to(700_000)
    assert [m.text for m in siti] == [
        "📢 Pengumuman — Pelatihan Kain Perca dan Melukis Kain\n\nBesok bawa <gunting> & kain perca"
    ]
    await harness.run_woken_sender()  # the report follows the last delivery
    progress = await get(client, harness, f"announcements/{body['id']}")
    assert (progress["state"], progress["sent"], progress["done"]) == ("done", CONFIRMED, CONFIRMED)
    [report] = staff.messages()
    assert report.text.startswith(f"📢 Pengumuman selesai dikirim ke {CONFIRMED} penerima.")


async def test_announcement_text_is_checked_and_a_draft_can_be_dropped(
    harness: BotHarness, client: Client, data: DashboardData
) -> None:
    empty = await post(client, harness, "announcements", {"audience": "everyone", "text": "  "})
    assert (empty.status, (await empty.json())["error"]) == (400, "text_empty")
    long = await post(
        client, harness, "announcements", {"audience": "everyone", "text": "x" * 3501}
    )
    assert (await long.json())["message"]["en"].startswith("The text is too long (3501")
    nobody = await post(
        client,
        harness,
        "announcements",
        {"audience": "waitlist", "training_id": data.other_training_id, "text": "Halo"},
    )
    assert await nobody.json() == {"id": None, "recipients": 0}
    draft = await (
        await post(client, harness, "announcements", {"audience": "everyone", "text": "Halo"})
    ).json()
    assert draft["recipients"] == len(PEOPLE) + 2
    dropped = await post(client, harness, f"announcements/{draft['id']}/drop", {})
    assert dropped.status == 200
    assert (await post(client, harness, f"announcements/{draft['id']}/start", {})).status == 409
    async with harness.sessions() as session:
        state = await session.scalar(select(Announcement.state))
        assert state == AnnouncementState.CANCELLED
        assert await session.scalar(select(func.count()).select_from(Delivery)) == 0


ENDPOINTS = [
    ("GET", "me"),
    ("GET", "trainings"),
    ("GET", "trainings/1"),
    ("GET", "trainings/1/people"),
    ("GET", "trainings/1/statistics"),
    ("POST", "trainings/1/export"),
    ("POST", "attendance"),
    ("POST", "announcements"),
    ("GET", "announcements/1"),
    ("POST", "announcements/1/start"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
async def test_every_endpoint_refuses_forged_expired_and_non_staff_data(
    harness: BotHarness, client: Client, data: DashboardData, method: str, path: str
) -> None:
    now = harness.clock()
    forged = signed_init_data(ADMIN_ID, now, token="654321:OTHER-token")
    expired = signed_init_data(ADMIN_ID, now, age=timedelta(hours=2))
    cases = [({}, 401), ({INIT_DATA_HEADER: "garbage"}, 401), ({INIT_DATA_HEADER: forged}, 401)]
    cases += [({INIT_DATA_HEADER: expired}, 401)]
    # Staff's own data with its hash emptied: `hash=` proves nothing.
    emptied = urlencode({**dict(parse_qsl(signed_init_data(ADMIN_ID, now))), "hash": ""})
    cases += [({INIT_DATA_HEADER: emptied}, 401)]
    cases += [({INIT_DATA_HEADER: signed_init_data(4242, now)}, 403)]
    for headers, status in cases:
        response = await client.request(method, f"/app/api/{path}", headers=headers, json={})
        assert response.status == status
        body = await response.json()
        assert set(body) == {"error", "message"}, body  # a sentence, no data at all
        assert set(body["message"]) == {"id", "en"}
        assert "Siti" not in await response.text()
    async with harness.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Announcement)) == 0


async def test_the_page_and_its_files_are_served_without_data(client: Client) -> None:
    page = await client.get("/app/")
    assert page.status == 200
    html = await page.text()
    assert 'src="static/app.js"' in html and "telegram-web-app.js" in html
    # Only Telegram's web clients may frame the page (the apps open it in a web view).
    policy = dict(
        part.strip().split(" ", 1) for part in page.headers["Content-Security-Policy"].split(";")
    )
    assert policy["frame-ancestors"].split() == [
        "https://web.telegram.org", "https://*.web.telegram.org", "https://t.me", "https://*.t.me",
    ]  # fmt: skip
    redirect = await client.get("/app", allow_redirects=False)
    assert (redirect.status, redirect.headers["Location"]) == (301, "/app/")
    for name in ("app.js", "app.css"):
        assert (await client.get(f"/app/static/{name}")).status == 200
    assert (await client.get("/app/static/../../settings.py")).status in (403, 404)
    assert (await client.get("/app/api/nothing")).status == 404


async def test_the_webhook_server_serves_the_dashboard_on_its_own_port(
    harness: BotHarness,
) -> None:
    settings = replace(
        harness.settings, webhook_url="https://bot.example.org", webhook_secret="s3cret-value"
    )
    client: Client = test_utils.TestClient(
        test_utils.TestServer(build_webhook_app(harness.app, settings))
    )
    await client.start_server()
    try:
        assert (await client.get("/app/")).status == 200
        assert (await client.get("/app/api/me")).status == 401
        response = await client.get("/app/api/me", headers=staff_headers(harness))
        assert response.status == 200
    finally:
        await client.close()


async def test_admin_menu_has_the_dashboard_button_in_a_private_chat(harness: BotHarness) -> None:
    staff = harness.user(ADMIN_ID, "Staf")
    [menu] = await harness.send(staff, "/admin")
    keyboard = menu.reply_markup or {}
    first = keyboard["inline_keyboard"][0][0]
    assert first == {"text": "📊 Buka dasbor", "web_app": {"url": WEBAPP_URL}}


@pytest.mark.e2e
async def test_python_m_bot_serves_the_dashboard_in_polling_mode(
    fake_server: FakeBotApiServer, tmp_path: Path, sqlite_url: str
) -> None:
    database = Path(sqlite_url.removeprefix("sqlite+aiosqlite:///"))
    port = free_port()
    env = bot_env(
        TOKEN,
        fake_server.base_url,
        database,
        ADMIN_IDS=str(ADMIN_ID),
        WEBAPP_URL="https://bot.example.org/app/",
        WEBAPP_PORT=str(port),
        WEBHOOK_LISTEN="127.0.0.1",
    )
    bot = BotProcess(env, tmp_path / "bot.log")
    await bot.start()
    try:
        base = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as http:
            await wait_until_serving(http, port, bot)
            async with http.get(f"{base}/app/") as page:
                assert page.status == 200
            async with http.get(f"{base}/app/api/trainings") as refused:
                assert refused.status == 401
        # Polling goes on beside it: the bot still answers a chat.
        user = fake_server.tg.user(4242, "Rina")
        user.send_text("/start")
        await user.wait_for_text("Halo, Rina!")
    finally:
        assert await bot.stop() == 0, bot.output()
    assert "staff dashboard at https://bot.example.org/app/" in bot.output()


@pytest.mark.e2e
async def test_webhook_mode_serves_the_dashboard_on_a_port_of_its_own(
    fake_server: FakeBotApiServer, tmp_path: Path, sqlite_url: str
) -> None:
    webhook_port, dashboard_port = free_port(), free_port()
    env = webhook_env(fake_server, sqlite_url, webhook_port)
    env.update(WEBAPP_URL="https://bot.example.org/app/", WEBAPP_PORT=str(dashboard_port))
    bot = BotProcess(env, tmp_path / "bot.log")
    await bot.start()
    try:
        async with aiohttp.ClientSession() as http:
            await wait_until_serving(http, dashboard_port, bot)
            await wait_until_serving(http, webhook_port, bot)
            async with http.get(f"http://127.0.0.1:{dashboard_port}/app/") as page:
                assert page.status == 200
            async with http.get(f"http://127.0.0.1:{webhook_port}/app/") as elsewhere:
                assert elsewhere.status == 404
    finally:
        assert await bot.stop() == 0, bot.output()
