"""business baselines: sales band, workers and selling online, asked at registration

Revision ID: b2d4f6a8c0e1
Revises: a7c9e1f3b5d8
Create Date: 2026-12-08 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b2d4f6a8c0e1"
down_revision: str | None = "a7c9e1f3b5d8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "business_baselines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("sales_band", sa.String(length=10), nullable=False),
        sa.Column("workers", sa.Integer(), nullable=False),
        sa.Column("sells_online", sa.Boolean(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
            name=op.f("fk_business_baselines_participant_id_participants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_baselines")),
    )
    op.create_index(
        op.f("ix_business_baselines_participant_id"),
        "business_baselines",
        ["participant_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_business_baselines_participant_id"), table_name="business_baselines")
    op.drop_table("business_baselines")
