"""How fixing one's own details reads: the details with a button per detail, the questions
(the registration's own), and what a refused value gets (the registration's hints)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.services.my_details import Detail, Wrong
from bot.services.registration import Profile
from bot.texts import t
from bot.texts.callbacks import DETAILS, pack
from bot.texts.formatting import district_label, format_phone, sector_label
from bot.texts.labels import action
from bot.texts.message import Button, Keyboard, Outgoing, keyboard

OUTSIDE = "out"  # the district button for "outside the city"
MENU, ASK, SECTOR, DISTRICT, DONE = "menu", "ask", "sector", "district", "done"


def edit_details_button(lang: str) -> Button:
    """ "✏️ Ubah data", under /saya and "Data saya"."""
    return Button(t("details.button.edit", lang), pack(DETAILS, MENU))


def _change(detail: Detail, lang: str) -> Button:
    return Button(t(f"reg.edit.{detail.value}", lang), pack(DETAILS, ASK, detail.value))


def details_message(
    profile: Profile, lang: str, *, saved: bool = False, reissued: int = 0
) -> Outgoing:
    """The person's details, a button for each, and "done" (after a change, saying so)."""
    lines = [t("details.saved", lang)] if saved else []
    if reissued:
        lines.append(t("details.reissued", lang))
    if lines:
        lines.append("")
    lines += [
        t("details.header", lang),
        t("privacy.data.full_name", lang, value=profile.full_name),
        t("privacy.data.phone", lang, value=format_phone(profile.phone)),
        t("privacy.data.business_name", lang, value=profile.business_name),
        t("privacy.data.sector", lang, value=sector_label(profile.sector, lang)),
        t("privacy.data.district", lang, value=district_label(profile.district, lang)),
        "",
        t("details.choose", lang),
    ]
    buttons = keyboard(
        (_change(Detail.NAME, lang), _change(Detail.PHONE, lang)),
        (_change(Detail.BUSINESS, lang), _change(Detail.SECTOR, lang)),
        _change(Detail.DISTRICT, lang),
        action("details.button.done", lang, pack(DETAILS, DONE)),
    )
    return Outgoing("\n".join(lines), buttons)


def question(
    detail: Detail, lang: str, sectors: Sequence[str], districts: Sequence[str]
) -> Outgoing:
    """The registration's question for `detail`; a sector or district comes with its buttons."""
    text = t(f"reg.ask.{detail.value}", lang)
    if detail is Detail.SECTOR:
        choices = [Button(sector_label(s, lang), pack(DETAILS, SECTOR, s)) for s in sectors]
    elif detail is Detail.DISTRICT:
        choices = [
            Button(name, pack(DETAILS, DISTRICT, index)) for index, name in enumerate(districts)
        ]
        choices.append(Button(t("reg.district.outside", lang), pack(DETAILS, DISTRICT, OUTSIDE)))
    else:
        return Outgoing(text)
    return Outgoing(text, _in_twos(choices))


def _in_twos(buttons: list[Button]) -> Keyboard:
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))


def wrong_text(wrong: Wrong, lang: str) -> str:
    """Why a typed value was not taken, as registering says it."""
    return t(f"reg.bad.{wrong.value}", lang)
