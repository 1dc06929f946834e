"""The store's writer lock: one writer at a time, never waited for, never stale (DESIGN.md contract).

A writer (a commit, or gc) takes an fcntl.flock on `<store>/.lock`, non-blocking: a second one fails
at once with a StoreError naming the holder (process, host, start time: the line the holder writes
into the file). The kernel releases an flock when its process ends, so a lock is never stale and the
message never invites removing the file; curate never deletes it. A lock file removed or replaced
between our open and our flock is noticed (the locked file is no longer the one at the path) and
opened again.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from curate.errors import StoreError
from curate.store.layout import Layout, make_dir

WRITER_BUSY: Final = ("is locked by another curate run{holder}; wait for it to finish. The lock is an flock, "
                      "released when that process ends, so it is never stale: do not remove the lock file")
LOCK_TRIES: Final = 10


def acquire_lock(layout: Layout, busy: str = WRITER_BUSY) -> int:
    """Take the store's writer lock without waiting; `busy` ends the error message when it is held
    ({holder} in it names the holder's process, host and start time). The lock file is never
    deleted by curate; if someone deletes or replaces it between our open and our flock, the lock we
    took is on a file nobody else will open, so we open the new one and try again."""
    make_dir(layout.root)
    for _ in range(LOCK_TRIES):
        fd = os.open(layout.lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise StoreError(f"store {layout.root} {busy.format(holder=holder)}") from None
        if _names_same_file(fd, layout.lock):
            _write_holder(fd)
            return fd
        os.close(fd)
    raise StoreError(f"store {layout.root}: its lock file {layout.lock} keeps being removed or replaced; "
                     "stop whatever deletes it and run again")


def _names_same_file(fd: int, path: Path) -> bool:
    """Whether `fd` is the file at `path` now (same device and inode), not one unlinked meanwhile."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (held.st_dev, held.st_ino)


def _write_holder(fd: int) -> None:
    """Who holds the lock, for the next run's message: one line, process id, host, start time (UTC)."""
    started = datetime.now(UTC).isoformat(timespec="seconds")
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()} {socket.gethostname()} {started}\n".encode(), 0)


def _holder(fd: int) -> str:
    """' (process N on HOST, since TIME)' from the lock file, or '' if it says nothing readable."""
    try:
        pid, host, started = os.pread(fd, 4096, 0).decode("utf-8").split()
    except (OSError, ValueError):
        return ""
    return f" (process {pid} on {host}, since {started})"


def release_lock(fd: int) -> None:
    """Release the lock `acquire_lock` took and close its file."""
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


@contextlib.contextmanager
def store_lock(layout: Layout, busy: str = WRITER_BUSY) -> Iterator[None]:
    """The writer lock for a block of work that is not a commit (gc): the same flock, not waited for."""
    fd = acquire_lock(layout, busy)
    try:
        yield
    finally:
        release_lock(fd)

