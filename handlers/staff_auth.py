"""The one staff guard: every staff command and button goes through `staff_only`.

Staff are the numeric Telegram ids in `ADMIN_IDS` (`settings.is_admin`), checked on every
update, never cached: removing an id from the settings takes effect at the next restart and
nothing stored in a conversation or in user_data can grant access.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import ConversationHandler

from bot.runtime.context import BotContext
from handlers.buttons import alert

Result = TypeVar("Result")
Handler = Callable[[Update, BotContext], Coroutine[Any, Any, Result]]


def is_staff(update: Update, context: BotContext) -> bool:
    """Whether the sender of this update is staff."""
    user = update.effective_user
    return user is not None and context.settings.is_admin(user.id)


async def refuse(update: Update, context: BotContext) -> None:
    """The plain refusal a non-staff user gets: it names nothing and explains nothing."""
    await alert(update, context, "error.not_staff")


def staff_only(handler: Handler[Result]) -> Handler[Any]:
    """Run `handler` only for staff; anyone else gets `refuse` (and leaves any conversation)."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: BotContext) -> Any:
        if not is_staff(update, context):
            await refuse(update, context)
            return ConversationHandler.END
        return await handler(update, context)

    return guarded
