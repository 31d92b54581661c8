"""The announcement rules: audiences, one start, claims taken once, outcomes, stale claims."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from bot.db import SessionFactory
from bot.models import (
    Announcement,
    AnnouncementState,
    Audience,
    Delivery,
    DeliveryState,
    Participant,
    Registration,
    RegistrationStatus,
)
from bot.services import outbox
from bot.services.announcements import (
    AnnouncementError,
    announcement_progress,
    cancel_announcement,
    count_recipients,
    create_announcement,
    finish_if_done,
    start_announcement,
)
from bot.services.notices import queue_change_notices
from bot.services.outbox import Claimed, Kind, Result, SendAnswer
from bot.settings import Settings
from jobs.kinds import RenderContext, render_all
from tests.announce_factories import make_participants, make_training, register, training_with
from tests.harness import FakeClock

LEASE = timedelta(minutes=10)


async def _claim(
    sessions: SessionFactory,
    clock: FakeClock,
    worker: str,
    limit: int = 10,
    announcement_id: int | None = None,
) -> list[Claimed]:
    async with sessions() as session:
        return await outbox.claim(session, worker, limit, clock(), LEASE, announcement_id)


async def _mark(sessions: SessionFactory, clock: FakeClock, delivery_id: int, worker: str) -> bool:
    async with sessions() as session:
        return delivery_id in await outbox.mark_sending(session, [delivery_id], worker, clock())


async def _record(sessions: SessionFactory, clock: FakeClock, answers: list[SendAnswer]) -> int:
    async with sessions() as session:
        return (await outbox.record(session, answers, clock())).changed


async def _expire(sessions: SessionFactory, clock: FakeClock) -> int:
    """Expire stale rows; how many are `unknown` now."""
    async with sessions() as session:
        await outbox.expire_stale(session, clock(), LEASE)
        return int(
            await session.scalar(
                select(func.count()).where(Delivery.state == DeliveryState.UNKNOWN)
            )
            or 0
        )


async def _announce(
    sessions: SessionFactory,
    clock: FakeClock,
    training_id: int | None,
    audience: Audience = Audience.CONFIRMED,
    text: str = "Bawa gunting kain",
) -> int:
    async with sessions() as session:
        announcement = await create_announcement(
            session,
            training_id=training_id,
            audience=audience,
            text=text,
            created_by=1,
            now=clock(),
        )
    async with sessions() as session:
        assert await start_announcement(session, announcement.id, None, None, clock())
    return announcement.id


async def _delivery_states(sessions: SessionFactory, announcement_id: int) -> dict[int, str]:
    async with sessions() as session:
        rows = await session.execute(
            select(Participant.telegram_id, Delivery.state)
            .join(Participant, Participant.id == Delivery.participant_id)
            .where(Delivery.announcement_id == announcement_id)
        )
        return {telegram_id or 0: state.value for telegram_id, state in rows.all()}


async def test_audiences_pick_the_right_participants(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    now = clock()
    training = await make_training(sessions, now)
    other = await make_training(sessions, now, title="Melukis Kain")
    confirmed = await make_participants(sessions, now, [101, 102, 103])
    waiting = await make_participants(sessions, now, [201, 202])
    gone = await make_participants(sessions, now, [301])
    elsewhere = await make_participants(sessions, now, [401])
    await register(sessions, now, training.id, confirmed)
    await register(sessions, now, training.id, waiting, RegistrationStatus.WAITLISTED)
    await register(sessions, now, training.id, gone, RegistrationStatus.CANCELLED)
    await register(sessions, now, other.id, elsewhere)
    await make_participants(sessions, now, [501])  # never registered
    async with sessions() as session:
        # Erased participants get nothing; one who blocked the bot is counted, not sent to.
        await session.execute(
            update(Participant).where(Participant.telegram_id == 103).values(erased_at=now)
        )
        await session.execute(
            update(Participant).where(Participant.telegram_id == 102).values(unreachable_at=now)
        )
        await session.commit()

    async with sessions() as session:
        assert await count_recipients(session, training.id, Audience.CONFIRMED) == 1
        assert await count_recipients(session, training.id, Audience.WAITLIST) == 2
        assert await count_recipients(session, None, Audience.EVERYONE) == 5
        with pytest.raises(AnnouncementError):
            await count_recipients(session, None, Audience.CONFIRMED)

    confirmed_id = await _announce(sessions, clock, training.id)
    assert await _delivery_states(sessions, confirmed_id) == {101: "pending", 102: "blocked"}
    waiting_id = await _announce(sessions, clock, training.id, Audience.WAITLIST)
    assert await _delivery_states(sessions, waiting_id) == {201: "pending", 202: "pending"}
    everyone_id = await _announce(sessions, clock, None, Audience.EVERYONE)
    assert await _delivery_states(sessions, everyone_id) == {
        101: "pending",
        102: "blocked",
        201: "pending",
        202: "pending",
        301: "pending",
        401: "pending",
    }


async def test_an_announcement_starts_once(sessions: SessionFactory, clock: FakeClock) -> None:
    training = await training_with(sessions, clock(), [11, 12, 13])
    announcement_id = await _announce(sessions, clock, training.id)
    async with sessions() as session:
        assert not await start_announcement(session, announcement_id, 5, 6, clock())
        assert not await cancel_announcement(session, announcement_id)
        count = await session.scalar(
            select(func.count()).where(Delivery.announcement_id == announcement_id)
        )
    assert count == 3


async def test_claim_send_record_and_finish(
    sessions: SessionFactory, clock: FakeClock, settings: Settings
) -> None:
    training = await training_with(sessions, clock(), [21, 22, 23, 24])
    announcement_id = await _announce(sessions, clock, training.id)
    claimed = await _claim(sessions, clock, "w1", announcement_id=announcement_id)
    assert sorted(c.chat_id for c in claimed) == [21, 22, 23, 24]
    async with sessions() as session:
        rendered = await render_all(session, claimed, RenderContext(settings, clock()))
    text = rendered[claimed[0].id].text  # type: ignore[union-attr]
    assert "Bawa gunting kain" in text and "Pelatihan Kain Perca" in text
    # Claimed rows are nobody else's: a second claim finds nothing.
    assert await _claim(sessions, clock, "w2") == []
    async with sessions() as session:
        assert not await finish_if_done(session, announcement_id, clock())

    results = [Result.SENT, Result.BLOCKED, Result.FAILED, Result.UNKNOWN]
    for item, result in zip(claimed, results, strict=True):
        # Only a row marked as leaving can get an answer; only its own worker marks it.
        assert not await _record(sessions, clock, [SendAnswer(item.id, result)])
        assert not await _mark(sessions, clock, item.id, "w2")
        assert await _mark(sessions, clock, item.id, "w1")
        assert not await _mark(sessions, clock, item.id, "w1")
        assert await _record(sessions, clock, [SendAnswer(item.id, result)])
    # Recording twice changes nothing; no answer makes a row pending again.
    assert not await _record(sessions, clock, [SendAnswer(claimed[0].id, Result.FAILED)])
    async with sessions() as session:
        progress = await announcement_progress(session, announcement_id)
        assert (progress.total, progress.sent, progress.blocked) == (4, 1, 1)
        assert (progress.failed, progress.unknown, progress.pending) == (1, 1, 0)
        unreachable = await session.scalar(
            select(Participant.unreachable_at).where(Participant.telegram_id == claimed[1].chat_id)
        )
        assert unreachable == clock()
        assert await finish_if_done(session, announcement_id, clock())
        assert not await finish_if_done(session, announcement_id, clock())
        state = await session.scalar(
            select(Announcement.state).where(Announcement.id == announcement_id)
        )
    assert state is AnnouncementState.DONE


async def test_what_certainly_did_not_leave_goes_back_to_the_queue(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    training = await training_with(sessions, clock(), [26, 27])
    announcement_id = await _announce(sessions, clock, training.id)
    first, second = await _claim(sessions, clock, "w1")
    assert await _mark(sessions, clock, first.id, "w1")
    assert await _mark(sessions, clock, second.id, "w1")
    answers = [
        SendAnswer(first.id, Result.RETRY, error="Bad Gateway"),
        SendAnswer(second.id, Result.SENT),
    ]
    assert await _record(sessions, clock, answers) == 2
    # The 502 row is anyone's again at once; it is sent later like a new one.
    [again] = await _claim(sessions, clock, "w2")
    assert again.id == first.id
    assert await _mark(sessions, clock, again.id, "w2")
    assert await _record(sessions, clock, [SendAnswer(again.id, Result.SENT)])
    async with sessions() as session:
        progress = await announcement_progress(session, announcement_id)
        attempts = await session.scalar(select(Delivery.attempts).where(Delivery.id == first.id))
    assert (progress.sent, progress.pending) == (2, 0)
    assert attempts == 2


async def test_many_answers_are_recorded_in_one_go(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    training = await training_with(sessions, clock(), [41, 42, 43, 44, 45])
    announcement_id = await _announce(sessions, clock, training.id)
    claimed = await _claim(sessions, clock, "w1", 4)
    for item in claimed:  # each leaves: reserved -> sending
        assert await _mark(sessions, clock, item.id, "w1")
    sent, blocked, failed, unknown = (c.id for c in claimed)
    answers = [
        SendAnswer(sent, Result.SENT, message_id=77),
        SendAnswer(blocked, Result.BLOCKED, error="Forbidden: bot was blocked by the user"),
        SendAnswer(failed, Result.FAILED, error="Bad Request: x" * 30),
        SendAnswer(unknown, Result.UNKNOWN, error="timed out"),
    ]
    assert await _record(sessions, clock, answers) == 4
    async with sessions() as session:
        # Only rows still `sending` change: a repeat, or the unclaimed fifth row, do not.
        pending = await session.scalar(
            select(Delivery.id).where(Delivery.state == DeliveryState.PENDING)
        )
        assert pending is not None
    again = [*answers, SendAnswer(pending, Result.SENT)]
    assert await _record(sessions, clock, again) == 0
    async with sessions() as session:
        progress = await announcement_progress(session, announcement_id)
        assert (progress.sent, progress.blocked, progress.failed) == (1, 1, 1)
        assert (progress.unknown, progress.pending) == (1, 1)
        error = await session.scalar(select(Delivery.error).where(Delivery.id == failed))
        assert error is not None and len(error) == 200
        message_id = await session.scalar(select(Delivery.message_id).where(Delivery.id == sent))
        assert message_id == 77
        unreachable = await session.scalar(
            select(func.count()).where(Participant.unreachable_at.is_not(None))
        )
    assert unreachable == 1


async def test_stale_claims_become_unknown_and_are_never_resent(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    training = await training_with(sessions, clock(), [31, 32])
    announcement_id = await _announce(sessions, clock, training.id)
    claimed = await _claim(sessions, clock, "crashed", 1)
    assert len(claimed) == 1
    assert await _mark(sessions, clock, claimed[0].id, "crashed")
    clock.advance(seconds=LEASE.total_seconds() - 1)
    assert await _expire(sessions, clock) == 0
    clock.advance(seconds=2)
    assert await _expire(sessions, clock) == 1
    rest = await _claim(sessions, clock, "w2")
    assert [c.id for c in rest] != [claimed[0].id]
    assert len(rest) == 1
    # The crashed worker's late answer is still taken: the message did arrive after all.
    assert await _record(sessions, clock, [SendAnswer(claimed[0].id, Result.SENT)])
    assert await _claim(sessions, clock, "w3") == []
    async with sessions() as session:
        progress = await announcement_progress(session, announcement_id)
    assert (progress.sent, progress.unknown, progress.pending) == (1, 0, 1)


async def test_a_lease_of_a_dead_worker_runs_out_and_its_rows_are_sent_by_another(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    training = await training_with(sessions, clock(), [41, 42, 43])
    announcement_id = await _announce(sessions, clock, training.id)
    # The dead worker reserved two rows and had begun to send one of them.
    reserved = await _claim(sessions, clock, "dead", 2)
    assert await _mark(sessions, clock, reserved[0].id, "dead")
    [third] = await _claim(sessions, clock, "w2")
    assert third.chat_id not in {r.chat_id for r in reserved}
    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert await _expire(sessions, clock) == 1
    retaken = await _claim(sessions, clock, "w3")
    # w2's lease ran out as well: the unsent rows are anyone's again, the begun one is not.
    assert {r.id for r in retaken} == {reserved[1].id, third.id}
    # The dead worker's late attempt finds the row taken over: it does not send.
    assert not await _mark(sessions, clock, reserved[1].id, "dead")
    assert await _mark(sessions, clock, reserved[1].id, "w3")
    async with sessions() as session:
        progress = await announcement_progress(session, announcement_id)
    assert (progress.unknown, progress.pending) == (1, 2)


async def test_concurrent_workers_never_claim_the_same_delivery(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    training = await training_with(sessions, clock(), list(range(1000, 1300)))
    announcement_id = await _announce(sessions, clock, training.id)
    taken: dict[str, list[int]] = {}

    async def worker(name: str) -> None:
        taken[name] = []
        while True:
            batch = await _claim(sessions, clock, name, 7)
            if not batch:
                return
            taken[name].extend(c.id for c in batch)
            await asyncio.sleep(0)

    await asyncio.gather(*(worker(f"w{i}") for i in range(4)))
    everything = [d for ids in taken.values() for d in ids]
    assert len(everything) == len(set(everything)) == 300
    async with sessions() as session:
        claimed_by = await session.execute(
            select(Delivery.id, Delivery.claimed_by).where(
                Delivery.announcement_id == announcement_id
            )
        )
        owner = dict(claimed_by.all())
    for name, ids in taken.items():
        assert all(owner[i] == name for i in ids)


async def test_a_cancelled_training_tells_each_registrant_in_their_language(
    sessions: SessionFactory, clock: FakeClock, settings: Settings
) -> None:
    now = clock()
    training = await make_training(sessions, now, title="Batik <Tulis> & Cap")
    indonesian = await make_participants(sessions, now, [41, 42])
    english = await make_participants(sessions, now, [43], language="en")
    await register(sessions, now, training.id, indonesian)
    await register(sessions, now, training.id, english, RegistrationStatus.WAITLISTED)
    async with sessions() as session:
        ids = list((await session.scalars(select(Registration.id))).all())
        await queue_change_notices(
            session, training.id, [], ids, cancelled=True, changed_by=None, now=now
        )
        await session.commit()
    claimed = await _claim(sessions, clock, "w")
    assert {c.kind for c in claimed} == {Kind.CHANGE}
    async with sessions() as session:
        rendered = await render_all(session, claimed, RenderContext(settings, now))
    texts = {c.chat_id: rendered[c.id].text for c in claimed}  # type: ignore[union-attr]
    assert set(texts) == {41, 42, 43}
    assert "dibatalkan" in texts[41] and "Batik &lt;Tulis&gt; &amp; Cap" in texts[41]
    assert "has been cancelled" in texts[43]


async def test_create_rejects_bad_input(sessions: SessionFactory, clock: FakeClock) -> None:
    async with sessions() as session:
        with pytest.raises(AnnouncementError):
            await create_announcement(
                session,
                training_id=None,
                audience=Audience.WAITLIST,
                text="x",
                created_by=1,
                now=clock(),
            )
        with pytest.raises(AnnouncementError):
            await create_announcement(
                session,
                training_id=None,
                audience=Audience.EVERYONE,
                text="  ",
                created_by=1,
                now=clock(),
            )
