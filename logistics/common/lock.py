"""An exclusive, non-blocking lock on a file (``fcntl.flock``) for unattended runs."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
from pathlib import Path
from typing import TYPE_CHECKING

from logistics.exceptions import ReportLockedError

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextlib.contextmanager
def run_lock(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold an exclusive lock on ``path`` for the duration of the block.

    The lock is released by the kernel when the process ends, so a crashed run never leaves
    a stale lock; the file itself stays and records the last holder.

    Parameters
    ----------
    path
        Lock file (created with its folder).

    Raises
    ------
    ReportLockedError
        If another process (or another open of the file) holds the lock.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(p, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        try:
            holder = os.read(fd, 200).decode("utf-8", "replace").strip()
        finally:
            os.close(fd)
        raise ReportLockedError(str(p), holder) from None
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} since {dt.datetime.now().isoformat(timespec='seconds')}\n".encode())
        yield p
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
