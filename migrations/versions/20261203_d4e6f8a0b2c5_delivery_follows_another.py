"""a delivery may follow another (a reminder's map pin after its text)

Revision ID: d4e6f8a0b2c5
Revises: d5e1f7a3b9c2
Create Date: 2026-12-02 16:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d4e6f8a0b2c5"
down_revision: str | None = "d5e1f7a3b9c2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain column, no reference: SQLite cannot add a named foreign key without copying the
    # table, and both rows belong to one registration, whose deletion removes them together.
    op.add_column("deliveries", sa.Column("after_id", sa.Integer(), nullable=True))
    op.create_index(op.f("ix_deliveries_after_id"), "deliveries", ["after_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_deliveries_after_id"), table_name="deliveries")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("after_id")
