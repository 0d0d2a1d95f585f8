"""Replacing a published folder (dist/, a store) by a complete new one, never a half-written one.

Both the build and the embedded load write into a fresh sibling folder and call `swap_in`
only when it is complete and verified.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def staging_dir(target: Path) -> Path:
    """A new, empty, hidden sibling of `target` to write the replacement into."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))


def swap_in(fresh: Path, target: Path) -> None:
    """Replace `target` by `fresh` with two renames; the old folder is removed last."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    fresh.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
