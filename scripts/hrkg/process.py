"""Child processes that cannot outlive the process that started them.

A build or a server killed with SIGKILL runs no cleanup code, so its worker processes must
end by themselves. On Linux a child asks the kernel for SIGKILL when its parent dies
(PR_SET_PDEATHSIG). That request is made in the child, so a parent killed before it is
armed would leave an orphan: the child therefore compares its parent's PID with the one it
was given and exits at once when they differ. Note: the kernel sends the signal when the
*thread* that started the child ends, so start such children from a long-lived thread.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def arm_parent_death_signal() -> bool:
    """Ask for SIGKILL when the parent dies; True when the kernel took the request."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0)
    return False


def die_with_parent(parent: int) -> None:
    """Run first in a child: arm the signal, then exit if `parent` is already gone.

    `parent` is the PID of the process that started this one (read there by os.getpid()).
    """
    arm_parent_death_signal()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
