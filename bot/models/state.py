"""What the chat keeps between updates (conversation state, user and chat data)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base


class BotState(Base):
    """Conversation states and per-user scratch data of the Telegram layer (the persistence)."""

    __tablename__ = "bot_state"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]
