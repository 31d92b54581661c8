"""The announcement rules: audiences, one start, claims taken once, outcomes, stale claims."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, update

from bot.db import SessionFactory
from bot.models import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementState,
    Audience,
    DeliveryState,
    Participant,
    Registration,
    RegistrationStatus,
)
from bot.services.announcements import (
    STALE_CLAIM,
    TRAINING_CANCELLED_REASON,
    AnnouncementError,
    DeliveryOutcome,
    announce_training_cancelled,
    announcement_progress,
    cancel_announcement,
    claim_deliveries,
    count_recipients,
    create_announcement,
    expire_stale_claims,
    finish_if_done,
    record_deliveries,
    record_delivery,
    start_announcement,
    start_delivery,
)
from tests.announce_factories import make_participants, make_training, register, training_with
from tests.harness import FakeClock


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
            select(Participant.telegram_id, AnnouncementDelivery.state)
            .join(Participant, Participant.id == AnnouncementDelivery.participant_id)
            .where(AnnouncementDelivery.announcement_id == announcement_id)
        )
        return {telegram_id: state.value for telegram_id, state in rows.all()}


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
            select(func.count()).where(AnnouncementDelivery.announcement_id == announcement_id)
        )
    assert count == 3


async def test_claim_send_record_and_finish(sessions: SessionFactory, clock: FakeClock) -> None:
    training = await training_with(sessions, clock(), [21, 22, 23, 24])
    announcement_id = await _announce(sessions, clock, training.id)
    async with sessions() as session:
        claimed = await claim_deliveries(session, announcement_id, "w1", 10, clock())
    assert sorted(c.chat_id for c in claimed) == [21, 22, 23, 24]
    assert "Bawa gunting kain" in claimed[0].text and "Pelatihan Kain Perca" in claimed[0].text
    async with sessions() as session:
        # Claimed rows are nobody else's: a second claim finds nothing.
        assert await claim_deliveries(session, None, "w2", 10, clock()) == []
        assert not await finish_if_done(session, announcement_id, clock())

    outcomes = [DeliveryState.SENT, DeliveryState.BLOCKED, DeliveryState.FAILED]
    outcomes.append(DeliveryState.UNKNOWN)
    for item, outcome in zip(claimed, outcomes, strict=True):
        async with sessions() as session:
            # Only a row marked as leaving can get an outcome; only its own worker marks it.
            assert not await record_delivery(session, item.delivery_id, outcome, clock())
            assert not await start_delivery(session, item.delivery_id, "w2", clock())
            assert await start_delivery(session, item.delivery_id, "w1", clock())
            assert not await start_delivery(session, item.delivery_id, "w1", clock())
            assert await record_delivery(session, item.delivery_id, outcome, clock())
    async with sessions() as session:
        # Recording twice changes nothing; no outcome makes a row pending again.
        assert not await record_delivery(
            session, claimed[0].delivery_id, DeliveryState.FAILED, clock()
        )
        progress = await announcement_progress(session, announcement_id)
        assert (progress.total, progress.sent, progress.blocked) == (4, 1, 1)
        assert (progress.failed, progress.unknown, progress.pending) == (1, 1, 0)
        blocked_chat = claimed[1].chat_id
        unreachable = await session.scalar(
            select(Participant.unreachable_at).where(Participant.telegram_id == blocked_chat)
        )
        assert unreachable == clock()
        assert await finish_if_done(session, announcement_id, clock())
        assert not await finish_if_done(session, announcement_id, clock())
        state = await session.scalar(
            select(Announcement.state).where(Announcement.id == announcement_id)
        )
    assert state is AnnouncementState.DONE


async def test_many_answers_are_recorded_in_one_go(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    training = await training_with(sessions, clock(), [41, 42, 43, 44, 45])
    announcement_id = await _announce(sessions, clock, training.id)
    async with sessions() as session:
        claimed = await claim_deliveries(session, announcement_id, "w1", 4, clock())
        for item in claimed:  # each leaves: reserved -> sending
            assert await start_delivery(session, item.delivery_id, "w1", clock())
    sent, blocked, failed, unknown = (c.delivery_id for c in claimed)
    outcomes = [
        DeliveryOutcome(sent, DeliveryState.SENT),
        DeliveryOutcome(blocked, DeliveryState.BLOCKED, "Forbidden: bot was blocked by the user"),
        DeliveryOutcome(failed, DeliveryState.FAILED, "Bad Request: x" * 30),
        DeliveryOutcome(unknown, DeliveryState.UNKNOWN, "timed out"),
    ]
    async with sessions() as session:
        assert await record_deliveries(session, outcomes, clock()) == 4
        # Only rows still `sending` change: a repeat, or the unclaimed fifth row, do not.
        pending = await session.scalar(
            select(AnnouncementDelivery.id).where(
                AnnouncementDelivery.state == DeliveryState.PENDING
            )
        )
        assert pending is not None
        again = [*outcomes, DeliveryOutcome(pending, DeliveryState.SENT)]
        assert await record_deliveries(session, again, clock()) == 0
        progress = await announcement_progress(session, announcement_id)
        assert (progress.sent, progress.blocked, progress.failed) == (1, 1, 1)
        assert (progress.unknown, progress.pending) == (1, 1)
        error = await session.scalar(
            select(AnnouncementDelivery.error).where(AnnouncementDelivery.id == failed)
        )
        assert error is not None and len(error) == 200
        unreachable = await session.scalar(
            select(func.count()).where(Participant.unreachable_at.is_not(None))
        )
    assert unreachable == 1
    async with sessions() as session:
        with pytest.raises(ValueError):
            await record_deliveries(
                session, [DeliveryOutcome(sent, DeliveryState.PENDING)], clock()
            )


async def test_stale_claims_become_unknown_and_are_never_resent(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    training = await training_with(sessions, clock(), [31, 32])
    announcement_id = await _announce(sessions, clock, training.id)
    async with sessions() as session:
        claimed = await claim_deliveries(session, announcement_id, "crashed", 1, clock())
        assert await start_delivery(session, claimed[0].delivery_id, "crashed", clock())
    assert len(claimed) == 1
    clock.advance(seconds=STALE_CLAIM.total_seconds() - 1)
    async with sessions() as session:
        assert await expire_stale_claims(session, clock()) == 0
    clock.advance(seconds=2)
    async with sessions() as session:
        assert await expire_stale_claims(session, clock()) == 1
        rest = await claim_deliveries(session, announcement_id, "w2", 10, clock())
    assert [c.delivery_id for c in rest] != [claimed[0].delivery_id]
    assert len(rest) == 1
    async with sessions() as session:
        # The crashed worker's late answer does not overwrite "unknown".
        assert not await record_delivery(
            session, claimed[0].delivery_id, DeliveryState.SENT, clock()
        )
        assert await claim_deliveries(session, announcement_id, "w3", 10, clock()) == []
        progress = await announcement_progress(session, announcement_id)
    assert (progress.unknown, progress.pending) == (1, 1)


async def test_a_lease_of_a_dead_worker_runs_out_and_its_rows_are_sent_by_another(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    training = await training_with(sessions, clock(), [41, 42, 43])
    announcement_id = await _announce(sessions, clock, training.id)
    async with sessions() as session:
        # The dead worker reserved two rows and had begun to send one of them.
        reserved = await claim_deliveries(session, announcement_id, "dead", 2, clock())
        assert await start_delivery(session, reserved[0].delivery_id, "dead", clock())
        [third] = await claim_deliveries(session, announcement_id, "w2", 10, clock())
    assert third.chat_id not in {r.chat_id for r in reserved}
    clock.advance(seconds=STALE_CLAIM.total_seconds() + 1)
    async with sessions() as session:
        assert await expire_stale_claims(session, clock()) == 1
        retaken = await claim_deliveries(session, announcement_id, "w3", 10, clock())
        # w2's lease ran out as well: the unsent rows are anyone's again, the begun one is not.
        assert {r.delivery_id for r in retaken} == {reserved[1].delivery_id, third.delivery_id}
        # The dead worker's late attempt finds the row taken over: it does not send.
        assert not await start_delivery(session, reserved[1].delivery_id, "dead", clock())
        assert await start_delivery(session, reserved[1].delivery_id, "w3", clock())
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
            async with sessions() as session:
                batch = await claim_deliveries(session, None, name, 7, clock())
            if not batch:
                return
            taken[name].extend(c.delivery_id for c in batch)
            await asyncio.sleep(0)

    await asyncio.gather(*(worker(f"w{i}") for i in range(4)))
    everything = [d for ids in taken.values() for d in ids]
    assert len(everything) == len(set(everything)) == 300
    async with sessions() as session:
        claimed_by = await session.execute(
            select(AnnouncementDelivery.id, AnnouncementDelivery.claimed_by).where(
                AnnouncementDelivery.announcement_id == announcement_id
            )
        )
        owner = dict(claimed_by.all())
    for name, ids in taken.items():
        assert all(owner[i] == name for i in ids)


async def test_training_cancelled_tells_every_registrant_in_their_language(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    now = clock()
    training = await make_training(sessions, now, title="Batik <Tulis> & Cap")
    indonesian = await make_participants(sessions, now, [41, 42])
    english = await make_participants(sessions, now, [43], language="en")
    left = await make_participants(sessions, now, [44])
    ended = await make_participants(sessions, now, [45])
    await register(sessions, now, training.id, indonesian)
    await register(sessions, now, training.id, english, RegistrationStatus.WAITLISTED)
    await register(sessions, now, training.id, left, RegistrationStatus.CANCELLED)
    await register(sessions, now, training.id, ended, RegistrationStatus.CANCELLED)
    async with sessions() as session:
        # 45's registration was ended by the cancellation itself; 44 had left before.
        await session.execute(
            update(Registration)
            .where(Registration.participant_id == ended[0])
            .values(cancel_reason=TRAINING_CANCELLED_REASON)
        )
        await session.commit()

    async with sessions() as session:
        announcement = await announce_training_cancelled(session, training.id, now)
        assert await announce_training_cancelled(session, 999_999, now) is None
    assert announcement is not None
    assert announcement.audience is Audience.REGISTRANTS
    assert announcement.state is AnnouncementState.SENDING
    async with sessions() as session:
        claimed = await claim_deliveries(session, announcement.id, "w", 10, now)
    texts = {c.chat_id: c.text for c in claimed}
    assert set(texts) == {41, 42, 43, 45}
    assert "dibatalkan" in texts[41] and "Batik &lt;Tulis&gt; &amp; Cap" in texts[41]
    assert "has been cancelled" in texts[43] and "Announcement" in texts[43]


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
