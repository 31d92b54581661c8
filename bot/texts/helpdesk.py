"""How the helpdesk reads: the office's contact lines, a participant's message as the staff
group sees it, a staff reply as the participant sees it, and the receipt staff get."""

from __future__ import annotations

import re

from bot.models import DeliveryState
from bot.services.helpdesk import CUT, QuestionView, ReceiptView, ReplyView
from bot.texts import Safe, t
from bot.texts.formatting import format_phone
from bot.texts.message import Copy, Outgoing
from bot.texts.registrations import dates_of, short_status

# Registrations listed under a participant's message (the newest active ones come first).
MAX_REGISTRATIONS = 5
# A copied voice note or photo says it all in a caption of 1024 characters: fewer
# registrations, and the person's words cut shorter.
MEDIA_REGISTRATIONS = 2
MEDIA_TEXT = 300
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


def _registrations(view: QuestionView, lang: str, most: int = MAX_REGISTRATIONS) -> list[str]:
    if not view.registrations:
        return [t("helpdesk.question.no_registrations", lang)]
    lines = [t("helpdesk.question.registrations", lang)]
    for registration in view.registrations[:most]:
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
    hidden = len(view.registrations) - most
    if hidden > 0:
        lines.append(t("my.history.more", lang, count=hidden))
    return lines


def question_message(view: QuestionView, lang: str) -> Outgoing:
    """A participant's message for the staff group: who, their registrations, their words; a
    voice note, photo, video or file is copied with all that as its caption."""
    if view.media is None:
        header, most, words = t("helpdesk.question.header", lang), MAX_REGISTRATIONS, view.text
    else:
        kind = Safe(t(f"helpdesk.media.{view.media.kind}", lang))
        header, most = t("helpdesk.question.header_media", lang, kind=kind), MEDIA_REGISTRATIONS
        words = view.text if len(view.text) <= MEDIA_TEXT else view.text[: MEDIA_TEXT - 5] + CUT
    quoted = ["", t("helpdesk.question.text", lang, text=words)] if words else []
    lines = [
        header,
        *_who(view, lang),
        *_registrations(view, lang, most),
        *quoted,
        "",
        t("helpdesk.question.footer", lang),
    ]
    copy = None if view.media is None else Copy(view.media.chat_id, view.media.message_id)
    return Outgoing("\n".join(lines), copy=copy)


def reply_message(view: ReplyView, org: str) -> Outgoing:
    """A staff member's reply, as the participant reads it (a voice note, photo or file is
    copied with it as its caption)."""
    if view.media is None:
        return Outgoing(t("helpdesk.reply", view.language, org=org, text=view.text))
    key = "helpdesk.reply" if view.text else "helpdesk.reply.media"
    copy = Copy(view.media.chat_id, view.media.message_id)
    return Outgoing(t(key, view.language, org=org, text=view.text), copy=copy)


def receipt_message(view: ReceiptView, lang: str) -> Outgoing | None:
    """Under the staff member's reply: delivered, or why not (None while it is undecided)."""
    key = _RECEIPTS.get(view.state)
    if key is None:
        return None
    name = view.name or t("helpdesk.someone", lang)
    return Outgoing(t(key, lang, name=name), reply_to=view.staff_message_id)
