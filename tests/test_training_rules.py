"""Rules of the training writer a reviewer would not check by reading (the survivors of
mutation testing, docs/testing.md): cancelling or changing one training of two, a day removed
before the others or added before the first, a new training whose first day has begun, the
past to the minute, a draft published by an edit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select

from bot.db import SessionFactory
from bot.models import (
    Delivery,
    DeliveryState,
    Registration,
    RegistrationStatus,
    TrainingChange,
    TrainingDay,
    TrainingStatus,
)
from bot.services import staff as service
from bot.services import training_spec as rules
from bot.services import training_writer as writer
from bot.services.outbox import Kind
from bot.services.training_file import TrainingFileError
from bot.services.training_spec import DaySpec, TrainingSpec
from bot.services.training_writer import StatusOutcome, WriteRefusal, Written
from bot.texts.trainings import file_error_text
from tests.factories import make_reminder_row
from tests.staff_factories import DAYS, JAKARTA, NOW, populate
from tests.training_files import import_file

STAFF = 9000001


async def _edit(
    sessions: SessionFactory,
    training_id: int,
    change: Callable[[TrainingSpec], TrainingSpec],
    now: datetime = NOW,
) -> Written | WriteRefusal:
    """Staff edit the training: its spec as stored, changed, written back."""
    async with sessions() as session:
        training = await service.get_training(session, training_id)
        assert training is not None
        spec = change(rules.spec_of(training, JAKARTA))
        outcome = await writer.write_trainings(session, [spec], now=now, changed_by=STAFF)
    return outcome if isinstance(outcome, WriteRefusal) else outcome[0]


async def _days(sessions: SessionFactory, training_id: int) -> list[tuple[int, int, str]]:
    """(row id, day number, date) of each day, by number."""
    async with sessions() as session:
        rows = await session.execute(
            select(TrainingDay.id, TrainingDay.day_number, TrainingDay.date)
            .where(TrainingDay.training_id == training_id)
            .order_by(TrainingDay.day_number)
        )
        return [(i, n, d.isoformat()) for i, n, d in rows.all()]


async def _change_fields(sessions: SessionFactory) -> list[dict[str, object]]:
    async with sessions() as session:
        change = await session.scalar(select(TrainingChange))
    assert change is not None
    fields: list[dict[str, object]] = change.changes["fields"]
    return fields


async def test_cancelling_tells_every_registrant_and_leaves_the_other_training_alone(
    sessions: SessionFactory,
) -> None:
    kp, kp_regs = await populate(sessions, confirmed=2, waiting=1, cancelled=0)
    mk, [mk_reg] = await populate(sessions, confirmed=1, waiting=0, cancelled=0, code="MK-01")
    async with sessions() as session:
        for registration, training in ((kp_regs[0], kp), (mk_reg, mk)):
            loaded = await service.get_training(session, training.id)
            assert loaded is not None
            await make_reminder_row(session, registration, loaded.days[0], due_at=NOW)
    async with sessions() as session:
        result = await writer.cancel_training(session, kp.id, changed_by=STAFF, now=NOW)
    assert result.outcome == StatusOutcome.DONE
    async with sessions() as session:
        deliveries = (
            await session.execute(
                select(Delivery.kind, Delivery.registration_id, Delivery.state).order_by(
                    Delivery.kind, Delivery.registration_id
                )
            )
        ).all()
        registrations = (
            await session.execute(
                select(Registration.id, Registration.status, Registration.cancelled_at)
            )
        ).all()
    # Each of KP's registrants is told (the notices wait to be sent); KP's reminder will not
    # go; MK's reminder still will.
    assert [tuple(row) for row in deliveries] == [
        *((Kind.CHANGE.value, r.id, DeliveryState.PENDING) for r in kp_regs),
        (Kind.REMINDER.value, kp_regs[0].id, DeliveryState.SKIPPED),
        (Kind.REMINDER.value, mk_reg.id, DeliveryState.PENDING),
    ]
    state = {row.id: (row.status, row.cancelled_at) for row in registrations}
    assert state[mk_reg.id] == (RegistrationStatus.CONFIRMED, None)
    assert all(state[r.id] == (RegistrationStatus.CANCELLED, NOW) for r in kp_regs)


async def test_a_change_tells_only_that_trainings_registrants_and_records_who(
    sessions: SessionFactory,
) -> None:
    kp, kp_regs = await populate(sessions, confirmed=2, waiting=0, cancelled=0)
    await populate(sessions, confirmed=1, waiting=0, cancelled=0, code="MK-01")
    written = await _edit(sessions, kp.id, lambda spec: replace(spec, venue="Balai Kota Malang"))
    assert isinstance(written, Written) and written.told == 2
    async with sessions() as session:
        told = list(
            await session.scalars(
                select(Delivery.registration_id)
                .where(Delivery.kind == Kind.CHANGE.value)
                .order_by(Delivery.registration_id)
            )
        )
        change = await session.scalar(select(TrainingChange))
    assert told == [r.id for r in kp_regs]
    assert change is not None and change.changed_by == STAFF


async def test_removing_the_first_day_renumbers_the_others_and_names_its_date(
    sessions: SessionFactory,
) -> None:
    kp, _ = await populate(sessions, confirmed=1, waiting=0, cancelled=0)
    before = await _days(sessions, kp.id)
    written = await _edit(sessions, kp.id, lambda spec: replace(spec, days=spec.days[1:]))
    assert isinstance(written, Written) and written.told == 1
    # The other days keep their rows (their reminders and check-ins), numbered from 1.
    assert await _days(sessions, kp.id) == [
        (before[1][0], 1, DAYS[1].isoformat()),
        (before[2][0], 2, DAYS[2].isoformat()),
    ]
    assert await _change_fields(sessions) == [
        {"field": "day_removed", "day": 1, "old": DAYS[0].isoformat(), "new": None}
    ]


async def test_a_day_added_before_the_first_keeps_the_first_days_row(
    sessions: SessionFactory,
) -> None:
    kp, _ = await populate(sessions, confirmed=1, waiting=0, cancelled=0)
    before = await _days(sessions, kp.id)
    early = DAYS[0].replace(day=7)
    new_day = DaySpec(early, time(8), time(15), "Pembukaan")
    written = await _edit(sessions, kp.id, lambda spec: replace(spec, days=(new_day, *spec.days)))
    assert isinstance(written, Written)
    after = await _days(sessions, kp.id)
    assert [(n, d) for _, n, d in after] == [
        (1, early.isoformat()),
        *((n + 2, d.isoformat()) for n, d in enumerate(DAYS)),
    ]
    assert [i for i, _, _ in after[1:]] == [i for i, _, _ in before]
    assert await _change_fields(sessions) == [
        {"field": "day_added", "day": 1, "old": None, "new": early.isoformat()}
    ]


async def test_a_new_training_whose_first_day_has_begun_is_refused_at_that_day(
    sessions: SessionFactory,
) -> None:
    # 09:00 in Jakarta: the first day began at 08:00, the second is tomorrow.
    today = NOW.astimezone(JAKARTA).date()
    text = (
        "trainings:\n"
        "  - code: KP-2026-09\n"
        "    title: Pelatihan Kain Perca\n"
        "    venue: Balai Kota\n"
        "    capacity: 30\n"
        "    days:\n"
        f'      - {{date: {today}, start: "08:00", end: "15:00", topic: Kain perca}}\n'
        f'      - {{date: {today.replace(day=2)}, start: "08:00", end: "15:00", topic: Warna}}\n'
    )
    with pytest.raises(TrainingFileError) as refused:
        await import_file(sessions, text, NOW)
    assert file_error_text(refused.value, "id") == (
        "Pelatihan ke-1 (KP-2026-09), hari ke-1, baris 7, isian date: "
        "Waktu mulai hari ini sudah lewat."
    )


async def test_the_past_to_the_minute(sessions: SessionFactory) -> None:
    kp, _ = await populate(sessions, confirmed=1, waiting=0, cancelled=0)
    today = NOW.astimezone(JAKARTA).date()
    assert datetime.combine(today, time(9), tzinfo=JAKARTA).astimezone(UTC) == NOW
    # A day moved to start this very minute has begun.
    now_day = DaySpec(today, time(9), time(15), "Materi 1")
    moved = await _edit(sessions, kp.id, lambda spec: replace(spec, days=(now_day, *spec.days[1:])))
    assert isinstance(moved, WriteRefusal)
    assert [(p.key, p.day) for p in moved.problems] == [("training.problem.day_past", 1)]
    # A training whose last day ends this very minute is over.
    ended = DaySpec(today, time(8), time(9), "Materi 1")
    over = await _edit(sessions, kp.id, lambda spec: replace(spec, days=(ended,)))
    assert isinstance(over, WriteRefusal)
    assert [p.key for p in over.problems] == ["training.problem.past"]


async def test_a_draft_published_by_an_edit_says_it_opened(sessions: SessionFactory) -> None:
    kp, _ = await populate(sessions, confirmed=1, waiting=0, cancelled=0)
    async with sessions() as session:
        training = await service.get_training(session, kp.id)
        assert training is not None
        training.status = TrainingStatus.DRAFT
        await session.commit()
    written = await _edit(sessions, kp.id, lambda spec: replace(spec, published=True))
    assert isinstance(written, Written)
    assert (written.created, written.published) == (False, True)
    unchanged = await _edit(sessions, kp.id, lambda spec: replace(spec, title="Judul baru"))
    assert isinstance(unchanged, Written) and not unchanged.published
