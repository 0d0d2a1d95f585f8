"""A full disk while writing is a one-line error that leaves the old output in place.

Where the tests may mount a small tmpfs (root, `mount` available) the disk really fills up
under `hrkg build` and `hrkg load`; elsewhere ENOSPC is simulated at the dump writer.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import FIXTURE_KG, FIXTURE_SOURCES
from hrkg.cli import main


@contextmanager
def tiny_tmpfs(size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted on a fresh folder (skips the test where that is not allowed)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    folder = Path(tempfile.mkdtemp(prefix="hrkg-tmpfs-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)
        folder.rmdir()


def hrkg(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HRKG_SOURCES_DIR=str(FIXTURE_SOURCES))
    return subprocess.run(
        [sys.executable, "-m", "hrkg.cli", *args], capture_output=True, text=True, env=env
    )


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def test_build_onto_a_full_disk_keeps_the_previous_dist() -> None:
    # the fixture build takes about 400 KB: the first fits, the second's staging copy not
    with tiny_tmpfs("600k") as disk:
        out = disk / "dist"
        first = hrkg("build", "--project", str(FIXTURE_KG), "--out", str(out), "--quiet")
        assert first.returncode == 0, first.stderr
        before = sorted(p.relative_to(out) for p in out.rglob("*"))
        second = hrkg("build", "--project", str(FIXTURE_KG), "--out", str(out), "--quiet")
        assert second.returncode == 1
        line = one_line(second.stderr)
        assert "No space left on device" in line and "left as it was" in line
        assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
        left = sorted(p.name for p in disk.iterdir())
        assert left == [".dist.gen-1", "dist"], "staging folder left behind"


def test_load_onto_a_full_disk_keeps_the_previous_store(fixture_build: Path) -> None:
    with tiny_tmpfs("100k") as disk:
        store = disk / "store"
        dump = str(fixture_build / "hrkg.nq")
        done = hrkg("load", "--dump", dump, "--store", str(store), "--quiet")
        assert done.returncode == 1
        line = one_line(done.stderr)
        assert "No space left on device" in line and "left as it was" in line
        assert list(disk.iterdir()) == []


def test_simulated_enospc_in_the_dump_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyoxigraph as ox

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setenv("HRKG_SOURCES_DIR", str(FIXTURE_SOURCES))
    monkeypatch.setattr(ox, "serialize", full)
    out = tmp_path / "dist"
    assert main(["build", "--project", str(FIXTURE_KG), "--out", str(out), "--quiet"]) == 1
    line = one_line(capsys.readouterr().err)
    assert line == f"hrkg build: {out}: No space left on device; {out} left as it was"
    assert not out.exists() and list(tmp_path.iterdir()) == []
