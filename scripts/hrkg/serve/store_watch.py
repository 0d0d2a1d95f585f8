"""Noticing a new build under the server: which folder the configured store path names now.

The server resolves the store path once at start (dist/ may be a symbolic link to a
versioned folder, switched by a rename) and serves that folder. A rebuild either points the
link at a new folder or renames a new folder into place; both change the resolved folder's
identity (its real path, device and inode), which `StoreWatch.changed` reports, once the new
store is complete, so the pool can switch and the answer cache forget the old answers.
"""

from __future__ import annotations

import os
from pathlib import Path

Identity = tuple[str, int, int]


def identity(store: Path) -> tuple[Path, Identity] | None:
    """The folder `store` names now and its identity; None while it is missing or not a
    complete store (between the two renames of an old-style swap, say)."""
    try:
        real = store.resolve(strict=True)
        info = os.stat(real)
        if not (real / "CURRENT").is_file():
            return None
    except OSError:
        return None
    return real, (str(real), info.st_dev, info.st_ino)


class StoreWatch:
    """The configured store path and the folder being served."""

    def __init__(self, configured: Path) -> None:
        self.configured = configured
        found = identity(configured)
        self.current: Identity | None = found[1] if found else None
        self.folder: Path = found[0] if found else configured

    def changed(self) -> Path | None:
        """The new folder, if the configured path now names another complete store."""
        found = identity(self.configured)
        if found is None or found[1] == self.current:
            return None
        self.folder, self.current = found
        return self.folder
