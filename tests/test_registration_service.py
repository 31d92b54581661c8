"""The rules of registering: seats, waiting list, deadline, start, cancellation, duplicates."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db import SessionFactory
from bot.models import Participant, Registration, RegistrationStatus, Training, TrainingStatus
from bot.services.my_registrations import registrations_of
from bot.services.registration import (
    RegistrationRefusal as Refusal,
)
from bot.services.registration import (
    RegistrationResult,
    clean_name,
    normalize_phone,
    profile_of,
    register,
)
from bot.services.reports import export_training
from tests.training_files import add_training, one_training, profile

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
CONFIRMED, WAITLISTED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED


async def _register(
    sessions: SessionFactory, user: int, training_id: int, now: datetime = NOW
) -> RegistrationResult:
    async with sessions() as session:
        return await register(session, user, training_id, profile(f"User {user}"), now)


async def _count(sessions: SessionFactory, status: RegistrationStatus) -> int:
    async with sessions() as session:
        return int(
            (
                await session.execute(
                    select(func.count())
                    .select_from(Registration)
                    .where(Registration.status == status)
                )
            ).scalar_one()
        )


async def test_seats_then_waiting_list_in_order(sessions: SessionFactory) -> None:
    training_id = await add_training(sessions, one_training(capacity=2))
    results = [
        await _register(sessions, user, training_id, NOW + timedelta(seconds=user))
        for user in (1, 2, 3, 4)
    ]
    assert [r.status for r in results] == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
    assert [r.waitlist_position for r in results] == [None, None, 1, 2]
    assert all(r.ok for r in results)


async def test_a_waiting_place_counts_only_this_trainings_list(sessions: SessionFactory) -> None:
    # Two full trainings with waiting lists of their own: the places are 1, 2 in each, not in
    # one list of both (the queue numbers of the two trainings overlap).
    first = await add_training(sessions, one_training(code="KP-2026-01", capacity=1))
    second = await add_training(sessions, one_training(code="MK-2026-02", capacity=1))
    positions = {
        (user, training_id): (await _register(sessions, user, training_id)).waitlist_position
        for user in (1, 2, 3)
        for training_id in (first, second)
    }
    for training_id in (first, second):
        assert [positions[(user, training_id)] for user in (1, 2, 3)] == [None, 1, 2]


async def test_profile_and_token_are_stored(sessions: SessionFactory) -> None:
    training_id = await add_training(sessions, one_training())
    result = await _register(sessions, 7, training_id)
    async with sessions() as session:
        participant = (
            await session.execute(select(Participant).where(Participant.telegram_id == 7))
        ).scalar_one()
        registration = await session.get(Registration, result.registration_id)
    assert participant.full_name == "User 7" and participant.phone == "+6281234567890"
    assert participant.consent_at is not None and participant.has_profile
    assert registration is not None and 20 <= len(registration.checkin_token) <= 32
    assert registration.confirmed_at == NOW
    async with sessions() as session:
        stored = await profile_of(session, 7)
        assert stored is not None and stored.business_name == "Warung Bu Siti"
        assert await profile_of(session, 8) is None


async def test_an_active_registration_is_never_duplicated(sessions: SessionFactory) -> None:
    training_id = await add_training(sessions, one_training(capacity=1))
    await _register(sessions, 1, training_id)
    await _register(sessions, 2, training_id)
    again = await _register(sessions, 1, training_id)
    assert again.refusal == Refusal.ALREADY and again.status == CONFIRMED
    waiting_again = await _register(sessions, 2, training_id)
    assert waiting_again.refusal == Refusal.ALREADY
    assert waiting_again.status == WAITLISTED and waiting_again.waitlist_position == 1
    assert await _count(sessions, CONFIRMED) == 1 and await _count(sessions, WAITLISTED) == 1


async def test_a_cancelled_registration_is_reactivated_at_the_end_of_the_queue(
    sessions: SessionFactory,
) -> None:
    training_id = await add_training(sessions, one_training(capacity=1))
    first = await _register(sessions, 1, training_id)
    await _register(sessions, 2, training_id, NOW + timedelta(seconds=1))
    async with sessions() as session:
        registration = await session.get(Registration, first.registration_id)
        assert registration is not None
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = NOW
        await session.commit()
    later = NOW + timedelta(minutes=5)
    again = await _register(sessions, 1, training_id, later)
    assert again.ok and again.registration_id == first.registration_id
    # User 2 still waits (promotion is the cancellation's business), user 1 queues behind.
    assert again.status == WAITLISTED and again.waitlist_position == 2
    async with sessions() as session:
        registration = await session.get(Registration, first.registration_id)
        assert registration is not None and registration.queued_at == later
        assert registration.cancelled_at is None


@pytest.mark.parametrize(
    ("text", "change", "now", "refusal"),
    [
        (
            one_training(closes="2026-12-06T23:59"),
            None,
            datetime(2026, 12, 6, 17, 0, tzinfo=UTC),
            Refusal.DEADLINE_PASSED,
        ),
        (one_training(closes=None), None, datetime(2026, 12, 8, 1, 0, tzinfo=UTC), Refusal.STARTED),
        (one_training(), TrainingStatus.CANCELLED, NOW, Refusal.CANCELLED),
        (one_training(), TrainingStatus.CLOSED, NOW, Refusal.CLOSED),
        (one_training(), TrainingStatus.DRAFT, NOW, Refusal.CLOSED),
    ],
)
async def test_refusals(
    sessions: SessionFactory,
    text: str,
    change: TrainingStatus | None,
    now: datetime,
    refusal: Refusal,
) -> None:
    training_id = await add_training(sessions, text)
    if change is not None:
        async with sessions() as session:
            training = await session.get(Training, training_id)
            assert training is not None
            training.status = change
            await session.commit()
    result = await _register(sessions, 1, training_id, now)
    assert result.refusal == refusal and not result.ok
    assert await _count(sessions, CONFIRMED) == 0
    async with sessions() as session:
        participant = (
            await session.execute(select(Participant).where(Participant.telegram_id == 1))
        ).scalar_one_or_none()
    assert participant is None  # nothing stored when refused


async def test_unknown_training(sessions: SessionFactory) -> None:
    result = await _register(sessions, 1, 999999)
    assert result.refusal == Refusal.NOT_FOUND


async def test_never_more_confirmed_than_seats_under_concurrency(sessions: SessionFactory) -> None:
    training_id = await add_training(sessions, one_training(capacity=5))
    for user in (1, 2, 3):
        await _register(sessions, user, training_id)
    results = await asyncio.gather(*(_register(sessions, 100 + n, training_id) for n in range(30)))
    assert sum(r.status == CONFIRMED for r in results) == 2
    assert sorted(r.waitlist_position or 0 for r in results if r.status == WAITLISTED) == list(
        range(1, 29)
    )
    assert await _count(sessions, CONFIRMED) == 5
    assert await _count(sessions, WAITLISTED) == 28


async def test_waiting_positions_told_are_1_to_n_in_the_order_seats_were_decided(
    sessions: SessionFactory,
) -> None:
    """50 people confirm at once for 10 seats, each with the moment their own handler read
    (later readers may win the lock first): the 40 waiting are told 1..40, each once, and
    what they were told is what /saya, the staff list and the export say afterwards."""
    training_id = await add_training(sessions, one_training(capacity=10))
    moments = [NOW + timedelta(milliseconds=(37 * n) % 50) for n in range(50)]
    results = await asyncio.gather(
        *(_register(sessions, 300 + n, training_id, moments[n]) for n in range(50))
    )
    told = {300 + n: r.waitlist_position for n, r in enumerate(results) if r.status == WAITLISTED}
    assert sum(r.status == CONFIRMED for r in results) == 10
    assert sorted(p or 0 for p in told.values()) == list(range(1, 41))
    async with sessions() as session:
        training = await session.get(Training, training_id)
        assert training is not None
        await session.refresh(training, ["days"])
        export = await export_training(session, training, UTC)
        by_name = {row.name: row.waitlist_position for row in export.rows}
        for user, position in told.items():
            [mine] = await registrations_of(session, user, NOW)
            assert mine.position == position  # /saya
            assert by_name[f"User {user}"] == position  # the staff list and the export
    in_list_order = [row.waitlist_position for row in export.rows if row.status == WAITLISTED]
    assert in_list_order == list(range(1, 41))


async def test_the_same_user_twice_at_once_gets_one_registration(sessions: SessionFactory) -> None:
    training_id = await add_training(sessions, one_training())
    results = await asyncio.gather(*(_register(sessions, 1, training_id) for _ in range(5)))
    assert sum(r.ok for r in results) == 1
    assert all(r.status == CONFIRMED for r in results)
    assert await _count(sessions, CONFIRMED) == 1


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("0341 551234", "+62341551234"),
        ("12345", None),
        ("halo", None),
        ("+14155552671", None),
        ("", None),
        ("0812 3456 78O1", None),  # a letter O for a zero: asked again, not another number
        ("081234567801a", None),
    ],
)
def test_phone_numbers_are_normalised(raw: str, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("siti aminah", "Siti Aminah"),
        ("BUDI SANTOSO", "Budi Santoso"),
        ("Dewi McDonald", "Dewi McDonald"),  # mixed case: as typed
        ("SITI aminah", "SITI aminah"),
        ("muhammad al-fatih", "Muhammad Al-Fatih"),
        ("ma'ruf amin", "Ma'ruf Amin"),
        ("siti binti ahmad", "Siti binti Ahmad"),
        ("WARUNG BU SITI DAN ANAK", "Warung Bu Siti dan Anak"),
        ("ud sumber rejeki", "UD Sumber Rejeki"),
        ("toko 99", "Toko 99"),
    ],
)
def test_names_typed_in_one_case_are_capitalised(typed: str, kept: str) -> None:
    assert clean_name(typed) == kept


def test_names_are_trimmed_and_checked() -> None:
    assert clean_name("  Siti   Aminah ") == "Siti Aminah"
    assert clean_name("S") is None
    assert clean_name("x" * 101) is None
