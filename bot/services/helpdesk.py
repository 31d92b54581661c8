"""A person to ask: what a participant types outside a step goes to the staff group, and a
staff member's reply to it there goes back to the participant. Every message, both ways and
the "delivered" receipt for staff, is an outbox row.

    participant ──text, voice note, photo, video, file──▶ ask_staff ──▶ question row
                ─outbox─▶ staff group (a media message is copied there, who sent it in its
                          caption; the message id of the copy is recorded on the delivery)
    staff reply to that copy ──▶ reply_to_question ──▶ reply row ─outbox─▶ participant
    the reply's answer recorded ──▶ queue_receipts ──▶ receipt row ─outbox─▶ staff group

One forward per person per `FORWARD_EVERY`: while a person's last question still waits in the
outbox, what they write joins it (up to `MAX_TEXT` characters), so a flood of messages makes
one or two forwards, not hundreds. A voice note or photo joins a waiting forward that carries
none yet (its caption joins the words); one that comes while the waiting forward already
carries one is a forward of its own, a turn later.
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Delivery, DeliveryState, HelpdeskMessage, Participant
from bot.services.my_registrations import RegistrationView, registrations_of
from bot.services.outbox import NOTICE, Kind, NewDelivery, enqueue
from bot.services.participants import ensure_participant

QUESTION = "question"
REPLY = "reply"
# At most one forward per person this often; what they write meanwhile joins the waiting one.
FORWARD_EVERY = timedelta(seconds=60)
# Characters of a person's words in one forward, and of one reply (a message holds 4096).
MAX_TEXT = 2000
CUT = " […]"


class Asked(enum.StrEnum):
    """What became of a participant's message."""

    FORWARDED = "forwarded"  # a new forward to the staff group is queued
    ADDED = "added"  # it joined their forward that is still waiting to go


class Replied(enum.StrEnum):
    """What became of a staff member's reply in the group."""

    QUEUED = "queued"  # on its way to the participant
    NOT_A_QUESTION = "not_a_question"  # the message replied to is not a forwarded question
    ERASED = "erased"  # the participant deleted their data
    UNREACHABLE = "unreachable"  # the participant blocked the bot


@dataclass(frozen=True)
class Media:
    """A voice note, photo, video or file to pass on: its kind ("voice", "photo", "document"…)
    and the message that holds it, which the bot copies."""

    kind: str
    chat_id: int
    message_id: int


@dataclass(frozen=True)
class Asker:
    """Who writes: their Telegram ids, name as Telegram shows it, @username and language."""

    telegram_id: int
    chat_id: int
    name: str
    username: str | None
    language: str


@dataclass(frozen=True)
class ReplyResult:
    """The outcome of a staff reply, and the participant's name for staff to read."""

    outcome: Replied
    name: str = ""


@dataclass(frozen=True)
class QuestionView:
    """A forward as the staff group reads it: who, their registrations, what they wrote."""

    name: str
    telegram_name: str
    username: str | None
    phone: str | None
    registrations: list[RegistrationView]
    text: str
    media: Media | None = None


@dataclass(frozen=True)
class ReplyView:
    """A staff reply as the participant reads it."""

    text: str
    language: str
    media: Media | None = None


def _media_of(message: HelpdeskMessage) -> Media | None:
    if message.media is None or message.media_chat_id is None or message.media_message_id is None:
        return None
    return Media(message.media, message.media_chat_id, message.media_message_id)


def _with_media(message: HelpdeskMessage, media: Media | None) -> None:
    if media is not None:
        message.media = media.kind
        message.media_chat_id, message.media_message_id = media.chat_id, media.message_id


def _erased(message: HelpdeskMessage) -> bool:
    """Blanked when its writer deleted their data (no words and no media left)."""
    return not message.text and message.media is None


@dataclass(frozen=True)
class ReceiptView:
    """What staff learn about a reply: delivered or not, to whom, under which message."""

    state: DeliveryState
    name: str
    staff_message_id: int | None


def _joined(before: str, more: str) -> str:
    """`more` added on a new line, the whole kept within `MAX_TEXT`."""
    if before.endswith(CUT):
        return before
    text = f"{before}\n{more}" if before else more
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - len(CUT)] + CUT


async def _last_question(session: AsyncSession, participant_id: int) -> HelpdeskMessage | None:
    return await session.scalar(
        select(HelpdeskMessage)
        .where(
            HelpdeskMessage.participant_id == participant_id,
            HelpdeskMessage.direction == QUESTION,
        )
        .order_by(HelpdeskMessage.id.desc())
        .limit(1)
    )


async def _waiting_delivery(session: AsyncSession, delivery_id: int) -> Delivery | None:
    """The delivery if no sender has claimed it yet, locked until this transaction ends.

    A sender that claimed it first makes this None (PostgreSQL re-checks the row after the
    claim commits; SQLite's write lock keeps the two apart), so nothing is added to a forward
    that is already being rendered."""
    return await session.scalar(
        select(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.state == DeliveryState.PENDING,
            Delivery.claimed_at.is_(None),
        )
        .with_for_update()
    )


async def _new_message(
    session: AsyncSession, delivery: NewDelivery, message: HelpdeskMessage, now: datetime
) -> bool:
    """Queue `delivery` and keep `message` with it; False when that key was queued already."""
    await enqueue(session, [delivery], now)
    delivery_id = await session.scalar(select(Delivery.id).where(Delivery.key == delivery.key))
    taken = await session.scalar(
        select(HelpdeskMessage.id).where(HelpdeskMessage.delivery_id == delivery_id)
    )
    if delivery_id is None or taken is not None:
        return False
    message.delivery_id = delivery_id
    session.add(message)
    return True


async def ask_staff(
    session: AsyncSession,
    asker: Asker,
    text: str,
    staff_chat_id: int,
    now: datetime,
    media: Media | None = None,
) -> Asked:
    """Forward a participant's words (or voice note, photo, file with its caption) to the staff
    group, or add them to the waiting forward."""
    participant = await ensure_participant(
        session, asker.telegram_id, chat_id=asker.chat_id, language=asker.language, now=now
    )
    last = await _last_question(session, participant.id)
    waiting = None if last is None else await _waiting_delivery(session, last.delivery_id)
    if last is not None and waiting is not None and (media is None or last.media is None):
        last.text = _joined(last.text, text) if text else last.text
        _with_media(last, media)
        last.updated_at = now
        await session.commit()
        return Asked.ADDED
    due = now
    if last is not None:
        sent = await session.scalar(select(Delivery.due_at).where(Delivery.id == last.delivery_id))
        due = max(now, (sent or now) + FORWARD_EVERY)
    delivery = NewDelivery(
        kind=Kind.HELPDESK_QUESTION,
        key=f"helpdesk-question:{participant.id}:{secrets.token_hex(8)}",
        chat_id=staff_chat_id,
        priority=NOTICE,
        due_at=due,
    )
    question = HelpdeskMessage(
        participant_id=participant.id, direction=QUESTION, text=_joined("", text),
        sender_name=asker.name[:200], username=(asker.username or "")[:40] or None,
        created_at=now, updated_at=now,
    )  # fmt: skip
    _with_media(question, media)
    await _new_message(session, delivery, question, now)
    await session.commit()
    return Asked.FORWARDED


async def _question_at(
    session: AsyncSession, staff_chat_id: int, message_id: int
) -> tuple[HelpdeskMessage, Participant] | None:
    """The forwarded question whose copy in the staff group has this message id."""
    row = (
        await session.execute(
            select(HelpdeskMessage, Participant)
            .join(Delivery, Delivery.id == HelpdeskMessage.delivery_id)
            .join(Participant, Participant.id == HelpdeskMessage.participant_id)
            .where(
                HelpdeskMessage.direction == QUESTION,
                Delivery.chat_id == staff_chat_id,
                Delivery.message_id == message_id,
            )
        )
    ).first()
    return None if row is None else (row[0], row[1])


@dataclass(frozen=True)
class StaffReply:
    """A staff member's reply in the group: who, which message, to which message, the text
    (a caption when it is a voice note, photo or file: `media` names its kind)."""

    staff_chat_id: int
    staff_id: int
    message_id: int
    replied_to: int
    text: str
    media: str | None = None


async def reply_to_question(session: AsyncSession, reply: StaffReply, now: datetime) -> ReplyResult:
    """Queue a staff member's reply to a forwarded question for the participant who asked."""
    found = await _question_at(session, reply.staff_chat_id, reply.replied_to)
    if found is None:
        await session.rollback()
        return ReplyResult(Replied.NOT_A_QUESTION)
    question, participant = found
    name = participant.full_name or question.sender_name or ""
    if _erased(question):
        await session.rollback()
        return ReplyResult(Replied.ERASED)
    if participant.unreachable_at is not None:
        await session.rollback()
        return ReplyResult(Replied.UNREACHABLE, name)
    chat_id = participant.chat_id or participant.telegram_id
    assert chat_id is not None  # questions come from accounts, never from a colleague's row
    delivery = NewDelivery(
        kind=Kind.HELPDESK_REPLY,
        key=f"helpdesk-reply:{reply.staff_chat_id}:{reply.message_id}",
        chat_id=chat_id,
        participant_id=participant.id,
        payload={"staff_chat_id": reply.staff_chat_id},
        priority=NOTICE,
    )
    answer = HelpdeskMessage(
        participant_id=participant.id, direction=REPLY, text=reply.text[:MAX_TEXT],
        staff_id=reply.staff_id, staff_message_id=reply.message_id,
        created_at=now, updated_at=now,
    )  # fmt: skip
    if reply.media is not None:
        _with_media(answer, Media(reply.media, reply.staff_chat_id, reply.message_id))
    await _new_message(session, delivery, answer, now)
    await session.commit()
    return ReplyResult(Replied.QUEUED, name)


async def question_views(
    session: AsyncSession, delivery_ids: Sequence[int], now: datetime
) -> dict[int, QuestionView]:
    """What each question row says to the staff group, by delivery id (none for a question
    blanked since: its writer deleted their data)."""
    rows = await session.execute(
        select(HelpdeskMessage, Participant)
        .join(Participant, Participant.id == HelpdeskMessage.participant_id)
        .where(HelpdeskMessage.delivery_id.in_(delivery_ids))
    )
    views: dict[int, QuestionView] = {}
    for question, participant in rows.all():
        if _erased(question):
            continue
        views[question.delivery_id] = QuestionView(
            name=participant.full_name or "",
            telegram_name=question.sender_name or "",
            username=question.username,
            phone=participant.phone,
            registrations=(
                await registrations_of(session, participant.telegram_id, now)
                if participant.telegram_id is not None
                else []
            ),
            text=question.text,
            media=_media_of(question),
        )
    return views


async def reply_views(session: AsyncSession, delivery_ids: Sequence[int]) -> dict[int, ReplyView]:
    """What each reply row says to its participant, by delivery id."""
    rows = await session.execute(
        select(HelpdeskMessage, Participant.language)
        .join(Participant, Participant.id == HelpdeskMessage.participant_id)
        .where(HelpdeskMessage.delivery_id.in_(delivery_ids))
    )
    return {
        reply.delivery_id: ReplyView(reply.text, language, _media_of(reply))
        for reply, language in rows.all()
        if not _erased(reply)
    }


async def queue_receipts(
    session: AsyncSession, reply_delivery_ids: Collection[int], now: datetime
) -> int:
    """After replies were answered by Telegram: queue a receipt to the staff group for each
    (a second call for the same reply adds nothing); commits."""
    rows = await session.execute(
        select(Delivery.id, Delivery.payload).where(
            Delivery.id.in_(reply_delivery_ids), Delivery.kind == Kind.HELPDESK_REPLY.value
        )
    )
    receipts = [
        NewDelivery(
            kind=Kind.HELPDESK_RECEIPT,
            key=f"helpdesk-receipt:{delivery_id}",
            chat_id=int((payload or {})["staff_chat_id"]),
            payload={"reply_delivery_id": delivery_id},
            priority=NOTICE,
        )
        for delivery_id, payload in rows.all()
        if (payload or {}).get("staff_chat_id")
    ]
    added = await enqueue(session, receipts, now)
    await session.commit()
    return added


async def receipt_views(
    session: AsyncSession, reply_delivery_ids: Sequence[int]
) -> dict[int, ReceiptView]:
    """For each reply (by its delivery id): how its send ended, to whom, and the staff
    member's message in the group to answer under."""
    rows = await session.execute(
        select(
            Delivery.id,
            Delivery.state,
            Participant.full_name,
            HelpdeskMessage.staff_message_id,
            HelpdeskMessage.participant_id,
        )
        .join(HelpdeskMessage, HelpdeskMessage.delivery_id == Delivery.id)
        .join(Participant, Participant.id == HelpdeskMessage.participant_id)
        .where(Delivery.id.in_(reply_delivery_ids))
    )
    views: dict[int, ReceiptView] = {}
    for row in rows.all():
        name = row.full_name or await _telegram_name(session, row.participant_id)
        views[row.id] = ReceiptView(row.state, name, row.staff_message_id)
    return views


async def _telegram_name(session: AsyncSession, participant_id: int) -> str:
    """The Telegram name a person last wrote to the staff group under ("" if none)."""
    name = await session.scalar(
        select(HelpdeskMessage.sender_name)
        .where(
            HelpdeskMessage.participant_id == participant_id,
            HelpdeskMessage.direction == QUESTION,
        )
        .order_by(HelpdeskMessage.id.desc())
        .limit(1)
    )
    return name or ""


# What erasing a person's data leaves of their messages to and from the office.
_BLANK = {
    "text": "", "sender_name": None, "username": None,
    "media": None, "media_chat_id": None, "media_message_id": None,
}  # fmt: skip


async def forget_messages(session: AsyncSession, participant_ids: Collection[int]) -> None:
    """Blank what these people wrote to the office and what they were answered (no commit)."""
    if participant_ids:
        await session.execute(
            update(HelpdeskMessage)
            .where(HelpdeskMessage.participant_id.in_(participant_ids))
            .values(_BLANK)
            .execution_options(synchronize_session=False)
        )
