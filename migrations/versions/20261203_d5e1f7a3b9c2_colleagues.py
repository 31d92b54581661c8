"""colleagues: a participant registered by another account, without a Telegram id

Revision ID: d5e1f7a3b9c2
Revises: d4e9f6a7b8c1
Create Date: 2026-12-03 10:00:00

SQLite cannot change a column's nullability in place, and copying the table (Alembic's batch
mode) drops the old one, which with foreign keys on (the app's engine sets them, and inside the
migration's transaction that cannot be switched off) cascades to every registration; renaming
it aside rewrites the other tables' references to the old name. So on SQLite the NOT NULL is
removed from the stored table definition (`writable_schema`), which SQLite documents as safe
for removing NOT NULL and foreign key constraints, since the stored rows do not change; the new
column comes with ALTER TABLE ADD COLUMN. The downgrade removes the column's foreign key the
same way before dropping it, and puts the NOT NULL back once no row lacks a Telegram id.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d5e1f7a3b9c2"
down_revision: str | None = "d4e9f6a7b8c1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FK = "fk_participants_registered_by_id_participants"
_UNIQUE = "uq_participants_registered_by_id_phone"
_INDEX = "ix_participants_registered_by_id"
_NOT_NULL = ("telegram_id BIGINT NOT NULL,", "telegram_id BIGINT,")
_UNIQUE_TELEGRAM_ID = "UNIQUE (telegram_id)"
_REFERENCE = (
    _UNIQUE_TELEGRAM_ID,
    f"{_UNIQUE_TELEGRAM_ID}, \n\tCONSTRAINT {_FK} FOREIGN KEY(registered_by_id) "
    "REFERENCES participants (id) ON DELETE CASCADE",
)


def _sqlite() -> bool:
    return op.get_context().dialect.name == "sqlite"


def _edit_sqlite_definition(old: str, new: str) -> None:
    """Replace `old` by `new` in the stored CREATE TABLE of participants (rows unchanged)."""
    op.execute("PRAGMA writable_schema=ON")
    edit = sa.text(
        "UPDATE sqlite_master SET sql = replace(sql, :old, :new) "
        "WHERE type = 'table' AND name = 'participants' AND instr(sql, :old) > 0"
    ).bindparams(old=old, new=new)
    if op.get_context().as_sql:
        op.execute(edit)
        op.execute("-- PRAGMA schema_version = <the current schema_version + 1>")
    else:
        bind = op.get_bind()
        if bind.execute(edit).rowcount != 1:
            raise RuntimeError(f"participants: {old!r} not found in the table's definition")
        # A new schema version makes every connection read the definition again.
        version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
        op.execute(f"PRAGMA schema_version={int(version) + 1}")
    op.execute("PRAGMA writable_schema=OFF")


def upgrade() -> None:
    if _sqlite():
        op.execute("ALTER TABLE participants ADD COLUMN registered_by_id INTEGER")
        _edit_sqlite_definition(*_NOT_NULL)
        _edit_sqlite_definition(*_REFERENCE)
    else:
        op.alter_column("participants", "telegram_id", existing_type=sa.BigInteger(), nullable=True)
        op.add_column("participants", sa.Column("registered_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            _FK, "participants", "participants", ["registered_by_id"], ["id"], ondelete="CASCADE"
        )
    op.create_index(_INDEX, "participants", ["registered_by_id"])
    op.create_index(_UNIQUE, "participants", ["registered_by_id", "phone"], unique=True)


# Rows that hang on a colleague's registrations, removed before the colleagues themselves
# (SQLite's cascades are not relied on here).
_COLLEAGUE_REGISTRATIONS = (
    "SELECT r.id FROM registrations r JOIN participants p ON p.id = r.participant_id "
    "WHERE p.registered_by_id IS NOT NULL"
)
_DEPENDENTS = ("deliveries", "rsvps", "attendance", "survey_responses", "certificates")


def _delete_colleagues() -> None:
    op.execute(
        "DELETE FROM deliveries WHERE participant_id IN "
        "(SELECT id FROM participants WHERE registered_by_id IS NOT NULL)"
    )
    for table in _DEPENDENTS:
        op.execute(f"DELETE FROM {table} WHERE registration_id IN ({_COLLEAGUE_REGISTRATIONS})")
    op.execute(f"DELETE FROM registrations WHERE id IN ({_COLLEAGUE_REGISTRATIONS})")
    op.execute("DELETE FROM participants WHERE registered_by_id IS NOT NULL")


def downgrade() -> None:
    # Colleagues cannot exist without a Telegram id: they and what hangs on them go.
    _delete_colleagues()
    op.drop_index(_UNIQUE, table_name="participants")
    op.drop_index(_INDEX, table_name="participants")
    if _sqlite():
        _edit_sqlite_definition(*reversed(_REFERENCE))
        _edit_sqlite_definition(*reversed(_NOT_NULL))
        op.execute("ALTER TABLE participants DROP COLUMN registered_by_id")
        return
    op.drop_constraint(_FK, "participants", type_="foreignkey")
    op.drop_column("participants", "registered_by_id")
    op.alter_column("participants", "telegram_id", existing_type=sa.BigInteger(), nullable=False)
