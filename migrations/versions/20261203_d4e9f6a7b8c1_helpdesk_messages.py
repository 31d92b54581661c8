"""helpdesk: participants' questions to the staff group and staff's replies

Revision ID: d4e9f6a7b8c1
Revises: c3d8e5f1a2b4
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4e9f6a7b8c1"
down_revision: str | None = "c3d8e5f1a2b4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "helpdesk_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sender_name", sa.String(length=200), nullable=True),
        sa.Column("username", sa.String(length=40), nullable=True),
        sa.Column("staff_id", sa.BigInteger(), nullable=True),
        sa.Column("staff_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_helpdesk_messages_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name=op.f("fk_helpdesk_messages_delivery_id_deliveries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_helpdesk_messages")),
        sa.UniqueConstraint("delivery_id", name=op.f("uq_helpdesk_messages_delivery_id")),
    )
    op.create_index(
        op.f("ix_helpdesk_messages_participant_id"),
        "helpdesk_messages",
        ["participant_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_helpdesk_messages_participant_id"), table_name="helpdesk_messages")
    op.drop_table("helpdesk_messages")
