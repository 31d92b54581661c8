"""The opening of every button handler, once: the callback data parsed with its prefix, and one
answer, a polite pop-up, when the data does not parse (an old message, data the bot never made).

    @button(numbers(callbacks.EXPORT, 1))
    async def export_by_button(update, context, parts: list[int]) -> None: ...

The handler gets the parsed parts; it runs only when they parsed, on a button tap.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import Update

from bot.runtime.context import BotContext
from bot.texts import t
from bot.texts.callbacks import unpack, unpack_ints
from handlers.base import user_language

Parsed = TypeVar("Parsed")
Result = TypeVar("Result")
Parser = Callable[[str | None], Parsed | None]
ButtonHandler = Callable[[Update, BotContext, Parsed], Coroutine[Any, Any, Result]]
Handler = Callable[[Update, BotContext], Coroutine[Any, Any, Result | None]]


def parts(prefix: str, count: int) -> Parser[list[str]]:
    """The parser of `prefix:part…` with `count` parts."""
    return lambda data: unpack(data, prefix, count)


Step = TypeVar("Step", bound=enum.StrEnum)


def step_answers(
    prefix: str, steps: type[Step], value: Callable[[Step, str], object | None]
) -> Parser[tuple[int, Step, object]]:
    """The parser of `prefix:<id>:<step>:<answer>` (a survey's, a follow-up's): the id, the
    step, and the answer `value` reads from the button for that step (None: not an answer)."""

    def parse(data: str | None) -> tuple[int, Step, object] | None:
        got = unpack(data, prefix, 3)
        if got is None or not got[0].isdigit() or got[1] not in {s.value for s in steps}:
            return None
        step = steps(got[1])
        answer = value(step, got[2])
        return None if answer is None else (int(got[0]), step, answer)

    return parse


def numbers(prefix: str, count: int) -> Parser[list[int]]:
    """The parser of `prefix:number…` with `count` whole numbers."""
    return lambda data: unpack_ints(data, prefix, count)


def button(
    parse: Parser[Parsed], *, stale_state: Any = None
) -> Callable[[ButtonHandler[Parsed, Result]], Handler[Result]]:
    """Run the handler with the parts `parse` read from the tapped button's data; a tap whose
    data does not parse gets the stale answer, and (in a conversation) `stale_state`."""

    def decorate(handler: ButtonHandler[Parsed, Result]) -> Handler[Result]:
        @functools.wraps(handler)
        async def opened(update: Update, context: BotContext) -> Result | None:
            query = update.callback_query
            parsed = parse(query.data) if query is not None else None
            if parsed is None:
                await stale(update, context)
                return stale_state
            return await handler(update, context, parsed)

        return opened

    return decorate


async def alert(update: Update, context: BotContext, key: str) -> None:
    """Text `key` in the user's language: a pop-up on a button tap, else a reply."""
    lang = await user_language(update, context)
    if update.callback_query is not None:
        await update.callback_query.answer(t(key, lang), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(t(key, lang))


async def stale(update: Update, context: BotContext) -> None:
    """The one answer to a button from an old message, or to something that is no longer
    there (a training deleted, a registration gone)."""
    await alert(update, context, "error.stale_button")


async def acknowledge(update: Update) -> None:
    """Answer a button tap with nothing to say (Telegram stops the tap's spinner)."""
    if update.callback_query is not None:
        await update.callback_query.answer()
