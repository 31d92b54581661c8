"""The webhook front: each person's updates reach the same bot process, in the order sent."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import test_utils, web

from bot.playground.botapi import FakeTelegram, FakeUser
from bot.web.front import Front, build_front_app, update_owner
from bot.web.webhook import SECRET_HEADER

SECRET = "front-Secret_123"
PATH = "/telegram"


async def _process(
    received: list[dict[str, Any]], hold: asyncio.Event | None = None
) -> test_utils.TestServer:
    """A stand-in bot process that takes updates; with `hold`, the first one is slow."""

    async def take(request: web.Request) -> web.Response:
        assert request.headers[SECRET_HEADER] == SECRET
        update = await request.json()
        if hold is not None and update["message"]["text"] == "pesan 0":
            await hold.wait()  # a slow moment: an update forwarded after it must wait
        received.append(update)
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post(PATH, take)
    server = test_utils.TestServer(app)
    await server.start_server()
    return server


async def _front(front: Front) -> test_utils.TestClient[Any, Any]:
    client: test_utils.TestClient[Any, Any] = test_utils.TestClient(
        test_utils.TestServer(build_front_app(front, PATH))
    )
    await client.start_server()
    return client


async def test_each_person_always_reaches_the_same_process() -> None:
    tg = FakeTelegram()
    users = [tg.user(100 + i, f"Peserta{i}") for i in range(6)]
    received: list[list[dict[str, Any]]] = [[], []]
    servers = [await _process(r) for r in received]
    client = await _front(Front([str(s.make_url(PATH)) for s in servers], SECRET))

    async def talk(user: FakeUser) -> None:
        for k in range(3):
            user.send_text(f"pesan {k}")
            (update,) = tg.take_updates()
            answer = await client.post(PATH, json=update, headers={SECRET_HEADER: SECRET})
            assert answer.status == 200

    try:
        for user in users:
            await talk(user)
    finally:
        await client.close()
        for server in servers:
            await server.close()
    for index, got in enumerate(received):
        assert {update_owner(u) for u in got} == {u.id for u in users if u.id % 2 == index}
        assert len(got) == 9


async def test_a_persons_next_update_waits_until_the_process_took_the_previous_one() -> None:
    tg = FakeTelegram()
    user = tg.user(101, "Rina")
    received: list[dict[str, Any]] = []
    hold = asyncio.Event()
    server = await _process(received, hold)
    front = Front([str(server.make_url(PATH))], SECRET)
    client = await _front(front)
    posts = []
    try:
        for k in range(3):
            user.send_text(f"pesan {k}")
            (update,) = tg.take_updates()
            posts.append(
                asyncio.create_task(client.post(PATH, json=update, headers={SECRET_HEADER: SECRET}))
            )
            async with asyncio.timeout(5):  # the front has it before the next one is sent
                while front.queued < k + 1:  # noqa: ASYNC110 (the front has no event for it)
                    await asyncio.sleep(0.001)
        hold.set()
        answers = await asyncio.gather(*posts)
    finally:
        await client.close()
        await server.close()
    assert [a.status for a in answers] == [200, 200, 200]
    assert [u["message"]["text"] for u in received] == ["pesan 0", "pesan 1", "pesan 2"]


async def test_button_presses_and_contacts_go_where_the_persons_messages_go() -> None:
    tg = FakeTelegram()
    user = tg.user(4243, "Rina")
    user.send_text("/start")
    user.press_data(None, "menu:daftar")
    user.share_contact("6281234567890")
    updates = tg.take_updates()
    assert [update_owner(u) for u in updates] == [4243, 4243, 4243]
    assert update_owner({"update_id": 1, "poll": {"id": "x"}}) == 0


async def test_wrong_secret_is_refused_and_a_missing_process_is_502() -> None:
    client = await _front(Front(["http://127.0.0.1:9/telegram"], SECRET))  # nobody there
    update = {"update_id": 1, "message": {"message_id": 1, "from": {"id": 5}, "text": "hai"}}
    try:
        refused = await client.post(PATH, json=update, headers={SECRET_HEADER: "wrong"})
        assert refused.status == 403
        missing = await client.post(PATH, json=update, headers={SECRET_HEADER: SECRET})
        # Telegram sends an update again until it gets a 200: nothing is lost.
        assert missing.status == 502
    finally:
        await client.close()
