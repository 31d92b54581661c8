"""helpdesk media: a question or reply may be a voice note, photo, video or file, copied

Revision ID: f1b3d5e7a9c2
Revises: e8a2c4f6b1d3
Create Date: 2026-12-08 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f1b3d5e7a9c2"
down_revision: str | None = "e8a2c4f6b1d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("helpdesk_messages", sa.Column("media", sa.String(length=16), nullable=True))
    op.add_column("helpdesk_messages", sa.Column("media_chat_id", sa.BigInteger(), nullable=True))
    op.add_column(
        "helpdesk_messages", sa.Column("media_message_id", sa.BigInteger(), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("helpdesk_messages", schema=None) as batch_op:
        batch_op.drop_column("media_message_id")
        batch_op.drop_column("media_chat_id")
        batch_op.drop_column("media")
