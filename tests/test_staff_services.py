"""Staff rules without Telegram: what staff type, writing a training, status changes,
cancelling, counts, pages, check-in."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from bot.db import SessionFactory
from bot.models import (
    Delivery,
    DeliveryState,
    Registration,
    RegistrationStatus,
    Rsvp,
    TrainingChange,
    TrainingDay,
    TrainingStatus,
)
from bot.services import attendance, reports
from bot.services import staff as service
from bot.services import training_spec as rules
from bot.services import training_writer as writer
from bot.services.attendance import CheckInOutcome
from bot.services.outbox import Kind
from bot.services.training_spec import DaySpec, InvalidValueError, TrainingSpec
from bot.services.training_writer import StatusOutcome, WriteRefusal, Written
from tests.factories import answer_reminder, make_reminder_row
from tests.staff_factories import JAKARTA, NOW, populate


def test_parsing_what_staff_type() -> None:
    assert rules.parse_code(" KP-2026-01 ") == "KP-2026-01"
    for bad in ("", "a", "with space", "ci_abc", "CI_abc", "x" * 41, "kode/1"):
        with pytest.raises(InvalidValueError):
            rules.parse_code(bad)
    assert rules.parse_date("08-12-2026") == date(2026, 12, 8)
    assert rules.parse_date("8/12/2026") == date(2026, 12, 8)
    assert rules.parse_date("2026-12-08") == date(2026, 12, 8)
    for bad in ("31-02-2026", "besok", "2026/12/08", "08-12-26"):
        with pytest.raises(InvalidValueError):
            rules.parse_date(bad)
    assert rules.parse_time("08.30") == time(8, 30)
    with pytest.raises(InvalidValueError):
        rules.parse_time("24:00")
    assert rules.parse_deadline("06-12-2026") == datetime(2026, 12, 6, 23, 59)
    assert rules.parse_deadline("2026-12-06T12:00") == datetime(2026, 12, 6, 12, 0)
    assert rules.parse_capacity(" 30 ") == 30
    for bad in ("0", "-3", "tiga puluh", "10001"):
        with pytest.raises(InvalidValueError):
            rules.parse_capacity(bad)
    with pytest.raises(InvalidValueError) as caught:
        rules.parse_text("title", "x" * 201)
    assert caught.value.problem.values == {"maximum": 200}


def _spec(**changes: object) -> TrainingSpec:
    spec = TrainingSpec(
        code="BATIK-01",
        title="Membatik <dasar>",
        venue="Balai Kota",
        capacity=20,
        tz=JAKARTA,
        registration_closes=datetime(2026, 12, 5, 23, 59),
        published=False,
        days=(
            DaySpec(date(2026, 12, 8), time(8), time(15), "Pola"),
            DaySpec(date(2026, 12, 9), time(8), time(12), "Pewarnaan"),
        ),
    )
    return replace(spec, **changes)  # type: ignore[arg-type]


async def _save(sessions: SessionFactory, spec: TrainingSpec) -> Written | WriteRefusal:
    async with sessions() as session:
        outcome = await writer.write_trainings(session, [spec], now=NOW, changed_by=9000001)
    return outcome if isinstance(outcome, WriteRefusal) else outcome[0]


def _keys(outcome: Written | WriteRefusal) -> list[str]:
    assert isinstance(outcome, WriteRefusal), outcome
    return [p.key for p in outcome.problems]


async def test_save_creates_a_draft_with_days_in_order_in_utc(sessions: SessionFactory) -> None:
    result = await _save(sessions, _spec())
    assert isinstance(result, Written) and result.created
    async with sessions() as session:
        training = await service.get_training(session, result.training_id)
    assert training is not None and training.status == TrainingStatus.DRAFT
    assert training.created_by == 9000001
    assert [(d.day_number, d.date, d.topic) for d in training.days] == [
        (1, date(2026, 12, 8), "Pola"),
        (2, date(2026, 12, 9), "Pewarnaan"),
    ]
    assert training.days[0].starts_at == datetime(2026, 12, 8, 1, 0, tzinfo=UTC)
    assert training.registration_closes_at == datetime(2026, 12, 5, 16, 59, tzinfo=UTC)


async def test_editing_a_day_keeps_its_row_and_problems_block_saving(
    sessions: SessionFactory,
) -> None:
    created = await _save(sessions, _spec())
    assert isinstance(created, Written)
    async with sessions() as session:
        training = await service.get_training(session, created.training_id)
    assert training is not None
    spec = rules.spec_of(training, JAKARTA)
    assert spec.days[0].start == time(8, 0) and not spec.published
    ids = [d.day_id for d in spec.days]
    # Move the first day after the second one: both rows stay, numbers follow the new order.
    first, second = spec.days
    moved = replace(first, date=date(2026, 12, 10), start=time(9, 30))
    result = await _save(sessions, replace(spec, days=(second, moved), capacity=25))
    assert isinstance(result, Written) and not result.created and result.told == 0
    async with sessions() as session:
        days = (
            (await session.execute(select(TrainingDay).order_by(TrainingDay.day_number)))
            .scalars()
            .all()
        )
    assert [d.id for d in days] == [ids[1], ids[0]]
    assert days[1].date == date(2026, 12, 10)
    assert days[1].starts_at == datetime(2026, 12, 10, 2, 30, tzinfo=UTC)

    assert _keys(await _save(sessions, _spec(code="batik-01"))) == ["training.problem.code_taken"]
    assert _keys(await _save(sessions, _spec(code="NEW-1", days=()))) == [
        "training.problem.no_days"
    ]
    same = DaySpec(date(2026, 12, 8), time(8), time(9))
    assert [p.key for p in rules.spec_problems(_spec(days=(same, same)))] == [
        "training.problem.same_date"
    ]
    assert [p.key for p in rules.spec_problems(_spec(days=_spec().days[::-1]))] == [
        "training.problem.day_order"
    ]
    late = _spec(registration_closes=datetime(2026, 12, 8, 9, 0))
    assert [p.key for p in rules.spec_problems(late)] == ["training.problem.deadline_after_start"]


async def test_publish_close_and_cancel(sessions: SessionFactory) -> None:
    training, registrations = await populate(sessions, confirmed=2, waiting=1, cancelled=1)
    async with sessions() as session:
        assert await writer.publish_training(session, training.id, NOW) == StatusOutcome.UNCHANGED
    async with sessions() as session:
        assert await writer.close_training(session, training.id, NOW) == StatusOutcome.DONE
    async with sessions() as session:
        assert await writer.close_training(session, training.id, NOW) == StatusOutcome.UNCHANGED
    async with sessions() as session:
        assert await writer.publish_training(session, training.id, NOW) == StatusOutcome.DONE
    async with sessions() as session:
        loaded = await service.get_training(session, training.id)
        assert loaded is not None
        await make_reminder_row(session, registrations[0], loaded.days[0], due_at=NOW)

    async with sessions() as session:
        result = await writer.cancel_training(session, training.id, changed_by=7, now=NOW)
    assert result.outcome == StatusOutcome.DONE
    active = registrations[:3]
    assert set(result.registration_ids) == {r.id for r in active}
    assert set(result.participant_ids) == {r.participant_id for r in active}
    async with sessions() as session:
        rows = (await session.execute(select(Registration))).scalars().all()
        reminder = (
            await session.execute(select(Delivery).where(Delivery.kind == Kind.REMINDER))
        ).scalar_one()
        assert all(r.status == RegistrationStatus.CANCELLED for r in rows)
        assert {r.cancel_reason for r in rows if r.id in result.registration_ids} == {
            "training_cancelled"
        }
        assert reminder.state == DeliveryState.SKIPPED
        change = (await session.execute(select(TrainingChange))).scalar_one()
        assert change.changes == {"cancelled": True, "fields": []} and change.changed_by == 7
        # Every registrant who was still in is told, each through the outbox.
        notified = (
            (
                await session.execute(
                    select(Delivery.participant_id).where(Delivery.kind == Kind.CHANGE)
                )
            )
            .scalars()
            .all()
        )
        assert sorted(p or 0 for p in notified) == sorted(result.participant_ids)
        again = await writer.cancel_training(session, training.id, changed_by=7, now=NOW)
        assert again.outcome == StatusOutcome.UNCHANGED and not again.participant_ids
        assert await writer.publish_training(session, training.id, NOW) == StatusOutcome.NOT_ALLOWED
        missing = await writer.cancel_training(session, 99999, changed_by=7, now=NOW)
        assert missing.outcome == StatusOutcome.NOT_FOUND
        cancelled = await service.get_training(session, training.id)
    assert cancelled is not None
    refused = await _save(sessions, rules.spec_of(cancelled, JAKARTA))
    assert _keys(refused) == ["training.problem.cancelled"]


async def test_counts_pages_and_export_rows(sessions: SessionFactory) -> None:
    training, registrations = await populate(sessions, confirmed=23, waiting=3, cancelled=2)
    async with sessions() as session:
        loaded = await service.get_training(session, training.id)
        assert loaded is not None
        day1, day2 = loaded.days[0], loaded.days[1]
        await answer_reminder(session, registrations[0], day1, Rsvp.YES)
        await answer_reminder(session, registrations[1], day1, Rsvp.NO)
        await answer_reminder(session, registrations[2], day2, Rsvp.YES)
        # An answer from someone waiting does not count towards the day's RSVPs.
        await answer_reminder(session, registrations[23], day1, Rsvp.YES)
        assert await attendance.toggle_attendance(session, registrations[0].id, day1.id, 1, NOW)
        counts = await reports.training_counts(session, loaded)
        assert (counts.confirmed, counts.waitlisted, counts.cancelled) == (23, 3, 2)
        assert [(d.rsvp_yes, d.rsvp_no, d.attended) for d in counts.days] == [
            (1, 1, 1),
            (1, 0, 0),
            (0, 0, 0),
        ]
        first = await reports.participant_page(session, loaded, 0, JAKARTA)
        second = await reports.participant_page(session, loaded, 1, JAKARTA)
        beyond = await reports.participant_page(session, loaded, 7, JAKARTA)
        export = await reports.export_training(session, loaded, JAKARTA)
    assert (first.pages, first.total, len(first.rows)) == (2, 28, 20)
    assert [r.number for r in second.rows] == list(range(21, 29))
    assert beyond.page == 1
    assert [
        r.waitlist_position for r in second.rows if r.status == RegistrationStatus.WAITLISTED
    ] == [1, 2, 3]
    assert second.rows[-1].status == RegistrationStatus.CANCELLED
    row = export.rows[0]
    assert row.rsvp == (Rsvp.YES, None, None) and row.attended == (True, False, False)
    assert row.registered_at == datetime(2026, 12, 1, 9, 0)


async def test_check_in_outcomes(sessions: SessionFactory) -> None:
    today = date(2026, 12, 1)
    _training, registrations = await populate(
        sessions, confirmed=1, waiting=1, cancelled=0, days=(today, date(2026, 12, 2))
    )
    token = registrations[0].checkin_token
    async with sessions() as session:
        first = await attendance.check_in(session, token, 9000001, NOW, tz=JAKARTA)
        twice = await attendance.check_in(
            session, token, 9000001, NOW + timedelta(minutes=5), tz=JAKARTA
        )
        waiting = await attendance.check_in(
            session, registrations[1].checkin_token, 9000001, NOW, tz=JAKARTA
        )
        unknown = await attendance.check_in(session, "nope", 9000001, NOW, tz=JAKARTA)
        # 3 December in Jakarta: the training has no day then.
        later = await attendance.check_in(
            session, token, 9000001, NOW + timedelta(days=2), tz=JAKARTA
        )
    assert first.outcome == CheckInOutcome.CHECKED_IN
    assert (first.day_number, first.day_count, first.name) == (1, 2, "Peserta 001")
    assert twice.outcome == CheckInOutcome.ALREADY and twice.checked_in_at == NOW
    assert waiting.outcome == CheckInOutcome.NOT_CONFIRMED
    assert unknown.outcome == CheckInOutcome.UNKNOWN_TOKEN
    assert later.outcome == CheckInOutcome.NO_DAY_TODAY
    # Just after midnight local time (still 30 November in UTC) it is already day 1.
    early = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)
    async with sessions() as session:
        other = await attendance.check_in(
            session, token, 9000001, early + timedelta(days=1), tz=JAKARTA
        )
    assert other.outcome == CheckInOutcome.CHECKED_IN and other.day_number == 2


async def test_raising_the_capacity_moves_the_waiting_list_up(sessions: SessionFactory) -> None:
    from tests.staff_factories import make_participant, make_training, register

    async with sessions() as session:
        training = await make_training(session, capacity=1, status=TrainingStatus.OPEN)
        first = await make_participant(session, 801)
        await register(session, first, training)
        waiting = [await make_participant(session, 802 + i) for i in range(3)]
        for minutes, participant in enumerate(waiting):
            await register(
                session,
                participant,
                training,
                RegistrationStatus.WAITLISTED,
                at=NOW + timedelta(minutes=minutes),
            )
        edited = await service.get_training(session, training.id)
        assert edited is not None
        spec = rules.spec_of(edited, JAKARTA)
    result = await _save(sessions, replace(spec, capacity=3))
    assert isinstance(result, Written) and result.promoted == 2 and result.told == 0
    async with sessions() as session:
        told = (
            await session.scalars(select(Delivery.chat_id).where(Delivery.kind == Kind.SEAT))
        ).all()
    assert sorted(told) == [802, 803]
    async with sessions() as session:
        statuses = dict(
            (await session.execute(select(Registration.participant_id, Registration.status))).all()
        )
    assert sorted(statuses.values()).count(RegistrationStatus.CONFIRMED) == 3
    assert statuses[waiting[2].id] == RegistrationStatus.WAITLISTED


async def test_fewer_seats_than_confirmed_are_refused_and_change_nothing(
    sessions: SessionFactory,
) -> None:
    training, _ = await populate(sessions, confirmed=3, waiting=1, capacity=4)
    async with sessions() as session:
        loaded = await service.get_training(session, training.id)
    assert loaded is not None
    refused = await _save(sessions, replace(rules.spec_of(loaded, JAKARTA), capacity=2))
    assert isinstance(refused, WriteRefusal)
    [problem] = refused.problems
    assert (problem.key, problem.field, problem.values) == (
        "training.problem.capacity_below_confirmed",
        "capacity",
        {"capacity": 2, "confirmed": 3},
    )
    async with sessions() as session:
        loaded = await service.get_training(session, training.id)
    assert loaded is not None and loaded.capacity == 4
