"""Participants who chat with the bot, played inside the fake Bot API (where the updates start).

Each user sends /start, taps "Daftar pelatihan", taps the first training, agrees to the data
consent and types a name: five updates, each answered by a new message. The latency of a step
is from the moment its update is queued for the bot's getUpdates to the moment the fake accepted
the bot's answer (both `time.monotonic()` in this process).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage

# (what the user does, a piece of the awaited answer's text or of one of its buttons)
Step = tuple[Callable[[FakeUser, SentMessage | None], object], str]
STEPS: list[tuple[str, Step]] = [
    ("/start", (lambda u, _m: u.send_command("start"), "Daftar pelatihan")),
    ("daftar", (lambda u, m: u.press(_must(m), "Daftar pelatihan"), "Pelatihan yang dibuka")),
    ("training", (lambda u, m: u.press(_must(m), "1."), "Persetujuan")),
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
    for name, (act, expected) in STEPS:
        before = len(user.messages())
        started = time.monotonic()
        act(user, last)

        def answered(before: int = before, expected: str = expected) -> bool:
            return any(_shows(m, expected) for m in user.messages()[before:])

        try:
            await tg.wait_for(answered, timeout)
        except TimeoutError:
            latencies.append((name, None))
            return latencies
        last = next(m for m in user.messages()[before:] if _shows(m, expected))
        latencies.append((name, last.sent_at - started))
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))
    return latencies


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
