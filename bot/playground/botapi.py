"""An offline Telegram: plays users, answers the Bot API like Telegram, records what the bot sent.

One `FakeTelegram` holds the state. It is reached either in-process through `OfflineRequest`
(a python-telegram-bot request object, for handler tests) or over loopback HTTP through
`FakeBotApiServer` (for `python -m bot` as a subprocess, for benchmarks, and for the demo,
`python -m bot demo`, whose page plays the users). A method the bot starts to call is one more
`_api_<method>` of `FakeTelegram`. Nothing here
touches the network beyond 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import math
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
from aiohttp import web
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

BOT_ID = 7000001
BOT_USERNAME = "pelatihan_test_bot"
JSON_FIELDS = {
    "reply_markup",
    "entities",
    "caption_entities",
    "commands",
    "scope",
    "link_preview_options",
    "reply_parameters",
    "allowed_updates",
    "media",
}
SEND_METHODS = {
    "sendMessage", "sendDocument", "sendPhoto", "sendMediaGroup", "copyMessage", "sendVenue",
    "sendVoice", "sendVideo", "sendAudio",
}  # fmt: skip
# What a message may carry besides text, as copyMessage copies it.
MEDIA_KINDS = ("voice", "audio", "photo", "video", "animation", "document", "video_note", "sticker")
# The Bot API's button colours (Bot API 10 `style`).
BUTTON_STYLES = {"primary", "success", "danger"}
EDIT_METHODS = {"editMessageText", "editMessageReplyMarkup", "editMessageCaption"}
ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "code", "pre", "blockquote", "tg-emoji",
}  # fmt: skip
MAX_TEXT = 4096


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram would send."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*)?)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def visible_text(text: str, parse_mode: str | None) -> str:
    """What the user sees: HTML parsed and checked as strictly as Telegram, else the raw text.

    Every `<`, `>` and `&` that is not part of a supported tag or an entity is an error, so a
    user-typed value that was not escaped makes the send fail here as it would in Telegram.
    """
    if parse_mode != "HTML":
        return text
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            i = _read_tag(text, i, stack)
        elif char == "&":
            match = _ENTITY.match(text, i)
            if match is None:
                raise ApiError(400, f"Bad Request: can't parse entities: bare & at {i}")
            out.append(html.unescape(match[0]))
            i = match.end()
        elif char == ">":
            raise ApiError(400, f"Bad Request: can't parse entities: bare > at {i}")
        else:
            out.append(char)
            i += 1
    if stack:
        raise ApiError(400, f"Bad Request: can't parse entities: unclosed tag {stack[-1]}")
    return "".join(out)


def _read_tag(text: str, i: int, stack: list[str]) -> int:
    """Read the tag at `i` (opening or closing it on `stack`); returns where it ends."""
    match = _TAG.match(text, i)
    tag = match[2].lower() if match else ""
    if match is None or tag not in ALLOWED_TAGS:
        raise ApiError(400, f"Bad Request: can't parse entities: unsupported start tag at {i}")
    if not match[1]:
        stack.append(tag)
    elif stack and stack[-1] == tag:
        stack.pop()
    else:
        raise ApiError(400, f"Bad Request: can't parse entities: unmatched end tag {tag}")
    return match.end()


@dataclass
class SentMessage:
    """A message the bot sent (its current state; `history` keeps earlier versions)."""

    chat_id: int
    message_id: int
    method: str
    text: str
    html: str
    reply_markup: dict[str, Any] | None = None
    document: tuple[str, bytes] | None = None
    photo: bytes | None = None
    # A map pin (sendVenue): latitude, longitude, title and address.
    venue: dict[str, Any] | None = None
    caption: str = ""
    history: list[str] = field(default_factory=list)
    deleted: bool = False
    sent_at: float = 0.0
    edited_at: float | None = None  # the last edit (text or buttons), on the fake's clock
    reply_to: int | None = None  # the message of the same chat it was sent as a reply to
    parse_mode: str | None = None  # how `html` reads: "HTML", or None for plain text
    # A voice note, photo, video or file (copyMessage, sendVoice…): {"voice": {...}}.
    media: dict[str, Any] | None = None

    @property
    def media_kind(self) -> str | None:
        """ "voice", "photo", "document"… for a message with media, else None."""
        return next(iter(self.media), None) if self.media else None

    def styles(self) -> dict[str, str | None]:
        """Each inline button's colour (`style`) by its text."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return {b["text"]: b.get("style") for row in rows for b in row if isinstance(b, dict)}

    def buttons(self) -> list[tuple[str, str | None]]:
        """Inline buttons as (text, callback_data or url)."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or []
        return [
            (
                b["text"],
                b.get("callback_data") or b.get("url") or (b.get("copy_text") or {}).get("text"),
            )
            for row in rows
            for b in row
        ]

    def keyboard(self) -> list[dict[str, Any]]:
        """Reply-keyboard buttons (the ones under the text field)."""
        markup = self.reply_markup or {}
        return [
            b if isinstance(b, dict) else {"text": b}
            for row in markup.get("keyboard") or []
            for b in row
        ]

    def callback_for(self, label: str) -> str:
        """The callback data of the inline button whose text contains `label`."""
        for text, data in self.buttons():
            if label in text and data is not None:
                return data
        raise AssertionError(f"no button {label!r} in {self.buttons()}")


class HeldAnswer:
    """One Bot API call whose answer the fake keeps back: the call has arrived (Telegram has
    done what it asked) but its caller waits until `release`. A request on the wire, on cue."""

    def __init__(self, method: str, chat_id: int | None, *, then_down: bool = False) -> None:
        self.method = method
        self.chat_id = chat_id
        self.then_down = then_down  # the Bot API goes down as this call arrives
        self.params: dict[str, Any] | None = None  # the call's parameters, once it arrived
        self._arrived = asyncio.Event()
        self._released = asyncio.Event()

    def matches(self, method: str, chat_id: int | None) -> bool:
        """Whether this hold is for a call of `method` to `chat_id`."""
        return method == self.method and self.chat_id in (None, chat_id)

    async def arrived(self, timeout: float = 10.0) -> dict[str, Any]:
        """Wait until the call has arrived and is being held; returns its parameters."""
        await asyncio.wait_for(self._arrived.wait(), timeout)
        assert self.params is not None
        return self.params

    @property
    def is_held(self) -> bool:
        """Whether the call arrived and its answer has not been let go yet."""
        return self._arrived.is_set() and not self._released.is_set()

    def release(self) -> None:
        """Let the answer go back to the caller."""
        self._released.set()

    async def _hold(self, params: dict[str, Any]) -> None:
        self.params = params
        self._arrived.set()
        await self._released.wait()


@dataclass
class RateRule:
    """Limits enforced like Telegram's: a global window and one per chat."""

    global_per_second: float | None = None
    per_chat_per_second: float | None = None
    window: float = 1.0


class FakeTelegram:
    """The state of a fake Telegram: users, updates, messages, files and failure injection."""

    def __init__(
        self, token: str = "123456:TEST-token", *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.token = token
        self.clock = clock
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}
        self.blocked: set[int] = set()
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        # Group chats by id (a chat not here is a user's private chat).
        self.groups: dict[int, dict[str, Any]] = {}
        self._init_messages()
        self._init_failures()
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._waiters: list[asyncio.Future[None]] = []
        self._chat_waiters: dict[int, list[asyncio.Future[None]]] = defaultdict(list)
        self.get_updates_calls = 0
        # The last chat action ("typing", "upload_document") per chat, on the fake's clock.
        self.chat_actions: dict[int, tuple[str, float]] = {}

    def _init_messages(self) -> None:
        """The messages of every chat: the bot's, and those people wrote."""
        self.messages: dict[int, list[SentMessage]] = defaultdict(list)
        self.by_id: dict[tuple[int, int], SentMessage] = {}
        # Ids of the messages people wrote, by chat (the bot's own are in `by_id`); like
        # Telegram's, unique within a chat whoever writes.
        self.user_message_ids: dict[int, set[int]] = defaultdict(set)
        # What those messages hold, by (chat, message id), for copyMessage.
        self.user_messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._next_user_message: dict[int, itertools.count[int]] = defaultdict(
            lambda: itertools.count(100001)
        )
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._file_ids = itertools.count(1)

    def _init_failures(self) -> None:
        """What can go wrong, as in Telegram: the flood limits, injected errors, outages."""
        self.failures: deque[tuple[str, int | None, ApiError]] = deque()
        self.holds: list[HeldAnswer] = []
        self.rate = RateRule()
        self.too_many_requests = 0
        self.delay = 0.0
        self._global_sends: deque[float] = deque()
        self._chat_sends: dict[int, deque[float]] = defaultdict(deque)
        # Outages: every call answered 502 while `api_down`; connections refused while
        # `refuse_connections` (in-process only); the next N sends arrive but their answer is
        # lost (`time_out_next`, in-process only).
        self.api_down = False
        self.refused_calls = 0
        self.refuse_connections = False
        self.time_out_next = 0

    # ---- users -------------------------------------------------------------------------
    def user(
        self, user_id: int, first_name: str = "Siti", language_code: str = "id", **kw: Any
    ) -> FakeUser:
        """A user who can write to the bot."""
        return FakeUser(self, user_id, first_name, language_code, kw.get("username"))

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for the bot (getUpdates or webhook) and return it."""
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        self._new_update.set()
        return update

    def take_updates(self) -> list[dict[str, Any]]:
        """Remove and return every queued update (for in-process delivery)."""
        updates, self._updates = self._updates, []
        return updates

    # ---- what the bot sent ---------------------------------------------------------------
    def sent_to(self, chat_id: int) -> list[SentMessage]:
        """Every message the bot sent to this chat, oldest first."""
        return [m for m in self.messages[chat_id] if not m.deleted]

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        """Parameters of every call of `method`."""
        return [params for name, params in self.calls if name == method]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until `predicate()` holds after some call (raises TimeoutError)."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("condition not met in time")
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, min(remaining, 0.5))
            except TimeoutError:
                pass

    async def wait_for_chat(
        self, chat_id: int, predicate: Callable[[], bool], timeout: float = 10.0
    ) -> None:
        """Like `wait_for`, looked at only after calls to `chat_id` (cheap with many waiters)."""
        async with asyncio.timeout(timeout):
            while not predicate():
                waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
                self._chat_waiters[chat_id].append(waiter)
                await waiter

    def _notify_chat(self, chat_id: int | None) -> None:
        for waiter in self._chat_waiters.pop(chat_id, []) if chat_id is not None else []:
            if not waiter.done():
                waiter.set_result(None)

    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    # ---- failure injection ---------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        chat_id: int | None = None,
        *,
        code: int = 429,
        description: str = "Too Many Requests: retry after 1",
        retry_after: int | None = 1,
    ) -> None:
        """Make the next matching call fail once with this error."""
        self.failures.append(
            (method, chat_id, ApiError(code, description, retry_after if code == 429 else None))
        )

    def hold_next(
        self, method: str, chat_id: int | None = None, *, then_down: bool = False
    ) -> HeldAnswer:
        """Hold back the answer to the next matching call (any chat when `chat_id` is None):
        the call is carried out at once, its answer only after `HeldAnswer.release`. With
        `then_down`, every later call is answered 502 from the moment it arrives (`api_down`),
        so no other call can slip through before the outage begins."""
        hold = HeldAnswer(method, chat_id, then_down=then_down)
        self.holds.append(hold)
        return hold

    def _take_hold(self, method: str, chat_id: int | None) -> HeldAnswer | None:
        for hold in self.holds:
            if hold.matches(method, chat_id):
                self.holds.remove(hold)
                return hold
        return None

    def block(self, chat_id: int) -> None:
        """The user of this chat blocked the bot: sends answer 403."""
        self.blocked.add(chat_id)

    # ---- the API -------------------------------------------------------------------------
    async def call(
        self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]] | None = None
    ) -> Any:
        """Answer one Bot API call like Telegram (raises ApiError for an error answer)."""
        params = {k: _decode(k, v) for k, v in params.items()}
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.api_down:
            self.refused_calls += 1
            raise ApiError(502, "Bad Gateway")
        if method == "getUpdates":
            return await self._get_updates(params)
        self.calls.append((method, params))
        chat_id = _int_or_none(params.get("chat_id"))
        hold = self._take_hold(method, chat_id)
        if hold is not None and hold.then_down:
            self.api_down = True
        try:
            return self._dispatch(method, params, files or {})
        finally:
            self._notify()
            self._notify_chat(chat_id)
            if hold is not None:
                await hold._hold(params)  # done, and seen done; only the answer waits

    def _check_failures(self, method: str, chat_id: int | None) -> None:
        for entry in list(self.failures):
            f_method, f_chat, error = entry
            if f_method == method and (f_chat is None or f_chat == chat_id):
                self.failures.remove(entry)
                if error.code == 429:
                    self.too_many_requests += 1
                raise error

    def _check_rate(self, chat_id: int, *, new_message: bool) -> None:
        """Telegram's limits: new messages count against the bot's global window; a chat's
        window counts whatever changes in it (new messages and edits)."""
        now = self.clock()
        rule = self.rate
        if rule.global_per_second and new_message:
            window = self._global_sends
            while window and window[0] <= now - rule.window:
                window.popleft()
            if len(window) >= rule.global_per_second * rule.window:
                self.too_many_requests += 1
                raise ApiError(
                    429,
                    "Too Many Requests: retry after 1",
                    max(1, math.ceil(window[0] + rule.window - now)),
                )
        if rule.per_chat_per_second:
            chat_window = self._chat_sends[chat_id]
            while chat_window and chat_window[0] <= now - rule.window:
                chat_window.popleft()
            if len(chat_window) >= rule.per_chat_per_second * rule.window:
                self.too_many_requests += 1
                raise ApiError(429, "Too Many Requests: retry after 1", 1)
        if rule.global_per_second and new_message:
            self._global_sends.append(now)
        if rule.per_chat_per_second:
            self._chat_sends[chat_id].append(now)

    def _dispatch(self, method: str, p: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        chat_id = _int_or_none(p.get("chat_id"))
        self._check_failures(method, chat_id)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            raise ApiError(404, f"Not Found: method {method} is not known to the fake server")
        if method in SEND_METHODS | EDIT_METHODS and chat_id is not None:
            if chat_id in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            self._check_rate(chat_id, new_message=method in SEND_METHODS)
        return handler(p, files)

    async def _get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        self.get_updates_calls += 1
        self._notify()
        offset = int(p.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = float(p.get("timeout") or 0)
        if not self._updates and timeout:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), min(timeout, 1.0))
            except TimeoutError:
                pass
        limit = int(p.get("limit") or 100)
        return self._updates[:limit]

    def _me(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Pelatihan",
            "username": BOT_USERNAME,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _api_getMe(self, p: dict[str, Any], f: Any) -> dict[str, Any]:  # noqa: N802
        return self._me()

    def _api_deleteWebhook(self, p: dict[str, Any], f: Any) -> bool:  # noqa: N802
        self.webhook_url = None
        return True

    def _api_setWebhook(self, p: dict[str, Any], f: Any) -> bool:  # noqa: N802
        self.webhook_url = p.get("url")
        self.webhook_secret = p.get("secret_token")
        return True

    def _api_getWebhookInfo(self, p: dict[str, Any], f: Any) -> dict[str, Any]:  # noqa: N802
        return {
            "url": self.webhook_url or "",
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }

    def _api_setMyCommands(self, p: dict[str, Any], f: Any) -> bool:  # noqa: N802
        scope = json.dumps(p.get("scope") or {"type": "default"}, sort_keys=True)
        self.commands[(scope, p.get("language_code") or "")] = p["commands"]
        return True

    def _api_deleteMyCommands(self, p: dict[str, Any], f: Any) -> bool:  # noqa: N802
        return True

    def _api_sendChatAction(self, p: dict[str, Any], f: Any) -> bool:  # noqa: N802
        self.chat_actions[int(p["chat_id"])] = (str(p.get("action") or ""), self.clock())
        return True

    def _api_answerCallbackQuery(self, p: dict[str, Any], f: Any) -> bool:  # noqa: N802
        if len(p.get("text") or "") > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return True

    def _check_markup(self, markup: dict[str, Any] | None) -> None:
        for row in (markup or {}).get("inline_keyboard") or []:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                copy = (button.get("copy_text") or {}).get("text")
                if "copy_text" in button and not 1 <= len(copy or "") <= 256:
                    raise ApiError(400, "Bad Request: COPY_TEXT_INVALID")
        for row in [
            *(markup or {}).get("inline_keyboard", []),
            *(markup or {}).get("keyboard", []),
        ]:
            for button in row:
                style = button.get("style") if isinstance(button, dict) else None
                if style is not None and style not in BUTTON_STYLES:
                    raise ApiError(400, "Bad Request: BUTTON_STYLE_INVALID")

    def chat_json(self, chat_id: int) -> dict[str, Any]:
        """The chat object of a group made by `FakeUser.in_group`, else of a private chat."""
        return self.groups.get(chat_id) or {"id": chat_id, "type": "private", "first_name": "User"}

    def _message_json(self, m: SentMessage) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message_id": m.message_id,
            "date": int(time.time()),
            "chat": self.chat_json(m.chat_id),
            "from": self._me(),
        }
        if m.document is not None:
            body["document"] = {
                "file_id": f"doc{m.message_id}",
                "file_unique_id": f"d{m.message_id}",
                "file_name": m.document[0],
            }
            body["caption"] = m.text
        elif m.photo is not None:
            body["photo"] = [
                {
                    "file_id": f"ph{m.message_id}",
                    "file_unique_id": f"p{m.message_id}",
                    "width": 300,
                    "height": 300,
                }
            ]
            body["caption"] = m.text
        elif m.media is not None:
            body |= m.media
            if m.text:
                body["caption"] = m.text
        elif m.venue is not None:
            location = {"latitude": m.venue["latitude"], "longitude": m.venue["longitude"]}
            body["venue"] = {**m.venue, "location": location}
        else:
            body["text"] = m.text
        if m.reply_markup and "inline_keyboard" in m.reply_markup:
            body["reply_markup"] = m.reply_markup
        return body

    def _new_message(
        self, method: str, p: dict[str, Any], text_key: str, **extra: Any
    ) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        raw = str(p.get(text_key) or "")
        if method == "sendMessage" and not raw.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        visible = visible_text(raw, p.get("parse_mode"))
        limit = MAX_TEXT if method == "sendMessage" else 1024
        if len(visible) > limit:
            raise ApiError(
                400,
                "Bad Request: message is too long"
                if method == "sendMessage"
                else "Bad Request: message caption is too long",
            )
        self._check_markup(p.get("reply_markup"))
        message = SentMessage(
            chat_id=chat_id,
            message_id=next(self._message_ids[chat_id]),
            method=method,
            text=visible,
            html=raw,
            reply_markup=p.get("reply_markup"),
            sent_at=self.clock(),
            reply_to=self._replied_to(chat_id, p),
            parse_mode=p.get("parse_mode"),
            **extra,
        )
        self.messages[chat_id].append(message)
        self.by_id[(chat_id, message.message_id)] = message
        return self._message_json(message)

    def _replied_to(self, chat_id: int, p: dict[str, Any]) -> int | None:
        """The message a send replies to (`reply_parameters`), checked like Telegram: it must be
        in the same chat unless sending without it is allowed."""
        parameters = p.get("reply_parameters") or {}
        if not isinstance(parameters, dict) or "message_id" not in parameters:
            return None
        message_id = int(parameters["message_id"])
        if (chat_id, message_id) in self.by_id or message_id in self.user_message_ids[chat_id]:
            return message_id
        if parameters.get("allow_sending_without_reply"):
            return None
        raise ApiError(400, "Bad Request: message to be replied not found")

    def _api_sendMessage(self, p: dict[str, Any], f: Any) -> dict[str, Any]:  # noqa: N802
        return self._new_message("sendMessage", p, "text")

    def _upload(
        self, p: dict[str, Any], files: dict[str, tuple[str, bytes]], key: str
    ) -> tuple[str, bytes]:
        value = p.get(key)
        if isinstance(value, str) and value.startswith("attach://"):
            value = value.removeprefix("attach://")
        if isinstance(value, str) and value in files:
            return files[value]
        if key in files:
            return files[key]
        raise ApiError(400, f"Bad Request: there is no {key} in the request")

    def _api_sendDocument(  # noqa: N802
        self, p: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> dict[str, Any]:
        return self._new_message(
            "sendDocument", p, "caption", document=self._upload(p, files, "document")
        )

    def _api_sendPhoto(  # noqa: N802
        self, p: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> dict[str, Any]:
        return self._new_message(
            "sendPhoto", p, "caption", photo=self._upload(p, files, "photo")[1]
        )

    def _api_sendVenue(self, p: dict[str, Any], f: Any) -> dict[str, Any]:  # noqa: N802
        """A map pin: coordinates within range, a title and an address (as Telegram needs)."""
        latitude, longitude = float(p["latitude"]), float(p["longitude"])
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise ApiError(400, "Bad Request: wrong latitude or longitude")
        if not p.get("title") or not p.get("address"):
            raise ApiError(400, "Bad Request: venue title and address must be non-empty")
        venue: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        venue |= {"title": str(p["title"]), "address": str(p["address"])}
        return self._new_message("sendVenue", {**p, "text": ""}, "text", venue=venue)

    def _api_sendMediaGroup(  # noqa: N802
        self, p: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> list[dict[str, Any]]:
        """An album: one photo message per item (2-10 of them), as Telegram answers."""
        media = p.get("media")
        items = json.loads(media) if isinstance(media, str) else media
        if not isinstance(items, list) or not 2 <= len(items) <= 10:
            raise ApiError(400, "Bad Request: wrong number of media in the album")
        sent = []
        for item in items:
            one = {**p, "caption": item.get("caption"), "parse_mode": item.get("parse_mode")}
            one.pop("reply_markup", None)
            photo = self._upload({"photo": item.get("media")}, files, "photo")[1]
            sent.append(self._new_message("sendPhoto", one, "caption", photo=photo))
        return sent

    def _api_copyMessage(self, p: dict[str, Any], f: Any) -> dict[str, Any]:  # noqa: N802
        """A copy of a person's or the bot's message (no "forwarded from"), its caption replaced
        when one is given; answers with the new message's id only, as Telegram does."""
        source = (int(p["from_chat_id"]), int(p["message_id"]))
        content = self.user_messages.get(source)
        if content is None and source in self.by_id and not self.by_id[source].deleted:
            content = self._message_json(self.by_id[source])
        if content is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        media = {k: content[k] for k in MEDIA_KINDS if k in content}
        if not media:  # a text is copied as a text
            return {
                "message_id": self._new_message("copyMessage", {**p, **content}, "text")[
                    "message_id"
                ]
            }
        if "caption" not in p:
            p = {**p, "caption": content.get("caption", "")}
        sent = self._new_message("copyMessage", p, "caption", media=media)
        return {"message_id": sent["message_id"]}

    def _send_media(
        self, kind: str, p: dict[str, Any], files: dict[str, tuple[str, bytes]]
    ) -> dict[str, Any]:
        """sendVoice, sendVideo, sendAudio: an upload or a file id already known."""
        value = p.get(kind)
        if isinstance(value, str) and not value.startswith("attach://"):
            file_id = value
        else:
            file_id = self.store_file(*self._upload(p, files, kind))
        media = {kind: {"file_id": file_id, "file_unique_id": file_id, "duration": 1}}
        return self._new_message(f"send{kind.title()}", p, "caption", media=media)

    def _api_sendVoice(self, p: dict[str, Any], f: Any) -> dict[str, Any]:  # noqa: N802
        return self._send_media("voice", p, f)

    def _api_sendVideo(self, p: dict[str, Any], f: Any) -> dict[str, Any]:  # noqa: N802
        return self._send_media("video", p, f)

    def _api_sendAudio(self, p: dict[str, Any], f: Any) -> dict[str, Any]:  # noqa: N802
        return self._send_media("audio", p, f)

    def _find(self, p: dict[str, Any]) -> SentMessage:
        key = (int(p["chat_id"]), int(p["message_id"]))
        message = self.by_id.get(key)
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    def _api_editMessageText(self, p: dict[str, Any], f: Any) -> dict[str, Any]:  # noqa: N802
        message = self._find(p)
        raw = str(p.get("text") or "")
        visible = visible_text(raw, p.get("parse_mode"))
        if not visible.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(visible) > MAX_TEXT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        markup = p.get("reply_markup")
        if raw == message.html and markup == message.reply_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content "
                "and reply markup are exactly the same",
            )
        self._check_markup(markup)
        message.history.append(message.text)
        message.text, message.html, message.reply_markup = visible, raw, markup
        message.parse_mode = p.get("parse_mode")
        message.edited_at = self.clock()
        return self._message_json(message)

    def _api_editMessageReplyMarkup(self, p: dict[str, Any], f: Any) -> dict[str, Any]:  # noqa: N802
        message = self._find(p)
        markup = p.get("reply_markup")
        if markup == message.reply_markup:
            raise ApiError(400, "Bad Request: message is not modified")
        self._check_markup(markup)
        message.reply_markup = markup
        message.edited_at = self.clock()
        return self._message_json(message)

    def _api_deleteMessage(self, p: dict[str, Any], f: Any) -> bool:  # noqa: N802
        self._find(p).deleted = True
        return True

    def _api_getFile(self, p: dict[str, Any], f: Any) -> dict[str, Any]:  # noqa: N802
        file_id = p["file_id"]
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        name, content = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(content),
            "file_path": f"documents/{file_id}/{name}",
        }

    def file_content(self, path: str) -> bytes | None:
        """The bytes behind a `file_path` handed out by getFile."""
        parts = path.split("/")
        if len(parts) >= 3 and parts[1] in self.files:
            return self.files[parts[1]][1]
        return None

    def store_file(self, name: str, content: bytes) -> str:
        """Keep a file a user sends; returns its file_id."""
        file_id = f"file{next(self._file_ids)}"
        self.files[file_id] = (name, content)
        return file_id


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _decode(key: str, value: Any) -> Any:
    if key in JSON_FIELDS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class FakeUser:
    """A person chatting with the bot: in a private chat, or in a group (`in_group`)."""

    def __init__(
        self,
        tg: FakeTelegram,
        user_id: int,
        first_name: str,
        language_code: str,
        username: str | None = None,
        chat_id: int | None = None,
    ) -> None:
        self.tg = tg
        self.id = user_id
        self.first_name = first_name
        self.language_code = language_code
        self.username = username
        # The chat this person writes in and reads: their private chat unless a group's.
        self.chat_id = user_id if chat_id is None else chat_id
        self._message_ids = itertools.count(1)

    def in_group(self, chat_id: int = -1001234, title: str = "Grup UMKM") -> FakeUser:
        """The same person writing in a group chat the bot is a member of."""
        self.tg.groups[chat_id] = {"id": chat_id, "type": "supergroup", "title": title}
        return FakeUser(
            self.tg, self.id, self.first_name, self.language_code, self.username, chat_id
        )

    def _chat(self) -> dict[str, Any]:
        if self.chat_id == self.id:
            return {"id": self.id, "type": "private", "first_name": self.first_name}
        return self.tg.chat_json(self.chat_id)

    def _from(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }
        if self.username:
            data["username"] = self.username
        return data

    def _message(self, reply_to: SentMessage | None = None, **content: Any) -> dict[str, Any]:
        message_id = next(self.tg._next_user_message[self.chat_id])
        self.tg.user_message_ids[self.chat_id].add(message_id)
        self.tg.user_messages[(self.chat_id, message_id)] = dict(content)
        if reply_to is not None:
            content["reply_to_message"] = self.tg._message_json(reply_to)
        return self.tg.push_update(
            {
                "message": {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": self._chat(),
                    "from": self._from(),
                    **content,
                }
            }
        )

    def send_text(self, text: str, *, reply_to: SentMessage | None = None) -> dict[str, Any]:
        """Type a text message (a leading `/word` becomes a command, as in Telegram), or with
        `reply_to` a reply to that message of the bot (Telegram's "Reply")."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split()[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self._message(reply_to, **content)

    def send_command(self, command: str, payload: str | None = None) -> dict[str, Any]:
        """Send `/command` or `/command payload` (as a deep link does)."""
        return self.send_text(f"/{command}" + (f" {payload}" if payload else ""))

    def share_contact(
        self, phone: str, *, user_id: int | None = None, first_name: str | None = None
    ) -> dict[str, Any]:
        """Share a contact; by default one's own (user_id equal to the sender's)."""
        contact: dict[str, Any] = {
            "phone_number": phone,
            "first_name": first_name or self.first_name,
        }
        contact["user_id"] = self.id if user_id is None else user_id
        return self._message(contact=contact)

    def send_sticker(self, *, reply_to: SentMessage | None = None) -> dict[str, Any]:
        """Send a sticker (with `reply_to`, as a reply to that message of the bot)."""
        return self._message(
            reply_to,
            sticker={
                "file_id": "stk1",
                "file_unique_id": "stk1",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            },
        )

    def send_photo(
        self, *, reply_to: SentMessage | None = None, caption: str | None = None
    ) -> dict[str, Any]:
        """Send a photo (with `reply_to`, as a reply to that message of the bot)."""
        extra = {"caption": caption} if caption else {}
        return self._message(
            reply_to,
            photo=[{"file_id": "pho1", "file_unique_id": "pho1", "width": 90, "height": 90}],
            **extra,
        )

    def send_voice(
        self, *, reply_to: SentMessage | None = None, caption: str | None = None
    ) -> dict[str, Any]:
        """Send a voice note (with `reply_to`, as a reply to that message of the bot)."""
        extra = {"caption": caption} if caption else {}
        voice = {"file_id": "voi1", "file_unique_id": "voi1", "duration": 3}
        return self._message(reply_to, voice=voice, **extra)

    def send_document(
        self,
        name: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        *,
        reply_to: SentMessage | None = None,
        caption: str | None = None,
    ) -> dict[str, Any]:
        """Send a file (kept by the fake so the bot can download it)."""
        file_id = self.tg.store_file(name, content)
        extra = {"caption": caption} if caption else {}
        return self._message(
            reply_to,
            document={
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_name": name,
                "mime_type": mime_type,
                "file_size": len(content),
            },
            **extra,
        )

    def press(self, message: SentMessage, label_or_data: str) -> dict[str, Any]:
        """Tap an inline button of `message`, by (part of) its label or by its exact data."""
        data = next((d for _, d in message.buttons() if d == label_or_data), None)
        if data is None:
            data = message.callback_for(label_or_data)
        return self.press_data(message, data)

    def press_data(self, message: SentMessage | None, data: str) -> dict[str, Any]:
        """A callback query with arbitrary (even forged) data."""
        query: dict[str, Any] = {
            "id": f"cq{self.id}{next(self._message_ids)}",
            "from": self._from(),
            "chat_instance": f"ci{self.id}",
            "data": data,
        }
        if message is not None:
            query["message"] = self.tg._message_json(message)
        return self.tg.push_update({"callback_query": query})

    def messages(self) -> list[SentMessage]:
        """Everything the bot sent to this user's chat (or group), oldest first."""
        return self.tg.sent_to(self.chat_id)

    def last(self) -> SentMessage:
        """The newest message the bot sent to this user."""
        messages = self.messages()
        assert messages, f"the bot sent nothing to user {self.id}"
        return messages[-1]

    def texts(self) -> list[str]:
        """The visible text of every message to this user."""
        return [m.text for m in self.messages()]

    async def wait_for_text(self, needle: str, timeout: float = 10.0) -> SentMessage:
        """Wait until a message to this user contains `needle` (for end-to-end tests)."""

        def found() -> bool:
            return any(needle in m.text for m in self.messages())

        await self.tg.wait_for(found, timeout)
        return next(m for m in reversed(self.messages()) if needle in m.text)

    async def wait_for_count(self, count: int, timeout: float = 10.0) -> list[SentMessage]:
        """Wait until the bot has sent this user at least `count` messages."""
        await self.tg.wait_for(lambda: len(self.messages()) >= count, timeout)
        return self.messages()


class OfflineRequest(BaseRequest):
    """A python-telegram-bot request object that answers from a `FakeTelegram`, in-process."""

    def __init__(self, tg: FakeTelegram) -> None:
        self.tg = tg

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            content = self.tg.file_content(url.split("/file/bot", 1)[1].split("/", 1)[1])
            return (200, content) if content is not None else (404, b"")
        if self.tg.refuse_connections:
            self.tg.refused_calls += 1
            raise NetworkError("httpx.ConnectError: refused") from httpx.ConnectError("refused")
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files: dict[str, tuple[str, bytes]] = {}
        if request_data and request_data.contains_files:
            for name, field_tuple in request_data.multipart_data.items():
                upload = field_tuple[1]
                data = upload if isinstance(upload, bytes) else upload.read()
                files[name] = (field_tuple[0] or name, data)
        status, body = await answer(self.tg, api_method, params, files)
        if self.tg.time_out_next and api_method in SEND_METHODS:
            self.tg.time_out_next -= 1
            raise TimedOut("the answer never came")  # it did arrive: the answer was lost
        return status, body


async def answer(
    tg: FakeTelegram, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes]]
) -> tuple[int, bytes]:
    """Status and JSON body of one Bot API call."""
    try:
        result = await tg.call(method, params, files)
    except ApiError as error:
        return error.code, json.dumps(error.payload()).encode()
    return 200, json.dumps({"ok": True, "result": result}).encode()


class FakeBotApiServer:
    """The fake Telegram over loopback HTTP, at `{base_url}/bot{token}/{method}`."""

    def __init__(self, tg: FakeTelegram, host: str = "127.0.0.1") -> None:
        self.tg = tg
        self.host = host
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        """What to put in TELEGRAM_API_BASE_URL."""
        return f"http://{self.host}:{self.port}"

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.tg.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params: dict[str, Any] = dict(request.query)
        files: dict[str, tuple[str, bytes]] = {}
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = (value.filename, value.file.read())
                else:
                    params[key] = value
        status, body = await answer(self.tg, request.match_info["method"], params, files)
        return web.Response(status=status, body=body, content_type="application/json")

    async def _file(self, request: web.Request) -> web.Response:
        content = self.tg.file_content(request.match_info["path"])
        if content is None or request.match_info["token"] != self.tg.token:
            return web.Response(status=404)
        return web.Response(body=content)


def markup_labels(messages: Iterable[SentMessage]) -> list[str]:
    """Every inline button label in these messages (handy in assertions)."""
    return [text for m in messages for text, _ in m.buttons()]
