"""Certificate rules a reviewer would not check by reading (the survivors of mutation testing,
docs/testing.md): a person at two trainings, a registration cancelled, staff printing before the
participant confirms, a colleague's certificate, buttons that are not one's own, the number's
month in the office's time zone, someone who erased their data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from types import SimpleNamespace

from sqlalchemy import select, update

from bot.db import SessionFactory
from bot.models import (
    Attendance,
    Certificate,
    Delivery,
    Participant,
    Registration,
    RegistrationStatus,
    Training,
    TrainingDay,
)
from bot.playground.botapi import BOT_USERNAME, SentMessage
from bot.services import certificates
from bot.services.outbox import NOTICE, Kind
from bot.services.privacy import erase_participant
from bot.texts.after_training import CONFIRM
from bot.texts.callbacks import CERTIFICATE, pack
from jobs.after_training import queue_follow_ups
from tests.after_factories import DAYS, STAFF_ID, finished_training, telegram_id_of
from tests.conftest import JAKARTA
from tests.harness import BotHarness
from tests.staff_factories import NOW, register

OFFER = "berhak mendapat sertifikat"
MK_DAYS = (date(2026, 11, 27), date(2026, 11, 28))
MK_TITLE = "Pelatihan Membatik Tulis"


async def _run_job(harness: BotHarness) -> None:
    """One tick of the after-training job: offers queued and sent."""
    await queue_follow_ups(SimpleNamespace(application=harness.app))  # type: ignore[arg-type]


async def _attend(
    sessions: SessionFactory, participant_id: int, training: Training, days: Sequence[int]
) -> Registration:
    """A confirmed registration of this person for `training`, present on those day numbers."""
    async with sessions() as session:
        person = await session.get(Participant, participant_id)
        assert person is not None
        registration = await register(session, person, training)
        day_ids = dict(
            (
                await session.execute(
                    select(TrainingDay.day_number, TrainingDay.id).where(
                        TrainingDay.training_id == training.id
                    )
                )
            ).all()
        )
        for number in days:
            session.add(
                Attendance(
                    registration_id=registration.id, training_day_id=day_ids[number],
                    method="manual", checked_in_by=STAFF_ID, checked_in_at=NOW,
                )
            )  # fmt: skip
        await session.commit()
    return registration


async def _offers(harness: BotHarness, telegram_id: int, needle: str = OFFER) -> list[SentMessage]:
    return [m for m in harness.tg.sent_to(telegram_id) if needle in m.text]


async def _certificate(sessions: SessionFactory, registration_id: int) -> Certificate:
    async with sessions() as session:
        certificate = await certificates.certificate_of(session, registration_id)
    assert certificate is not None
    return certificate


async def test_a_person_at_two_trainings_has_a_certificate_for_each(harness: BotHarness) -> None:
    kp, [siti_kp, budi] = await finished_training(
        harness.sessions, ["Siti Aminah", "Budi"], [[1, 2, 3], [1]]
    )
    mk, [made] = await finished_training(
        harness.sessions, ["Made Wirawan"], [[1, 2]], code="MK-2026-02", days=MK_DAYS,
        first_id=700_100,
    )  # fmt: skip
    siti_mk = await _attend(harness.sessions, siti_kp.participant_id, mk, [1, 2])
    async with harness.sessions() as session:
        await session.execute(update(Training).where(Training.id == mk.id).values(title=MK_TITLE))
        await session.execute(
            update(Participant).where(Participant.id == made.participant_id).values(language="en")
        )
        await session.commit()
        # Each training's own people, whatever they did at the other (Siti came 3 days to KP).
        assert await certificates.eligible_registrations(session, kp.id, 0) == [siti_kp.id]
        assert await certificates.eligible_registrations(session, mk.id, 0) == sorted(
            [made.id, siti_mk.id]
        )
    await _run_job(harness)
    siti = await telegram_id_of(harness.sessions, siti_kp)
    offers = await _offers(harness, siti)
    assert len(offers) == 2  # one per training, each naming its own
    assert sorted(MK_TITLE in m.text for m in offers) == [False, True]
    [english] = await _offers(harness, 700_100, "you have earned the certificate")
    assert MK_TITLE in english.text and "Made Wirawan" in english.text
    assert await _offers(harness, await telegram_id_of(harness.sessions, budi)) == []
    async with harness.sessions() as session:
        kp_ids = await certificates.issue_all(session, kp.id, 0, NOW, JAKARTA)
        mk_ids = await certificates.issue_all(session, mk.id, 0, NOW, JAKARTA)
        # The sender renders a batch that holds certificates of both trainings.
        views = await certificates.certificate_views(session, [*kp_ids, *mk_ids])
    assert len(kp_ids) == 1 and len(mk_ids) == 2
    kp_view = views[kp_ids[0]]
    assert (kp_view.registration_id, kp_view.number) == (siti_kp.id, "KP-2026-01/0001/XII/2026")
    assert (kp_view.first_day, kp_view.last_day) == (DAYS[0], DAYS[-1])
    mk_views = [views[i] for i in mk_ids]
    assert sorted(v.registration_id for v in mk_views) == sorted([made.id, siti_mk.id])
    assert {(v.first_day, v.last_day, v.training_title) for v in mk_views} == {
        (MK_DAYS[0], MK_DAYS[-1], MK_TITLE)
    }
    # The certificate's "fix my name" button names the registration, not the person.
    [siti_view] = [v for v in mk_views if v.name == "Siti Aminah"]
    assert siti_view.registration_id == siti_mk.id != siti_kp.participant_id


async def test_a_registration_cancelled_after_printing_is_left_out(
    sessions: SessionFactory,
) -> None:
    training, [siti, wayan] = await finished_training(
        sessions, ["Siti", "Wayan"], [[1, 2, 3], [1, 2, 3]]
    )
    async with sessions() as session:
        assert len(await certificates.issue_all(session, training.id, 0, NOW, JAKARTA)) == 2
        await session.execute(
            update(Registration)
            .where(Registration.id == wayan.id)
            .values(status=RegistrationStatus.CANCELLED)
        )
        await session.commit()
    async with sessions() as session:
        assert await certificates.eligible_registrations(session, training.id, 0) == [siti.id]
        assert not await certificates.is_eligible(session, wayan.id, 0)
        ids = await certificates.issue_all(session, training.id, 0, NOW, JAKARTA)
    # The staff's ZIP holds Siti's certificate only.
    assert ids == [(await _certificate(sessions, siti.id)).id]


async def test_staff_print_first_and_the_offer_still_asks_about_the_name(
    harness: BotHarness,
) -> None:
    training, [siti, budi] = await finished_training(
        harness.sessions, ["Siti Aminah", "Budi Santoso"], [[1, 2, 3], [1, 2, 3]]
    )
    async with harness.sessions() as session:
        await session.execute(
            update(Participant).where(Participant.id == budi.participant_id).values(language="en")
        )
        await session.commit()
        # The closing session: staff print everyone's with the name on file.
        printed = await certificates.issue_all(session, training.id, 0, NOW, JAKARTA)
    assert len(printed) == 2
    assert (await _certificate(harness.sessions, siti.id)).name_confirmed_at is None
    await _run_job(harness)
    siti_user = harness.user(await telegram_id_of(harness.sessions, siti), "Siti")
    budi_user = harness.user(await telegram_id_of(harness.sessions, budi), "Budi", "en")
    [offer] = await _offers(harness, siti_user.id)
    assert "Siti Aminah" in offer.text
    replies = await harness.press(siti_user, offer, "Nama sudah benar")
    assert any("sedang dikirim" in m.text for m in replies)
    document = siti_user.last()
    assert document.document is not None and "KP-2026-01/0001/XII/2026" in document.text
    assert "nama diperbaiki" not in document.text  # the same revision, the same number
    [english] = await _offers(harness, budi_user.id, "you have earned the certificate")
    await harness.press(budi_user, english, "The name is right")
    caption = budi_user.last()
    assert caption.document is not None and "Certificate — " in caption.text
    assert "KP-2026-01/0002/XII/2026" in caption.text
    certificate = await _certificate(harness.sessions, siti.id)
    assert certificate.revision == 1 and certificate.name_confirmed_at == harness.clock()
    async with harness.sessions() as session:
        sent = (
            await session.execute(
                select(Delivery.participant_id, Delivery.priority)
                .where(Delivery.kind == Kind.CERTIFICATE.value)
                .order_by(Delivery.id)
            )
        ).all()
    # A certificate is news for one person: it goes before bulk sends.
    assert [tuple(row) for row in sent] == [
        (siti.participant_id, NOTICE),
        (budi.participant_id, NOTICE),
    ]


async def test_a_fixed_name_is_stored_in_the_profile(harness: BotHarness) -> None:
    _, [budi] = await finished_training(harness.sessions, ["Budi"], [[1, 2, 3]])
    await _run_job(harness)
    person = harness.user(await telegram_id_of(harness.sessions, budi), "Budi")
    [offer] = await _offers(harness, person.id)
    await harness.press(person, offer, "Perbaiki nama")
    harness.clock.advance(minutes=5)
    await harness.send(person, "Budi Santoso")
    assert person.last().document is not None
    async with harness.sessions() as session:
        participant = await session.get(Participant, budi.participant_id)
    assert participant is not None
    assert (participant.full_name, participant.updated_at) == ("Budi Santoso", harness.clock())
    assert (await _certificate(harness.sessions, budi.id)).name == "Budi Santoso"


async def test_the_account_that_registered_a_colleague_confirms_their_name(
    harness: BotHarness,
) -> None:
    training, [siti] = await finished_training(harness.sessions, ["Siti Aminah"], [[1, 2, 3]])
    async with harness.sessions() as session:
        holder = await session.get(Participant, siti.participant_id)
        assert holder is not None
        colleague = Participant(
            registered_by_id=holder.id, chat_id=holder.chat_id, language="id",
            full_name="Rina Wulandari", phone="+6281299990001", business_name="Usaha Rina",
            created_at=NOW, updated_at=NOW,
        )  # fmt: skip
        session.add(colleague)
        await session.commit()
        colleague_id = colleague.id
    rina = await _attend(harness.sessions, colleague_id, training, [1, 2, 3])
    await _run_job(harness)
    siti_user = harness.user(await telegram_id_of(harness.sessions, siti), "Siti")
    [offer] = [m for m in await _offers(harness, siti_user.id) if "Rina Wulandari" in m.text]
    await harness.press(siti_user, offer, "Nama sudah benar")
    document = siti_user.last()
    assert document.document is not None and "Sertifikat" in document.text
    certificate = await _certificate(harness.sessions, rina.id)
    assert certificate.name == "Rina Wulandari" and certificate.name_confirmed_at is not None


async def test_confirm_buttons_that_are_not_ones_own_are_refused(harness: BotHarness) -> None:
    _, [siti, wayan] = await finished_training(
        harness.sessions, ["Siti Aminah", "Wayan"], [[1, 2, 3], [1]]
    )
    stranger = harness.user(4242, "Orang")
    absent = harness.user(await telegram_id_of(harness.sessions, wayan), "Wayan")
    # Someone else's (earned) certificate; one not earned; a registration that does not exist.
    for user, registration_id in ((stranger, siti.id), (absent, wayan.id), (stranger, 999_999)):
        [menu] = await harness.send(user, "/start")
        user.press_data(menu, pack(CERTIFICATE, registration_id, CONFIRM))
        await harness.deliver()
        assert harness.answers()[-1]["text"] == "Sertifikat ini tidak tersedia untuk Anda."
    async with harness.sessions() as session:
        assert await session.scalar(select(Certificate)) is None


async def test_after_erasing_ones_data_the_old_offer_issues_nothing(harness: BotHarness) -> None:
    _, [siti] = await finished_training(harness.sessions, ["Siti Aminah"], [[1, 2, 3]])
    await _run_job(harness)
    person = harness.user(await telegram_id_of(harness.sessions, siti), "Siti")
    [offer] = await _offers(harness, person.id)
    async with harness.sessions() as session:
        await erase_participant(session, person.id, harness.clock())
    await harness.press(person, offer, "Nama sudah benar")  # the offer is still in the chat
    assert harness.answers()[-1]["text"] == "Sertifikat ini tidak tersedia untuk Anda."
    async with harness.sessions() as session:
        assert await session.scalar(select(Certificate)) is None


async def test_staff_print_no_certificate_for_someone_who_erased_their_data(
    sessions: SessionFactory,
) -> None:
    training, [siti, budi, wayan] = await finished_training(
        sessions, ["Siti", "Budi", "Wayan"], [[1, 2, 3]] * 3
    )
    async with sessions() as session:
        await erase_participant(session, await telegram_id_of(sessions, wayan), NOW)
    async with sessions() as session:
        printed = await certificates.issue_all(session, training.id, 0, NOW, JAKARTA)
        names = [v.name for v in (await certificates.certificate_views(session, printed)).values()]
    assert names == ["Siti", "Budi"]  # none made for Wayan, whose name is gone
    # Budi erases his after the closing session's print: a reprint has no blank certificate.
    async with sessions() as session:
        await erase_participant(session, await telegram_id_of(sessions, budi), NOW)
    async with sessions() as session:
        again = await certificates.issue_all(session, training.id, 0, NOW, JAKARTA)
    assert again == [(await _certificate(sessions, siti.id)).id]


async def test_the_number_has_the_month_and_year_of_the_office(sessions: SessionFactory) -> None:
    # 1 January 2027, 03:00 in Jakarta: still 31 December 2026 in UTC.
    new_year = datetime(2027, 1, 1, 3, 0, tzinfo=JAKARTA)
    training, [siti, budi] = await finished_training(
        sessions, ["Siti", "Budi"], [[1, 2, 3], [1, 2, 3]]
    )
    budi_id = await telegram_id_of(sessions, budi)
    async with sessions() as session:
        confirmed = await certificates.confirm_name(
            session, budi.id, budi_id, None, 0, new_year, JAKARTA, BOT_USERNAME
        )
        assert confirmed is not None and confirmed.number == "KP-2026-01/0001/I/2027"
        await certificates.issue_all(session, training.id, 0, new_year, JAKARTA)
    assert (await _certificate(sessions, siti.id)).number == "KP-2026-01/0002/I/2027"
