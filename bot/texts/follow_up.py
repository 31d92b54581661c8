"""The follow-up months after the training, as people read it in the chat: one question at a
time with its buttons (`fup:<follow-up>:<question>:<answer>`), and its numbers for staff."""

from __future__ import annotations

from bot.services.baseline import SALES_BANDS
from bot.services.business_follow_up import APPLIED, FollowUpState, RoundCount, Step
from bot.texts import t
from bot.texts.callbacks import FOLLOW_UP, pack
from bot.texts.message import Button, Keyboard, Outgoing

YES, NO = "y", "n"
SKIP = "skip"
# Enters the typed answer (the workers, the photo) from a message sent by the outbox.
ASK = "ask"


def _button(state: FollowUpState, label: str, value: str) -> Button:
    return Button(label, pack(FOLLOW_UP, state.response_id, state.step.value, value))


def _yes_no(state: FollowUpState, lang: str) -> Keyboard:
    return ((_button(state, t("base.yes", lang), YES), _button(state, t("base.no", lang), NO)),)


def _buttons(state: FollowUpState, lang: str) -> Keyboard:
    """The current question's buttons."""
    if state.step in (Step.RUNNING, Step.NEW_PRODUCT, Step.MENTORING):
        return _yes_no(state, lang)
    if state.step == Step.SALES:
        return tuple((_button(state, t(f"base.sales.{b}", lang), b),) for b in SALES_BANDS)
    if state.step == Step.WORKERS:
        return ((_button(state, t("fu.button.type", lang), ASK),),)
    if state.step == Step.APPLIED:
        return (tuple(_button(state, t(f"fu.applied.{a}", lang), a) for a in APPLIED),)
    if state.step == Step.PHOTO:
        photo = _button(state, t("fu.button.photo", lang), ASK)
        return ((photo, _button(state, t("fu.button.skip", lang), SKIP)),)
    return ()


def follow_up_message(state: FollowUpState, lang: str, *, head: str = "") -> Outgoing:
    """The follow-up at its current question (below `head`: the greeting or the reminder)."""
    top = head + "\n\n" if head else ""
    if state.step == Step.DONE:
        return Outgoing(top + t("fu.done", lang))
    return Outgoing(top + t(f"fu.ask.{state.step.value}", lang), _buttons(state, lang))


def follow_up_first(state: FollowUpState, lang: str, *, reminder: bool) -> Outgoing:
    """What the outbox sends: the greeting (or the one reminder), then the current question."""
    if reminder:
        head = t("fu.reminder", lang, title=state.training_title)
    else:
        head = t("fu.intro", lang, days=state.round, title=state.training_title)
    return follow_up_message(state, lang, head=head)


def round_lines(counts: list[RoundCount], lang: str) -> str:
    """For staff: each round's answered / asked (empty before the first is sent)."""
    return "\n".join(
        t("fu.staff.round", lang, days=c.round, answered=c.answered, asked=c.asked) for c in counts
    )
