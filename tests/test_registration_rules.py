"""Registration rules a reviewer would not check by reading (the survivors of mutation testing,
docs/testing.md): a contact shared without its plus, the deadline to the minute, one's own
number for a colleague, registering twice, a waiting place, and a person another process made
at the same moment."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.db import SessionFactory
from bot.models import Participant, Registration, RegistrationStatus, Training
from bot.services import participants
from bot.services.registration import (
    RegistrationRefusal,
    clean_name,
    holder_business,
    normalize_phone,
    phone_has_letters,
    profile_of,
    register,
)
from tests.staff_factories import NOW, make_training
from tests.training_files import profile


async def _training(sessions: SessionFactory, capacity: int = 30) -> Training:
    async with sessions() as session:
        return await make_training(session, "KP-2026-01", capacity=capacity)


def test_a_contact_shared_without_its_plus_is_read_as_indonesian() -> None:
    # Telegram hands a shared contact over as "62…": the 62 is the country, not the number.
    assert normalize_phone("62812345678") == "+62812345678"
    assert normalize_phone("6281234567890") == "+6281234567890"
    # Too short once the country is taken off: refused, not read as 0626…
    assert normalize_phone("6281234567") is None
    # A letter among six digits or more is a typing mistake worth pointing out.
    assert phone_has_letters("0812 34O")
    assert not phone_has_letters("0812 O")


async def test_registration_closing_this_very_minute_is_closed(sessions: SessionFactory) -> None:
    training = await _training(sessions)
    async with sessions() as session:
        stored = await session.get(Training, training.id)
        assert stored is not None
        stored.registration_closes_at = NOW
        await session.commit()
    async with sessions() as session:
        late = await register(session, 7001, training.id, profile(), NOW)
    async with sessions() as session:
        early = await register(session, 7002, training.id, profile(), NOW - timedelta(minutes=1))
    assert (late.refusal, early.refusal) == (RegistrationRefusal.DEADLINE_PASSED, None)


async def test_ones_own_number_for_a_colleague_is_refused(sessions: SessionFactory) -> None:
    training = await _training(sessions)
    mine = profile("Siti Aminah")
    async with sessions() as session:
        assert (await register(session, 7001, training.id, mine, NOW)).ok
    async with sessions() as session:
        colleague = replace(mine, full_name="Budi Santoso")
        refused = await register(session, 7001, training.id, colleague, NOW, for_colleague=True)
    assert (refused.refusal, refused.status, refused.registration_id) == (
        RegistrationRefusal.OWN_PHONE,
        None,
        None,
    )
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Participant)) == 1
        assert await session.scalar(select(func.count()).select_from(Registration)) == 1


async def test_registering_twice_names_the_registration_one_has(sessions: SessionFactory) -> None:
    training = await _training(sessions, capacity=1)
    async with sessions() as session:
        first = await register(session, 7001, training.id, profile(), NOW)
        waiting = await register(session, 7002, training.id, profile("Budi Santoso"), NOW)
        again = await register(session, 7001, training.id, profile(), NOW)
    # The answer to "again" offers the seat's calendar file: it needs the registration.
    assert (again.refusal, again.status, again.registration_id) == (
        RegistrationRefusal.ALREADY,
        RegistrationStatus.CONFIRMED,
        first.registration_id,
    )
    async with sessions() as session:
        row = await session.get(Registration, waiting.registration_id)
    assert row is not None and row.status == RegistrationStatus.WAITLISTED
    assert row.confirmed_at is None  # a waiting place is no seat (yet)


async def test_a_person_another_process_made_meanwhile_is_registered_once(
    sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Deterministic version of two first messages at the same moment: the other process made
    # the participant between this one's look for it and its insert (which then fails).
    training = await _training(sessions)
    async with sessions() as other:
        other.add(
            Participant(
                telegram_id=7001, chat_id=7001, language="id", created_at=NOW, updated_at=NOW
            )
        )
        await other.commit()
    looked = participants.find_participant
    calls: list[int] = []

    async def first_look_misses(session: Any, telegram_id: int) -> Participant | None:
        calls.append(telegram_id)
        return None if len(calls) == 1 else await looked(session, telegram_id)

    monkeypatch.setattr(participants, "find_participant", first_look_misses)
    async with sessions() as session:
        result = await register(session, 7001, training.id, profile(), NOW)
    monkeypatch.undo()
    assert (result.refusal, result.status) == (None, RegistrationStatus.CONFIRMED)
    assert len(calls) == 2
    async with sessions() as session:
        people = list(await session.scalars(select(Participant.full_name)))
        registrations = list(await session.scalars(select(Registration.participant_id)))
    assert people == ["Siti Aminah"] and len(registrations) == 1


def test_names_at_the_limits_and_a_first_joining_word() -> None:
    assert clean_name("Al") == "Al" and clean_name("A") is None
    assert clean_name("Siti " + "a" * 95) == "Siti " + "a" * 95  # 100 characters
    assert clean_name("Siti " + "a" * 96) is None
    # "dari" stays lower case inside a name, not as its first word.
    assert clean_name("dari hati catering") == "Dari Hati Catering"
    assert clean_name("warung dari hati") == "Warung dari Hati"


async def test_a_first_registration_keeps_the_language_and_reopens_a_blocked_chat(
    sessions: SessionFactory,
) -> None:
    training = await _training(sessions)
    async with sessions() as session:
        # Someone who blocked the bot once; below, an English speaker seen for the first time.
        session.add(
            Participant(
                telegram_id=7001, chat_id=7001, language="id", unreachable_at=NOW,
                created_at=NOW, updated_at=NOW,
            )
        )  # fmt: skip
        await session.commit()
        assert await profile_of(session, 7001) is None  # no profile yet: nothing to offer
    async with sessions() as session:
        assert (await register(session, 7001, training.id, profile(), NOW)).ok
        assert (await register(session, 7002, training.id, profile(), NOW, language="en")).ok
    async with sessions() as session:
        rows = (
            await session.execute(
                select(
                    Participant.telegram_id, Participant.unreachable_at, Participant.language
                ).order_by(Participant.telegram_id)
            )
        ).all()
        known = await profile_of(session, 7001)
    assert [tuple(r) for r in rows] == [(7001, None, "id"), (7002, None, "en")]
    assert known is not None and known.full_name == "Siti Aminah"


async def test_registering_a_colleague_reopens_the_accounts_blocked_chat(
    sessions: SessionFactory,
) -> None:
    training = await _training(sessions)
    async with sessions() as session:
        assert (await register(session, 7001, training.id, profile(), NOW)).ok
        assert await holder_business(session, 7001) == "Warung Bu Siti"
        assert await holder_business(session, 7999) is None  # nobody by that id
        holder = await session.scalar(select(Participant).where(Participant.telegram_id == 7001))
        assert holder is not None
        holder.unreachable_at = NOW  # a message bounced: they had blocked the bot
        await session.commit()
    later = NOW + timedelta(hours=1)
    colleague = replace(profile("Budi Santoso"), phone="+6281299990001")
    async with sessions() as session:
        assert (await register(session, 7001, training.id, colleague, later, for_colleague=True)).ok
    async with sessions() as session:
        rows = (
            await session.execute(
                select(
                    Participant.full_name, Participant.unreachable_at, Participant.updated_at
                ).order_by(Participant.id)
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("Siti Aminah", None, later),
        ("Budi Santoso", None, later),
    ]
