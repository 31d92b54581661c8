"""The demo's chat page: a phone's chat with the bot, played through the Bot API of `botapi.py`.

The page (static/demo.html and demo.js, no build step) asks `/demo/api/chat/{who}` for what the
bot sent `who` (the participant, the staff member, or the staff group) and acts as that person:
typing, tapping a button, sharing their contact. The staff dashboard opens from its button in
the page, with initData the demo signs with its token, as Telegram would.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web

from bot.playground.botapi import BOT_USERNAME, FakeTelegram, FakeUser, SentMessage
from bot.services.webapp_auth import sign_init_data
from bot.web.miniapp import APP_PATH
from bot.web.miniapp import STATIC_DIR as APP_STATIC

STATIC = Path(__file__).resolve().parent / "static"
API = "/demo/api"
GROUP_TITLE = "Petugas (demo)"
# How long the page's question waits for something new before it is answered anyway.
POLL_SECONDS = 8.0
# A chat action shows "typing…" this long, or until the bot's next message.
TYPING_SECONDS = 5.0
# How much of the message replied to a reply shows.
QUOTE_CHARS = 80
# Telegram's own script for Mini Apps (telegram.org): the demo plays Telegram, so the page gets
# its initData in its launch parameters instead and nothing is fetched from elsewhere.
TELEGRAM_SCRIPT = '<script src="https://telegram.org/js/telegram-web-app.js"></script>'


@dataclass(frozen=True)
class DemoPeople:
    """Who the page plays: a participant, a staff member (in ADMIN_IDS), the staff group."""

    participant: int
    staff: int
    staff_chat: int


@dataclass(frozen=True)
class Person:
    """One chat of the page: who writes in it, as whom, with which phone number."""

    key: str
    user_id: int
    first_name: str
    phone: str
    group: int | None = None


def _people(people: DemoPeople) -> dict[str, Person]:
    return {
        "participant": Person("participant", people.participant, "Siti", "+6281234567801"),
        "staff": Person("staff", people.staff, "Budi", "+6281298765402"),
        "group": Person("group", people.staff, "Budi", "+6281298765402", people.staff_chat),
    }


class ChatPage:
    """The page's side of the chats: what each person wrote, and what they see."""

    def __init__(self, tg: FakeTelegram, people: DemoPeople, token: str) -> None:
        self.tg = tg
        self.token = token
        self.people = _people(people)
        self.users: dict[str, FakeUser] = {}
        # What each person wrote (the Bot API keeps only what the bot sent), by chat key.
        self.written: dict[str, list[dict[str, Any]]] = defaultdict(list)
        # Callback queries tapped and not yet shown (their answer's text is a toast).
        self.tapped: dict[str, set[str]] = defaultdict(set)

    def user(self, key: str) -> FakeUser:
        """The FakeUser who writes in the chat `key` (404 for an unknown one)."""
        if key not in self.people:
            raise web.HTTPNotFound()
        if key not in self.users:
            person = self.people[key]
            user = self.tg.user(person.user_id, person.first_name, "id")
            self.users[key] = user.in_group(person.group, GROUP_TITLE) if person.group else user
        return self.users[key]

    def version(self) -> int:
        """Grows whenever anything a page shows may have changed."""
        return len(self.tg.calls) + sum(len(items) for items in self.written.values())

    def note(self, key: str, **entry: Any) -> None:
        """Keep what the person wrote, in the order of the chat."""
        self.written[key].append({"from": "me", "at": time.monotonic(), **entry})

    def chat(self, key: str) -> dict[str, Any]:
        """Everything the chat `key` shows now."""
        user = self.user(key)
        sent = user.messages()
        shown = [self._bot_message(m) for m in sent] + self.written[key]
        shown.sort(key=lambda item: item["at"])
        return {
            "version": self.version(),
            "messages": shown,
            "typing": self._typing(user.chat_id, sent),
            "toasts": self._toasts(key),
            "commands": self._commands(user.chat_id),
        }

    def _bot_message(self, m: SentMessage) -> dict[str, Any]:
        markup = m.reply_markup or {}
        item: dict[str, Any] = {
            "from": "bot",
            "at": m.sent_at,
            "message_id": m.message_id,
            "html": m.html,
            "plain": m.parse_mode != "HTML",
            "inline": markup.get("inline_keyboard"),
            "keyboard": markup if "keyboard" in markup else None,
            "remove_keyboard": bool(markup.get("remove_keyboard")),
            "edited": bool(m.history) or m.edited_at is not None,
        }
        file_url = f"{API}/file/{m.chat_id}/{m.message_id}"
        if m.document is not None:
            item["document"] = {"name": m.document[0], "url": file_url, "size": len(m.document[1])}
        if m.photo is not None:
            item["photo"] = file_url
        if m.venue is not None:
            item["venue"] = m.venue
        return item

    def _typing(self, chat_id: int, sent: list[SentMessage]) -> bool:
        action = self.tg.chat_actions.get(chat_id)
        if action is None:
            return False
        at = action[1]
        later = any(m.sent_at > at for m in sent)
        return not later and self.tg.clock() - at < TYPING_SECONDS

    def _toasts(self, key: str) -> list[dict[str, Any]]:
        toasts = []
        for params in self.tg.calls_of("answerCallbackQuery"):
            if params.get("callback_query_id") in self.tapped[key]:
                self.tapped[key].discard(params["callback_query_id"])
                if params.get("text"):
                    toasts.append({"text": params["text"], "alert": bool(params.get("show_alert"))})
        return toasts

    def _commands(self, chat_id: int) -> list[dict[str, str]]:
        """The command menu Telegram would show in this chat (the most specific scope)."""
        scopes = [
            {"type": "chat", "chat_id": chat_id},
            {"type": "all_private_chats" if chat_id > 0 else "all_group_chats"},
            {"type": "default"},
        ]
        for scope in scopes:
            name = json.dumps(scope, sort_keys=True)
            for language in ("id", ""):
                if (name, language) in self.tg.commands:
                    return list(self.tg.commands[(name, language)])
        return []

    def init_data(self, key: str) -> str:
        """initData for the Mini App opened by the person of chat `key`, signed as Telegram."""
        person = self.people[key]
        user = {"id": person.user_id, "first_name": person.first_name, "language_code": "id"}
        fields = {
            "query_id": f"DEMO{person.user_id}",
            "user": json.dumps(user, separators=(",", ":")),
            "auth_date": str(int(time.time())),
        }
        return sign_init_data(fields, self.token)


class ChatApi:
    """The page's requests: read a chat, and act in it as its person."""

    def __init__(self, page: ChatPage) -> None:
        self.page = page
        # Set when the server stops: a question waiting for news is answered at once.
        self.closing = False

    async def close(self, _app: web.Application) -> None:
        """The server is stopping (aiohttp's on_shutdown)."""
        self.closing = True

    async def chat(self, request: web.Request) -> web.Response:
        """The chat now, or (with `after`) as soon as it changed from that version."""
        key = request.match_info["who"]
        self.page.user(key)
        after = request.query.get("after")
        if after is not None and after.isdigit():
            try:
                await self.page.tg.wait_for(
                    lambda: self.closing or self.page.version() != int(after),
                    timeout=POLL_SECONDS,
                )
            except TimeoutError:
                pass
        return web.json_response(self.page.chat(key))

    async def text(self, request: web.Request) -> web.Response:
        """The person sends a text (a command when it starts with `/`), or a reply to one of the
        bot's messages (as staff answer a question copied to their group)."""
        key = request.match_info["who"]
        body = await request.json()
        text = str(body.get("text") or "").strip()[:4096]
        if not text:
            raise web.HTTPBadRequest(text="empty")
        user = self.page.user(key)
        replied = self.page.tg.by_id.get((user.chat_id, int(body.get("reply_to") or 0)))
        quote = replied.text[:QUOTE_CHARS] if replied is not None else None
        self.page.note(key, text=text, reply_to=quote)
        user.send_text(text, reply_to=replied)
        return web.json_response(self.page.chat(key))

    async def press(self, request: web.Request) -> web.Response:
        """The person taps an inline button of a message."""
        key = request.match_info["who"]
        body = await request.json()
        user = self.page.user(key)
        message = self.page.tg.by_id.get((user.chat_id, int(body.get("message_id") or 0)))
        if message is None or message.deleted:
            raise web.HTTPNotFound(text="no such message")
        update = user.press_data(message, str(body.get("data") or ""))
        self.page.tapped[key].add(update["callback_query"]["id"])
        return web.json_response(self.page.chat(key))

    async def contact(self, request: web.Request) -> web.Response:
        """The person shares their own phone number (the keyboard's contact button)."""
        key = request.match_info["who"]
        person = self.page.people.get(key)
        if person is None:
            raise web.HTTPNotFound()
        self.page.note(key, contact=person.phone, text=person.first_name)
        self.page.user(key).share_contact(person.phone)
        return web.json_response(self.page.chat(key))

    async def webapp(self, request: web.Request) -> web.Response:
        """Where the Mini App opens for this person: its page with their signed initData."""
        key = request.match_info["who"]
        self.page.user(key)
        src = f"{APP_PATH}#tgWebAppData={quote(self.page.init_data(key), safe='')}"
        return web.json_response({"src": src})

    async def file(self, request: web.Request) -> web.Response:
        """A file or picture the bot sent."""
        chat_id = int(request.match_info["chat_id"])
        message = self.page.tg.by_id.get((chat_id, int(request.match_info["message_id"])))
        if message is None or (message.document is None and message.photo is None):
            raise web.HTTPNotFound()
        if message.document is not None:
            name, content = message.document
            disposition = f"attachment; filename*=UTF-8''{quote(name)}"
            return web.Response(body=content, headers={"Content-Disposition": disposition})
        return web.Response(body=message.photo, content_type="image/png")


async def _info(_request: web.Request) -> web.Response:
    return web.json_response({"bot_username": BOT_USERNAME})


async def _chat_page(_request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC / "demo.html", headers={"Cache-Control": "no-store"})


def _mini_app_without_telegram_script() -> Callable[..., Awaitable[web.StreamResponse]]:
    """The dashboard's page as the demo serves it: without Telegram's script (see above)."""
    page = (APP_STATIC / "index.html").read_text(encoding="utf-8")
    if TELEGRAM_SCRIPT not in page:
        raise RuntimeError("the dashboard's page no longer loads Telegram's script as expected")
    page = page.replace(TELEGRAM_SCRIPT, "")

    @web.middleware
    async def middleware(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.method == "GET" and request.path == APP_PATH:
            return web.Response(text=page, content_type="text/html")
        response: web.StreamResponse = await handler(request)
        return response

    return middleware


def add_chat_page(app: web.Application, tg: FakeTelegram, people: DemoPeople, token: str) -> None:
    """Add the chat page, its files and its API to the web server of the bot's Mini App."""
    api = ChatApi(ChatPage(tg, people, token))
    who = API + "/chat/{who}"
    app.router.add_get("/", _chat_page)
    app.router.add_get(who, api.chat)
    app.router.add_post(who + "/text", api.text)
    app.router.add_post(who + "/press", api.press)
    app.router.add_post(who + "/contact", api.contact)
    app.router.add_get(API + "/info", _info)
    app.router.add_get(API + "/webapp/{who}", api.webapp)
    app.router.add_get(API + r"/file/{chat_id:-?\d+}/{message_id:\d+}", api.file)
    app.router.add_static("/demo/static", STATIC, append_version=False)
    app.middlewares.append(_mini_app_without_telegram_script())
    app.on_shutdown.append(api.close)
