"""Run the fake Bot API server on its own, to try the bot by hand without Telegram.

    python -m tests.fake_server --port 8081
    # in .env: TELEGRAM_API_BASE_URL=http://127.0.0.1:8081 and TELEGRAM_BOT_TOKEN=123456:TEST-token
    make run

Then play a user through the control endpoints (JSON answers show what the bot sent):

    curl -s localhost:8081/_user/42/text -d '/start'
    curl -s localhost:8081/_user/42/press -d 'Daftar'        # taps a button of the last message
    curl -s localhost:8081/_user/42/contact -d '+6281234567890'
    curl -s localhost:8081/_user/42/messages
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from aiohttp import web

from bot.playground.botapi import FakeBotApiServer, FakeTelegram, FakeUser, SentMessage


def _describe(message: SentMessage) -> dict[str, Any]:
    return {
        "message_id": message.message_id,
        "text": message.text,
        "buttons": [label for label, _ in message.buttons()],
        "keyboard": [b.get("text") for b in message.keyboard()],
        "document": message.document[0] if message.document else None,
        "edited": bool(message.history),
    }


def _json(data: object, status: int = 200) -> web.Response:
    return web.json_response(
        data, status=status, dumps=lambda o: json.dumps(o, ensure_ascii=False, indent=1)
    )


class ControlApi:
    """Endpoints that let a person act as a Telegram user of the fake server."""

    def __init__(self, tg: FakeTelegram) -> None:
        self.tg = tg
        self.users: dict[int, FakeUser] = {}

    def _user(self, request: web.Request) -> FakeUser:
        user_id = int(request.match_info["user_id"])
        if user_id not in self.users:
            self.users[user_id] = self.tg.user(user_id, f"User{user_id}")
        return self.users[user_id]

    async def _answer_after(self, user: FakeUser, before: int) -> web.Response:
        edits = {m.message_id: len(m.history) for m in user.messages()}

        def changed() -> list[SentMessage]:
            return [
                m
                for m in user.messages()
                if len(m.history) != edits.get(m.message_id, len(m.history))
            ] + user.messages()[before:]

        try:
            await self.tg.wait_for(lambda: bool(changed()), timeout=5)
            await asyncio.sleep(0.3)  # let edits and follow-up messages land
        except TimeoutError:
            pass
        return _json([_describe(m) for m in changed()])

    async def text(self, request: web.Request) -> web.Response:
        """The user types the request body."""
        user = self._user(request)
        before = len(user.messages())
        user.send_text(await request.text())
        return await self._answer_after(user, before)

    async def press(self, request: web.Request) -> web.Response:
        """The user taps the button (label contains the body) of the newest message having it."""
        user = self._user(request)
        label = await request.text()
        before = len(user.messages())
        for message in reversed(user.messages()):
            if any(label in text for text, _ in message.buttons()):
                user.press(message, label)
                return await self._answer_after(user, before)
        return _json({"error": f"no button {label!r}"}, status=404)

    async def contact(self, request: web.Request) -> web.Response:
        """The user shares their own phone number."""
        user = self._user(request)
        before = len(user.messages())
        user.share_contact(await request.text())
        return await self._answer_after(user, before)

    async def messages(self, request: web.Request) -> web.Response:
        """Everything the bot sent this user."""
        return _json([_describe(m) for m in self._user(request).messages()])


async def serve(port: int, token: str) -> None:
    """Serve the Bot API and the control API until interrupted."""
    tg = FakeTelegram(token)
    server = FakeBotApiServer(tg)  # its handlers, served on our port with the control API
    control = ControlApi(tg)
    app = web.Application()
    app.router.add_post("/_user/{user_id}/text", control.text)
    app.router.add_post("/_user/{user_id}/press", control.press)
    app.router.add_post("/_user/{user_id}/contact", control.contact)
    app.router.add_get("/_user/{user_id}/messages", control.messages)
    app.router.add_route("*", "/bot{token}/{method}", server._api)
    app.router.add_get("/file/bot{token}/{path:.*}", server._file)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print(f"fake Bot API on http://127.0.0.1:{port} (token {token})", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


def main() -> None:
    """Parse arguments and serve."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST-token")
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.port, args.token))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
