"""Run one command as the benchmark measures it: wall and CPU seconds, peak memory of its whole
process tree, and a time budget after which the tree is killed instead of waited for.

CPU comes from wait4's resource usage (the child and every descendant it waited for). Memory is
sampled from /proc every `interval` seconds over the child and its descendants: the peak of the
summed RSS (which counts pages a forked worker shares with its parent twice) and of the summed
PSS (shared pages divided among their sharers: the honest total), from smaps_rollup.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    """One run: exit code (None when killed at the budget), wall and CPU s, peak memory (bytes)."""

    exit: int | None
    wall_s: float
    cpu_s: float
    peak_rss: int
    peak_pss: int
    budget_s: float

    @property
    def finished(self) -> bool:
        return self.exit is not None


def descendants(pid: int) -> list[int]:
    """`pid` and every live process below it (through /proc/PID/task/TID/children)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
            except OSError:
                continue
            todo.extend(int(c) for c in children)
    return found


def memory_of(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in bytes; (0, 0) once it is gone."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return 0, 0
    return rss, pss


def tree_memory(pid: int) -> tuple[int, int]:
    """Summed (RSS, PSS) of `pid` and its descendants, now."""
    totals = [memory_of(p) for p in descendants(pid)]
    return sum(r for r, _ in totals), sum(p for _, p in totals)


def run_measured(
    argv: list[str],
    *,
    budget_s: float,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    interval: float = 0.2,
) -> Measured:
    """Run `argv` (stdout and stderr into `log`, else discarded) and measure it.

    The command gets its own session; past `budget_s` seconds its process group (the one this
    started) is killed and the run is recorded as unfinished.
    """
    sink = log.open("wb") if log is not None else subprocess.DEVNULL
    try:
        proc = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
        start = time.perf_counter()
        peak_rss = peak_pss = 0
        killed = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            rss, pss = tree_memory(proc.pid)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            if not killed and time.perf_counter() - start > budget_s:
                os.killpg(proc.pid, signal.SIGKILL)
                killed = True
            time.sleep(interval)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped by wait4
    finally:
        if log is not None and not isinstance(sink, int):
            sink.close()
    return Measured(
        exit=None if killed else proc.returncode,
        wall_s=wall,
        cpu_s=usage.ru_utime + usage.ru_stime,
        peak_rss=peak_rss,
        peak_pss=peak_pss,
        budget_s=budget_s,
    )
