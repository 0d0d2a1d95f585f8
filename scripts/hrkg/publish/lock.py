"""One writer at a time for a published folder: a lock file beside it (`.dist.lock`).

Two builds (or two loads of one store) started together queue instead of colliding: the
second prints one line naming the first one's PID and waits. The lock is an flock(2), so
the kernel releases it when its holder exits, even by SIGKILL: no stale lock to clear. The
holder removes the file before it lets go; a waiter that then gets the lock of the removed
file sees that it is no longer the file at that path and tries again, so two can never both
hold it.

The build holds it for the whole run, not only for the write and the swap: the docs reused
from the previous dist/ are read at the start and copied at the end, and a queued build
should start from the sources as the build before it left them (on two cores, two builds at
once gain nothing anyway).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path


def lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def held(target: Path, what: str) -> Iterator[Path]:
    """Hold `target`'s lock for the block; `what` ("build", "load") names the waiting line."""
    path = lock_path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    if sys.platform == "win32":  # no flock there: one writer at a time is up to the user
        yield path
        return
    import fcntl

    while True:
        with path.open("a+", encoding="utf-8") as handle:  # a+: the holder's PID stays
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(
                    f"hrkg: waiting for another {what} (pid {holder(path)}) of {target.name}/ …",
                    file=sys.stderr,
                    flush=True,
                )
                fcntl.flock(handle, fcntl.LOCK_EX)
            if not same_file(handle.fileno(), path):
                continue  # its holder removed it as we waited: lock the new one
            handle.truncate(0)
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            try:
                yield path
            finally:
                with contextlib.suppress(OSError):
                    path.unlink()
            return


def same_file(fd: int, path: Path) -> bool:
    try:
        here = path.stat()
    except FileNotFoundError:
        return False
    opened = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (opened.st_dev, opened.st_ino)


def holder(path: Path) -> str:
    """The PID the lock's holder wrote (it may not have written it yet: one short retry)."""
    for _ in range(2):
        with contextlib.suppress(OSError):
            pid = path.read_text(encoding="utf-8").strip()
            if pid:
                return pid
        time.sleep(0.1)
    return "unknown"
