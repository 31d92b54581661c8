"""Participants who chat with the bot, played inside the fake Bot API (where the updates start).

Each user sends /start, taps "Ikut pelatihan", taps the first training, agrees to the data
consent and types a name: five updates, each answered by a new message or by an edit of the
tapped one. The latency of a step is from the moment its update is queued for the bot's
getUpdates to the moment the fake accepted the bot's answer (both `time.monotonic()` in this
process).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bot.playground.botapi import FakeTelegram, FakeUser, SentMessage
from bot.texts import t

# The words the walk waits for and taps, from the catalog (a rewording does not stop it).
JOIN = t("menu.register", "id")
CONSENT = "apakah Anda setuju?"  # the consent question's title
# (what the user does, a piece of the awaited answer's text or of one of its buttons)
Step = tuple[Callable[[FakeUser, SentMessage | None], object], str]
STEPS: list[tuple[str, Step]] = [
    ("/start", (lambda u, _m: u.send_command("start"), JOIN)),
    ("daftar", (lambda u, m: u.press(_must(m), JOIN), "Pelatihan yang dibuka")),
    # " · " is in every training's button: the first one.
    ("training", (lambda u, m: u.press(_must(m), " · "), CONSENT)),
    ("consent", (lambda u, m: u.press(_must(m), "setuju"), "nama lengkap")),
    ("name", (lambda u, _m: u.send_text("Siti Aminah"), "nomor HP")),
]


def _shows(message: SentMessage, expected: str) -> bool:
    return expected in message.text or any(expected in label for label, _ in message.buttons())


def _must(message: SentMessage | None) -> SentMessage:
    assert message is not None, "no message to press a button of"
    return message


async def one_user(
    tg: FakeTelegram, user: FakeUser, think: float, timeout: float, rng: random.Random
) -> list[tuple[str, float | None]]:
    """Walk one user through the steps; the latency of each (None when no answer came)."""
    latencies: list[tuple[str, float | None]] = []
    last: SentMessage | None = None
    for name, step in STEPS:
        waited = await _take_step(user, step, last, tg.wait_for, timeout)
        if waited is None:
            latencies.append((name, None))
            return latencies
        last, latency = waited
        latencies.append((name, latency))
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
    return latencies


async def _take_step(
    user: FakeUser,
    step: Step,
    last: SentMessage | None,
    wait: Callable[[Callable[[], bool], float], Awaitable[object]],
    timeout: float,
) -> tuple[SentMessage, float] | None:
    """Do one step and wait for its answer: the message that answered and the latency, or None
    when none came within `timeout`."""
    act, expected = step
    before = len(user.messages())
    started = time.monotonic()
    act(user, last)
    try:
        await wait(lambda: _answer(user, before, started, last, expected) is not None, timeout)
    except TimeoutError:
        return None
    found = _answer(user, before, started, last, expected)
    assert found is not None
    message, at = found
    return message, at - started


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def walk(
    tg: FakeTelegram,
    users: int = 50,
    first_id: int = 5_000_000,
    think: float = 1.0,
    stagger: float = 5.0,
    timeout: float = 30.0,
    seed: int = 1,
) -> dict[str, Any]:
    """`users` users start within `stagger` seconds and walk the steps; latency figures."""
    rng = random.Random(seed)

    async def delayed(user: FakeUser, delay: float) -> list[tuple[str, float | None]]:
        await asyncio.sleep(delay)
        return await one_user(tg, user, think, timeout, rng)

    started = time.monotonic()
    results = await asyncio.gather(
        *(
            delayed(tg.user(first_id + i, f"Peserta{i}"), stagger * i / max(1, users))
            for i in range(users)
        )
    )
    steps = [step for result in results for step in result]
    answered = [latency for _, latency in steps if latency is not None]
    per_step = {
        name: round(max((lat for n, lat in steps if n == name and lat is not None), default=0), 3)
        for name, _ in STEPS
    }
    return {
        "users": users,
        "steps": len(steps),
        "unanswered": len(steps) - len(answered),
        "completed_users": sum(1 for r in results if len(r) == len(STEPS) and r[-1][1]),
        "p50": percentile(answered, 50) if answered else None,
        "p95": percentile(answered, 95) if answered else None,
        "max": max(answered) if answered else None,
        "max_per_step": per_step,
        "seconds": time.monotonic() - started,
    }


# The whole registration, as a participant does it on a phone.
REGISTRATION: list[tuple[str, Step]] = [
    *STEPS,
    ("phone", (lambda u, _m: u.share_contact(f"62812{u.id % 10**8:08d}"), "nama usaha")),
    ("business", (lambda u, _m: u.send_text("Warung Makan Sederhana"), "bidang usaha")),
    ("sector", (lambda u, m: u.press(_must(m), "Kuliner"), "kecamatan")),
    ("district", (lambda u, m: u.press(_must(m), "Klojen"), "Periksa data")),
    ("confirm", (lambda u, m: u.press(_must(m), "Konfirmasi"), "Pendaftaran")),
]


def _answer(
    user: FakeUser, before: int, started: float, last: SentMessage | None, expected: str
) -> tuple[SentMessage, float] | None:
    """The message that answers a step (a new one, or the last one edited in place) and when."""
    for message in user.messages()[before:]:
        if _shows(message, expected):
            return message, message.sent_at
    edited = last is not None and last.edited_at is not None and last.edited_at >= started
    if edited and last is not None and _shows(last, expected):
        return last, last.edited_at or started
    return None


async def _person(
    tg: FakeTelegram, user: FakeUser, start: float, think: tuple[float, float], timeout: float,
    rng: random.Random, origin: float,
) -> list[tuple[str, float, float | None]]:  # fmt: skip
    """One participant: arrives at `start`, thinks between steps; (step, when, latency)."""
    await asyncio.sleep(start)

    def wait(answered: Callable[[], bool], timeout: float) -> Awaitable[object]:
        return tg.wait_for_chat(user.chat_id, answered, timeout)

    replies: list[tuple[str, float, float | None]] = []
    last: SentMessage | None = None
    for name, step in REGISTRATION:
        started = time.monotonic() - origin
        waited = await _take_step(user, step, last, wait, timeout)
        if waited is None:
            replies.append((name, started, None))
            return replies
        last, latency = waited
        replies.append((name, started, latency))
        await asyncio.sleep(rng.uniform(*think))
    return replies


def _calls_per_chat(tg: FakeTelegram, chats: set[int]) -> dict[str, int]:
    """Bot API calls to these chats by method (button answers name no chat: all of them)."""
    counts: dict[str, int] = {}
    for method, params in tg.calls:
        chat = params.get("chat_id")
        mine = chat is not None and str(chat).lstrip("-").isdigit() and int(chat) in chats
        if mine or method == "answerCallbackQuery":
            counts[method] = counts.get(method, 0) + 1
    return counts


async def surge(
    tg: FakeTelegram,
    users: int = 300,
    first_id: int = 6_000_000,
    arrive_within: float = 60.0,
    think: tuple[float, float] = (2.0, 6.0),
    timeout: float = 60.0,
    seed: int = 1,
) -> dict[str, Any]:
    """`users` people arrive within `arrive_within` seconds and register at a person's pace."""
    rng = random.Random(seed)
    origin = time.monotonic()
    people = [tg.user(first_id + i, f"Peserta{i}") for i in range(users)]
    results = await asyncio.gather(
        *(
            _person(tg, person, rng.uniform(0, arrive_within), think, timeout, rng, origin)
            for person in people
        )
    )
    replies = [reply for result in results for reply in result]
    answered = [latency for _, _, latency in replies if latency is not None]
    completed = sum(1 for r in results if len(r) == len(REGISTRATION) and r[-1][2] is not None)
    return {
        "users": users,
        "replies": len(replies),
        "unanswered": len(replies) - len(answered),
        "completed": completed,
        "p50": percentile(answered, 50) if answered else None,
        "p95": percentile(answered, 95) if answered else None,
        "max": max(answered) if answered else None,
        "points": [(when, latency) for _, when, latency in replies if latency is not None],
        "stuck_at": sorted({name for name, _, latency in replies if latency is None}),
        "calls": _calls_per_chat(tg, {p.id for p in people}),
        "seconds": time.monotonic() - origin,
    }
