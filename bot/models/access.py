"""Who may do what: the roles staff were given, and the audit trail of what staff did."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.models.base import Base


class StaffRole(Base):
    """A staff member other than the full admins of `ADMIN_IDS`: their role, given by an admin.

    `trainings` empty means every training; otherwise the role holds for those alone.
    """

    __tablename__ = "staff_roles"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    role: Mapped[str] = mapped_column(String(20))
    granted_by: Mapped[int | None] = mapped_column(BigInteger)
    granted_at: Mapped[datetime]

    trainings: Mapped[list[StaffTraining]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class StaffTraining(Base):
    """One training a staff role is limited to."""

    __tablename__ = "staff_trainings"

    telegram_id: Mapped[int] = mapped_column(
        ForeignKey("staff_roles.telegram_id", ondelete="CASCADE"), primary_key=True
    )
    training_id: Mapped[int] = mapped_column(
        ForeignKey("trainings.id", ondelete="CASCADE"), primary_key=True
    )


class AuditEntry(Base):
    """One access to personal data or one change, by a staff member (or an operator's tool).

    Who (`actor_id`, the Telegram id; None for the command line), when, what (`action`, a
    stable code), which training, and how many people it covered; never a personal field of
    the participants themselves. Kept for `AUDIT_RETENTION_DAYS`.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    action: Mapped[str] = mapped_column(String(40))
    training_id: Mapped[int | None] = mapped_column(
        ForeignKey("trainings.id", ondelete="SET NULL"), index=True
    )
    people: Mapped[int] = mapped_column(Integer, default=0)
    # What else identifies the change, never a participant's field: a granted role, a code.
    detail: Mapped[str | None] = mapped_column(String(120))
