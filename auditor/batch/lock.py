"""One batch at a time per database.

Two batches writing one database — two terminals with the same `--out`, or two directories sent
to the same `--db` — number their report pages from the same free numbers, and the second one's
row for page 7 replaced the first one's (INSERT OR REPLACE against `page UNIQUE`), or one of them
died of an IntegrityError. Making concurrent runs safe would take page numbers reserved across
processes, outputs that know of rows another run is still writing, and a resume key per run; a
batch already keeps every core busy, so a second one at the same time gains nothing. Instead a
run holds an exclusive lock on the database for its whole life, and a second one stops at once
with one Chinese line.

The lock is an OS file lock (flock; on Windows msvcrt.locking) on a small file beside the
database, `<db>.batch-lock`, which holds the owner's process id for the message. The system
releases it when the process ends however it ends (Ctrl-C, kill -9, a crash), so a lock is never
left stale. It is not on the database file itself: SQLite's own POSIX locks on that file are
dropped when any descriptor of it is closed.
"""

from __future__ import annotations

import os

from auditor.filenames import legible


class DatabaseBusy(Exception):
    """Another batch holds the database; str() is one Chinese line."""


def lock_path(db_path: str) -> str:
    return f"{db_path}.batch-lock"


class RunLock:
    """Held from construction until release(); raises DatabaseBusy when another process holds it."""

    def __init__(self, db_path: str):
        self.path = lock_path(db_path)
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _try_lock(self._fd)
        except BlockingIOError:
            owner = _read_owner(self._fd)
            os.close(self._fd)
            self._fd = None
            who = f"（进程 {owner}）" if owner else ""
            raise DatabaseBusy(f"数据库正被另一个批量审核使用：{legible(db_path)}{who}；"
                               "等它结束后再运行，或用 --db 指定另一个数据库") from None
        os.ftruncate(self._fd, 0)
        os.write(self._fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None


def _read_owner(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except (OSError, AttributeError):
        return ""


try:
    import fcntl

    def _try_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError when held
except ImportError:  # Windows
    import msvcrt

    def _try_lock(fd: int) -> None:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            raise BlockingIOError from None
