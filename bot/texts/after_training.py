"""After the training, as people read it in the chat: the survey's questions, the certificate
offer and the certificate, a certificate's check, and the feedback summary for staff."""

from __future__ import annotations

from bot.services.certificates import CertificateView, OfferView
from bot.services.survey import MAX_HELPED, TOPICS, Step, SurveyState, SurveySummary
from bot.texts import Safe, escape, t
from bot.texts.callbacks import CERTIFICATE, SURVEY, pack
from bot.texts.formatting import format_date_range
from bot.texts.labels import action
from bot.texts.message import Attachment, Button, Outgoing, keyboard

CONFIRM = "ok"
FIX = "fix"
SKIP = "skip"
DONE = "done"
QUOTE_LIMIT = 200


def _stars(registration_id: int, step: Step) -> tuple[Button, ...]:
    return tuple(
        Button(f"{n}⭐", pack(SURVEY, registration_id, step.value, n)) for n in range(1, 6)
    )


def _topics(state: SurveyState, lang: str) -> list[Button]:
    buttons = []
    for topic in TOPICS:
        mark = "☑️" if topic in state.topics else "⬜"
        label = f"{mark} {t(f'survey.topic.{topic}', lang)}"
        buttons.append(Button(label, pack(SURVEY, state.registration_id, Step.TOPICS.value, topic)))
    return buttons


def survey_message(state: SurveyState, lang: str, *, intro: bool = False) -> Outgoing:
    """The survey at its current question (the first message also thanks them)."""
    head = t("survey.intro", lang, title=state.training_title) + "\n\n" if intro else ""
    reg = state.registration_id
    if state.step == Step.DONE:
        return Outgoing(head + t("survey.done", lang))
    if state.step == Step.HELPED:
        text = t("survey.ask.helped", lang, limit=MAX_HELPED)
        skip = Button(t("survey.button.skip", lang), pack(SURVEY, reg, Step.HELPED.value, SKIP))
        return Outgoing(head + text, keyboard(skip))
    if state.step == Step.TOPICS:
        done = Button(t("survey.button.done", lang), pack(SURVEY, reg, Step.DONE.value, DONE))
        return Outgoing(head + t("survey.ask.topics", lang), keyboard(*_topics(state, lang), done))
    text = t(f"survey.ask.{state.step.value}", lang)
    return Outgoing(head + text, (_stars(reg, state.step),))


def certificate_offer(view: OfferView, lang: str) -> Outgoing:
    """ "You earned a certificate; is your name spelled right?" with confirm / fix buttons."""
    reg = view.registration_id
    return Outgoing(
        t("cert.offer", lang, title=view.training_title, name=view.name),
        keyboard(
            action("cert.button.confirm", lang, pack(CERTIFICATE, reg, CONFIRM)),
            Button(t("cert.button.fix", lang), pack(CERTIFICATE, reg, FIX)),
        ),
    )


def certificate_message(view: CertificateView, filename: str, pdf: bytes, lang: str) -> Outgoing:
    """The certificate as a document, with a button to fix the name should it be wrong."""
    key = "cert.caption" if view.revision == 1 else "cert.caption_reissued"
    fix = Button(t("cert.button.fix", lang), pack(CERTIFICATE, view.registration_id, FIX))
    return Outgoing(
        t(key, lang, title=view.training_title, number=view.number),
        keyboard(fix),
        document=Attachment(filename, pdf),
    )


def verification_text(view: CertificateView | None, org: str, lang: str) -> str:
    """A certificate's check: who it belongs to and for what, or that it is not known."""
    if view is None:
        return t("cert.unknown", lang, org=org)
    return t(
        "cert.genuine",
        lang,
        number=view.number,
        name=view.name or t("cert.name_erased", lang),
        title=view.training_title,
        dates=format_date_range(view.first_day, view.last_day, lang),
        org=org,
    )


def _stars_text(value: float) -> str:
    return "★" * round(value) + "☆" * (5 - round(value))


def feedback_text(summary: SurveySummary, title: str, code: str, lang: str) -> str:
    """The survey of a training in numbers and a few answers, for staff."""
    averages = [
        t(
            "feedback.average",
            lang,
            label=t(f"survey.rating.{name}", lang),
            stars=_stars_text(value),
            value=f"{value:.1f}",
        )
        if value is not None
        else t("feedback.no_average", lang, label=t(f"survey.rating.{name}", lang))
        for name, value in summary.averages
    ]
    topics = [
        t("feedback.topic", lang, label=t(f"survey.topic.{topic}", lang), count=count)
        for topic, count in summary.topics
    ]
    quotes = [
        t("feedback.quote", lang, text=q if len(q) <= QUOTE_LIMIT else q[: QUOTE_LIMIT - 1] + "…")
        for q in summary.quotes
    ]
    return t(
        "feedback.summary",
        lang,
        title=title,
        code=code,
        answered=summary.answered,
        invited=summary.invited,
        finished=summary.finished,
        averages=Safe("\n".join(averages)),
        topics=Safe("\n".join(topics) or t("feedback.none", lang)),
        quotes=Safe("\n".join(quotes) or escape(t("feedback.none", lang))),
    )
