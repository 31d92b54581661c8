"""Data retention: personal data of long-finished trainings is erased, the counts stay."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.db import SessionFactory
from bot.documents.exports import write_csv, write_xlsx
from bot.models import (
    Attendance,
    BotState,
    HelpdeskMessage,
    Participant,
    Registration,
    RegistrationStatus,
    Training,
)
from bot.playground.botapi import FakeTelegram, FakeUser
from bot.services.privacy import PERSONAL_FIELDS
from bot.services.reports import export_training, training_counts
from bot.services.retention import draft_cutoff, purge_expired, purge_stale_drafts
from bot.services.staff import find_training_by_code
from bot.settings import Settings
from jobs.retention import JOB_NAME
from tests.factories import JAKARTA, make_participant, make_registration, make_training
from tests.harness import BotHarness, FakeClock
from tests.test_registration_handlers import go_to_name
from tests.training_files import KP_FILE, add_training

RETENTION = timedelta(days=730)
# The clock fixture is 1 December 2026: the cutoff is 1 December 2024.
LONG_AGO = datetime(2024, 5, 1, 9, 0, tzinfo=JAKARTA)
OLD_DAYS = [
    (date(2024, 6, 10), "08:00", "15:00", "Kain perca"),
    (date(2024, 6, 11), "08:00", "12:00", "Melukis kain"),
]
RECENT_DAYS = [(date(2025, 6, 10), "08:00", "15:00", "Pemasaran")]


async def _training(sessions: SessionFactory, days: list[tuple[date, str, str, str]]) -> Training:
    async with sessions() as s:
        return await make_training(s, days=days, now=LONG_AGO)


async def _person(
    sessions: SessionFactory,
    telegram_id: int,
    *trainings: Training,
    at: datetime = LONG_AGO,
    profile: Mapping[str, object] | None = None,
) -> Participant:
    async with sessions() as s:
        person = await make_participant(s, telegram_id, now=at, **(profile or {}))
        for training in trainings:
            await make_registration(s, person, training, RegistrationStatus.CONFIRMED, at)
        return person


async def _profile(sessions: SessionFactory, telegram_id: int) -> tuple[object, ...]:
    async with sessions() as s:
        row = (
            await s.scalars(select(Participant).where(Participant.telegram_id == telegram_id))
        ).one()
        return tuple(getattr(row, name) for name in (*PERSONAL_FIELDS, "consent_at"))


def _erased(profile: tuple[object, ...]) -> bool:
    return all(value is None for value in profile)


async def test_old_trainings_are_purged_and_recent_ones_kept(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    old = await _training(sessions, OLD_DAYS)
    recent = await _training(sessions, RECENT_DAYS)
    await _person(sessions, 1, old)
    await _person(sessions, 2, recent)
    await _person(sessions, 3, old, recent)  # a newer registration keeps the whole profile
    await _person(sessions, 4, old, at=clock() - timedelta(days=10))  # active lately
    await _person(sessions, 5)  # never registered, silent for years
    async with sessions() as s:
        result = await purge_expired(s, clock(), RETENTION)
    assert sorted(result.telegram_ids) == [1, 5]
    assert result.cutoff == clock() - RETENTION
    assert _erased(await _profile(sessions, 1)) and _erased(await _profile(sessions, 5))
    for kept in (2, 3, 4):
        assert not any(value is None for value in await _profile(sessions, kept))


async def test_exactly_at_the_cutoff_is_not_yet_past_it(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    cutoff = clock() - RETENTION  # 1 December 2024, 09:00 in Jakarta
    ends_at_cutoff = await _training(sessions, [(date(2024, 12, 1), "08:00", "09:00", "Kain")])
    old = await _training(sessions, OLD_DAYS)
    await _person(sessions, 41, ends_at_cutoff)  # its training ended at the very moment
    touched = await _person(sessions, 42, old)
    edited = await _person(sessions, 43, old)
    async with sessions() as s:
        registration = await s.scalar(
            select(Registration).where(Registration.participant_id == touched.id)
        )
        participant = await s.get(Participant, edited.id)
        assert registration is not None and participant is not None
        registration.updated_at = cutoff  # a change to the registration at the very moment
        participant.updated_at = cutoff  # a change to the profile at the very moment
        await s.commit()
    async with sessions() as s:
        assert (await purge_expired(s, clock(), RETENTION)).purged == 0


async def test_who_has_anything_left_to_erase(sessions: SessionFactory, clock: FakeClock) -> None:
    old = await _training(sessions, OLD_DAYS)
    blank = dict.fromkeys(PERSONAL_FIELDS)
    await _person(sessions, 51, old, profile=blank)  # consented, gave nothing else
    await _person(sessions, 52, old, profile={"consent_at": None})  # data without consent
    erased = {**blank, "consent_at": None, "erased_at": LONG_AGO}
    await _person(sessions, 53, old, profile=erased)  # erased long ago: nothing left
    holder = await _person(sessions, 54, old)
    async with sessions() as s:
        participant = await s.get(Participant, holder.id)
        assert participant is not None
        participant.updated_at = clock() - timedelta(days=3)  # edited their profile lately
        await s.commit()
    for number in (1, 2):  # two colleagues 54 registered, long ago
        async with sessions() as s:
            colleague = Participant(
                registered_by_id=holder.id, language="id", full_name=f"Rekan {number}",
                phone=f"+628120000005{number}", created_at=LONG_AGO, updated_at=LONG_AGO,
            )  # fmt: skip
            s.add(colleague)
            await s.commit()
            await make_registration(s, colleague, old, RegistrationStatus.CONFIRMED, LONG_AGO)
    async with sessions() as s:
        result = await purge_expired(s, clock(), RETENTION)
    assert sorted(result.telegram_ids) == [51, 52]
    assert result.colleagues == 2 and result.purged == 4
    async with sessions() as s:
        colleagues = (
            await s.scalars(select(Participant).where(Participant.telegram_id.is_(None)))
        ).all()
    assert [c.full_name for c in colleagues] == [None, None]
    assert not any(value is None for value in await _profile(sessions, 54))


def test_a_draft_is_stale_an_hour_after_its_conversation_would_time_out() -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=JAKARTA)
    assert draft_cutoff(now, 30) == now - timedelta(minutes=90)


async def test_a_draft_written_at_the_cutoff_stays(sessions: SessionFactory) -> None:
    cutoff = datetime(2026, 12, 1, 9, 0, tzinfo=JAKARTA)
    async with sessions() as s:
        for key, written in (("at", cutoff), ("before", cutoff - timedelta(seconds=1))):
            s.add(BotState(kind="user_data", key=key, value={}, updated_at=written))
        await s.commit()
    async with sessions() as s:
        assert await purge_stale_drafts(s, cutoff) == [("user_data", "before")]
    assert list(await _stored_drafts(sessions)) == ["at"]


async def test_a_recent_change_to_a_registration_counts_as_activity(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    old = await _training(sessions, OLD_DAYS)
    person = await _person(sessions, 1, old)
    async with sessions() as s:
        registration = (
            await s.scalars(select(Registration).where(Registration.participant_id == person.id))
        ).one()
        registration.updated_at = clock() - timedelta(days=1)
        await s.commit()
    async with sessions() as s:
        assert (await purge_expired(s, clock(), RETENTION)).purged == 0


async def test_counts_and_exports_survive_and_a_second_run_changes_nothing(
    sessions: SessionFactory, clock: FakeClock
) -> None:
    old = await _training(sessions, OLD_DAYS)
    people = [await _person(sessions, telegram_id, old) for telegram_id in (11, 12, 13)]
    async with sessions() as s:
        training = await find_training_by_code(s, old.code)
        assert training is not None
        for person in people[:2]:
            registration = await s.scalar(
                select(Registration).where(Registration.participant_id == person.id)
            )
            assert registration is not None
            s.add(
                Attendance(
                    registration_id=registration.id,
                    training_day_id=training.days[0].id,
                    method="link",
                    checked_in_by=9000001,
                    checked_in_at=LONG_AGO + timedelta(days=40),
                )
            )
        await s.commit()
        before = await training_counts(s, training)
        personal = [
            value
            for row in (await export_training(s, training, JAKARTA)).rows
            for value in (row.name, row.phone, row.business, row.district)
        ]

    async with sessions() as s:
        first = await purge_expired(s, clock(), RETENTION, batch_size=2)  # more than one batch
    assert first.purged == 3

    async with sessions() as s:
        training = await find_training_by_code(s, old.code)
        assert training is not None
        after = await training_counts(s, training)
        export = await export_training(s, training, JAKARTA)
        total = await s.scalar(select(func.count()).select_from(Registration))
        snapshot = [
            (p.telegram_id, p.full_name, p.erased_at, p.updated_at)
            for p in (await s.scalars(select(Participant).order_by(Participant.id))).all()
        ]
    assert after == before and after.confirmed == 3 and after.days[0].attended == 2
    assert total == 3
    assert [(r.name, r.phone, r.status) for r in export.rows] == [("", "", "confirmed")] * 3
    assert [r.attended[0] for r in export.rows].count(True) == 2
    # The files staff download hold the three rows and nothing of the people.
    csv_lines = write_csv(export, "id").decode("utf-8-sig").splitlines()
    assert len(csv_lines) == 1 + 3
    workbook = load_workbook(io.BytesIO(write_xlsx([export], "id")), read_only=True)
    cells = [
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert len(personal) == 12 and all(personal)  # what there was to erase
    for value in personal:
        assert not any(value in line for line in csv_lines), value
        assert not any(value in cell for cell in cells), value

    clock.advance(days=1)
    async with sessions() as s:
        second = await purge_expired(s, clock(), RETENTION)
    assert second.purged == 0
    async with sessions() as s:
        again = [
            (p.telegram_id, p.full_name, p.erased_at, p.updated_at)
            for p in (await s.scalars(select(Participant).order_by(Participant.id))).all()
        ]
    assert again == snapshot


async def test_the_daily_job_is_scheduled_once_and_purges(
    harness: BotHarness, sessions: SessionFactory, clock: FakeClock
) -> None:
    old = await _training(sessions, OLD_DAYS)
    await _person(sessions, 21, old)
    await harness.restart()  # installing the jobs twice still leaves one
    assert harness.app.job_queue is not None
    [job] = harness.app.job_queue.get_jobs_by_name(JOB_NAME)
    harness.app.user_data[21]["draft"] = {"name": "Siti Aminah"}  # an abandoned conversation
    await job.run(harness.app)
    assert _erased(await _profile(sessions, 21))
    assert 21 not in harness.app.user_data


async def test_the_daily_job_counts_the_period_in_days(
    harness: BotHarness, sessions: SessionFactory, clock: FakeClock
) -> None:
    # DATA_RETENTION_DAYS=730 (the default) and the clock at 1 December 2026, 09:00: the
    # cutoff is 1 December 2024, 09:00 in Jakarta.
    assert harness.settings.data_retention_days == 730
    past = await _training(sessions, [(date(2024, 11, 30), "08:00", "15:00", "Kain perca")])
    inside = await _training(sessions, [(date(2024, 12, 2), "08:00", "15:00", "Kain perca")])
    lately = await _training(sessions, [(date(2026, 11, 20), "08:00", "15:00", "Pemasaran")])
    await _person(sessions, 31, past)  # ended a day before the cutoff: goes
    await _person(sessions, 32, inside)  # ended a day after it: stays
    await _person(sessions, 33, lately)  # ended eleven days ago: stays
    assert harness.app.job_queue is not None
    [job] = harness.app.job_queue.get_jobs_by_name(JOB_NAME)
    await job.run(harness.app)
    assert _erased(await _profile(sessions, 31))
    for kept in (32, 33):
        assert not any(v is None for v in await _profile(sessions, kept)), f"{kept} was purged"


# ---- drafts of unfinished conversations ---------------------------------------------------

UNREAD = "tidak bisa diteruskan ke petugas"  # no step takes it: outside a conversation


async def _half_registered(harness: BotHarness, user_id: int) -> FakeUser:
    """A user who consented and gave name and phone; the bot asks for the business name."""
    user = harness.user(user_id)
    await go_to_name(harness, user)
    await harness.send(user, "Siti Aminah")
    user.share_contact("6281234567890")
    await harness.deliver()
    assert "nama usaha" in user.last().text
    return user


async def _stored_drafts(sessions: SessionFactory) -> dict[str, str]:
    """What `bot_state` holds, by key ("801" for user_data, "[801,801]" for a conversation)."""
    async with sessions() as s:
        rows = (await s.execute(select(BotState.key, BotState.value))).all()
    return {key: str(value) for key, value in rows}


async def test_a_draft_left_across_a_restart_goes_after_its_timeout(
    harness: BotHarness, sessions: SessionFactory, clock: FakeClock
) -> None:
    await add_training(sessions, KP_FILE)
    left = await _half_registered(harness, 801)
    clock.advance(minutes=80)
    busy = await _half_registered(harness, 802)
    clock.advance(minutes=20)  # 100 minutes after the first draft, 20 after the second
    await harness.restart()

    [reply] = await harness.send(left, "Warung Bu Siti")
    assert UNREAD in reply.text  # the conversation ended: no step takes it
    [question] = await harness.send(busy, "Warung Bu Rina")
    assert "bidang usaha" in question.text  # within its timeout: it goes on
    stored = await _stored_drafts(sessions)
    assert [key for key in stored if "801" in key] == []  # its draft and its state
    assert any("Warung Bu Rina" in value for value in stored.values())


async def test_the_daily_job_removes_drafts_gone_stale_while_running(
    harness: BotHarness, sessions: SessionFactory, clock: FakeClock
) -> None:
    await add_training(sessions, KP_FILE)
    stale = await _half_registered(harness, 811)
    await harness.restart()  # restored: the library's timeout for it is gone
    clock.advance(minutes=120)
    fresh = await _half_registered(harness, 812)
    clock.advance(minutes=10)
    assert harness.app.job_queue is not None
    [job] = harness.app.job_queue.get_jobs_by_name(JOB_NAME)
    await job.run(harness.app)

    assert 811 not in harness.app.user_data
    [reply] = await harness.send(stale, "Warung Bu Siti")
    assert UNREAD in reply.text
    [question] = await harness.send(fresh, "Warung Bu Rina")
    assert "bidang usaha" in question.text
    await harness.app.update_persistence()
    stored = await _stored_drafts(sessions)
    assert [key for key in stored if "811" in key] == []  # its draft and its state
    assert [key for key in stored if "812" in key]


# ---- people who only wrote to the office --------------------------------------------------

STAFF_CHAT = -1001987654321


async def _messages_of(sessions: SessionFactory, telegram_id: int) -> list[tuple[object, ...]]:
    async with sessions() as s:
        rows = await s.execute(
            select(HelpdeskMessage.text, HelpdeskMessage.sender_name, HelpdeskMessage.username)
            .join(Participant, Participant.id == HelpdeskMessage.participant_id)
            .where(Participant.telegram_id == telegram_id)
        )
        return [tuple(row) for row in rows.all()]


async def test_who_only_wrote_to_the_office_is_purged_after_the_period(
    settings: Settings, sessions: SessionFactory, tg: FakeTelegram, clock: FakeClock
) -> None:
    async with sessions() as s:  # erased long ago, wrote again after that
        await make_participant(
            s,
            902,
            **dict.fromkeys((*PERSONAL_FIELDS, "consent_at")),
            erased_at=LONG_AGO,
            now=LONG_AGO,
        )
    office = BotHarness(replace(settings, staff_chat_id=STAFF_CHAT), sessions, tg, clock)
    await office.start()
    today = clock()
    clock.set(LONG_AGO)
    for user_id, name in ((901, "Rudi"), (902, "Ratna")):
        await office.send(
            tg.user(user_id, name, username=f"{name.lower()}_ukm"), "Kapan ada kelas?"
        )
    clock.set(today - timedelta(days=10))
    await office.send(tg.user(903, "Wati", username="wati"), "Kelas batik masih ada?")
    clock.set(today)
    assert office.app.job_queue is not None
    [job] = office.app.job_queue.get_jobs_by_name(JOB_NAME)
    await job.run(office.app)
    await office.stop()
    assert await _messages_of(sessions, 901) == [("", None, None)]
    assert await _messages_of(sessions, 902) == [("", None, None)]
    assert await _messages_of(sessions, 903) == [("Kelas batik masih ada?", "Wati", "wati")]
