"""People: participants (and the colleagues they register), and the record of erasures."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base

if TYPE_CHECKING:
    from bot.models.registrations import Registration


class Sector(enum.StrEnum):
    """Business sectors, stored as these stable codes (labels live in the text catalog)."""

    KULINER = "kuliner"
    FESYEN_KRIYA = "fesyen_kriya"
    JASA = "jasa"
    PERDAGANGAN = "perdagangan"
    PERTANIAN = "pertanian_peternakan"
    LAINNYA = "lainnya"


# The district stored for a business outside the configured ones.
OUTSIDE_DISTRICT = "luar kota"


class Participant(Base):
    """A person who registers: a Telegram user of the bot, or a colleague that user registered.

    Personal fields are null until given or after erasure. A colleague (`registered_by_id`
    set) has no Telegram account of their own (`telegram_id` null): everything the bot sends
    about them goes to the registering account's chat (`chat_id` is that chat), and that
    account sees, cancels and erases their registrations. A colleague is one person per
    registering account and phone number.
    """

    __tablename__ = "participants"
    __table_args__ = (
        Index("uq_participants_registered_by_id_phone", "registered_by_id", "phone", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(5), default="id")
    full_name: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(20))
    business_name: Mapped[str | None] = mapped_column(String(120))
    sector: Mapped[str | None] = mapped_column(String(40))
    district: Mapped[str | None] = mapped_column(String(60))
    consent_at: Mapped[datetime | None]
    unreachable_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    registrations: Mapped[list[Registration]] = relationship(back_populates="participant")
    registered_by: Mapped[Participant | None] = relationship(remote_side=[id])

    @property
    def is_colleague(self) -> bool:
        """Whether another account registered this person (they have no account of their own)."""
        return self.registered_by_id is not None

    @property
    def has_profile(self) -> bool:
        """Whether every field a registration needs is on file (and consent was given)."""
        return all(
            (
                self.consent_at,
                self.full_name,
                self.phone,
                self.business_name,
                self.sector,
                self.district,
            )
        )


class Erasure(Base):
    """A person erased their data (/hapusdata): which Telegram id and when, nothing else.

    Kept so that restoring an older backup erases them again (`bot/cli/backup.py`).
    """

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    erased_at: Mapped[datetime]
