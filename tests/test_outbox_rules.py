"""Outbox rules a reviewer would not check by reading (the survivors of mutation testing,
docs/testing.md): a queued row holds everything the sender reads, an account that blocked the
bot takes its colleagues with it (and the other way round), what counts as waiting, and the
rows that skipping and reviving touch."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db import SessionFactory
from bot.models import Audience, Delivery, DeliveryState, Participant, Registration, TrainingDay
from bot.services import outbox
from bot.services.announcements import create_announcement
from bot.services.outbox import NOTICE, Kind, NewDelivery, Result, SendAnswer
from tests.announce_factories import make_participants, make_training, register
from tests.harness import FakeClock

LEASE = timedelta(minutes=10)


async def _queue(sessions: SessionFactory, clock: FakeClock, *new: NewDelivery) -> list[int]:
    """Queue these rows now (committed); their ids, in order."""
    async with sessions() as session:
        assert await outbox.enqueue(session, new, clock()) == len(new)
        await session.commit()
        ids = await session.scalars(
            select(Delivery.id).where(Delivery.key.in_([n.key[:160] for n in new]))
        )
        return sorted(ids)


async def _blocked(sessions: SessionFactory, clock: FakeClock, participant_id: int) -> None:
    """A message to this person is sent and Telegram answers that they blocked the bot."""
    async with sessions() as session:
        person = await session.get(Participant, participant_id)
        assert person is not None
        chat = person.chat_id or 0
    [row] = await _queue(
        sessions, clock, NewDelivery(Kind.SEAT, f"seat:{participant_id}", chat, participant_id)
    )
    async with sessions() as session:
        await outbox.claim(session, "w1", 10, clock(), LEASE)
        assert await outbox.mark_sending(session, [row], "w1", clock()) == {row}
        await outbox.record(session, [SendAnswer(row, Result.BLOCKED)], clock())


async def _unreachable(sessions: SessionFactory) -> dict[int, tuple[object, object]]:
    async with sessions() as session:
        rows = await session.execute(
            select(Participant.id, Participant.unreachable_at, Participant.updated_at)
        )
        return {i: (at, updated) for i, at, updated in rows.all()}


async def test_a_queued_row_holds_everything_the_sender_reads(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    training = await make_training(sessions, clock())
    [person] = await make_participants(sessions, clock(), [801])
    await register(sessions, clock(), training.id, [person])
    async with sessions() as session:
        registration = await session.scalar(select(Registration.id))
        day = await session.scalar(select(TrainingDay.id))
        announcement = await create_announcement(
            session, training_id=training.id, audience=Audience.CONFIRMED, text="Halo",
            created_by=1, now=clock(),
        )  # fmt: skip
        announcement_id = announcement.id
        assert await outbox.enqueue(session, [], clock()) == 0  # nothing to queue
    due, expires = clock() + timedelta(hours=1), clock() + timedelta(days=1)
    full = NewDelivery(
        Kind.REMINDER, "r" * 200, 801, person, registration, day, announcement_id,
        {"day": 1}, NOTICE, due, expires,
    )  # fmt: skip
    plain = NewDelivery(Kind.SEAT, "seat:1", 801)
    ids = await _queue(sessions, clock, full, plain)
    async with sessions() as session:
        rows = [await session.get(Delivery, i) for i in ids]
    stored = [
        (
            r.kind, r.key, r.chat_id, r.participant_id, r.registration_id, r.training_day_id,
            r.announcement_id, r.payload, r.priority, r.due_at, r.expires_at, r.state, r.attempts,
            r.created_at,
        )
        for r in rows
        if r is not None
    ]  # fmt: skip
    # The key is cut to the column's 160 characters; no due time means now.
    assert stored == [
        (
            "reminder", "r" * 160, 801, person, registration, day, announcement_id, {"day": 1},
            NOTICE, due, expires, DeliveryState.PENDING, 0, clock(),
        ),
        (
            "seat", "seat:1", 801, None, None, None, None, None, outbox.BULK, clock(), None,
            DeliveryState.PENDING, 0, clock(),
        ),
    ]  # fmt: skip


async def test_a_blocked_account_and_its_colleagues_are_unreachable_together(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    holder, other, early = await make_participants(sessions, clock(), [811, 812, 813])
    started = clock()
    async with sessions() as session:
        colleagues = [
            Participant(
                registered_by_id=holder, chat_id=811, language="id", full_name=f"Rekan {n}",
                phone=f"+628129999000{n}", created_at=started, updated_at=started,
            )
            for n in (1, 2)
        ]  # fmt: skip
        session.add_all(colleagues)
        await session.commit()
        first, second = (c.id for c in colleagues)
    # Two messages to one chat were on their way; the second "blocked" comes a minute later.
    rows = await _queue(
        sessions, clock, *(NewDelivery(Kind.SEAT, f"seat:e{n}", 813, early) for n in (1, 2))
    )
    async with sessions() as session:
        await outbox.claim(session, "w1", 10, clock(), LEASE)
        assert await outbox.mark_sending(session, rows, "w1", clock()) == set(rows)
        await outbox.record(session, [SendAnswer(rows[0], Result.BLOCKED)], clock())
        clock.advance(minutes=1)
        await outbox.record(session, [SendAnswer(rows[1], Result.BLOCKED)], clock())
    clock.advance(minutes=5)
    blocked_at = clock()
    # A message about a colleague goes to the account's chat: blocked, all three are out.
    await _blocked(sessions, clock, first)
    state = await _unreachable(sessions)
    assert {p: state[p] for p in (holder, first, second)} == {
        p: (blocked_at, blocked_at) for p in (holder, first, second)
    }
    assert state[other] == (None, started)
    assert state[early] == (started, started)  # the first time it was seen


async def test_the_account_blocking_the_bot_takes_its_colleagues_with_it(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    [holder] = await make_participants(sessions, clock(), [821])
    async with sessions() as session:
        colleague = Participant(
            registered_by_id=holder, chat_id=821, language="id", full_name="Rekan",
            phone="+6281299990001", created_at=clock(), updated_at=clock(),
        )  # fmt: skip
        session.add(colleague)
        await session.commit()
        colleague_id = colleague.id
    await _blocked(sessions, clock, holder)
    state = await _unreachable(sessions)
    assert state[colleague_id][0] == clock() == state[holder][0]


async def test_waiting_rows_are_the_due_ones_not_yet_sent(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    later = clock() + timedelta(hours=1)
    ids = await _queue(
        sessions,
        clock,
        *(NewDelivery(Kind.SEAT, f"seat:{n}", 831) for n in range(4)),
        NewDelivery(Kind.SEAT, "seat:later", 831, due_at=later),
    )
    async with sessions() as session:
        await outbox.claim(session, "w1", 3, clock(), LEASE)
        await outbox.mark_sending(session, ids[:2], "w1", clock())
        await outbox.record(session, [SendAnswer(ids[0], Result.SENT)], clock())
        await outbox.skip(session, [ids[3]], "no longer applies")
        # One sending, one pending and due; sent, skipped and not yet due do not count.
        assert await outbox.pending_count(session, clock()) == 2
        assert await outbox.pending_count(session, later) == 3


async def test_skipping_and_reviving_touch_only_the_rows_named(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    mine, theirs, sent = await _queue(
        sessions,
        clock,
        NewDelivery(Kind.REMINDER, "reminder:1", 841, training_day_id=None, payload={"r": 1}),
        NewDelivery(Kind.REMINDER, "reminder:2", 842, payload={"r": 2}),
        NewDelivery(Kind.SEAT, "seat:1", 841),
    )
    async with sessions() as session:
        await outbox.claim(session, "w1", 10, clock(), LEASE)
        await outbox.mark_sending(session, [sent], "w1", clock())
        await outbox.record(session, [SendAnswer(sent, Result.SENT)], clock())
    async with sessions() as session:
        await outbox.skip_pending_where(session, Delivery.chat_id == 841, reason="cancelled")
        await session.commit()
    assert await _states(sessions) == {
        mine: (DeliveryState.SKIPPED, "cancelled", "w1"),
        theirs: (DeliveryState.PENDING, None, "w1"),
        sent: (DeliveryState.SENT, None, "w1"),
    }
    async with sessions() as session:
        await outbox.skip_pending_where(session, Delivery.id == theirs, reason="gone")
        # Back on its day: what was skipped for it applies again; what was sent stays sent.
        await outbox.revive_skipped_where(session, Delivery.chat_id == 841)
        await session.commit()
    # Revived: pending, unclaimed and without the reason; the other stays skipped.
    assert await _states(sessions) == {
        mine: (DeliveryState.PENDING, None, None),
        theirs: (DeliveryState.SKIPPED, "gone", "w1"),
        sent: (DeliveryState.SENT, None, "w1"),
    }
    async with sessions() as session:
        [again] = await outbox.claim(session, "w2", 10, clock(), LEASE)
    assert again.id == mine


async def _states(sessions: SessionFactory) -> dict[int, tuple[object, object, object]]:
    async with sessions() as session:
        rows = await session.execute(
            select(Delivery.id, Delivery.state, Delivery.error, Delivery.claimed_by)
        )
        return {i: (state, error, by) for i, state, error, by in rows.all()}


async def _sending(sessions: SessionFactory, clock: FakeClock, worker: str, ids: list[int]) -> None:
    async with sessions() as session:
        await outbox.claim(session, worker, 10, clock(), LEASE)
        assert await outbox.mark_sending(session, ids, worker, clock()) == set(ids)


async def test_a_reminder_expires_at_its_start_and_only_while_it_waits(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    start = clock() + timedelta(hours=2)
    waiting, sent, later = await _queue(
        sessions,
        clock,
        NewDelivery(Kind.REMINDER, "reminder:a", 851, expires_at=start),
        NewDelivery(Kind.REMINDER, "reminder:b", 852, expires_at=start),
        NewDelivery(Kind.REMINDER, "reminder:c", 853, expires_at=start + timedelta(minutes=1)),
    )
    await _sending(sessions, clock, "w1", [sent])
    async with sessions() as session:
        await outbox.record(session, [SendAnswer(sent, Result.SENT)], clock())
        await outbox.release(session, [waiting, later], "w1")
    clock.set(start)  # the day has begun: what says "tomorrow" is not sent any more
    async with sessions() as session:
        await outbox.expire_stale(session, clock(), LEASE)
    states = await _states(sessions)
    assert {i: states[i][0] for i in (waiting, sent, later)} == {
        waiting: DeliveryState.SKIPPED,
        sent: DeliveryState.SENT,
        later: DeliveryState.PENDING,
    }


async def test_a_row_sending_longer_than_the_lease_becomes_unknown_not_before(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    training = await make_training(sessions, clock())
    async with sessions() as session:
        announcement = await create_announcement(
            session, training_id=training.id, audience=Audience.CONFIRMED, text="Halo",
            created_by=1, now=clock(),
        )  # fmt: skip
        announcement_id = announcement.id
    ids = await _queue(
        sessions,
        clock,
        NewDelivery(Kind.ANNOUNCEMENT, "announcement:1", 861, announcement_id=announcement_id),
        NewDelivery(Kind.SEAT, "seat:861", 861),
    )
    await _sending(sessions, clock, "w1", ids)
    clock.advance(minutes=10)  # exactly the lease: the sender may still answer
    async with sessions() as session:
        assert await outbox.expire_stale(session, clock(), LEASE) == set()
    assert {s for s, _, _ in (await _states(sessions)).values()} == {DeliveryState.SENDING}
    clock.advance(seconds=1)
    async with sessions() as session:
        # Each announcement concerned is named, so it can be finished; a seat notice has none.
        assert await outbox.expire_stale(session, clock(), LEASE) == {announcement_id}
    assert {s for s, _, _ in (await _states(sessions)).values()} == {DeliveryState.UNKNOWN}


async def test_a_map_pin_waits_for_its_reminder_and_goes_only_if_it_went(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    texts = await _queue(
        sessions, clock, *(NewDelivery(Kind.REMINDER, f"reminder:{n}", 870 + n) for n in range(3))
    )
    pins = await _queue(
        sessions, clock, *(NewDelivery(Kind.VENUE, f"venue:{n}", 870 + n) for n in range(3))
    )
    async with sessions() as session:
        for text, pin in zip(texts, pins, strict=True):
            row = await session.get(Delivery, pin)
            assert row is not None
            row.after_id = text  # as the reminder sync links them
        await session.commit()
    failed, sent, waiting = texts
    async with sessions() as session:
        claimed = await outbox.claim(session, "w1", 10, clock(), LEASE)
        assert sorted(c.id for c in claimed) == texts  # no pin before its reminder
        await outbox.mark_sending(session, [failed, sent], "w1", clock())
        await outbox.record(
            session,
            [SendAnswer(failed, Result.FAILED), SendAnswer(sent, Result.SENT)],
            clock(),
        )
        await outbox.release(session, [waiting], "w1")
        await outbox.expire_stale(session, clock(), LEASE)
    states = await _states(sessions)
    assert [states[p][0] for p in pins] == [
        DeliveryState.SKIPPED,  # its reminder failed
        DeliveryState.PENDING,  # its reminder went: it goes next
        DeliveryState.PENDING,  # its reminder has not gone yet
    ]
    async with sessions() as session:
        again = await outbox.claim(session, "w2", 10, clock(), LEASE)
    assert sorted(c.id for c in again) == sorted([waiting, pins[1]])


async def test_a_stopping_sender_gives_back_only_its_own_unsent_rows(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    sent, kept, given, taken = await _queue(
        sessions, clock, *(NewDelivery(Kind.SEAT, f"seat:r{n}", 880 + n) for n in range(4))
    )
    async with sessions() as session:
        assert len(await outbox.claim(session, "w1", 3, clock(), LEASE)) == 3
        await outbox.mark_sending(session, [sent], "w1", clock())
        await outbox.record(session, [SendAnswer(sent, Result.SENT)], clock())
        assert [c.id for c in await outbox.claim(session, "w2", 10, clock(), LEASE)] == [taken]
        # w1 stops: it gives back `given` (and names rows it sent or never held).
        await outbox.release(session, [sent, given, taken], "w1")
    states = await _states(sessions)
    assert {i: states[i] for i in (sent, kept, given, taken)} == {
        sent: (DeliveryState.SENT, None, "w1"),
        kept: (DeliveryState.PENDING, None, "w1"),
        given: (DeliveryState.PENDING, None, None),
        taken: (DeliveryState.PENDING, None, "w2"),
    }


async def test_answers_recorded_together_keep_each_their_own(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    reply, seat, failed, reminder, spent = await _queue(
        sessions,
        clock,
        NewDelivery(Kind.HELPDESK_REPLY, "helpdesk-reply:1", 891),
        NewDelivery(Kind.SEAT, "seat:892", 892),
        *(NewDelivery(Kind.REMINDER, f"reminder:{n}", 893 + n) for n in range(3)),
    )
    pins = await _queue(
        sessions, clock, *(NewDelivery(Kind.VENUE, f"venue:{n}", 893 + n) for n in range(3))
    )
    async with sessions() as session:
        for text, pin in zip((failed, reminder, spent), pins, strict=True):
            row = await session.get(Delivery, pin)
            assert row is not None
            row.after_id = text
        await session.commit()
        await outbox.skip(session, [pins[2]], "no longer applies")
    rows = [reply, seat, failed, reminder, spent]
    await _sending(sessions, clock, "w1", rows)
    async with sessions() as session:
        first = await outbox.record(
            session,
            [
                SendAnswer(reply, Result.SENT, 1001),
                SendAnswer(seat, Result.SENT, 1002),
                SendAnswer(failed, Result.FAILED, error="Bad Request"),
            ],
            clock(),
        )
        # The staff get a receipt for the reply only; no pin waits for these (the failed
        # reminder's pin will not go).
        assert (first.changed, first.helpdesk_replies, first.followers) == (3, {reply}, False)
        spent_sent = await outbox.record(session, [SendAnswer(spent, Result.SENT, 1004)], clock())
        assert not spent_sent.followers  # its pin was skipped
        went = await outbox.record(session, [SendAnswer(reminder, Result.SENT, 1003)], clock())
        assert went.followers  # its pin can be claimed at once
        stored = (
            await session.execute(
                select(Delivery.id, Delivery.message_id, Delivery.sent_at).where(
                    Delivery.id.in_(rows)
                )
            )
        ).all()
    assert {i: (m, at) for i, m, at in stored} == {
        reply: (1001, clock()),
        seat: (1002, clock()),
        failed: (None, None),
        reminder: (1003, clock()),
        spent: (1004, clock()),
    }


async def test_an_expired_row_is_not_claimed_even_before_it_is_skipped(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    start = clock() + timedelta(minutes=30)
    late, fine = await _queue(
        sessions,
        clock,
        NewDelivery(Kind.REMINDER, "reminder:late", 901, expires_at=start),
        NewDelivery(Kind.REMINDER, "reminder:fine", 902, expires_at=start + timedelta(hours=1)),
    )
    clock.set(start)  # the expiry pass has not run yet
    async with sessions() as session:
        claimed = await outbox.claim(session, "w1", 10, clock(), LEASE)
    assert [c.id for c in claimed] == [fine] != [late]


async def test_the_lease_of_a_send_runs_from_the_moment_it_started(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    [row] = await _queue(sessions, clock, NewDelivery(Kind.SEAT, "seat:911", 911))
    async with sessions() as session:
        await outbox.claim(session, "w1", 10, clock(), LEASE)
    clock.advance(minutes=9)  # claimed 9 minutes ago, sent only now (a slow batch)
    async with sessions() as session:
        assert await outbox.mark_sending(session, [row], "w1", clock()) == {row}
    clock.advance(minutes=5)
    async with sessions() as session:
        await outbox.expire_stale(session, clock(), LEASE)
    # Still on its way: its answer may come; it is not declared unknown.
    assert (await _states(sessions))[row][0] == DeliveryState.SENDING


async def test_a_claim_is_held_for_the_whole_lease(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    [row] = await _queue(sessions, clock, NewDelivery(Kind.SEAT, "seat:921", 921))
    async with sessions() as session:
        assert [c.id for c in await outbox.claim(session, "w1", 10, clock(), LEASE)] == [row]
    clock.advance(minutes=10)
    async with sessions() as session:
        assert await outbox.claim(session, "w2", 10, clock(), LEASE) == []
    clock.advance(seconds=1)
    async with sessions() as session:
        assert [c.id for c in await outbox.claim(session, "w2", 10, clock(), LEASE)] == [row]


async def test_a_claim_skips_the_erased_blocks_the_unreachable_and_keeps_to_one_announcement(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    training = await make_training(sessions, clock())
    erased, gone, here = await make_participants(sessions, clock(), [931, 932, 933])
    async with sessions() as session:
        for person, field in ((erased, "erased_at"), (gone, "unreachable_at")):
            row = await session.get(Participant, person)
            assert row is not None
            setattr(row, field, clock())
        announcement = await create_announcement(
            session, training_id=training.id, audience=Audience.CONFIRMED, text="Halo",
            created_by=1, now=clock(),
        )  # fmt: skip
        announcement_id = announcement.id
        await session.commit()
    rows = await _queue(
        sessions,
        clock,
        NewDelivery(Kind.SEAT, "seat:931", 931, erased),
        NewDelivery(Kind.SEAT, "seat:932", 932, gone),
        NewDelivery(Kind.SEAT, "seat:933", 933, here),
        NewDelivery(
            Kind.ANNOUNCEMENT, "announcement:933", 933, here, announcement_id=announcement_id
        ),
    )
    to_erased, to_gone, seat, news = rows
    async with sessions() as session:
        # The command line sending one announcement takes only its rows.
        only = await outbox.claim(session, "cli", 10, clock(), LEASE, announcement_id)
        assert [c.id for c in only] == [news]
        claimed = await outbox.claim(session, "w1", 10, clock(), LEASE)
    assert [c.id for c in claimed] == [seat]  # no request for the other two
    states = await _states(sessions)
    assert states[to_erased][0] == DeliveryState.SKIPPED
    assert states[to_gone][0] == DeliveryState.BLOCKED


async def test_a_slow_sender_skipping_a_row_another_has_sent_changes_nothing(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    [row] = await _queue(sessions, clock, NewDelivery(Kind.SEAT, "seat:941", 941))
    async with sessions() as session:
        assert len(await outbox.claim(session, "w1", 10, clock(), LEASE)) == 1
    clock.advance(minutes=11)  # w1 is slow to render; its lease runs out
    await _sending(sessions, clock, "w2", [row])
    async with sessions() as session:
        await outbox.record(session, [SendAnswer(row, Result.SENT, 5001)], clock())
        await outbox.skip(session, [row], "no longer applies")  # w1's late verdict
    assert (await _states(sessions))[row] == (DeliveryState.SENT, None, "w2")
