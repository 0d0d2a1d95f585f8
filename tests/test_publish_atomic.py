"""dist/ (and an embedded store) is published with no window, one writer at a time, and a
build killed at any moment leaves no process behind (issue 16).

dist/ is a link to a complete generation `.dist.gen-<n>` switched by one rename
(hrkg.publish.swap); builds queue on `.dist.lock` (hrkg.publish.lock); build workers ask for
SIGKILL when the build dies (hrkg.process). Builds use the small fixture project (~3 s each).
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURE_KG, FIXTURE_SOURCES
from hrkg.cli import main
from hrkg.publish import swap
from hrkg.publish.lock import held
from hrkg.publish.manifest import MANIFEST, check_bytes, read_manifest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc")


@pytest.fixture(autouse=True)
def sources(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HRKG_SOURCES_DIR", str(FIXTURE_SOURCES))


def build(out: Path) -> int:
    return main(["build", "--project", str(FIXTURE_KG), "--out", str(out), "--quiet"])


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "hrkg.cli", *args]


def start_build(out: Path, **options: Any) -> subprocess.Popen[str]:
    args = command("build", "--project", str(FIXTURE_KG), "--out", str(out), "--quiet")
    env = dict(os.environ, HRKG_SOURCES_DIR=str(FIXTURE_SOURCES))
    return subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, **options
    )


def verify(dist: Path) -> None:
    """Raise unless `dist` holds a complete build: every recorded file as recorded, a store."""
    manifest = read_manifest(dist / MANIFEST)
    assert manifest.files, "an empty record"
    for name in manifest.files:
        check_bytes(manifest, name, (dist / name).read_bytes())
    assert (dist / "store" / "CURRENT").is_file(), "no store"


def linked(dist: Path) -> str:
    assert dist.is_symlink(), f"{dist} is not a link"
    return os.readlink(dist)


def leftovers(folder: Path, name: str = "dist") -> list[str]:
    return sorted(p.name for p in folder.glob(f".{name}.*") if ".gen-" not in p.name)


# --------------------------------------------------------------------------- generations


def test_builds_switch_the_link_and_keep_one_generation_before(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build(out) == 0
    assert linked(out) == ".dist.gen-1"
    verify(out)
    (out / "marker-of-the-first").write_text("1")
    assert build(out) == 0
    assert linked(out) == ".dist.gen-2"
    verify(out)
    assert (tmp_path / ".dist.gen-1" / "marker-of-the-first").is_file(), "the one before kept"
    assert not (out / "marker-of-the-first").exists()
    assert build(out) == 0
    assert linked(out) == ".dist.gen-3"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dist.gen-2", ".dist.gen-3", "dist"]


def test_every_rename_of_a_swap_leaves_the_target_complete(
    fixture_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked after each rename or exchange the swap makes, so a window cannot hide."""
    out = tmp_path / "dist"
    seen: list[str] = []

    def checked(real: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            result = real(*args)
            if out.exists() or out.is_symlink():
                verify(out)
            seen.append("complete" if out.exists() else "missing")
            return result

        return call

    shutil.copytree(fixture_build, out)  # the old layout: a real folder
    monkeypatch.setattr(os, "rename", checked(os.rename))
    monkeypatch.setattr(os, "replace", checked(os.replace))
    monkeypatch.setattr(swap, "exchange", checked(swap.exchange))
    for _ in range(3):  # the migration, then two plain switches
        staging = swap.staging_dir(out)
        shutil.copytree(fixture_build, staging, dirs_exist_ok=True)
        swap.swap_in(staging, out)
    monkeypatch.undo()
    assert len(seen) >= 6 and set(seen) == {"complete"}, seen
    assert linked(out) == ".dist.gen-4"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dist.gen-3", ".dist.gen-4", "dist"]


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two-renames"])
def test_an_old_real_dist_folder_is_migrated_once(
    fixture_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    out = tmp_path / "dist"
    shutil.copytree(fixture_build, out)
    (out / "old-layout").write_text("kept")
    if not exchange:
        monkeypatch.setattr(swap, "exchange", lambda _a, _b: False)
    assert build(out) == 0
    assert linked(out) == ".dist.gen-2"
    verify(out)
    assert (tmp_path / ".dist.gen-1" / "old-layout").read_text() == "kept"
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------- failures


def failing_replace(target: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """os.replace raises when it would put something at `target` (the switch)."""
    real = os.replace

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        if Path(dst) == target:
            raise OSError(5, "Input/output error (injected)", str(dst))
        real(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


def test_a_failed_switch_leaves_dist_on_the_old_generation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dist"
    assert build(out) == 0
    capsys.readouterr()
    failing_replace(out, monkeypatch)
    assert build(out) == 1
    err = capsys.readouterr().err
    assert "injected" in err and "left as it was" in err and "Traceback" not in err
    monkeypatch.undo()
    assert linked(out) == ".dist.gen-1"
    verify(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dist.gen-1", "dist"]


def test_a_failed_fallback_migration_puts_the_old_folder_back(
    fixture_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    shutil.copytree(fixture_build, out)
    monkeypatch.setattr(swap, "exchange", lambda _a, _b: False)
    failing_replace(out, monkeypatch)
    assert build(out) == 1
    monkeypatch.undo()
    assert out.is_dir() and not out.is_symlink()
    verify(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_a_watcher_never_sees_dist_missing_or_incomplete(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build(out) == 0
    stop = threading.Event()
    polls: list[str] = []

    def watch() -> None:
        while not stop.is_set():
            try:
                verify(out)
                polls.append("ok")
            except Exception as err:  # missing, unreadable, not as recorded: all count
                polls.append(f"{type(err).__name__}: {err}")

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(3):
            done = start_build(out)
            _, err = done.communicate(timeout=120)
            assert done.returncode == 0, err
    finally:
        stop.set()
        watcher.join()
    assert linked(out) == ".dist.gen-4"
    bad = [p for p in polls if p != "ok"]
    assert len(polls) > 100 and not bad, (len(polls), bad[:3])


# --------------------------------------------------------------------------- the lock


def test_two_builds_at_once_queue_and_both_succeed(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    first, second = start_build(out), start_build(out)
    results = [p.communicate(timeout=180) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], results
    waited = [
        (process, err)
        for process, (_, err) in zip((first, second), results, strict=True)
        if "waiting for another build (pid" in err
    ]
    assert len(waited) == 1, results
    process, err = waited[0]
    other = second if process is first else first
    assert f"(pid {other.pid})" in err
    assert linked(out) == ".dist.gen-2"
    verify(out)
    assert leftovers(tmp_path) == [], "staging, links or the lock file left behind"


def test_a_load_waits_for_the_one_before(fixture_build: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    dump = str(fixture_build / "hrkg.nq")
    env = dict(os.environ, HRKG_SOURCES_DIR=str(FIXTURE_SOURCES))
    with held(store, "load"):
        loading = subprocess.Popen(
            command("load", "--dump", dump, "--store", str(store), "--quiet"),
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        assert loading.stderr is not None
        ready, _, _ = select.select([loading.stderr], [], [], 60)
        assert ready, "no line from the waiting load"
        line = loading.stderr.readline()
        assert f"waiting for another load (pid {os.getpid()})" in line
        time.sleep(0.3)
        assert loading.poll() is None, "it went on while the lock was held"
        assert not store.exists()
    assert loading.wait(timeout=60) == 0
    assert linked(store) == ".store.gen-1"


# --------------------------------------------------------------------------- processes


def session_members(session: int) -> list[int]:
    """Live processes of a session (an orphan keeps its session when it is re-parented)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(int(entry))
    return found


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture
def old_dist(tmp_path: Path) -> Iterator[Path]:
    out = tmp_path / "dist"
    assert build(out) == 0
    yield out


def kill_and_count(process: subprocess.Popen[str]) -> list[int]:
    """SIGKILL the build; the processes of its session still alive 10 s later."""
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    wait_until(lambda: not session_members(process.pid), 10)
    return session_members(process.pid)


def test_kill_9_while_the_workers_run_leaves_no_process_and_the_old_dist(
    old_dist: Path,
) -> None:
    process = start_build(old_dist, start_new_session=True)
    try:
        assert wait_until(lambda: bool(children(process.pid)), 60), "no worker was started"
        assert kill_and_count(process) == []
    finally:
        if process.poll() is None:
            process.kill()
    assert linked(old_dist) == ".dist.gen-1"
    verify(old_dist)
    assert build(old_dist) == 0, "a build after the kill"
    assert leftovers(old_dist.parent) == [], "the killed build's staging not cleared"


@pytest.fixture(scope="module")
def build_seconds(tmp_path_factory: pytest.TempPathFactory) -> float:
    """How long one `hrkg build` process of the fixture takes here (to spread the kills)."""
    started = time.monotonic()
    done = start_build(tmp_path_factory.mktemp("timed") / "dist")
    _, err = done.communicate(timeout=120)
    assert done.returncode == 0, err
    return time.monotonic() - started


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_kill_9_at_any_moment_leaves_no_process(
    old_dist: Path, build_seconds: float, fraction: float
) -> None:
    process = start_build(old_dist, start_new_session=True)
    time.sleep(fraction * build_seconds)
    assert kill_and_count(process) == []
    assert linked(old_dist) in (".dist.gen-1", ".dist.gen-2")  # gen-2 if it finished first
    verify(old_dist)


def test_a_background_worker_dies_with_its_parent() -> None:
    """A parent holding a sleeping worker is killed; the worker goes too."""
    script = (
        "import time\n"
        "from hrkg.pipeline.workers import Background\n"
        "job = Background.start(time.sleep, 60)\n"
        "print(list(job.executor._processes), flush=True)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    assert parent.stdout is not None
    workers = [int(p) for p in parent.stdout.readline().strip("[]\n").split(",")]
    assert workers and all(Path(f"/proc/{w}").exists() for w in workers)
    assert kill_and_count(parent) == []


def test_a_child_whose_parent_is_already_gone_exits() -> None:
    """The race the parent-death signal cannot cover: the parent died before it was armed."""
    script = "from hrkg.process import die_with_parent\ndie_with_parent(1)\nprint('survived')\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 1 and "survived" not in done.stdout


# --------------------------------------------------------------------------- embedded load


def test_a_failed_store_swap_keeps_the_old_store(
    fixture_build: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import pyoxigraph as ox

    store = tmp_path / "store"
    dump = str(fixture_build / "hrkg.nq")
    assert main(["load", "--dump", dump, "--store", str(store), "--quiet"]) == 0
    assert linked(store) == ".store.gen-1"
    size = len(ox.Store.read_only(str(store)))
    capsys.readouterr()
    failing_replace(store, monkeypatch)
    assert main(["load", "--dump", dump, "--store", str(store), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "injected" in err and "left as it was" in err
    monkeypatch.undo()
    assert linked(store) == ".store.gen-1"
    assert size > 0 and len(ox.Store.read_only(str(store))) == size
    assert sorted(p.name for p in tmp_path.iterdir()) == [".store.gen-1", "store"]


def test_loading_the_built_store_switches_it_inside_dist(
    fixture_build: Path, tmp_path: Path
) -> None:
    """The default target, dist/store, is a real folder of the build: migrated, then linked."""
    import pyoxigraph as ox

    out = tmp_path / "dist"
    shutil.copytree(fixture_build, out)
    for _ in range(2):
        assert main(["load", "--dist", str(out), "--quiet"]) == 0
    assert linked(out / "store") == ".store.gen-3"
    assert sorted(p.name for p in out.glob(".store.*")) == [".store.gen-2", ".store.gen-3"]
    assert len(ox.Store.read_only(str(out / "store"))) > 0
