"""erasures: which Telegram id was erased and when, so a restored backup erases them again

Revision ID: e8a2c4f6b1d3
Revises: d4e6f8a0b2c5
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e8a2c4f6b1d3"
down_revision: str | None = "d4e6f8a0b2c5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasures")),
    )
    op.create_index(op.f("ix_erasures_telegram_id"), "erasures", ["telegram_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_erasures_telegram_id"), table_name="erasures")
    op.drop_table("erasures")
