"""One bot process per SQLite file: an exclusive `flock` held for the process lifetime.

SQLite serialises writers in one file, and the jobs (reminders, announcements) claim work with
plain updates there, so two bot processes on one file would step on each other. PostgreSQL
claims work with `FOR UPDATE SKIP LOCKED`, so several processes are fine and no lock is taken.
Command-line tools never take the lock: they run beside a serving bot.
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url


class AlreadyRunningError(Exception):
    """Another bot process holds the lock; the message is the one line to print."""


@dataclass
class ProcessLock:
    """An acquired lock; keep a reference for as long as the process serves."""

    path: Path
    fd: int

    def release(self) -> None:
        """Give the lock up (the operating system also does this when the process ends)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def lock_path(database_url: str) -> Path | None:
    """The lock file beside an SQLite database file, or None (PostgreSQL, in-memory SQLite)."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or url.database in (None, "", ":memory:"):
        return None
    return Path(f"{url.database}.lock")


def _holder_pid(fd: int) -> int | None:
    os.lseek(fd, 0, os.SEEK_SET)
    raw = os.read(fd, 32).decode("ascii", "replace").strip()
    return int(raw) if raw.isdigit() else None


def acquire_process_lock(database_url: str) -> ProcessLock | None:
    """Take the SQLite lock without waiting; raise AlreadyRunningError if another process has it."""
    path = lock_path(database_url)
    if path is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pid = _holder_pid(fd)
        os.close(fd)
        holder = f" (pid {pid})" if pid is not None else ""
        database = str(path)[: -len(".lock")]
        raise AlreadyRunningError(
            f"another pelatihan-bot process is already running on {database}{holder}; "
            "stop it first or use PostgreSQL for several processes"
        ) from None
    # The file is never removed: unlinking a lock file races with the next process opening it.
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    return ProcessLock(path, fd)
