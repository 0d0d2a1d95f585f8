"""Publishing a folder (dist/, a store) so that it is never missing nor half-written.

`target` (say dist) is a symbolic link to a complete sibling folder, a generation
`.dist.gen-<n>`. The build (or the embedded load) writes into a staging sibling
(`staging_dir`, `.dist.new-…`) and hands it to `swap_in` only when it is complete and
verified; `swap_in` renames it to the next generation and switches `target` to it by ONE
rename: `os.replace` of a new link (`.dist.link-<pid>`) over the old one. Whoever opens
dist/… gets the old generation or the new one, never neither. The generation before is kept
(a running `hrkg serve` may still read it); older ones, and what killed runs left behind,
are removed after the switch. Call `swap_in` holding the target's lock
(hrkg.publish.lock): the numbering and the clean-up count on nobody else publishing the
same target meanwhile.

The old layout (`target` a real folder) is migrated by the first swap_in. On Linux one
renameat2(RENAME_EXCHANGE) trades the new link and the old folder in a single step, so no
window is left. Where that call is missing (another OS, a file system without it) the old
folder is renamed to a generation and the link is then put in its place: between those two
renames `target` does not exist. That window remains once per target, in that fallback only.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2


def generation_prefix(target: Path) -> str:
    return f".{target.name}.gen-"


def staging_dir(target: Path) -> Path:
    """A new, empty, hidden sibling of `target` to write the replacement into."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o777 & ~umask)  # mkdtemp's 0700 would hide dist/ from other users
    return staging


def generations(target: Path) -> dict[int, Path]:
    """The generation folders of `target` by number."""
    pattern = re.compile(re.escape(generation_prefix(target)) + r"(\d+)")
    found = {}
    for path in target.parent.iterdir() if target.parent.is_dir() else []:
        match = pattern.fullmatch(path.name)
        if match and path.is_dir() and not path.is_symlink():
            found[int(match.group(1))] = path
    return found


def current(target: Path) -> Path | None:
    """The generation `target` links to; None when it does not exist or is a real folder.

    A link that points anywhere else was not made here: refused rather than replaced.
    """
    if not target.is_symlink():
        return None
    pointed = os.readlink(target)
    if not re.fullmatch(re.escape(generation_prefix(target)) + r"\d+", pointed):
        raise OSError(
            errno.EEXIST,
            f"is a symbolic link to {pointed}, not to a generation made by hrkg; "
            "remove the link (or publish to the folder it points to)",
            str(target),
        )
    return target.with_name(pointed)


def swap_in(fresh: Path, target: Path) -> Path:
    """Publish the complete folder `fresh` as `target`; returns the new generation.

    On any failure `target` is as it was and no new generation is left behind.
    """
    legacy = target.is_dir() and not target.is_symlink()
    if target.exists() and not target.is_dir():
        raise OSError(errno.ENOTDIR, "is a file, not a folder; not replacing it", str(target))
    previous = current(target)
    number = max(generations(target), default=0) + (2 if legacy else 1)
    prefix = generation_prefix(target)
    new = target.with_name(f"{prefix}{number}")
    fresh.rename(new)
    try:
        if legacy:  # the old folder becomes the generation before the new one
            previous = migrate(target, new, target.with_name(f"{prefix}{number - 1}"))
        else:
            switch(target, new)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    prune(target, keep={new, *([previous] if previous else [])})
    return new


def temporary_link(target: Path, generation: Path) -> Path:
    """A new relative link to `generation` beside `target` (relative: the folder can move)."""
    link = target.with_name(f".{target.name}.link-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(generation.name, link)
    return link


def switch(target: Path, generation: Path) -> None:
    """Point `target` at `generation` with one rename of a new link over the old one."""
    link = temporary_link(target, generation)
    try:
        os.replace(link, target)
    except BaseException:
        with contextlib.suppress(OSError):
            link.unlink()
        raise


def migrate(target: Path, generation: Path, old_name: Path) -> Path:
    """Turn the real folder `target` into generation `old_name`, `target` a link to
    `generation`; returns where the old folder is now."""
    link = temporary_link(target, generation)
    try:
        exchanged = exchange(link, target)
        if not exchanged:  # the fallback, with its window (see the module's docstring)
            target.rename(old_name)
            try:
                os.replace(link, target)
            except BaseException:
                old_name.rename(target)
                raise
            return old_name
    except BaseException:
        with contextlib.suppress(OSError):
            link.unlink()
        raise
    # `target` is the link now and the old folder sits at the link's temporary name
    try:
        link.rename(old_name)
    except OSError:
        return link  # kept under that name, as the previous generation
    return old_name


def exchange(first: Path, second: Path) -> bool:
    """Trade the two names in one step (Linux renameat2); False where it is not offered."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def prune(target: Path, keep: set[Path]) -> None:
    """Remove the generations not in `keep`, and staging folders and links left by killed
    runs (nobody else is publishing `target`: the caller holds its lock)."""
    leftovers = [p for p in generations(target).values() if p not in keep]
    for prefix in (f".{target.name}.new-", f".{target.name}.link-"):
        leftovers += [p for p in target.parent.glob(f"{glob.escape(prefix)}*") if p not in keep]
    for path in leftovers:
        if path.is_symlink() or not path.is_dir():
            with contextlib.suppress(OSError):
                path.unlink()
        else:
            shutil.rmtree(path, ignore_errors=True)
