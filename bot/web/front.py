"""A small forwarding front for several bot processes behind one webhook.

Telegram posts every update to one URL. With `python -m bot front --workers N` that URL is
served by this front, which checks the secret, reads whose update it is, and forwards it to
bot process number `user id % N` (each a `python -m bot` in webhook mode on a port of its own).
One person's updates therefore always reach the same process, in the order they came: the
front forwards a person's next update only once the process has taken the previous one. It
answers Telegram once the process has taken the update, so an update a process could not take
is answered 502 and Telegram sends it again. A proxy cannot do this by itself: the user id is
in the JSON body, which `nginx`'s `hash` cannot read.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp
from aiohttp import web

from bot.runtime.throttle import Cooldown, since_last
from bot.web.webhook import REFUSAL_LOG_PERIOD, SECRET_HEADER, secret_refusal

log = logging.getLogger(__name__)

FORWARD_TIMEOUT = 10.0
_SENDERS = ("from", "user", "voter_chat", "chat")
_SESSION = web.AppKey("front_session", aiohttp.ClientSession)


def update_owner(update: dict[str, Any]) -> int:
    """Whose update this is (the user, else the chat); 0 when it names no one."""
    for key, value in update.items():
        if key == "update_id" or not isinstance(value, dict):
            continue
        for field in _SENDERS:
            who = value.get(field)
            if isinstance(who, dict) and isinstance(who.get("id"), int):
                return int(who["id"])
        message = value.get("message")  # a button press on a message: its chat
        if isinstance(message, dict) and isinstance(message.get("chat"), dict):
            return int(message["chat"].get("id", 0))
    return 0


class Front:
    """Forwards each update to its owner's process, one owner's updates one after another."""

    def __init__(self, workers: list[str], secret: str) -> None:
        if not workers:
            raise ValueError("the front needs at least one bot process")
        self.workers = workers
        self.secret = secret
        self._locks: dict[int, asyncio.Lock] = {}
        self._pending: dict[int, int] = {}
        self._warnings = Cooldown(REFUSAL_LOG_PERIOD)

    @property
    def queued(self) -> int:
        """Updates received and not yet taken by their process."""
        return sum(self._pending.values())

    def worker_for(self, owner: int) -> str:
        """The URL of the process that handles `owner`'s updates."""
        return self.workers[owner % len(self.workers)]

    async def receive(self, request: web.Request) -> web.Response:
        """Telegram's POST: check the secret, read the owner, forward in the owner's order."""
        refusal = secret_refusal(request.headers.get(SECRET_HEADER), self.secret.encode())
        if refusal is not None:
            self._note(request, refusal)
            return web.json_response({"error": "forbidden"}, status=403)
        body = await request.read()
        try:
            update = json.loads(body)
            owner = update_owner(update) if isinstance(update, dict) else 0
        except ValueError:
            owner = 0  # the process says what is wrong with it (and answers 200)
        status = await self._in_order(owner, body, request.app[_SESSION])
        return web.json_response({"ok": status == 200}, status=200 if status == 200 else 502)

    async def _in_order(self, owner: int, body: bytes, session: aiohttp.ClientSession) -> int:
        lock = self._locks.get(owner)
        if lock is None:
            lock = self._locks[owner] = asyncio.Lock()
        self._pending[owner] = self._pending.get(owner, 0) + 1
        try:
            async with lock:
                return await self._forward(self.worker_for(owner), body, session)
        finally:
            self._pending[owner] -= 1
            if not self._pending[owner]:
                del self._pending[owner], self._locks[owner]

    async def _forward(self, url: str, body: bytes, session: aiohttp.ClientSession) -> int:
        headers = {SECRET_HEADER: self.secret, "Content-Type": "application/json"}
        try:
            async with session.post(url, data=body, headers=headers) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            held = self._warnings.allow(url)
            if held is not None:
                log.warning("bot process %s did not take an update: %s%s", url,
                            type(exc).__name__, since_last(held))  # fmt: skip
            return 502

    def _note(self, request: web.Request, reason: str) -> None:
        held = self._warnings.allow(reason)
        if held is not None:
            log.warning(
                "webhook request from %s refused: %s%s", request.remote, reason, since_last(held)
            )


def build_front_app(front: Front, path: str) -> web.Application:
    """The aiohttp app of the front: `POST path` forwards, `GET /healthz` says it runs."""
    app = web.Application()

    async def open_session(app: web.Application) -> Any:
        timeout = aiohttp.ClientTimeout(total=FORWARD_TIMEOUT)
        app[_SESSION] = aiohttp.ClientSession(
            timeout=timeout, connector=aiohttp.TCPConnector(limit=0)
        )
        yield
        await app[_SESSION].close()

    async def health(_request: web.Request) -> web.Response:
        return web.json_response(
            {"status": "ok", "processes": len(front.workers), "queued": front.queued}
        )

    app.cleanup_ctx.append(open_session)
    app.router.add_post(path, front.receive)
    app.router.add_get("/healthz", health)
    return app
