"""The staff dashboard, a Telegram Mini App: the page at `/app/` and its JSON API under
`/app/api/`, served by the bot's own aiohttp server (webhook or polling mode alike).

The page and its files are public and hold no data. Every API request carries the initData
Telegram gave the page (header `X-Telegram-Init-Data`); `check_init_data` decides, before
anything is read, whether it is Telegram's and fresh (if not, 401), and the one rule of who
may do what (`bot.services.access`) whether this user holds the right the route declares
(`ROUTES`), on the training it names (if not, 403 and the sentence a non-staff user gets).
What the API changes it changes through the chat's own services (attendance, announcements,
the outbox, the roles), and it wakes the outbox sender as a handler would.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from aiohttp import web

from bot.models import Audience
from bot.runtime.context import Deps, deps_of
from bot.runtime.throttle import Cooldown, since_last
from bot.services import access, announcements, attendance, audit, dashboard, reports, staff
from bot.services.access import Right
from bot.services.access import Staff as StaffAccess
from bot.services.participants import language_of
from bot.services.statistics import training_statistics
from bot.services.webapp_auth import Access, AccessRefusal, WebAppUser, check_init_data
from bot.texts import escape, t
from bot.texts.announcements import announcement_message
from bot.texts.miniapp import (
    Json,
    card_json,
    error_json,
    page_texts,
    person_json,
    refusal_json,
    statistics_json,
    training_json,
)

log = logging.getLogger(__name__)

APP_PATH = "/app/"
API_PATH = "/app/api"
INIT_DATA_HEADER = "X-Telegram-Init-Data"
STATIC_DIR = Path(__file__).resolve().parent / "static"
STAFF_AUDIENCES = (Audience.CONFIRMED, Audience.WAITLIST, Audience.EVERYONE)
# Personal data: never kept by a browser or a proxy.
_API_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
_PAGE_HEADERS = {
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self' https://telegram.org; style-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
        # Framed only by Telegram's web clients (the apps open it in a web view, unframed).
        "frame-ancestors https://web.telegram.org https://*.web.telegram.org https://t.me "
        "https://*.t.me"
    ),
}
REFUSAL_LOG_PERIOD = 60.0
Found = TypeVar("Found")


@dataclass(frozen=True)
class Staff:
    """The staff member behind a request, the language they read, and their access."""

    user: WebAppUser
    lang: str
    access: StaffAccess

    def reader(self, now: Any) -> audit.Reader:
        """This staff member as the audit trail records a read."""
        return audit.Reader(self.user.id, now)


# The training a request names (None: none in particular; ALL: every training at once).
ALL: Literal["all"] = "all"
Scope = int | None | Literal["all"]
ScopeOf = Callable[[web.Request, Deps], Awaitable[Scope]]
RightOf = Callable[[web.Request], Right]


@dataclass(frozen=True)
class Rule:
    """What a route needs: a right (or the right its query asks for), on the training the
    request names."""

    right: Right | RightOf
    scope: ScopeOf | None = None

    def right_for(self, request: web.Request) -> Right:
        """The right this request needs."""
        return self.right if isinstance(self.right, Right) else self.right(request)


class ApiError(Exception):
    """A request the API answers with an error sentence (status, catalog key, code)."""

    def __init__(self, status: int, key: str, code: str, **values: object) -> None:
        super().__init__(code)
        self.status, self.key, self.code, self.values = status, key, code, values


def not_found() -> ApiError:
    """The training, day or announcement asked for is not there."""
    return ApiError(404, "app.error.not_found", "not_found")


def found(value: Found | None) -> Found:
    """`value`, or the 404 of something that is not there."""
    if value is None:
        raise not_found()
    return value


def bad_request() -> ApiError:
    """A request the page would never make."""
    return ApiError(400, "app.error.bad_request", "bad_request")


def _json(data: Json, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, headers=_API_HEADERS)


def _error(error: ApiError) -> web.Response:
    body = error_json(error.key, error.code)
    if error.values:
        body["message"] = {lang: t(error.key, lang, **error.values) for lang in body["message"]}
    return _json(body, error.status)


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        data = await request.json()
    except ValueError:
        raise bad_request() from None
    if not isinstance(data, dict):
        raise bad_request()
    return data


def _int(value: object) -> int:
    if type(value) is not int or not 0 < value < 2**62:
        raise bad_request()
    return value


Handler = Callable[[web.Request, Staff], Awaitable[web.Response]]


class DashboardApi:
    """The API's handlers around one Application's dependencies."""

    def __init__(self, application: Any, clock: Callable[[], float] = time.monotonic) -> None:
        self.application = application
        self.deps: Deps = deps_of(application)
        self.refusals = Cooldown(REFUSAL_LOG_PERIOD, clock)

    def access(self, request: web.Request) -> Access:
        """Who sent this request, checked against the bot token, the age limit and staff."""
        settings = self.deps.settings
        return check_init_data(
            request.headers.get(INIT_DATA_HEADER),
            token=settings.token,
            admin_ids=None,
            now=self.deps.clock(),
            max_age_seconds=settings.webapp_auth_max_age,
        )

    async def language(self, user: WebAppUser) -> str:
        """The language the staff member chose in the chat, else their Telegram app's."""
        async with self.deps.sessions() as session:
            stored = await language_of(session, user.id)
        if stored:
            return stored
        if user.language_code and user.language_code.startswith("en"):
            return "en"
        return self.deps.settings.default_language

    def refuse(self, request: web.Request, refusal: AccessRefusal) -> web.Response:
        """401 (not Telegram's, or too old) or 403 (not staff), with nothing but a sentence."""
        held = self.refusals.allow(refusal)
        if held is not None:
            log.warning(
                "dashboard request from %s refused: %s%s", request.remote, refusal, since_last(held)
            )
        return _json(refusal_json(refusal), 403 if refusal == AccessRefusal.NOT_STAFF else 401)

    async def permitted(
        self, request: web.Request, user: WebAppUser, rule: Rule
    ) -> StaffAccess | None:
        """The access of `user`, when it holds the rule's right on the request's training."""
        async with self.deps.sessions() as session:
            found = await access.staff_of(session, user.id, self.deps.settings.admin_ids)
        right = rule.right_for(request)
        if found is None or not found.has(right):
            return None
        scope = await rule.scope(request, self.deps) if rule.scope is not None else None
        allowed = found.may_everywhere(right) if scope == ALL else found.may(right, scope)
        return found if allowed else None

    def guarded(
        self, handler: Handler, rule: Rule
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        """`handler` for staff who hold the rule's right; errors it raises become answers."""

        async def run(request: web.Request) -> web.Response:
            checked = self.access(request)
            if checked.refusal is not None or checked.user is None:
                return self.refuse(request, checked.refusal or AccessRefusal.MALFORMED)
            try:
                found = await self.permitted(request, checked.user, rule)
                if found is None:
                    return self.refuse(request, AccessRefusal.NOT_STAFF)
                member = Staff(checked.user, await self.language(checked.user), found)
                return await handler(request, member)
            except ApiError as error:
                return _error(error)

        return run

    def today(self) -> Any:
        """Today's date where the trainings are."""
        return self.deps.clock().astimezone(self.deps.settings.timezone).date()

    # ---- reading ----------------------------------------------------------------------------
    async def me(self, _request: web.Request, member: Staff) -> web.Response:
        """Who is signed in, their language and every string the page shows."""
        return _json(
            {
                "user": {"id": member.user.id, "first_name": member.user.first_name},
                "lang": member.lang,
                "texts": page_texts(member.lang),
                "max_text": announcements.MAX_TEXT_CHARS,
                "role": member.access.role.value,
                "rights": sorted(right.value for right in member.access.rights),
            }
        )

    async def trainings(self, _request: web.Request, member: Staff) -> web.Response:
        """Every training with seats, waiting list and check-ins per day."""
        async with self.deps.sessions() as session:
            cards = await dashboard.training_cards(session)
        scope = member.access.trainings
        cards = [c for c in cards if scope is None or c.line.id in scope]
        today = self.today()
        return _json({"trainings": [card_json(c, member.lang, today) for c in cards]})

    async def training(self, request: web.Request, member: Staff) -> web.Response:
        """One training: its header and counts."""
        training_id = int(request.match_info["training_id"])
        async with self.deps.sessions() as session:
            training = found(await staff.get_training(session, training_id))
            counts = await reports.training_counts(session, training)
        return _json(training_json(training, counts, member.lang, self.today()))

    async def people(self, request: web.Request, member: Staff) -> web.Response:
        """A training's registrations, searched; `only=confirmed` (by name) for check-in, with
        no phone for whoever may not see the participant list."""
        training_id = int(request.match_info["training_id"])
        confirmed_only = request.query.get("only") == "confirmed"
        phones = member.access.may(Right.SEE_PEOPLE, training_id)
        reader = member.reader(self.deps.clock()) if phones else None
        async with self.deps.sessions() as session:
            training = found(await staff.get_training(session, training_id))
            tz = self.deps.settings.timezone
            rows = await dashboard.people_view(session, training, tz, reader)
        rows = [r for r in rows if not confirmed_only or r.status.value == "confirmed"]
        if confirmed_only:
            rows.sort(key=lambda r: (r.name.casefold(), r.registration_id))
        query = request.query.get("q", "")[:100]
        matches = dashboard.search_people(rows, query, phones=phones)
        people = [person_json(r, member.lang, phones=phones) for r in matches]
        return _json({"total": len(rows), "people": people})

    async def statistics(self, request: web.Request, member: Staff) -> web.Response:
        """The numbers of a training's charts."""
        training_id = int(request.match_info["training_id"])
        async with self.deps.sessions() as session:
            stats = await training_statistics(session, training_id, self.deps.settings.timezone)
        return _json(statistics_json(found(stats), member.lang))

    # ---- changing ---------------------------------------------------------------------------
    async def mark_attendance(self, request: web.Request, member: Staff) -> web.Response:
        """Record someone present (or not) on a day, as the chat's list does."""
        body = await _body(request)
        registration_id, day_id = _int(body.get("registration_id")), _int(body.get("day_id"))
        present = body.get("present")
        if not isinstance(present, bool):
            raise bad_request()
        async with self.deps.sessions() as session:
            outcome = await attendance.set_attendance(
                session,
                registration_id,
                day_id,
                present,
                member.user.id,
                self.deps.clock(),
                tz=self.deps.settings.timezone,
            )
            count = await attendance.present_count(session, day_id)
        if outcome == attendance.MarkOutcome.FUTURE_DAY:
            raise ApiError(409, "app.checkin.future", outcome.value)
        if outcome == attendance.MarkOutcome.NOT_CONFIRMED:
            raise ApiError(409, "app.checkin.not_confirmed", outcome.value)
        log.info("attendance %s by %s: %s", registration_id, member.user.id, outcome.value)
        return _json({"present": outcome == attendance.MarkOutcome.PRESENT, "day_present": count})

    async def export(self, request: web.Request, member: Staff) -> web.Response:
        """Send the training's Excel file to the staff member's chat (through the outbox)."""
        training_id = int(request.match_info["training_id"])
        request_id = (await _body(request)).get("request_id")
        if not dashboard.valid_request_id(request_id):
            raise bad_request()
        async with self.deps.sessions() as session:
            queued = await dashboard.queue_export(
                session,
                training_id=training_id,
                chat_id=member.user.id,
                language=member.lang,
                request_id=str(request_id),
                now=self.deps.clock(),
            )
        if not queued:
            raise not_found()
        return _json({"queued": True})

    async def draft_announcement(self, request: web.Request, member: Staff) -> web.Response:
        """Store a draft and answer with its preview and how many would receive it."""
        body = await _body(request)
        audience = _audience(body.get("audience"))
        training_id = None if audience is Audience.EVERYONE else _int(body.get("training_id"))
        text = body.get("text")
        if not isinstance(text, str):
            raise bad_request()
        _check_text(text)
        async with self.deps.sessions() as session:
            title = None
            if training_id is not None:
                title = found(await staff.get_training(session, training_id)).title
            count = await announcements.count_recipients(session, training_id, audience)
            if count == 0:
                return _json({"id": None, "recipients": 0})
            draft = await announcements.create_announcement(
                session,
                training_id=training_id,
                audience=audience,
                text=escape(text),
                created_by=member.user.id,
                now=self.deps.clock(),
            )
        preview = announcement_message(escape(text), title, member.lang)
        return _json({"id": draft.id, "recipients": count, "preview_html": preview})

    async def start_announcement(self, request: web.Request, member: Staff) -> web.Response:
        """ "Kirim": start the draft once; the report goes to the staff member's chat."""
        announcement_id = int(request.match_info["announcement_id"])
        async with self.deps.sessions() as session:
            started = await announcements.start_announcement(
                session, announcement_id, member.user.id, None, self.deps.clock()
            )
        if not started:
            raise ApiError(409, "app.announce.already", "already")
        log.info(
            "announcement %s started by %s from the dashboard", announcement_id, member.user.id
        )
        return await self.announcement(request, member)

    async def drop_announcement(self, request: web.Request, _member: Staff) -> web.Response:
        """Drop a draft; nothing is sent."""
        announcement_id = int(request.match_info["announcement_id"])
        async with self.deps.sessions() as session:
            dropped = await announcements.cancel_announcement(session, announcement_id)
        if not dropped:
            raise ApiError(409, "app.announce.already", "already")
        return _json({"dropped": True})

    async def announcement(self, request: web.Request, _member: Staff) -> web.Response:
        """How far an announcement is."""
        announcement_id = int(request.match_info["announcement_id"])
        async with self.deps.sessions() as session:
            announcement = found(await announcements.get_announcement(session, announcement_id))
            progress = await announcements.announcement_progress(session, announcement_id)
        return _json(
            {
                "id": announcement_id,
                "state": announcement.state.value,
                "total": progress.total,
                "done": progress.done,
                "sent": progress.sent,
                "blocked": progress.blocked,
                "failed": progress.failed + progress.unknown,
            }
        )

    # ---- the admins' screen: staff roles and the audit trail ---------------------------------
    async def staff_roles(self, _request: web.Request, member: Staff) -> web.Response:
        """The full admins, every role given, and the trainings a role may be limited to."""
        async with self.deps.sessions() as session:
            grants = await access.list_grants(session)
            lines = await staff.list_trainings(session)
        return _json(
            {
                "admins": sorted(self.deps.settings.admin_ids),
                "roles": [role.value for role in access.GRANTABLE],
                "staff": [grant_json(grant) for grant in grants],
                "trainings": [{"code": line.code, "title": line.title} for line in lines],
            }
        )

    async def grant(self, request: web.Request, member: Staff) -> web.Response:
        """Give a user a role (on some trainings, or all)."""
        body = await _body(request)
        user_id, codes = _int(body.get("user_id")), body.get("trainings", [])
        role = body.get("role")
        if role not in {r.value for r in access.GRANTABLE} or not _codes(codes):
            raise bad_request()
        async with self.deps.sessions() as session:
            result = await access.grant_role(
                session,
                user_id,
                access.Role(str(role)),
                codes,
                actor_id=member.user.id,
                admin_ids=self.deps.settings.admin_ids,
                now=self.deps.clock(),
            )
        if result.grant is None:
            raise ApiError(409, "app.staff.refused", str(result.refusal))
        return _json({"staff": grant_json(result.grant)})

    async def revoke(self, request: web.Request, member: Staff) -> web.Response:
        """Take a user's role away."""
        user_id = int(request.match_info["user_id"])
        async with self.deps.sessions() as session:
            revoked = await access.revoke_role(
                session, user_id, actor_id=member.user.id, now=self.deps.clock()
            )
        if not revoked:
            raise not_found()
        return _json({"revoked": user_id})

    async def audit_trail(self, request: web.Request, _member: Staff) -> web.Response:
        """The newest entries of the audit trail (`user=<id>`: one staff member's)."""
        raw = request.query.get("user", "")
        if raw and not raw.isdigit():
            raise bad_request()
        async with self.deps.sessions() as session:
            entries = await audit.read_entries(
                session, actor_id=int(raw) if raw else None, limit=200
            )
        return _json({"entries": [entry_json(entry) for entry in entries]})


def grant_json(grant: access.Grant) -> Json:
    """One role given, for the admins' screen."""
    return {
        "user_id": grant.telegram_id,
        "role": grant.role.value,
        "trainings": list(grant.codes),
        "granted_by": grant.granted_by,
        "granted_at": grant.granted_at.isoformat(),
    }


def entry_json(entry: audit.Entry) -> Json:
    """One entry of the audit trail (no participant's field is in one)."""
    return {
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "action": entry.action,
        "training": entry.training_code,
        "people": entry.people,
        "detail": entry.detail,
    }


def _codes(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(code, str) and 0 < len(code) <= 40 for code in value
    )


# ---- what each route's request names -----------------------------------------------------
async def _path_training(request: web.Request, _deps: Deps) -> Scope:
    return int(request.match_info["training_id"])


async def _day_training(request: web.Request, deps: Deps) -> Scope:
    """The training of the day a check-in names (a day that is not there: none)."""
    day_id = (await _body(request)).get("day_id")
    if type(day_id) is not int:
        return None
    async with deps.sessions() as session:
        day = await attendance.training_day(session, day_id)
    return day.training_id if day is not None else None


async def _announced_training(request: web.Request, _deps: Deps) -> Scope:
    """The training a new announcement is for; everyone: every training."""
    body = await _body(request)
    if body.get("audience") == Audience.EVERYONE.value:
        return ALL
    training_id = body.get("training_id")
    return training_id if type(training_id) is int else None


async def _announcement_training(request: web.Request, deps: Deps) -> Scope:
    """The training of an announcement (one to everyone: every training)."""
    announcement_id = int(request.match_info["announcement_id"])
    async with deps.sessions() as session:
        announcement = await announcements.get_announcement(session, announcement_id)
    if announcement is None:
        return None
    return announcement.training_id if announcement.training_id is not None else ALL


def _people_right(request: web.Request) -> Right:
    """The check-in list (names, `only=confirmed`) or the participant list (with phones)."""
    return Right.CHECK_IN if request.query.get("only") == "confirmed" else Right.SEE_PEOPLE


@dataclass(frozen=True)
class Route:
    """One API route: method, path under `API_PATH`, the handler's name, and its rule."""

    method: str
    path: str
    handler: str
    rule: Rule


_TRAINING = r"/trainings/{training_id:\d{1,12}}"
_ANNOUNCEMENT = r"/announcements/{announcement_id:\d{1,12}}"
ROUTES = (
    Route("GET", "/me", "me", Rule(Right.STAFF)),
    Route("GET", "/trainings", "trainings", Rule(Right.STAFF)),
    Route("GET", _TRAINING, "training", Rule(Right.STAFF, _path_training)),
    Route("GET", _TRAINING + "/people", "people", Rule(_people_right, _path_training)),
    Route("GET", _TRAINING + "/statistics", "statistics", Rule(Right.SEE_COUNTS, _path_training)),
    Route("POST", _TRAINING + "/export", "export", Rule(Right.EXPORT, _path_training)),
    Route("POST", "/attendance", "mark_attendance", Rule(Right.CHECK_IN, _day_training)),
    Route(
        "POST", "/announcements", "draft_announcement", Rule(Right.ANNOUNCE, _announced_training)
    ),
    Route("GET", _ANNOUNCEMENT, "announcement", Rule(Right.ANNOUNCE, _announcement_training)),
    Route(
        "POST",
        _ANNOUNCEMENT + "/start",
        "start_announcement",
        Rule(Right.ANNOUNCE, _announcement_training),
    ),
    Route(
        "POST",
        _ANNOUNCEMENT + "/drop",
        "drop_announcement",
        Rule(Right.ANNOUNCE, _announcement_training),
    ),
    Route("GET", "/staff", "staff_roles", Rule(Right.MANAGE_STAFF)),
    Route("POST", "/staff", "grant", Rule(Right.MANAGE_STAFF)),
    Route("POST", r"/staff/{user_id:\d{1,15}}/revoke", "revoke", Rule(Right.MANAGE_STAFF)),
    Route("GET", "/audit", "audit_trail", Rule(Right.MANAGE_STAFF)),
)


def _audience(value: object) -> Audience:
    for audience in STAFF_AUDIENCES:
        if value == audience.value:
            return audience
    raise bad_request()


def _check_text(text: str) -> None:
    try:
        announcements.check_text(text)
    except announcements.AnnouncementError:
        if not text.strip():
            raise ApiError(400, "announce.text_empty", "text_empty") from None
        raise ApiError(
            400,
            "announce.text_too_long",
            "text_too_long",
            length=len(text),
            limit=announcements.MAX_TEXT_CHARS,
        ) from None


async def _page(_request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html", headers=_PAGE_HEADERS)


async def _to_page(_request: web.Request) -> web.Response:
    raise web.HTTPMovedPermanently(APP_PATH)


async def _no_such_api(_request: web.Request) -> web.Response:
    return _error(not_found())


def add_dashboard(app: web.Application, application: Any) -> None:
    """Add the page, its files and its API to an aiohttp app serving `application`'s bot."""
    api = DashboardApi(application)
    for route in ROUTES:
        handler = getattr(api, route.handler)
        app.router.add_route(route.method, API_PATH + route.path, api.guarded(handler, route.rule))
    app.router.add_route("*", API_PATH + "/{tail:.*}", _no_such_api)
    app.router.add_get(APP_PATH.rstrip("/"), _to_page)
    app.router.add_get(APP_PATH, _page)
    app.router.add_static(APP_PATH + "static", STATIC_DIR, append_version=False)
