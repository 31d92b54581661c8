"""Who may see what: every staff command, button, Mini App route and command-line tool with the
right it needs, each role against each (allowed: it works; refused: the plain refusal), and a
completeness check against the real Application and the real aiohttp app, so that a new
command, button or route without a rule fails here."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from aiohttp import test_utils
from sqlalchemy import select
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler

from bot.cli.main import OPERATOR, TOOL_RIGHTS, build_parser
from bot.models import TrainingDay
from bot.services import access
from bot.services.access import RIGHTS, Right, Role, Staff
from bot.settings import Settings
from bot.web.miniapp import API_PATH, ROUTES
from bot.web.webhook import build_dashboard_app
from handlers.staff.auth import rule_of
from tests.conftest import ADMIN_ID
from tests.dashboard_data import (
    CLOCK_DAY,
    dashboard_client,
    dashboard_settings,
    make_dashboard_data,
    signed_init_data,
)
from tests.harness import BotHarness
from tests.staff_factories import DAYS, grant, populate

NOT_STAFF = "Perintah ini tidak tersedia."
Client = test_utils.TestClient[Any, Any]

MANAGER, MANAGER_A, CHECKIN_A, VIEWER, NOBODY = 801, 802, 803, 804, 805
A, B = "KP-A", "KP-B"
# Who each test user is (the codes a role is limited to).
GRANTS = {
    MANAGER: (Role.MANAGER, ()),
    MANAGER_A: (Role.MANAGER, (A,)),
    CHECKIN_A: (Role.CHECKIN, (A,)),
    VIEWER: (Role.VIEWER, ()),
}
USERS = (ADMIN_ID, MANAGER, MANAGER_A, CHECKIN_A, VIEWER, NOBODY)


def test_each_role_grants_these_rights() -> None:
    """The table of the issue: check-in and viewer are narrow; only admins manage staff."""
    assert RIGHTS[Role.ADMIN] == frozenset(Right)
    assert RIGHTS[Role.MANAGER] == frozenset(Right) - {Right.MANAGE_STAFF}
    assert RIGHTS[Role.CHECKIN] == {Right.STAFF, Right.CHECK_IN}
    assert RIGHTS[Role.VIEWER] == {Right.STAFF, Right.SEE_COUNTS}


# ---- the table: what each entry point needs --------------------------------------------------
# Commands, by every name they answer to, with the right their handler declares.
COMMANDS = {
    "start": Right.STAFF,  # staff's own /start (the menu); participants' /start is theirs
    "bantuan": Right.STAFF,
    "help": Right.STAFF,
    "admin": Right.STAFF,
    "peserta": Right.SEE_PEOPLE,
    "participants": Right.SEE_PEOPLE,
    "ekspor": Right.EXPORT,
    "export": Right.EXPORT,
    "hadir": Right.CHECK_IN,
    "checkin": Right.CHECK_IN,
    "statistik": Right.SEE_COUNTS,
    "statistics": Right.SEE_COUNTS,
    "umumkan": Right.ANNOUNCE,
    "broadcast": Right.ANNOUNCE,
    "staf": Right.MANAGE_STAFF,
    "staff": Right.MANAGE_STAFF,
    "batal": Right.EDIT_TRAININGS,  # leaving the training conversation
    "cancel": Right.EDIT_TRAININGS,
}
# Handlers of a command that check the sender themselves: the check-in link (a participant who
# opens their own is told to show it to staff; see test_attendance) and everyone's commands.
SELF_CHECKED = {"check_in_by_link"}


@dataclass(frozen=True)
class Button:
    """A staff button's data ({a}, {b}: the two trainings; {r}, {d}: a registration and a day
    of A), the right it needs and the training it names (None: none; "all": every one)."""

    data: str
    right: Right
    training: str | None = None


BUTTONS = (
    Button("adm:list", Right.STAFF),
    Button("adm:help", Right.STAFF),
    Button("adm:pmenu", Right.STAFF),
    Button("adm:view:{a}", Right.SEE_COUNTS, "a"),
    Button("adm:view:{b}", Right.SEE_COUNTS, "b"),
    Button("adm:close:{a}", Right.EDIT_TRAININGS, "a"),
    Button("adm:pub:{b}", Right.EDIT_TRAININGS, "b"),
    Button("adm:cxl:{b}", Right.EDIT_TRAININGS, "b"),
    Button("ppl:{a}:0", Right.SEE_PEOPLE, "a"),
    Button("ppl:{b}:0", Right.SEE_PEOPLE, "b"),
    Button("exp:{a}", Right.EXPORT, "a"),
    Button("exp:{b}", Right.EXPORT, "b"),
    Button("expc:{a}", Right.EXPORT, "a"),
    Button("att:t:{a}:0", Right.CHECK_IN, "a"),
    Button("att:t:{b}:0", Right.CHECK_IN, "b"),
    Button("att:ds:{a}", Right.CHECK_IN, "a"),
    Button("att:x:{r}:{d}:0", Right.CHECK_IN, "a"),
    Button("doc:m:{a}", Right.SEE_COUNTS, "a"),
    Button("doc:g:{b}", Right.SEE_COUNTS, "b"),
    Button("doc:f:{a}", Right.SEE_COUNTS, "a"),
    Button("doc:s:{a}:1", Right.EXPORT, "a"),
    Button("doc:c:{b}", Right.EXPORT, "b"),
    Button("shr:{a}", Right.EDIT_TRAININGS, "a"),
    Button("stf:rv:1", Right.MANAGE_STAFF),
    Button("ann:send:999999", Right.ANNOUNCE),
    Button("ann:start", Right.ANNOUNCE),
    Button("trn:new", Right.EDIT_TRAININGS, "all"),
    Button("trn:edit:{a}", Right.EDIT_TRAININGS, "a"),
)
# Buttons of a conversation's steps: outside their step they are stale for any staff member,
# so only their declaration is checked.
STEP_BUTTONS = (
    Button("trn:skip", Right.EDIT_TRAININGS),
    Button("trn:save", Right.EDIT_TRAININGS),
    Button("trn:drop", Right.EDIT_TRAININGS),
    Button("trn:quit", Right.EDIT_TRAININGS),
    Button("ann:aud:everyone", Right.ANNOUNCE),
    Button("ann:tr:1", Right.ANNOUNCE),
    Button("ann:drop:1", Right.ANNOUNCE),
)
STAFF_BUTTON_PREFIXES = ("adm", "ppl", "exp", "expc", "doc", "trn", "att", "shr", "stf", "ann")
# Mini App routes (method, path under /app/api) and the right each needs; the people list
# needs the check-in right for `only=confirmed` (names) and the participant right otherwise.
MINI_APP = {
    ("GET", "/me"): Right.STAFF,
    ("GET", "/trainings"): Right.STAFF,
    ("GET", "/trainings/{training_id}"): Right.STAFF,
    ("GET", "/trainings/{training_id}/people"): (Right.SEE_PEOPLE, Right.CHECK_IN),
    ("GET", "/trainings/{training_id}/statistics"): Right.SEE_COUNTS,
    ("POST", "/trainings/{training_id}/export"): Right.EXPORT,
    ("POST", "/attendance"): Right.CHECK_IN,
    ("POST", "/announcements"): Right.ANNOUNCE,
    ("GET", "/announcements/{announcement_id}"): Right.ANNOUNCE,
    ("POST", "/announcements/{announcement_id}/start"): Right.ANNOUNCE,
    ("POST", "/announcements/{announcement_id}/drop"): Right.ANNOUNCE,
    ("GET", "/staff"): Right.MANAGE_STAFF,
    ("POST", "/staff"): Right.MANAGE_STAFF,
    ("POST", "/staff/{user_id}/revoke"): Right.MANAGE_STAFF,
    ("GET", "/audit"): Right.MANAGE_STAFF,
}
CLI_TOOLS = {
    "run": Right.MANAGE_STAFF,
    "worker": Right.MANAGE_STAFF,
    "front": Right.MANAGE_STAFF,
    "import-trainings": Right.EDIT_TRAININGS,
    "export": Right.EXPORT,
    "impact": Right.EXPORT,
    "poster": Right.EDIT_TRAININGS,
    "broadcast": Right.ANNOUNCE,
    "backup": Right.MANAGE_STAFF,
    "restore": Right.MANAGE_STAFF,
    "copy-database": Right.MANAGE_STAFF,
    "attendance-sheet": Right.EXPORT,
    "certificates": Right.EXPORT,
    "report": Right.SEE_COUNTS,
    "purge": Right.MANAGE_STAFF,
    "staff grant": Right.MANAGE_STAFF,
    "staff revoke": Right.MANAGE_STAFF,
    "staff list": Right.MANAGE_STAFF,
    "audit": Right.MANAGE_STAFF,
}


# ---- completeness: the real Application and the real aiohttp app ---------------------------
def _walk(handlers: list[BaseHandler[Any, Any, Any]]) -> Iterator[BaseHandler[Any, Any, Any]]:
    for handler in handlers:
        if isinstance(handler, ConversationHandler):
            yield from _walk(handler.entry_points)
            for state in handler.states.values():
                yield from _walk(state)
            yield from _walk(handler.fallbacks)
        else:
            yield handler


def _handlers(harness: BotHarness) -> list[BaseHandler[Any, Any, Any]]:
    return [h for group in harness.app.handlers.values() for h in _walk(list(group))]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_every_staff_command_declares_the_right_of_the_table(harness: BotHarness) -> None:
    from bot.runtime.commands import PARTICIPANT_COMMANDS

    everyone = {name for pair in PARTICIPANT_COMMANDS for name in pair[:2]} | {"batal", "cancel"}
    declared: dict[str, set[Right]] = {}
    for handler in _handlers(harness):
        if not isinstance(handler, CommandHandler):
            continue
        rule = rule_of(handler.callback)
        if rule is None:
            unguarded = set(handler.commands) - everyone
            assert not unguarded or handler.callback.__name__ in SELF_CHECKED, unguarded
            continue
        for command in handler.commands:
            declared.setdefault(command, set()).add(rule.right)
    assert declared == {command: {right} for command, right in COMMANDS.items()}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_every_staff_button_declares_the_right_of_the_table(harness: BotHarness) -> None:
    staff_prefix = re.compile(rf"^\^\(?(?:\?:)?(?:{'|'.join(STAFF_BUTTON_PREFIXES)})\b")
    examples = [*BUTTONS, *STEP_BUTTONS]
    for handler in _handlers(harness):
        if not isinstance(handler, CallbackQueryHandler) or handler.pattern is None:
            continue
        pattern = handler.pattern
        assert isinstance(pattern, re.Pattern)
        rule = rule_of(handler.callback)
        if not staff_prefix.match(pattern.pattern):
            assert rule is None, pattern.pattern  # a participant's button
            continue
        assert rule is not None, f"{pattern.pattern} ({handler.callback.__name__}) has no rule"
        rights = {b.right for b in examples if pattern.match(_data(b.data, 1, 2, 3, 4))}
        assert rights, f"no button of the table is one of {pattern.pattern}"
        if handler.callback.__name__ not in ("stale_staff_button", "outside_conversation"):
            assert rights == {rule.right}, pattern.pattern


def _plain(path: str) -> str:
    """`/trainings/{training_id:\\d{1,12}}` → `/trainings/{training_id}`."""
    return re.sub(r"\{(\w+):[^/]*\}(?=/|$)", r"{\1}", path)


def test_every_mini_app_route_declares_the_right_of_the_table() -> None:
    declared: dict[tuple[str, str], Any] = {
        (route.method, _plain(route.path)): route.rule.right for route in ROUTES
    }
    people = ("GET", "/trainings/{training_id}/people")
    right_of = declared[people]
    full, names = test_utils.make_mocked_request, "/people?only=confirmed"
    assert (right_of(full("GET", "/people")), right_of(full("GET", names))) == MINI_APP[people]
    declared[people] = MINI_APP[people]
    assert declared == MINI_APP


async def test_the_aiohttp_app_serves_no_api_route_outside_the_table(harness: BotHarness) -> None:
    app = build_dashboard_app(harness.app, dashboard_settings(harness.settings))
    served = set()
    for route in app.router.routes():
        path = route.resource.canonical if route.resource else ""
        if path.startswith(API_PATH) and not path.endswith("{tail}"):
            served.add((route.method, _plain(path.removeprefix(API_PATH))))
    assert served == set(MINI_APP)


def test_every_cli_tool_declares_the_right_of_the_table() -> None:
    _parser, commands = build_parser()
    assert set(commands) == set(TOOL_RIGHTS) == set(CLI_TOOLS)
    assert TOOL_RIGHTS == CLI_TOOLS
    # The operator at the shell is a full admin: every tool is theirs.
    assert all(OPERATOR.has(right) for right in TOOL_RIGHTS.values())


# ---- each role against each ------------------------------------------------------------------
def _data(template: str, a: int, b: int, r: int, d: int) -> str:
    return template.format(a=a, b=b, r=r, d=d)


async def _grant_all(harness: BotHarness, scoped: tuple[str, ...] = (A,)) -> None:
    for user_id, (role, codes) in GRANTS.items():
        result = await grant(harness, user_id, role, scoped if codes else ())
        assert result.grant is not None


def _access(user_id: int, ids: dict[str, int]) -> Staff | None:
    if user_id == ADMIN_ID:
        return Staff(user_id, Role.ADMIN)
    if user_id not in GRANTS:
        return None
    role, codes = GRANTS[user_id]
    scope = frozenset(ids[code] for code in codes) or None
    return Staff(user_id, role, scope)


def _allowed(staff: Staff | None, right: Right, training: int | str | None) -> bool:
    if staff is None:
        return False
    if training == "all":
        return staff.may_everywhere(right)
    return staff.may(right, training if isinstance(training, int) else None)


async def _two_trainings(harness: BotHarness) -> dict[str, int]:
    first, registrations = await populate(harness.sessions, code=A, days=(CLOCK_DAY, DAYS[0]))
    second, _ = await populate(harness.sessions, code=B, confirmed=1, waiting=0, cancelled=0)
    await _grant_all(harness)
    async with harness.sessions() as session:
        day = await session.scalar(
            select(TrainingDay.id).where(
                TrainingDay.training_id == first.id, TrainingDay.day_number == 1
            )
        )
    assert day is not None
    return {A: first.id, B: second.id, "r": registrations[0].id, "d": day}


async def test_each_role_against_every_staff_command(harness: BotHarness) -> None:
    ids = await _two_trainings(harness)
    for user_id in USERS:
        user = harness.user(user_id, "Orang")
        staff = _access(user_id, ids)
        for command, right in COMMANDS.items():
            if command in ("start", "bantuan", "help", "batal", "cancel"):
                continue  # everyone's too: a participant gets the participant's answer
            replies = await harness.send(user, f"/{command}")
            texts = [m.text for m in replies]
            if _allowed(staff, right, None):
                assert texts and texts != [NOT_STAFF], (user_id, command, texts)
            else:
                assert texts == [NOT_STAFF], (user_id, command, texts)
            await harness.send(user, "/batal")


def _named(training: str | None, ids: dict[str, int]) -> int | str | None:
    """The training a button of the table names."""
    named: dict[str, int | str] = {"a": ids[A], "b": ids[B], "all": "all"}
    return named.get(training or "")


async def test_each_role_against_every_staff_button(harness: BotHarness) -> None:
    ids = await _two_trainings(harness)
    for user_id in USERS:
        user = harness.user(user_id, "Orang")
        [menu, *_] = await harness.send(user, "/bantuan")
        staff = _access(user_id, ids)
        for button in BUTTONS:
            data = _data(button.data, ids[A], ids[B], ids["r"], ids["d"])
            training = _named(button.training, ids)
            user.press_data(menu, data)
            await harness.deliver()
            answers = [a.get("text") for a in harness.answers()]
            refused = answers[-1] == NOT_STAFF if answers else False
            assert refused is not _allowed(staff, button.right, training), (user_id, data)
        await harness.send(user, "/batal")


async def test_a_role_limited_to_a_training_sees_only_that_one(harness: BotHarness) -> None:
    ids = await _two_trainings(harness)
    volunteer = harness.user(CHECKIN_A, "Relawan")
    [picker] = await harness.send(volunteer, "/hadir")
    assert [label for label, _ in picker.buttons()] == [
        f"{A} · Pelatihan Kain Perca dan Melukis Kain"
    ]
    assert [m.text for m in await harness.send(volunteer, f"/hadir {B}")] == [NOT_STAFF]
    [sheet] = await harness.send(volunteer, f"/hadir {A}")
    assert "Kehadiran" in sheet.text
    # Names to tap, no phones, and no way to the participant list or the printed sheet.
    labels = [label for label, _ in sheet.buttons()]
    assert any("Peserta 001" in label for label in labels)
    assert not any((data or "").startswith(("ppl:", "doc:")) for _, data in sheet.buttons())
    assert "+62" not in sheet.text
    viewer = harness.user(VIEWER, "Kepala")
    [menu] = await harness.send(viewer, "/admin")
    datas = [data for _, data in menu.buttons()]
    assert f"adm:view:{ids[A]}" in datas and "trn:new" not in datas and "ann:start" not in datas


async def test_the_help_and_the_menu_show_each_role_what_it_may_use(harness: BotHarness) -> None:
    await _two_trainings(harness)
    [help_text, *_] = await harness.send(harness.user(CHECKIN_A, "Relawan"), "/bantuan")
    assert "/hadir" in help_text.text
    for other in ("/peserta", "/ekspor", "/umumkan", "/staf", "/statistik"):
        assert other not in help_text.text, other
    [admin_help, *_] = await harness.send(harness.user(ADMIN_ID, "Admin"), "/bantuan")
    assert "/staf" in admin_help.text and "/peserta" in admin_help.text

    from bot.runtime.commands import publish_staff_commands

    await publish_staff_commands(harness.app.bot, harness.settings, harness.sessions, VIEWER)
    scope = {"type": "chat", "chat_id": VIEWER}
    names = {command["command"] for command in _lists(harness, VIEWER)["id"]}
    assert {"admin", "statistik"} <= names
    assert not names & {"peserta", "ekspor", "hadir", "umumkan", "staf"}
    # The admins' list at start-up holds /staf; a revoked role's list is deleted.
    admins = {c["command"] for c in _lists(harness, ADMIN_ID)["id"]}
    assert {"staf", "peserta", "hadir"} <= admins
    async with harness.sessions() as session:
        await access.revoke_role(session, VIEWER, actor_id=ADMIN_ID, now=harness.clock())
    await publish_staff_commands(harness.app.bot, harness.settings, harness.sessions, VIEWER)
    deleted = [c for c in harness.tg.calls_of("deleteMyCommands") if c.get("scope") == scope]
    assert deleted


def _lists(harness: BotHarness, chat_id: int) -> dict[str | None, list[dict[str, str]]]:
    """The command lists set for one chat, by language code."""
    return {
        call.get("language_code"): call["commands"]
        for call in harness.tg.calls_of("setMyCommands")
        if call.get("scope") == {"type": "chat", "chat_id": chat_id}
    }


# ---- the Mini App ----------------------------------------------------------------------------
@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The test settings with the Mini App."""
    return dashboard_settings(settings)


@pytest.fixture
async def client(harness: BotHarness) -> AsyncIterator[Client]:
    async with dashboard_client(harness) as client:
        yield client


def _requests(training: int, other: int, day: int) -> list[tuple[str, str, Any, Right, Any]]:
    """(method, path, body, right, the training it names) of every route."""
    t = f"/trainings/{training}"
    return [
        ("GET", "/me", None, Right.STAFF, None),
        ("GET", "/trainings", None, Right.STAFF, None),
        ("GET", t, None, Right.STAFF, training),
        ("GET", f"/trainings/{other}", None, Right.STAFF, other),
        ("GET", t + "/people", None, Right.SEE_PEOPLE, training),
        ("GET", t + "/people?only=confirmed", None, Right.CHECK_IN, training),
        ("GET", f"/trainings/{other}/people?only=confirmed", None, Right.CHECK_IN, other),
        ("GET", t + "/statistics", None, Right.SEE_COUNTS, training),
        ("POST", t + "/export", {"request_id": "abcdefgh-1"}, Right.EXPORT, training),
        (
            "POST",
            "/attendance",
            {"registration_id": 1, "day_id": day, "present": False},
            Right.CHECK_IN,
            training,
        ),
        (
            "POST",
            "/announcements",
            {"audience": "everyone", "text": "Halo"},
            Right.ANNOUNCE,
            "all",
        ),
        ("GET", "/announcements/999999", None, Right.ANNOUNCE, None),
        ("POST", "/announcements/999999/start", None, Right.ANNOUNCE, None),
        ("POST", "/announcements/999999/drop", None, Right.ANNOUNCE, None),
        ("GET", "/staff", None, Right.MANAGE_STAFF, None),
        ("POST", "/staff", {"user_id": 77, "role": "viewer"}, Right.MANAGE_STAFF, None),
        ("POST", "/staff/999999/revoke", None, Right.MANAGE_STAFF, None),
        ("GET", "/audit", None, Right.MANAGE_STAFF, None),
    ]


async def test_each_role_against_every_mini_app_route(harness: BotHarness, client: Client) -> None:
    data = await make_dashboard_data(harness.sessions)
    await _grant_all(harness, ("KP-2026-01",))
    ids = {A: data.training_id}
    requests = _requests(data.training_id, data.other_training_id, data.day_ids[0])
    for user_id in USERS:
        staff = _access(user_id, {**ids, A: data.training_id})
        if staff is not None and staff.trainings is not None:
            staff = replace(staff, trainings=frozenset({data.training_id}))
        headers = {"X-Telegram-Init-Data": signed_init_data(user_id, harness.clock())}
        for method, path, body, right, training in requests:
            response = await client.request(method, f"{API_PATH}{path}", json=body, headers=headers)
            allowed = _allowed(staff, right, training)
            if allowed:
                assert response.status != 403, (user_id, method, path)
            else:
                assert response.status == 403, (user_id, method, path, response.status)
                assert (await response.json())["error"] == "not_staff"


async def test_check_in_sees_names_without_phones(harness: BotHarness, client: Client) -> None:
    data = await make_dashboard_data(harness.sessions)
    await grant(harness, CHECKIN_A, Role.CHECKIN, ("KP-2026-01",))
    headers = {"X-Telegram-Init-Data": signed_init_data(CHECKIN_A, harness.clock())}
    path = f"{API_PATH}/trainings/{data.training_id}/people?only=confirmed&q=0812"
    found = await (await client.get(path, headers=headers)).json()
    assert found["people"] == []  # no search by phone number either
    path = f"{API_PATH}/trainings/{data.training_id}/people?only=confirmed"
    people = (await (await client.get(path, headers=headers)).json())["people"]
    assert people and all(p["phone"] == "" and p["name"] for p in people)
    cards = (await (await client.get(f"{API_PATH}/trainings", headers=headers)).json())["trainings"]
    assert [c["id"] for c in cards] == [data.training_id]
    me = await (await client.get(f"{API_PATH}/me", headers=headers)).json()
    assert me["role"] == "checkin" and me["rights"] == ["check_in", "staff"]


async def test_staff_start_follows_a_grant_and_a_revoke_at_once(harness: BotHarness) -> None:
    ids = await _two_trainings(harness)
    volunteer = harness.user(CHECKIN_A, "Relawan")
    replies = await harness.send(volunteer, "/start")
    menu = replies[-1]
    assert menu.text.startswith("Menu staf")
    # Check-in only: a training of the menu opens its attendance list; nothing else to change.
    datas = [data for _, data in menu.buttons()]
    assert f"att:t:{ids[A]}:0" in datas and f"att:t:{ids[B]}:0" not in datas
    assert not any((d or "").startswith(("adm:view", "trn:", "ann:")) for d in datas)
    async with harness.sessions() as session:
        await access.revoke_role(session, CHECKIN_A, actor_id=ADMIN_ID, now=harness.clock())
    replies = await harness.send(volunteer, "/start")
    assert not replies[-1].text.startswith("Menu staf")  # a participant's welcome now
    assert [m.text for m in await harness.send(volunteer, "/hadir")] == [NOT_STAFF]


async def test_check_in_by_scan_holds_on_the_roles_trainings_only(harness: BotHarness) -> None:
    from bot.models import AuditEntry, Registration, RegistrationStatus

    ids = await _two_trainings(harness)
    async with harness.sessions() as session:
        rows = await session.execute(
            select(Registration.training_id, Registration.checkin_token)
            .where(Registration.status == RegistrationStatus.CONFIRMED)
            .order_by(Registration.id.desc())
        )
        tokens = {training_id: token for training_id, token in rows.all()}
    volunteer = harness.user(CHECKIN_A, "Relawan")
    [other] = await harness.send(volunteer, f"/start ci_{tokens[ids[B]]}")
    assert other.text == NOT_STAFF
    [scanned] = await harness.send(volunteer, f"/start ci_{tokens[ids[A]]}")
    assert scanned.text.startswith("✅")
    viewer = harness.user(VIEWER, "Kepala")
    assert [m.text for m in await harness.send(viewer, f"/start ci_{tokens[ids[A]]}")] == [
        NOT_STAFF
    ]
    async with harness.sessions() as session:
        entries = (
            (await session.execute(select(AuditEntry).where(AuditEntry.action == "check_in")))
            .scalars()
            .all()
        )
    assert [(e.actor_id, e.training_id, e.people) for e in entries] == [(CHECKIN_A, ids[A], 1)]
