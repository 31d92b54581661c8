"""Conversation states and user data kept in the database, so a restart loses no conversation.

Drafts do not outlive their conversation: rows older than the conversation timeout (plus a
margin, `bot.services.retention`) are deleted before the first load at start-up, since the
library's timeout jobs do not survive a restart; the daily retention job deletes those that go
stale while the bot runs, and `forget_in_memory` drops what the application still holds.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Collection, Iterable
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Insert, Table, delete, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from telegram.ext import Application, BasePersistence, ConversationHandler, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.db import SessionFactory
from bot.group_commit import GroupCommit
from bot.models import BotState
from bot.services.retention import purge_stale_drafts

log = logging.getLogger(__name__)

USER_DATA = "user_data"
CONVERSATION = "conv:"
# Keys per DELETE: big batches for speed, under the bound-parameter limits of SQLite (32,766)
# and asyncpg (32,767).
FORGET_BATCH = 10_000


def _snapshot(value: Any) -> str:
    """What was stored, as compact JSON text (to tell whether a value changed)."""
    return json.dumps(value, separators=(",", ":"))


@functools.cache
def _upsert(dialect: str) -> Insert:
    """INSERT ... ON CONFLICT (kind, key) DO UPDATE for this database (built once: the flush
    runs after nearly every update, and building the statement cost as much as compiling it)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(cast(Table, BotState.__table__))
    return statement.on_conflict_do_update(
        index_elements=[BotState.kind, BotState.key],
        set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
    )


def _key(key: ConversationKey) -> str:
    return json.dumps(list(key), separators=(",", ":"))


class SqlPersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """Stores conversations and `user_data` in the `bot_state` table.

    Writes that arrive together (the library gathers them per flush) go out in one transaction;
    unchanged values are not written again.
    """

    def __init__(
        self,
        sessions: SessionFactory,
        clock: Callable[[], datetime] | None = None,
        *,
        cached_user_keys: Collection[str] = (),
        stale_before: Callable[[], datetime] | None = None,
    ):
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=60,
        )
        self._sessions = sessions
        self._clock = clock or (lambda: datetime.now(UTC))
        self._written: dict[tuple[str, str], str | None] = {}
        # Saves of (kind, key) -> its snapshot (None: delete), written in shared transactions;
        # a snapshot is parsed into a fresh value only when its batch is written.
        self._saves: GroupCommit[tuple[str, str], str | None, None] = GroupCommit(self._write_batch)
        # user_data keys that only cache what the database already holds (the language): not
        # written, so a user who is not in the middle of something has no row at all, and a
        # start-up does not read one row per user who ever chatted.
        self._cached_user_keys = frozenset(cached_user_keys)
        # When drafts written before it are stale (None: kept for ever); checked at the first load.
        self._stale_before = stale_before

    async def _drop_stale(self) -> None:
        stale_before, self._stale_before = self._stale_before, None
        if stale_before is None:
            return
        async with self._sessions() as session:
            gone = await purge_stale_drafts(session, stale_before())
        if gone:
            log.info("start-up: %s stale conversation states and drafts deleted", len(gone))

    async def _load(self, kind: str) -> dict[str, Any]:
        await self._drop_stale()
        # Remembered as compact JSON text rather than a second copy of every value.
        async with self._sessions() as session:
            rows = await session.execute(
                select(BotState.key, BotState.value).where(BotState.kind == kind)
            )
            stored = {key: value["v"] for key, value in rows.all()}
        loaded: dict[str, Any] = {}
        empty: list[str] = []
        for key, value in stored.items():
            # What is stored, so that a row still holding a cached key is rewritten without it.
            self._written[(kind, key)] = _snapshot(value)
            if kind == USER_DATA and isinstance(value, dict):
                value = self._without_cached(value)
                if not value:
                    empty.append(key)
                    continue
            loaded[key] = value
        if empty:
            await self._forget(kind, empty)
        return loaded

    def _without_cached(self, data: dict[Any, Any]) -> dict[Any, Any]:
        return {k: v for k, v in data.items() if k not in self._cached_user_keys}

    async def _forget(self, kind: str, keys: list[str]) -> None:
        """Delete rows that hold nothing worth loading (written before the cached keys were
        left out), so the next start-up does not read them again."""
        await delete_rows(self._sessions, kind, keys)
        for key in keys:
            self._written.pop((kind, key), None)

    async def _write(self, kind: str, key: str, value: Any) -> None:
        # Compared as a snapshot, not the live object: the application keeps mutating its
        # user_data (nested dicts included), so a live reference would always say "unchanged".
        snapshot = None if value is None else _snapshot(value)
        unchanged = self._written.get((kind, key), ...) == snapshot
        if unchanged and (kind, key) not in self._saves.pending:
            return
        await self._saves((kind, key), snapshot)

    async def _write_batch(self, batch: dict[tuple[str, str], str | None]) -> None:
        """One transaction for the batch: an upsert of what changed, a delete of what is gone."""
        now = self._clock()
        rows = [
            {"kind": kind, "key": key, "value": {"v": json.loads(snapshot)}, "updated_at": now}
            for (kind, key), snapshot in batch.items()
            if snapshot is not None
        ]
        gone = [(kind, key) for (kind, key), snapshot in batch.items() if snapshot is None]
        async with self._sessions() as session:
            if rows:
                # One upsert for the whole batch (not a SELECT and an UPDATE per key): under
                # load this flush runs after every update and is the bot's busiest write.
                connection = await session.connection()
                await session.execute(_upsert(connection.dialect.name), rows)
            if gone:
                await session.execute(
                    delete(BotState).where(tuple_(BotState.kind, BotState.key).in_(gone))
                )
            await session.commit()
        self._written.update(batch)

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        """All stored user data, by user id."""
        return {int(k): v for k, v in (await self._load(USER_DATA)).items()}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        """Chat data is not stored."""
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        """Bot data is not stored (it holds the app's live dependencies)."""
        return {}

    async def get_callback_data(self) -> CDCData | None:
        """Callback data is not stored."""
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        """The stored states of the conversation handler `name`."""
        loaded = await self._load(CONVERSATION + name)
        return {tuple(json.loads(k)): v for k, v in loaded.items()}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Store (or with None, forget) one conversation's state."""
        await self._write(CONVERSATION + name, _key(key), new_state)

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """Store one user's data, without the cached keys (nothing left: forgotten)."""
        await self._write(USER_DATA, str(user_id), self._without_cached(data) or None)

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Chat data is not stored."""

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        """Bot data is not stored."""

    async def update_callback_data(self, data: CDCData) -> None:
        """Callback data is not stored."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Chat data is not stored."""

    async def drop_user_data(self, user_id: int) -> None:
        """Forget one user's data."""
        await self._write(USER_DATA, str(user_id), None)

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """User data lives in memory between flushes; nothing to refresh."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Chat data is not stored."""

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        """Bot data is not stored."""

    async def flush(self) -> None:
        """Write whatever is still pending."""
        await self._saves.drain()


async def delete_rows(sessions: SessionFactory, kind: str, keys: Collection[str]) -> None:
    """Delete the stored rows of `kind` with these keys, in batches."""
    keys = list(keys)
    async with sessions() as session:
        for start in range(0, len(keys), FORGET_BATCH):
            chunk = keys[start : start + FORGET_BATCH]
            await session.execute(
                delete(BotState).where(BotState.kind == kind, BotState.key.in_(chunk))
            )
        await session.commit()


async def forget_stored_user_data(sessions: SessionFactory, telegram_ids: Iterable[int]) -> None:
    """Delete these users' stored user data (a tool's purge, beside or without the bot)."""
    await delete_rows(sessions, USER_DATA, [str(i) for i in telegram_ids])


def forget_in_memory(
    application: Application[Any, Any, Any, Any, Any, Any], rows: Iterable[tuple[str, str]]
) -> None:
    """Drop what the application still holds of these deleted `bot_state` rows."""
    conversations = {
        handler.name: handler
        for group in application.handlers.values()
        for handler in group
        if isinstance(handler, ConversationHandler) and handler.name
    }
    for kind, key in rows:
        if kind == USER_DATA:
            application.drop_user_data(int(key))
            continue
        handler = conversations.get(kind.removeprefix(CONVERSATION))
        if kind.startswith(CONVERSATION) and handler is not None:
            # The library has no public call to end one conversation from outside; its own
            # timeout ends one the same way (and the pop is persisted as a delete).
            handler._conversations.pop(tuple(json.loads(key)), None)
