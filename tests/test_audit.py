"""The audit trail and the staff roles: an export and a grant are recorded (who, when, what,
which training, how many; no participant's field), /staf in the chat, the Mini App's admin
screen, `python -m bot staff …` and `audit`, and the entries' retention."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from aiohttp import test_utils
from sqlalchemy import select

from bot.db import SessionFactory, create_engine, create_session_factory
from bot.models import AuditEntry, StaffRole
from bot.services import access, audit
from bot.services.access import Role
from bot.settings import Settings
from bot.web.miniapp import API_PATH
from jobs.retention import purge_now
from tests.conftest import ADMIN_ID, TOKEN
from tests.dashboard_data import dashboard_client, signed_init_data
from tests.harness import BotHarness, FakeClock, run_cli, subprocess_env
from tests.staff_factories import grant, make_participant, make_training, populate

NOT_STAFF = "Perintah ini tidak tersedia."
VOLUNTEER = 4242
Client = test_utils.TestClient[Any, Any]


async def _entries(sessions: SessionFactory) -> list[AuditEntry]:
    async with sessions() as session:
        return list((await session.execute(select(AuditEntry).order_by(AuditEntry.id))).scalars())


async def test_an_export_in_the_chat_is_recorded_without_anyones_data(
    harness: BotHarness,
) -> None:
    training, registrations = await populate(harness.sessions)
    staff = harness.user(ADMIN_ID, "Staf")
    replies = await harness.send(staff, "/ekspor KP-2026-01")
    assert replies[-1].document is not None
    [entry] = [e for e in await _entries(harness.sessions) if e.action == "export"]
    assert (entry.actor_id, entry.training_id, entry.people) == (
        ADMIN_ID,
        training.id,
        len(registrations),
    )
    assert entry.at == harness.clock()
    assert entry.detail is None
    # The participant list with phones is recorded too, one entry per page seen.
    await harness.send(staff, "/peserta KP-2026-01")
    assert [e.action for e in await _entries(harness.sessions)][-1] == "participants"


async def test_a_role_given_and_taken_away_in_the_chat(harness: BotHarness) -> None:
    training, _ = await populate(harness.sessions)
    admin, volunteer = harness.user(ADMIN_ID, "Admin"), harness.user(VOLUNTEER, "Relawan")
    assert [m.text for m in await harness.send(volunteer, "/hadir")] == [NOT_STAFF]
    [roles] = await harness.send(admin, f"/staf {VOLUNTEER}")
    assert str(VOLUNTEER) in roles.text
    await harness.press(admin, roles, "Petugas hadir")
    trainings = roles  # the same message, edited
    await harness.press(admin, trainings, "KP-2026-01")
    assert "✅ KP-2026-01" in next(label for label, _ in trainings.buttons())
    await harness.press(admin, trainings, "Simpan")
    assert f"{VOLUNTEER} kini Petugas hadir: KP-2026-01" in trainings.text
    async with harness.sessions() as session:
        [given] = await access.list_grants(session)
    assert (given.telegram_id, given.role, given.codes) == (
        VOLUNTEER,
        Role.CHECKIN,
        ("KP-2026-01",),
    )
    [entry] = [e for e in await _entries(harness.sessions) if e.action == "grant"]
    assert (entry.actor_id, entry.at) == (ADMIN_ID, harness.clock())
    assert entry.detail == f"{VOLUNTEER} checkin KP-2026-01"
    # The volunteer's menu is now theirs, and check-in works for them.
    scope = {"type": "chat", "chat_id": VOLUNTEER}
    calls = harness.tg.calls_of("setMyCommands")
    [menu] = [c for c in calls if c.get("scope") == scope and c.get("language_code") == "id"]
    assert "hadir" in {c["command"] for c in menu["commands"]}
    [sheet] = await harness.send(volunteer, "/hadir")
    assert "KP-2026-01" in sheet.buttons()[0][0]
    assert [m.text for m in await harness.send(volunteer, "/ekspor KP-2026-01")] == [NOT_STAFF]

    [listing] = await harness.send(admin, "/staf")
    assert f"{VOLUNTEER} — Petugas hadir: KP-2026-01" in listing.text
    await harness.press(admin, listing, f"Cabut {VOLUNTEER}")
    assert f"{VOLUNTEER} tidak lagi staf" in listing.text
    assert [m.text for m in await harness.send(volunteer, "/hadir")] == [NOT_STAFF]
    assert [e.action for e in await _entries(harness.sessions)][-1] == "revoke"
    # Only full admins manage staff.
    await grant(harness, VOLUNTEER, Role.MANAGER)
    assert [m.text for m in await harness.send(volunteer, "/staf")] == [NOT_STAFF]
    assert training.id


async def test_an_admin_cannot_be_given_a_role(harness: BotHarness) -> None:
    [answer] = await harness.send(harness.user(ADMIN_ID, "Admin"), f"/staf {ADMIN_ID}")
    assert "sudah admin penuh" in answer.text
    result = await grant(harness, ADMIN_ID, Role.VIEWER)
    unknown = await grant(harness, 7, Role.VIEWER, ("NOPE",))
    async with harness.sessions() as session:
        stored = (await session.execute(select(StaffRole))).scalars().all()
    assert result.refusal == access.GrantRefusal.ADMIN
    assert (unknown.refusal, unknown.unknown) == (access.GrantRefusal.UNKNOWN_TRAINING, "NOPE")
    assert stored == []


async def test_audit_entries_are_kept_for_the_setting(
    sessions: SessionFactory, settings: Settings, clock: FakeClock
) -> None:
    now = clock()
    async with sessions() as session:
        audit.record(session, 1, audit.Action.EXPORT, now - timedelta(days=31))
        audit.record(session, 2, audit.Action.EXPORT, now - timedelta(days=29))
        await session.commit()
    run = await purge_now(sessions, replace(settings, audit_retention_days=30), now)
    assert run.audit == 1 and "audit_entries=1" in run.summary()
    assert [e.actor_id for e in await _entries(sessions)] == [2]


# ---- the Mini App's admin screen -------------------------------------------------------------
@pytest.fixture
async def client(harness: BotHarness) -> AsyncIterator[Client]:
    async with dashboard_client(harness) as client:
        yield client


def _as(harness: BotHarness, user_id: int) -> dict[str, str]:
    return {"X-Telegram-Init-Data": signed_init_data(user_id, harness.clock())}


async def test_the_mini_app_admin_screen_grants_revokes_and_reads_the_trail(
    harness: BotHarness, client: Client
) -> None:
    await populate(harness.sessions)
    admin = _as(harness, ADMIN_ID)
    body = {"user_id": VOLUNTEER, "role": "checkin", "trainings": ["kp-2026-01"]}
    granted = await client.post(f"{API_PATH}/staff", json=body, headers=admin)
    assert granted.status == 200, await granted.text()
    assert (await granted.json())["staff"]["trainings"] == ["KP-2026-01"]
    screen = await (await client.get(f"{API_PATH}/staff", headers=admin)).json()
    assert screen["admins"] == [ADMIN_ID]
    assert [(s["user_id"], s["role"]) for s in screen["staff"]] == [(VOLUNTEER, "checkin")]
    assert [t["code"] for t in screen["trainings"]] == ["KP-2026-01"]
    # The volunteer may not open the admin screen.
    refused = await client.get(f"{API_PATH}/staff", headers=_as(harness, VOLUNTEER))
    assert refused.status == 403
    bad = await client.post(f"{API_PATH}/staff", json={**body, "role": "admin"}, headers=admin)
    assert bad.status == 400
    again = await client.post(
        f"{API_PATH}/staff", json={**body, "user_id": ADMIN_ID}, headers=admin
    )
    assert again.status == 409
    revoked = await client.post(f"{API_PATH}/staff/{VOLUNTEER}/revoke", headers=admin)
    assert revoked.status == 200
    trail = await (await client.get(f"{API_PATH}/audit", headers=admin)).json()
    assert [(e["action"], e["actor_id"]) for e in trail["entries"]] == [
        ("revoke", ADMIN_ID),
        ("grant", ADMIN_ID),
    ]
    mine = await client.get(f"{API_PATH}/audit?user={VOLUNTEER}", headers=admin)
    assert (await mine.json())["entries"] == []


async def test_the_mini_app_people_view_and_export_are_recorded(
    harness: BotHarness, client: Client
) -> None:
    training, registrations = await populate(harness.sessions)
    admin = _as(harness, ADMIN_ID)
    people = await client.get(f"{API_PATH}/trainings/{training.id}/people", headers=admin)
    assert people.status == 200
    body = {"request_id": "abcdefgh-2"}
    exported = await client.post(
        f"{API_PATH}/trainings/{training.id}/export", json=body, headers=admin
    )
    assert exported.status == 200
    entries = [
        (e.action, e.actor_id, e.training_id, e.people) for e in await _entries(harness.sessions)
    ]
    assert entries == [
        ("applicants", ADMIN_ID, training.id, len(registrations)),
        ("export", ADMIN_ID, training.id, len(registrations)),
    ]


# ---- the command line ------------------------------------------------------------------------
@pytest.mark.e2e
async def test_staff_and_audit_from_the_command_line(
    sqlite_url: str, wall_clock: FakeClock
) -> None:
    engine = create_engine(sqlite_url)
    try:
        async with create_session_factory(engine)() as session:
            next_week = (wall_clock() + timedelta(days=7)).date()
            await make_training(session, "KP-9", days=(next_week,), now=wall_clock())
            await make_participant(session, 31, now=wall_clock())
    finally:
        await engine.dispose()
    env = subprocess_env(TELEGRAM_BOT_TOKEN=TOKEN, DATABASE_URL=sqlite_url, ADMIN_IDS=str(ADMIN_ID))
    code, out, err = await run_cli(
        env, "staff", "grant", str(VOLUNTEER), "--role", "checkin", "--training", "kp-9"
    )
    assert code == 0, err
    assert f"granted: {VOLUNTEER} checkin KP-9 (by command line" in out
    code, out, err = await run_cli(
        env, "staff", "grant", "77", "--role", "viewer", "--training", "X"
    )
    assert code == 1 and "no training with code 'X'" in err
    code, out, err = await run_cli(env, "staff", "grant", str(ADMIN_ID), "--role", "viewer")
    assert code == 1 and "ADMIN_IDS" in err
    code, out, _ = await run_cli(env, "staff", "list")
    assert out.splitlines()[0] == f"{ADMIN_ID} admin all trainings (ADMIN_IDS)"
    assert out.splitlines()[1].startswith(f"{VOLUNTEER} checkin KP-9")
    code, out, err = await run_cli(env, "export", "KP-9", "-o", "/dev/null")
    assert code == 0, err
    code, out, err = await run_cli(env, "staff", "revoke", str(VOLUNTEER))
    assert code == 0 and f"revoked: {VOLUNTEER}" in out
    code, out, err = await run_cli(env, "staff", "revoke", str(VOLUNTEER))
    assert code == 1
    today = wall_clock().date().isoformat()
    code, out, err = await run_cli(env, "audit", "--since", today)
    assert code == 0, err
    lines = out.splitlines()
    assert [line.split()[1:3] for line in lines[:-1]] == [
        ["cli", "revoke"],
        ["cli", "export"],
        ["cli", "grant"],
    ]
    assert lines[-1] == "3 entries (kept 730 days)"
    code, out, _ = await run_cli(env, "audit", "--user", str(ADMIN_ID))
    assert out.strip() == "0 entries (kept 730 days)"
