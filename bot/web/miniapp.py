"""The staff dashboard, a Telegram Mini App: the page at `/app/` and its JSON API under
`/app/api/`, served by the bot's own aiohttp server (webhook or polling mode alike).

The page and its files are public and hold no data. Every API request carries the initData
Telegram gave the page (header `X-Telegram-Init-Data`); `check_init_data` decides, before
anything is read, whether it is Telegram's, fresh and a staff member's: if not, 401 or 403 and
a sentence to show, nothing else. What the API changes it changes through the chat's own
services (attendance, announcements, the outbox), and it wakes the outbox sender as a
handler would.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web

from bot.models import Audience
from bot.runtime.context import Deps, deps_of
from bot.runtime.throttle import Cooldown, since_last
from bot.services import announcements, attendance, dashboard, reports, staff
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
    """The staff member behind a request, and the language they read."""

    user: WebAppUser
    lang: str


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
            admin_ids=settings.admin_ids,
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

    def guarded(self, handler: Handler) -> Callable[[web.Request], Awaitable[web.Response]]:
        """`handler` for staff only; errors it raises become their answers."""

        async def run(request: web.Request) -> web.Response:
            access = self.access(request)
            if access.refusal is not None or access.user is None:
                return self.refuse(request, access.refusal or AccessRefusal.MALFORMED)
            member = Staff(access.user, await self.language(access.user))
            try:
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
            }
        )

    async def trainings(self, _request: web.Request, member: Staff) -> web.Response:
        """Every training with seats, waiting list and check-ins per day."""
        async with self.deps.sessions() as session:
            cards = await dashboard.training_cards(session)
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
        """A training's registrations, searched; `only=confirmed` (by name) for check-in."""
        training_id = int(request.match_info["training_id"])
        confirmed_only = request.query.get("only") == "confirmed"
        async with self.deps.sessions() as session:
            training = found(await staff.get_training(session, training_id))
            export = await reports.export_training(session, training, self.deps.settings.timezone)
        rows = [r for r in export.rows if not confirmed_only or r.status.value == "confirmed"]
        if confirmed_only:
            rows.sort(key=lambda r: (r.name.casefold(), r.registration_id))
        matches = dashboard.search_people(rows, request.query.get("q", "")[:100])
        people = [person_json(r, member.lang) for r in matches]
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
    training = API_PATH + r"/trainings/{training_id:\d{1,12}}"
    announcement = API_PATH + r"/announcements/{announcement_id:\d{1,12}}"
    routes = [
        ("GET", API_PATH + "/me", api.me),
        ("GET", API_PATH + "/trainings", api.trainings),
        ("GET", training, api.training),
        ("GET", training + "/people", api.people),
        ("GET", training + "/statistics", api.statistics),
        ("POST", training + "/export", api.export),
        ("POST", API_PATH + "/attendance", api.mark_attendance),
        ("POST", API_PATH + "/announcements", api.draft_announcement),
        ("GET", announcement, api.announcement),
        ("POST", announcement + "/start", api.start_announcement),
        ("POST", announcement + "/drop", api.drop_announcement),
    ]
    for method, path, handler in routes:
        app.router.add_route(method, path, api.guarded(handler))
    app.router.add_route("*", API_PATH + "/{tail:.*}", _no_such_api)
    app.router.add_get(APP_PATH.rstrip("/"), _to_page)
    app.router.add_get(APP_PATH, _page)
    app.router.add_static(APP_PATH + "static", STATIC_DIR, append_version=False)
