"""follow-up responses: how the business does months after the training, per round

Revision ID: c5e7a9b1d3f4
Revises: b2d4f6a8c0e1
Create Date: 2026-12-08 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5e7a9b1d3f4"
down_revision: str | None = "b2d4f6a8c0e1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "follow_up_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("running", sa.Boolean(), nullable=True),
        sa.Column("sales_band", sa.String(length=10), nullable=True),
        sa.Column("workers", sa.Integer(), nullable=True),
        sa.Column("applied", sa.String(length=10), nullable=True),
        sa.Column("new_product", sa.Boolean(), nullable=True),
        sa.Column("photo_file_id", sa.String(length=200), nullable=True),
        sa.Column("mentoring", sa.Boolean(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_follow_up_responses_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["training_id"],
            ["trainings.id"],
            name=op.f("fk_follow_up_responses_training_id_trainings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_responses")),
        sa.UniqueConstraint(
            "registration_id", "round", name=op.f("uq_follow_up_responses_registration_id_round")
        ),
    )
    op.create_index(
        op.f("ix_follow_up_responses_training_id"),
        "follow_up_responses",
        ["training_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_follow_up_responses_training_id"), table_name="follow_up_responses")
    op.drop_table("follow_up_responses")
