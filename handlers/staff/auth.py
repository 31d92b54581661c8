"""The one staff guard: every staff command, button and step declares the right it needs with
`requires`, and this checks it with the one rule (`bot.services.access`).

    @requires(Right.EXPORT, training=callback_number(1))
    async def export_by_button(update, context) -> None: ...

The sender's access is read on every update, never cached: the ids of `ADMIN_IDS` are full
admins, the others have the role an admin gave them (`/staf`, the Mini App, `python -m bot
staff`), and nothing stored in a conversation or in user_data can grant access. When the update
concerns one training (`training=`), the right must hold on that training; `everywhere=True`
asks for it on every training at once (a new training, an announcement to everyone). Whoever
lacks the right gets the plain refusal a non-staff user gets. The handler finds the permit in
`permit_of(context)`: pickers show only the trainings it allows.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler, MessageHandler, filters

from bot.runtime.context import AnyApplication, BotContext, deps_of
from bot.services import access, audit
from bot.services.access import Right, Staff
from handlers.buttons import alert

Result = TypeVar("Result")
Handler = Callable[[Update, BotContext], Coroutine[Any, Any, Result]]
# The training an update concerns (None: none in particular), read from its data.
TrainingOf = Callable[[Update, BotContext], Awaitable[int | None]]
RULE = "staff_rule"  # the attribute of a guarded handler that holds its rule
PERMIT = "staff_permit"  # the attribute of the context that holds this update's permit
DIRECTORY = "staff_directory"
# After the group-chat guard (-100), before the features (0).
DIRECTORY_GROUP = -90


@dataclass(frozen=True)
class Rule:
    """What a handler needs: a right, on the training of the update, or on every training."""

    right: Right
    training: TrainingOf | None = None
    everywhere: bool = False


@dataclass(frozen=True)
class Permit:
    """The access of this update's sender, and the right the handler is running under."""

    staff: Staff
    right: Right

    def allows(self, training_id: int) -> bool:
        """Whether the right holds on this training."""
        return self.staff.may(self.right, training_id)

    @property
    def trainings(self) -> frozenset[int] | None:
        """The trainings the right is limited to (None: all)."""
        return self.staff.trainings


async def staff_access(update: Update, context: BotContext) -> Staff | None:
    """The access of the sender of this update, read now (None: not staff)."""
    user = update.effective_user
    if user is None:
        return None
    async with context.sessions() as session:
        staff = await access.staff_of(session, user.id, context.settings.admin_ids)
    directory_of(context.application).note(user.id, staff)
    return staff


async def refuse(update: Update, context: BotContext) -> None:
    """The plain refusal a non-staff user gets: it names nothing and explains nothing."""
    await alert(update, context, "error.not_staff")


async def permitted(update: Update, context: BotContext, rule: Rule) -> Permit | None:
    """The permit for `rule`, or None when the sender lacks it."""
    staff = await staff_access(update, context)
    if staff is None or not staff.has(rule.right):
        return None
    if rule.everywhere and not staff.may_everywhere(rule.right):
        return None
    training_id = await rule.training(update, context) if rule.training else None
    if training_id is not None and not staff.may(rule.right, training_id):
        return None
    return Permit(staff, rule.right)


def permit_of(context: BotContext) -> Permit | None:
    """The permit the guard gave this update (None outside a guarded handler)."""
    permit: Permit | None = getattr(context, PERMIT, None)
    return permit


def requires(
    right: Right, *, training: TrainingOf | None = None, everywhere: bool = False
) -> Callable[[Handler[Result]], Handler[Any]]:
    """Run the handler only for staff who hold `right` (on the update's training, or on every
    training); anyone else gets `refuse` (and leaves any conversation)."""
    rule = Rule(right, training, everywhere)

    def decorate(handler: Handler[Result]) -> Handler[Any]:
        @functools.wraps(handler)
        async def guarded(update: Update, context: BotContext) -> Any:
            permit = await permitted(update, context, rule)
            if permit is None:
                await refuse(update, context)
                return ConversationHandler.END
            setattr(context, PERMIT, permit)
            return await handler(update, context)

        setattr(guarded, RULE, rule)
        return guarded

    return decorate


def reader_of(update: Update, context: BotContext) -> audit.Reader:
    """The staff member of this update as the audit trail records a read of personal data."""
    user = update.effective_user
    return audit.Reader(user.id if user is not None else None, context.now())


def rule_of(handler: object) -> Rule | None:
    """The rule a guarded handler declared (None: not guarded)."""
    rule: Rule | None = getattr(handler, RULE, None)
    return rule


# ---- what a handler's update names -------------------------------------------------------
def callback_number(index: int) -> TrainingOf:
    """The training id that is part `index` of the button's data (`exp:12` → index 1)."""

    async def read(update: Update, _context: BotContext) -> int | None:
        query = update.callback_query
        parts = (query.data or "").split(":") if query is not None else []
        return int(parts[index]) if len(parts) > index and parts[index].isdigit() else None

    return read


# ---- who is staff, for the filters of /start and /bantuan --------------------------------
class StaffDirectory:
    """Who holds a role, as last read for their own update (the admins always): what the
    filters of staff's /start and /bantuan ask, sync as filters are. The guard reads again."""

    def __init__(self, admin_ids: frozenset[int]) -> None:
        self.admin_ids = admin_ids
        self.others: set[int] = set()

    def note(self, user_id: int, staff: Staff | None) -> None:
        """What this user's access was found to be just now."""
        if staff is None:
            self.others.discard(user_id)
        else:
            self.others.add(user_id)

    def __contains__(self, user_id: object) -> bool:
        return user_id in self.admin_ids or user_id in self.others


def directory_of(application: AnyApplication) -> StaffDirectory:
    """The application's directory (made at the first use)."""
    services = deps_of(application).services
    if DIRECTORY not in services:
        services[DIRECTORY] = StaffDirectory(deps_of(application).settings.admin_ids)
    directory: StaffDirectory = services[DIRECTORY]
    return directory


class StaffFilter(filters.UpdateFilter):
    """Updates from a user the directory knows as staff."""

    def __init__(self, directory: StaffDirectory) -> None:
        super().__init__(name="staff")
        self.directory = directory

    def filter(self, update: Update) -> bool:
        user = update.effective_user
        return user is not None and user.id in self.directory


def staff_filter(application: AnyApplication) -> StaffFilter:
    """The filter of staff's own /start and /bantuan."""
    return StaffFilter(directory_of(application))


async def _read_access(update: Update, context: BotContext) -> None:
    await staff_access(update, context)


def register(application: AnyApplication) -> None:
    """Read the sender's access before a command or a file reaches the features (the
    directory: a staff member's file is a training file, a participant's goes to the office)."""
    reader: BaseHandler[Update, Any, None] = MessageHandler(
        (filters.COMMAND | filters.Document.ALL) & filters.ChatType.PRIVATE, _read_access
    )
    application.add_handler(reader, group=DIRECTORY_GROUP)
