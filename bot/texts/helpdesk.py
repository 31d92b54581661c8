"""How the helpdesk reads: the office's contact lines, a participant's message as the staff
group sees it, a staff reply as the participant sees it, and the receipt staff get."""

from __future__ import annotations

import re

from bot.models import DeliveryState
from bot.services.helpdesk import QuestionView, ReceiptView, ReplyView
from bot.texts import t
from bot.texts.formatting import format_phone
from bot.texts.message import Outgoing
from bot.texts.registrations import dates_of, short_status

# Registrations listed under a participant's message (the newest active ones come first).
MAX_REGISTRATIONS = 5
_RECEIPTS = {
    DeliveryState.SENT: "helpdesk.receipt.sent",
    DeliveryState.BLOCKED: "helpdesk.receipt.blocked",
    DeliveryState.FAILED: "helpdesk.receipt.failed",
    DeliveryState.UNKNOWN: "helpdesk.receipt.unknown",
}


# Where an office's name says its city or regency: "Dinas Koperasi dan UKM Kota Malang".
_CITY = re.compile(r"\b(?:Kota|Kabupaten|Kab\.)\s+\S.*$")


def city_of(org_name: str) -> str | None:
    """The city at the end of the office's name ("Kota Malang"), None when it names none."""
    found = _CITY.search(org_name.strip())
    return found.group(0) if found else None


def free_for(org_name: str, lang: str) -> str:
    """ "Pelatihannya gratis untuk pelaku usaha mikro di Kota Malang." (plain text)."""
    city = city_of(org_name)
    return t("office.free.city", lang, city=city) if city else t("office.free", lang)


def office_lines(org: str, contact: str | None, ask_here: bool, lang: str) -> str:
    """Where to ask: "write here" when a staff group takes messages, and the office's contact."""
    lines = [t("office.ask_here", lang, org=org)] if ask_here else []
    if contact:
        lines.append(t("office.contact", lang, org=org, contact=contact))
    elif not ask_here:
        lines.append(t("office.no_contact", lang, org=org))
    return "\n".join(lines)


def _who(view: QuestionView, lang: str) -> list[str]:
    lines = [
        t("helpdesk.question.name", lang, name=view.name)
        if view.name
        else t("helpdesk.question.unnamed", lang)
    ]
    if view.username:
        telegram = t(
            "helpdesk.question.telegram_username",
            lang, telegram=view.telegram_name, username=view.username,
        )  # fmt: skip
    else:
        telegram = t("helpdesk.question.telegram", lang, telegram=view.telegram_name)
    lines.append(telegram)
    if view.phone:
        lines.append(t("helpdesk.question.phone", lang, phone=format_phone(view.phone)))
    return lines


def _registrations(view: QuestionView, lang: str) -> list[str]:
    if not view.registrations:
        return [t("helpdesk.question.no_registrations", lang)]
    lines = [t("helpdesk.question.registrations", lang)]
    for registration in view.registrations[:MAX_REGISTRATIONS]:
        lines.append(
            t(
                "helpdesk.question.registration",
                lang,
                code=registration.training.code,
                title=registration.training.title,
                dates=dates_of(registration, lang),
                status=short_status(registration, lang),
            )
        )
    hidden = len(view.registrations) - MAX_REGISTRATIONS
    if hidden > 0:
        lines.append(t("my.history.more", lang, count=hidden))
    return lines


def question_message(view: QuestionView, lang: str) -> Outgoing:
    """A participant's message for the staff group: who, their registrations, their words."""
    lines = [
        t("helpdesk.question.header", lang),
        *_who(view, lang),
        *_registrations(view, lang),
        "",
        t("helpdesk.question.text", lang, text=view.text),
        "",
        t("helpdesk.question.footer", lang),
    ]
    return Outgoing("\n".join(lines))


def reply_message(view: ReplyView, org: str) -> Outgoing:
    """A staff member's reply, as the participant reads it."""
    return Outgoing(t("helpdesk.reply", view.language, org=org, text=view.text))


def receipt_message(view: ReceiptView, lang: str) -> Outgoing | None:
    """Under the staff member's reply: delivered, or why not (None while it is undecided)."""
    key = _RECEIPTS.get(view.state)
    if key is None:
        return None
    name = view.name or t("helpdesk.someone", lang)
    return Outgoing(t(key, lang, name=name), reply_to=view.staff_message_id)
