"""A content-addressed cache of text results, one folder per kind of work.

An entry's key is a SHA-256 of everything its result depends on (the caller names the inputs,
including the code that computes it), so an entry is never stale: a changed input is a new
key. Entries are written atomically (a crash leaves the old entry or none), a damaged one reads
as missing, and `prune` keeps only what the last build used.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path


def digest(*chunks: bytes) -> str:
    """One key for several inputs (each hashed on its own, so their boundaries count)."""
    whole = hashlib.sha256()
    for chunk in chunks:
        whole.update(hashlib.sha256(chunk).digest())
    return whole.hexdigest()


def code_of(*files: str) -> bytes:
    """The source text of modules (pass `__file__`s): a key that includes it changes with it."""
    return b"".join(Path(f).read_bytes() for f in files)


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class ContentCache:
    """Entries of one kind of work under `folder` (e.g. .hrkg-cache/shacl)."""

    folder: Path

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> str | None:
        try:
            return self.path(key).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, key: str, text: str) -> None:
        """Store an entry; a cache that cannot be written (full disk, read-only checkout)
        only costs time on the next build, so the error is not raised."""
        with contextlib.suppress(OSError):
            write_atomically(self.path(key), text)

    def prune(self, used: set[str]) -> None:
        """Drop entries this build did not use: the cache holds one build's work, no more."""
        for entry in self.folder.glob("??/*.json"):
            if entry.stem not in used:
                entry.unlink(missing_ok=True)
