"""`python -m bot backup -o FILE` and `python -m bot restore FILE [--force]`.

SQLite: SQLite's online backup API copies a consistent snapshot while the bot keeps writing
(WAL), and the copy is checked with `PRAGMA integrity_check`. PostgreSQL: `pg_dump` and
`pg_restore` from the PATH, given the connection through libpq's environment variables so the
password never appears on a command line or in the output. After a restore the schema is
upgraded to the current migration head, so an old backup opens with new code, and every
erasure (/hapusdata) the replaced database recorded that the backup does not know is applied
again: restoring a backup never brings an erased person back.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from bot.cli.base import Command, Subparsers
from bot.db import create_engine, create_session_factory, upgrade_database_sync
from bot.runtime.locking import AlreadyRunningError, acquire_process_lock
from bot.services.privacy import erasures, reapply_erasures
from bot.settings import Settings

SQLITE_TIMEOUT_SECONDS = 30


class BackupError(Exception):
    """A backup or restore cannot go on; the message is one line for the operator."""


# --- SQLite -----------------------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    assert url.database
    return Path(url.database)


def _integrity_check(path: Path) -> None:
    if not path.is_file():
        raise BackupError(f"no file at {path}")
    connection = sqlite3.connect(path, timeout=SQLITE_TIMEOUT_SECONDS)
    try:
        result = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a usable SQLite database: {exc}") from None
    finally:
        connection.close()
    if result != ["ok"]:
        raise BackupError(f"integrity check of {path} failed: {'; '.join(result)[:200]}")
    if "alembic_version" not in tables:
        raise BackupError(f"{path} is not a pelatihan-bot database (no alembic_version table)")


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy with the online backup API: a consistent snapshot, writers keep going (WAL)."""
    src = sqlite3.connect(source, timeout=SQLITE_TIMEOUT_SECONDS)
    dst = sqlite3.connect(target, timeout=SQLITE_TIMEOUT_SECONDS)
    try:
        # All pages in one step: a stepwise copy restarts whenever another connection writes,
        # which under steady traffic may never finish. One read transaction does not block WAL
        # writers.
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def backup_sqlite(source: Path, output: Path) -> None:
    """Write a checked, self-contained copy of the SQLite database `source` to `output`."""
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    _sqlite_copy(source, partial)
    # One file, no -wal beside it: the copy can be moved and opened anywhere.
    connection = sqlite3.connect(partial)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    try:
        _integrity_check(partial)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, output)


def restore_sqlite(backup: Path, target: Path, *, force: bool) -> None:
    """Copy the backup `backup` into the database file `target` (refused if it exists)."""
    _integrity_check(backup)
    if target.exists() and not force:
        raise BackupError(
            f"{target} exists; stop the bot and add --force to overwrite it with the backup"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    # Through the backup API rather than a file copy: an existing target's WAL and -shm stay
    # consistent with the new content.
    _sqlite_copy(backup, target)
    _integrity_check(target)


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} not found on PATH; install the PostgreSQL client tools "
            "(Debian/Ubuntu: apt install postgresql-client, same major version as the server)"
        )
    return path


def _pg_env(url: URL) -> dict[str, str]:
    """libpq environment for `url`: no password on any command line."""
    env = dict(os.environ)
    values = {
        "PGHOST": url.host or url.query.get("host"),
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode") or url.query.get("ssl"),
    }
    for name, value in values.items():
        if isinstance(value, str) and value:
            env[name] = value
    return env


def _run_pg(command: list[str], url: URL) -> None:
    result = subprocess.run(
        [*command, "--no-password"],
        env=_pg_env(url),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {result.returncode}"
        if url.password:
            reason = reason.replace(str(url.password), "***")
        raise BackupError(f"{Path(command[0]).name} failed: {reason}")


def backup_postgres(url: URL, output: Path) -> None:
    """`pg_dump --format=custom` of the database to `output`, checked by listing it."""
    pg_dump, pg_restore = _pg_tool("pg_dump"), _pg_tool("pg_restore")
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        _run_pg([pg_dump, "--format=custom", f"--file={partial}"], url)
        _run_pg([pg_restore, "--list", str(partial)], url)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, output)


async def _has_table(url: str, table: str) -> bool:
    engine = create_engine(url, pool_size=0)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(lambda sync: inspect(sync).has_table(table))
    finally:
        await engine.dispose()


def restore_postgres(url: URL, backup: Path, *, force: bool) -> None:
    """`pg_restore --clean --if-exists --no-owner` of `backup` into the configured database."""
    pg_restore = _pg_tool("pg_restore")
    if not backup.is_file():
        raise BackupError(f"no backup file at {backup}")
    _run_pg([pg_restore, "--list", str(backup)], url)
    if not force and asyncio.run(
        _has_table(url.render_as_string(hide_password=False), "alembic_version")
    ):
        raise BackupError(
            f"database {url.database!r} already holds pelatihan-bot tables; stop the bot and add "
            "--force to replace them with the backup"
        )
    _run_pg(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={url.database}",
            str(backup),
        ],
        url,
    )


# --- erasures made after the backup -----------------------------------------------------------


async def _read_erasures(url: str) -> list[tuple[int, datetime]]:
    if not await _has_table(url, "erasures"):
        return []
    engine = create_engine(url, pool_size=0)
    try:
        async with create_session_factory(engine)() as session:
            return await erasures(session)
    finally:
        await engine.dispose()


def erasures_before_restore(settings: Settings) -> list[tuple[int, datetime]]:
    """The erasures the database about to be replaced has recorded (none if there is none)."""
    if settings.is_sqlite and not _sqlite_path(make_url(settings.database_url)).is_file():
        return []
    return asyncio.run(_read_erasures(settings.database_url))


async def _reapply(url: str, recorded: list[tuple[int, datetime]]) -> int:
    engine = create_engine(url, pool_size=0)
    try:
        async with create_session_factory(engine)() as session:
            return await reapply_erasures(session, recorded, datetime.now(UTC))
    finally:
        await engine.dispose()


# --- command line -----------------------------------------------------------------------------


def run_backup(settings: Settings, args: argparse.Namespace) -> int:
    """Back up the configured database to `args.output`."""
    url = make_url(settings.database_url)
    output = Path(args.output)
    try:
        if settings.is_sqlite:
            backup_sqlite(_sqlite_path(url), output)
        else:
            backup_postgres(url, output)
    except BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {output} ({output.stat().st_size} bytes)")
    return 0


def run_restore(settings: Settings, args: argparse.Namespace) -> int:
    """Restore `args.file` into the configured database, then upgrade it to the current schema."""
    url = make_url(settings.database_url)
    backup = Path(args.file)
    lock = None
    try:
        # The bot's own lock: no restore under a running bot, no bot starting mid-restore.
        lock = acquire_process_lock(settings.database_url)
        recorded = erasures_before_restore(settings)
        if settings.is_sqlite:
            target = _sqlite_path(url)
            restore_sqlite(backup, target, force=args.force)
            where = str(target)
        else:
            restore_postgres(url, backup, force=args.force)
            where = f"database {url.database}"
        upgrade_database_sync(settings.database_url)
        again = asyncio.run(_reapply(settings.database_url, recorded))
    except (BackupError, AlreadyRunningError) as exc:
        print(f"restore failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if lock is not None:
            lock.release()
    print(f"restored {backup} into {where}; schema upgraded to the current version")
    print(f"erasures made after the backup, applied again: {again}")
    return 0


def add_backup(
    sub: Subparsers,
) -> dict[str, Command]:
    """`backup` and `restore` of the configured database."""
    backup = sub.add_parser(
        "backup", help="back up the database (safe while the bot runs)", description=__doc__
    )
    backup.add_argument("-o", "--output", metavar="FILE", required=True, help="backup file")
    restore = sub.add_parser(
        "restore", help="restore a backup into the configured database (stop the bot first)"
    )
    restore.add_argument("file", metavar="FILE", help="a file written by `backup`")
    restore.add_argument(
        "--force", action="store_true", help="overwrite an existing database with the backup"
    )
    return {"backup": run_backup, "restore": run_restore}
