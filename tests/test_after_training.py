"""After the training, in the chat: the survey once per attendee (across restarts), answered
and resumed; certificates offered at the last check-in, the name fixed, the PDF sent, checked
by its QR link; staff's documents, /statistik and /hadir by day and by name."""

from __future__ import annotations

import asyncio
import io
import zipfile
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.models import (
    Attendance,
    Certificate,
    Delivery,
    Participant,
    Registration,
    RegistrationStatus,
    SurveyResponse,
    SurveyTopic,
    TrainingDay,
)
from bot.playground.botapi import BOT_USERNAME
from bot.services import certificates, survey
from bot.services.outbox import BULK, NOTICE, Kind
from bot.services.privacy import erase_participant
from bot.services.survey import Step, queue_surveys
from jobs.after_training import queue_follow_ups
from jobs.outbox import sender_of
from tests.after_factories import (
    SPECIAL,
    finished_training,
    pdf_text,
    qr_codes_on_page,
    telegram_id_of,
)
from tests.conftest import ADMIN_ID, JAKARTA
from tests.harness import BotHarness
from tests.staff_factories import NOW, make_participant, register

INTRO = "Terima kasih sudah mengikuti"
OFFER = "berhak mendapat sertifikat"


async def _run_job(harness: BotHarness) -> None:
    """One tick of the after-training job, as the job queue runs it."""
    await queue_follow_ups(SimpleNamespace(application=harness.app))  # type: ignore[arg-type]


async def _surveys_sent(harness: BotHarness, telegram_id: int) -> int:
    return sum(INTRO in m.text for m in harness.tg.sent_to(telegram_id))


async def _surveyed(harness: BotHarness) -> list[int | None]:
    """The registrations a survey row was queued for, one entry per row, in order."""
    async with harness.sessions() as session:
        rows = await session.scalars(
            select(Delivery.registration_id)
            .where(Delivery.kind == Kind.SURVEY.value)
            .order_by(Delivery.registration_id)
        )
        return list(rows)


async def test_the_survey_is_sent_once_per_attendee_across_restarts(harness: BotHarness) -> None:
    names = ["Siti", "Budi", "Wayan"]
    # The last day ends on 26 November at 15:00; Wayan never came.
    _, regs = await finished_training(harness.sessions, names, [[1, 2, 3], [3], []])
    ids = [await telegram_id_of(harness.sessions, r) for r in regs]
    harness.clock.set(datetime(2026, 11, 26, 16, 0, tzinfo=JAKARTA))  # an hour after: too soon
    await _run_job(harness)
    assert [await _surveys_sent(harness, i) for i in ids] == [0, 0, 0]
    # Queued by one process that died before sending: nothing is lost after a restart...
    harness.clock.set(datetime(2026, 11, 26, 17, 1, tzinfo=JAKARTA))
    async with harness.sessions() as session:
        await queue_surveys(session, harness.clock(), 2)
    await harness.restart()
    harness.clock.advance(hours=2)  # past every lease
    await _run_job(harness)
    await harness.run_woken_sender()
    assert [await _surveys_sent(harness, i) for i in ids] == [1, 1, 0]
    # ...and nothing is sent twice: more ticks, another restart, a day later.
    for _ in range(2):
        harness.clock.advance(days=1)
        await harness.restart()
        await _run_job(harness)
        await harness.run_woken_sender()
    assert [await _surveys_sent(harness, i) for i in ids] == [1, 1, 0]
    assert await _surveyed(harness) == sorted([regs[0].id, regs[1].id])  # none for Wayan


async def test_answering_the_survey_with_a_restart_in_the_middle(harness: BotHarness) -> None:
    _, regs = await finished_training(harness.sessions, ["Siti"], [[1, 2, 3]])
    person = harness.user(await telegram_id_of(harness.sessions, regs[0]), "Siti")
    harness.clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=JAKARTA))
    await _run_job(harness)
    survey = next(m for m in person.messages() if INTRO in m.text)
    assert [label for label, _ in survey.buttons()] == ["1⭐", "2⭐", "3⭐", "4⭐", "5⭐"]
    await harness.press(person, survey, "4⭐")
    assert "2/5" in survey.text
    await harness.press(person, survey, "5⭐")
    await harness.press(person, survey, "3⭐")
    assert "4/5" in survey.text and "Lewati" in survey.buttons()[0][0]
    # An old button (a rating already given) changes nothing.
    person.press_data(survey, f"svy:{regs[0].id}:overall:1")
    await harness.deliver()
    await harness.restart()  # between the question and the typed answer
    long = "x" * 501
    [too_long] = await harness.send(person, long)
    assert "terlalu panjang" in too_long.text
    [topics] = await harness.send(person, "Cara <b>menghitung</b> HPP & foto produk")
    assert "5/5" in topics.text
    await harness.press(person, topics, "Pemasaran digital")
    await harness.press(person, topics, "Foto produk")
    await harness.press(person, topics, "Pemasaran digital")  # ticked twice: off again
    assert "☑️ Foto produk" in [label for label, _ in topics.buttons()]
    await harness.press(person, topics, "Selesai")
    assert "Jawaban Anda sudah kami simpan" in topics.text
    async with harness.sessions() as session:
        response = await session.scalar(select(SurveyResponse))
        chosen = list(await session.scalars(select(SurveyTopic.topic)))
    assert response is not None
    assert (response.overall, response.material, response.trainer) == (4, 5, 3)
    assert response.helped == "Cara <b>menghitung</b> HPP & foto produk"
    assert response.finished_at is not None and chosen == ["product_photo"]
    # Staff read the summary: the answer in their words, escaped.
    staff = harness.user(ADMIN_ID, "Staf")
    [menu] = await harness.send(staff, "/admin")
    await harness.press(staff, menu, "KP-2026-01")
    await harness.press(staff, menu, "Dokumen")
    [summary] = await harness.press(staff, menu, "Ringkasan umpan balik")
    assert "Menjawab: 1 dari 1" in summary.text and "Keseluruhan: ★★★★☆ 4.0/5" in summary.text
    assert "Foto produk: 1" in summary.text
    assert "&lt;b&gt;menghitung&lt;/b&gt;" in summary.html


async def test_the_survey_of_a_training_one_missed_is_not_sent_for_attending_another(
    harness: BotHarness,
) -> None:
    # Siti attended KP and was confirmed for MK too, but never came to MK; Budi came to MK.
    _, [siti_kp] = await finished_training(harness.sessions, ["Siti"], [[1, 2, 3]])
    mk, [budi_mk] = await finished_training(
        harness.sessions, ["Budi"], [[1]], code="MK-2026-02", first_id=700_100
    )
    async with harness.sessions() as session:
        siti = await session.get(Participant, siti_kp.participant_id)
        assert siti is not None
        siti_mk = await register(session, siti, mk)
    harness.clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=JAKARTA))
    await _run_job(harness)
    assert await _surveyed(harness) == sorted([siti_kp.id, budi_mk.id])  # none for Siti's MK
    async with harness.sessions() as session:
        assert await survey.survey_state(session, siti_mk.id, siti.telegram_id or 0) is None
    assert await _surveys_sent(harness, await telegram_id_of(harness.sessions, siti_kp)) == 1


async def _offers_to(harness: BotHarness, registration: Registration) -> int:
    telegram_id = await telegram_id_of(harness.sessions, registration)
    return sum(OFFER in m.text for m in harness.tg.sent_to(telegram_id))


async def test_no_certificate_for_someone_absent_from_a_one_day_training(
    harness: BotHarness,
) -> None:
    # One day: "no check-in" counted as one day present would be every day of it.
    _, [siti, wayan] = await finished_training(
        harness.sessions, ["Siti", "Wayan"], [[1], []], days=(date(2026, 11, 26),)
    )
    async with harness.sessions() as session:
        for min_days in (0, 1):
            assert await certificates.eligible_registrations(
                session, siti.training_id, min_days
            ) == [siti.id]
        assert not await certificates.is_eligible(session, wayan.id, 0)
    harness.clock.set(datetime(2026, 11, 27, 9, 0, tzinfo=JAKARTA))
    await _run_job(harness)
    assert (await _offers_to(harness, siti), await _offers_to(harness, wayan)) == (1, 0)
    async with harness.sessions() as session:
        offers = list(
            await session.scalars(
                select(Delivery.priority).where(Delivery.kind == Kind.CERTIFICATE_OFFER.value)
            )
        )
    assert offers == [NOTICE]  # an offer is news for one person, before bulk sends


async def test_certificate_min_days_one_leaves_out_only_the_absent(harness: BotHarness) -> None:
    # CERTIFICATE_MIN_DAYS=1 on a three-day training: one day earns it, none does not.
    _, regs = await finished_training(
        harness.sessions, ["Siti", "Budi", "Wayan"], [[1, 2, 3], [2], []]
    )
    siti, budi, _ = regs
    async with harness.sessions() as session:
        training_id = siti.training_id
        assert await certificates.eligible_registrations(session, training_id, 1) == sorted(
            [siti.id, budi.id]
        )
        assert await certificates.eligible_registrations(session, training_id, 0) == [siti.id]
        assert await certificates.eligible_registrations(session, training_id, 2) == [siti.id]


async def _answer(
    harness: BotHarness, registration: Registration, step: Step, value: object
) -> survey.SurveyState | None:
    telegram_id = await telegram_id_of(harness.sessions, registration)
    async with harness.sessions() as session:
        return await survey.answer(
            session, registration.id, telegram_id, step, value, harness.clock()
        )


async def _step_after(
    harness: BotHarness, registration: Registration, step: Step, value: object
) -> Step | None:
    state = await _answer(harness, registration, step, value)
    return None if state is None else state.step


async def test_survey_answers_out_of_range_or_of_the_wrong_kind_change_nothing(
    harness: BotHarness,
) -> None:
    _, [reg] = await finished_training(harness.sessions, ["Siti"], [[1]])
    for wrong in (0, 6, "5"):
        assert await _step_after(harness, reg, Step.OVERALL, wrong) == Step.OVERALL
    assert await _step_after(harness, reg, Step.OVERALL, 1) == Step.MATERIAL  # the ends count
    assert await _step_after(harness, reg, Step.MATERIAL, 5) == Step.TRAINER
    assert await _step_after(harness, reg, Step.TRAINER, 3) == Step.HELPED
    assert await _step_after(harness, reg, Step.HELPED, 4) == Step.HELPED  # words, not a rating
    assert await _step_after(harness, reg, Step.HELPED, "HPP") == Step.TOPICS
    state = await _answer(harness, reg, Step.TOPICS, "no_such_topic")
    assert state is not None and state.topics == frozenset()
    # An old rating button pressed at the topics question changes nothing either.
    assert await _step_after(harness, reg, Step.OVERALL, 5) == Step.TOPICS
    assert await _step_after(harness, reg, Step.DONE, None) == Step.DONE
    async with harness.sessions() as session:
        response = await session.scalar(select(SurveyResponse))
    assert response is not None
    assert (response.overall, response.material, response.trainer) == (1, 5, 3)
    assert response.helped == "HPP"


async def _to_topics(harness: BotHarness, registration: Registration) -> None:
    for step, value in ((Step.OVERALL, 4), (Step.MATERIAL, 4), (Step.TRAINER, 4)):
        await _answer(harness, registration, step, value)
    await _answer(harness, registration, Step.HELPED, "Semuanya")


async def test_ticking_a_topic_off_leaves_other_peoples_ticks_alone(harness: BotHarness) -> None:
    _, regs = await finished_training(harness.sessions, ["Siti", "Budi"], [[1], [1]])
    for reg in regs:
        await _to_topics(harness, reg)
        await _answer(harness, reg, Step.TOPICS, "packaging")
    state = await _answer(harness, regs[0], Step.TOPICS, "packaging")  # Siti ticks it off
    assert state is not None and state.topics == frozenset()
    async with harness.sessions() as session:
        topics = list(await session.scalars(select(SurveyTopic.topic)))
    assert topics == ["packaging"]  # Budi's


async def test_each_survey_is_answered_for_its_own_training(harness: BotHarness) -> None:
    _, [siti_kp] = await finished_training(harness.sessions, ["Siti"], [[1, 2, 3]])
    mk, _ = await finished_training(
        harness.sessions, ["Budi"], [[1]], code="MK-2026-02", first_id=700_100
    )
    async with harness.sessions() as session:
        siti = await session.get(Participant, siti_kp.participant_id)
        assert siti is not None
        siti_mk = await register(session, siti, mk)
        day = await session.scalar(select(TrainingDay.id).where(TrainingDay.training_id == mk.id))
        assert day is not None
        session.add(
            Attendance(
                registration_id=siti_mk.id, training_day_id=day, method="manual",
                checked_in_by=ADMIN_ID, checked_in_at=harness.clock(),
            )
        )  # fmt: skip
        await session.commit()
    assert await _step_after(harness, siti_mk, Step.OVERALL, 2) == Step.MATERIAL
    assert await _step_after(harness, siti_kp, Step.OVERALL, 5) == Step.MATERIAL
    async with harness.sessions() as session:
        rows = await session.execute(select(SurveyResponse.registration_id, SurveyResponse.overall))
        ratings = {registration_id: overall for registration_id, overall in rows.all()}
    assert ratings == {siti_mk.id: 2, siti_kp.id: 5}


async def test_two_taps_at_the_same_moment_make_one_response(harness: BotHarness) -> None:
    _, [reg] = await finished_training(harness.sessions, ["Siti"], [[1]])
    states = await asyncio.gather(*(_answer(harness, reg, Step.OVERALL, v) for v in (4, 5)))
    assert all(state is not None and state.step == Step.MATERIAL for state in states)
    async with harness.sessions() as session:
        responses = list(await session.scalars(select(SurveyResponse)))
    assert len(responses) == 1 and responses[0].overall in (4, 5)


async def test_a_response_another_tap_made_meanwhile_is_used(
    harness: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Deterministic version of the race above: the response row appears between this tap's
    # look for it and its insert (the insert then fails on the unique registration).
    _, [reg] = await finished_training(harness.sessions, ["Siti"], [[1]])
    assert await _step_after(harness, reg, Step.OVERALL, 4) == Step.MATERIAL
    looked = survey._response
    calls: list[int] = []

    async def stale_second_look(session: Any, registration_id: int) -> SurveyResponse | None:
        calls.append(registration_id)
        return None if len(calls) == 2 else await looked(session, registration_id)

    monkeypatch.setattr(survey, "_response", stale_second_look)
    assert await _step_after(harness, reg, Step.MATERIAL, 5) == Step.TRAINER
    monkeypatch.undo()
    async with harness.sessions() as session:
        [response] = list(await session.scalars(select(SurveyResponse)))
    assert (response.overall, response.material) == (4, 5) and len(calls) >= 3


async def test_someone_elses_survey_button_is_refused(harness: BotHarness) -> None:
    _, regs = await finished_training(harness.sessions, ["Siti"], [[1]])
    stranger = harness.user(123, "Orang")
    [menu] = await harness.send(stranger, "/start")
    stranger.press_data(menu, f"svy:{regs[0].id}:overall:5")
    await harness.deliver()
    assert "tidak berlaku" in harness.answers()[-1]["text"]
    async with harness.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(SurveyResponse)) == 0


async def test_certificate_from_the_last_check_in_to_its_check(harness: BotHarness) -> None:
    days = (date(2026, 11, 30), date(2026, 12, 1))  # the clock's day is the last one
    _, regs = await finished_training(
        harness.sessions, ["Ni Luh Ayu Pradnyaswari"], [[1]], days=days
    )
    person = harness.user(await telegram_id_of(harness.sessions, regs[0]), "Ayu")
    staff = harness.user(ADMIN_ID, "Staf")
    [menu] = await harness.send(staff, "/hadir KP-2026-01")
    await harness.press(staff, menu, "Pradnyaswari")  # checked in by name on the last day
    offer = person.last()
    assert "berhak mendapat sertifikat" in offer.text and "Ni Luh Ayu Pradnyaswari" in offer.text
    # Accepting the offer is the screen's main action: green; fixing the name keeps the app's.
    styles = offer.styles()
    assert styles.pop("✅ Nama sudah benar") == "success" and set(styles.values()) == {None}
    await harness.press(person, offer, "Perbaiki nama")
    [bad] = await harness.send(person, "<a href='x'>Ayu</a>")
    assert "tidak bisa dipakai" in bad.text
    await harness.restart()  # the question survives a restart
    replies = await harness.send(person, SPECIAL)
    assert any("sedang dikirim" in m.text for m in replies)
    document = person.last()
    assert document.method == "sendDocument" and document.document is not None
    filename, pdf = document.document
    assert filename == "sertifikat-KP-2026-01-0001.pdf"
    assert SPECIAL in pdf_text(pdf) and "KP-2026-01/0001/XII/2026" in document.text
    [link] = qr_codes_on_page(pdf)
    async with harness.sessions() as session:
        certificate = await session.scalar(select(Certificate))
    assert certificate is not None and certificate.name_confirmed_at is not None
    assert link == f"https://t.me/{BOT_USERNAME}?start=sk_{certificate.verify_code}"
    # Anyone who scans it learns it is genuine; a forged or altered code is refused.
    anyone = harness.user(4242, "Penguji")
    [genuine] = await harness.send(anyone, f"/start {link.split('start=')[1]}")
    assert "Sertifikat asli" in genuine.text and SPECIAL in genuine.text
    assert "30 November – 1 Desember 2026" in genuine.text
    code = certificate.verify_code
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")  # one character changed
    for forged in ("sk_" + altered, "sk_KP-2026-01-0001", "sk_"):
        [refused] = await harness.send(anyone, f"/start {forged}")
        assert "tidak kami temukan" in refused.text and "Sertifikat asli" not in refused.text
    # The offer's buttons are spent; fixing again reissues with the same number.
    await harness.press(person, document, "Perbaiki nama")
    await harness.send(person, "Ni Luh Ayu Pradnyaswari")
    again = person.last()
    assert again.document is not None and "nama diperbaiki" in again.text
    assert "KP-2026-01/0001/XII/2026" in again.text


async def test_staff_documents_menu_zip_report_and_statistics(harness: BotHarness) -> None:
    names = ["Siti", SPECIAL, "Budi"]
    await finished_training(harness.sessions, names, [[1, 2, 3], [1, 2, 3], [1]])
    staff = harness.user(ADMIN_ID, "Staf")
    [menu] = await harness.send(staff, "/admin")
    await harness.press(staff, menu, "KP-2026-01")
    await harness.press(staff, menu, "Dokumen")
    assert "Dokumen" in menu.text
    [sheet] = await harness.press(staff, menu, "Daftar hadir hari 3")
    assert sheet.document is not None and sheet.document[0] == "daftar-hadir-KP-2026-01-hari-3.pdf"
    assert SPECIAL in pdf_text(sheet.document[1])
    [archive] = await harness.press(staff, menu, "Sertifikat (ZIP)")
    assert archive.document is not None and "2 sertifikat" in archive.text
    with zipfile.ZipFile(io.BytesIO(archive.document[1])) as content:
        assert len(content.namelist()) == 2
    report, workbook = await harness.press(staff, menu, "Laporan kegiatan")
    assert report.document is not None and report.document[0] == "laporan-KP-2026-01.pdf"
    assert workbook.document is not None and workbook.document[0] == "laporan-KP-2026-01.xlsx"
    assert "LAPORAN KEGIATAN" in pdf_text(report.document[1])
    charts = await harness.send(staff, "/statistik KP-2026-01")
    assert len(charts) >= 4 and all(m.method == "sendPhoto" and m.photo for m in charts)
    assert "Terdaftar 3/3" in charts[0].text
    [chooser] = await harness.send(staff, "/statistics")
    album = await harness.press(staff, chooser, "KP-2026-01")
    assert len(album) == len(charts)
    # Participants get a plain refusal.
    person = harness.user(777, "Orang")
    [refusal] = await harness.send(person, "/statistik KP-2026-01")
    assert refusal.text == "Perintah ini tidak tersedia."


async def test_hadir_by_day_and_by_name(harness: BotHarness) -> None:
    names = [f"Peserta {i:02d}" for i in range(1, 25)] + ["Wayan Sudarma"]
    await finished_training(harness.sessions, names, [[1]] * len(names))
    staff = harness.user(ADMIN_ID, "Staf")
    [screen] = await harness.send(staff, "/hadir KP-2026-01")
    assert "tidak ada jadwal hari ini" in screen.text
    await harness.press(staff, screen, "Hari 1")
    assert "25/25 hadir" in screen.text and "/hadir KP-2026-01 nama" in screen.text
    await harness.press(staff, screen, "Hari lain")
    await harness.press(staff, screen, "Hari 2")
    assert "0/25 hadir" in screen.text
    [found] = await harness.send(staff, "/hadir KP-2026-01 wayan")
    await harness.press(staff, found, "Hari 2")
    assert found.buttons()[0][0] == "⬜ Wayan Sudarma"
    await harness.press(staff, found, "Wayan Sudarma")
    assert "1/25 hadir" in found.text and found.buttons()[0][0] == "✅ Wayan Sudarma"
    [none] = await harness.send(staff, "/hadir KP-2026-01 zzz")
    await harness.press(staff, none, "Hari 2")
    assert "Tidak ada peserta bernama atau berkode tiket “zzz”" in none.text


async def test_erasing_ones_data_erases_the_certificate_name_and_survey_words(
    harness: BotHarness,
) -> None:
    _, regs = await finished_training(harness.sessions, [SPECIAL], [[1, 2, 3]])
    telegram_id = await telegram_id_of(harness.sessions, regs[0])
    now = harness.clock()
    async with harness.sessions() as session:
        issued = await certificates.issue(session, regs[0].id, now, JAKARTA, confirmed=True)
        assert issued is not None
        code = issued.verify_code
        for step, value in ((Step.OVERALL, 5), (Step.MATERIAL, 4), (Step.TRAINER, 4)):
            await survey.answer(session, regs[0].id, telegram_id, step, value, now)
        await survey.answer(session, regs[0].id, telegram_id, Step.HELPED, "Ibu Ayu, HPP", now)
    person = harness.user(telegram_id, "Ayu")
    [ask] = await harness.send(person, "/hapusdata")
    await harness.press(person, ask, "Ya, hapus data saya")
    # The certificate stays genuine, but no longer names anyone; the ratings stay, the words go.
    [check] = await harness.send(harness.user(4242, "Penguji"), f"/start sk_{code}")
    assert "Sertifikat asli" in check.text and "dihapus atas permintaan" in check.text
    assert "Pradnyaswari" not in check.text
    async with harness.sessions() as session:
        certificate = await session.scalar(select(Certificate))
        response = await session.scalar(select(SurveyResponse))
    assert certificate is not None and (certificate.name, certificate.business) == ("", "")
    assert response is not None and response.helped is None and response.overall == 5


# ---- who gets the survey, and when (survivors of mutation testing) ---------------------------
LAST_END = datetime(2026, 11, 26, 15, 0, tzinfo=JAKARTA)  # the end of `finished_training`


async def test_the_survey_waits_for_the_delay_and_stops_after_the_window(
    harness: BotHarness,
) -> None:
    training, _ = await finished_training(harness.sessions, ["Siti"], [[1]])
    delay = timedelta(hours=2)  # SURVEY_DELAY_HOURS
    cases = {
        LAST_END + delay - timedelta(microseconds=1): [],
        LAST_END + delay: [training.id],  # the delay itself is enough
        LAST_END + survey.SURVEY_WINDOW: [training.id],
        LAST_END + delay + survey.SURVEY_WINDOW - timedelta(seconds=1): [training.id],
        LAST_END + delay + survey.SURVEY_WINDOW: [],  # the window is over
        LAST_END + timedelta(days=20): [],
    }
    async with harness.sessions() as session:
        for now, expected in cases.items():
            assert await survey.finished_training_ids(session, now, 2) == expected, now


async def test_the_survey_goes_to_each_confirmed_attendee_of_a_finished_training_only(
    harness: BotHarness,
) -> None:
    async with harness.sessions() as session:  # a participant first: ids no longer line up
        await make_participant(session, 699_999, "Dewi Lestari")
    kp, [siti, budi, wayan] = await finished_training(
        harness.sessions, ["Siti", "Budi", "Wayan"], [[1], [1], [1]]
    )
    later = (date(2026, 11, 27), date(2026, 11, 28))  # still running on the 27th
    mk, [made] = await finished_training(
        harness.sessions, ["Made"], [[1]], code="MK-2026-02", days=later, first_id=700_100
    )
    async with harness.sessions() as session:
        cancelled = await session.get(Registration, wayan.id)  # came on day 1, then cancelled
        assert cancelled is not None
        cancelled.status = RegistrationStatus.CANCELLED
        holder = await session.get(Participant, siti.participant_id)
        assert holder is not None
        colleague = Participant(
            registered_by_id=holder.id, chat_id=holder.chat_id, language="id",
            full_name="Rekan Siti", phone="+6281299990001", created_at=NOW, updated_at=NOW,
        )  # fmt: skip
        session.add(colleague)
        await session.commit()
        theirs = await register(session, colleague, kp)
        day = await session.scalar(select(TrainingDay.id).where(TrainingDay.training_id == kp.id))
        assert day is not None
        session.add(
            Attendance(
                registration_id=theirs.id, training_day_id=day, method="manual",
                checked_in_by=ADMIN_ID, checked_in_at=NOW,
            )
        )  # fmt: skip
        await session.commit()
    async with harness.sessions() as session:
        assert await queue_surveys(session, datetime(2026, 11, 27, 12, 0, tzinfo=JAKARTA), 2) == 2
    async with harness.sessions() as session:
        rows = (
            await session.execute(
                select(Delivery.registration_id, Delivery.participant_id, Delivery.priority)
                .where(Delivery.kind == Kind.SURVEY.value)
                .order_by(Delivery.registration_id)
            )
        ).all()
    # Not Wayan (cancelled), nor Siti's colleague (no chat of their own), nor Made (MK runs).
    assert [tuple(row) for row in rows] == [
        (siti.id, siti.participant_id, BULK),
        (budi.id, budi.participant_id, BULK),
    ]
    assert made.training_id == mk.id


async def test_no_survey_for_someone_who_erased_their_data_after_it_was_queued(
    harness: BotHarness,
) -> None:
    _, regs = await finished_training(harness.sessions, ["Siti", "Budi"], [[1], [1]])
    siti, budi = [await telegram_id_of(harness.sessions, r) for r in regs]
    async with harness.sessions() as session:
        assert await queue_surveys(session, harness.clock(), 2) == 2
    async with harness.sessions() as session:
        await erase_participant(session, budi, harness.clock())
    await sender_of(harness.app).run()
    [invitation] = [m for m in harness.tg.sent_to(siti) if INTRO in m.text]
    assert "Pelatihan Kain Perca dan Melukis Kain" in invitation.text  # the training's title
    assert await _surveys_sent(harness, budi) == 0


async def test_the_summary_counts_averages_and_quotes_the_five_latest_answers(
    harness: BotHarness,
) -> None:
    names = [f"Peserta {n}" for n in range(7)]
    training, regs = await finished_training(harness.sessions, names, [[1]] * 7)
    _, [other] = await finished_training(
        harness.sessions, ["Lain"], [[1]], code="MK-2026-02", first_id=700_100
    )
    overall = [5, 4, 4, 5, 4, 4, 5]  # 31/7 = 4.43
    topics = ["packaging", "packaging", "packaging", "bookkeeping", "capital", "capital"]
    said = ["jawaban 0", "jawaban 1", "jawaban 2", "jawaban 3", "jawaban 4", "jawaban 5", "  "]
    for minute, reg in enumerate([*regs, other]):
        at = 4 if minute == 5 else minute  # Peserta 4 and 5 answer in the same minute
        harness.clock.set(datetime(2026, 11, 27, 9, at, tzinfo=JAKARTA))
        await _answer(harness, reg, Step.OVERALL, overall[minute] if minute < 7 else 1)
        for step in (Step.MATERIAL, Step.TRAINER):
            await _answer(harness, reg, step, 4)
        await _answer(harness, reg, Step.HELPED, said[minute] if minute < 7 else "lain")
        if minute < len(topics):
            await _answer(harness, reg, Step.TOPICS, topics[minute])
        if minute < 3:
            await _answer(harness, reg, Step.DONE, None)
    harness.clock.set(datetime(2026, 11, 27, 9, 30, tzinfo=JAKARTA))
    await _answer(harness, regs[3], Step.DONE, None)  # Peserta 3 finishes last of all
    async with harness.sessions() as session:
        summary = await survey.survey_summary(session, training.id)
        nobody = await survey.survey_summary(session, training.id + 1000)
    # The five that answered last and said something (a blank answer takes no place, another
    # training's none); two at the same moment, the later row first.
    assert summary.quotes == tuple(f"jawaban {n}" for n in (3, 5, 4, 2, 1))
    assert (summary.invited, summary.answered, summary.finished) == (7, 7, 4)
    assert summary.averages == (("overall", 4.43), ("material", 4.0), ("trainer", 4.0))
    assert summary.topics == (("packaging", 3), ("capital", 2), ("bookkeeping", 1))
    assert (nobody.invited, nobody.answered, nobody.quotes) == (0, 0, ())
