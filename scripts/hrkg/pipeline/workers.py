"""Functions running in a worker process while the pipeline goes on.

The closure and the pyLODE pages each take about as long as all other steps together and need
nothing from them but the parsed input, so they run on the machine's other core. A worker
dies with the build (hrkg.process): a build killed with SIGKILL leaves no process behind.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hrkg.process import die_with_parent


@dataclass
class Background:
    """One function call in its own process; `result()` waits for it, `close()` stops it."""

    executor: concurrent.futures.ProcessPoolExecutor
    future: concurrent.futures.Future[Any]

    @classmethod
    def start(cls, function: Callable[..., Any], *args: Any) -> Background:
        # fork reuses the imported libraries (0.4 s saved); it is only safe while this
        # process has no other thread that could hold a lock the child inherits
        method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
        # the worker is started by this (the calling) thread: call from the main thread, as
        # the parent-death signal follows the thread that started the child
        executor = concurrent.futures.ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context(method),
            initializer=die_with_parent,
            initargs=(os.getpid(),),
        )
        return cls(executor, executor.submit(function, *args))

    def result(self) -> Any:
        try:
            return self.future.result()
        finally:
            self.close()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def map_in_processes(
    function: Callable[..., Any], jobs: list[tuple[Any, ...]], workers: int
) -> list[Any]:
    """`function(*job)` for every job in a pool of at most `workers` processes, results in
    the order of `jobs` (independent parts of the build, e.g. SHACL per source group)."""
    method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=max(1, min(workers, len(jobs))),
        mp_context=multiprocessing.get_context(method),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    ) as pool:
        futures = [pool.submit(function, *job) for job in jobs]
        try:
            return [f.result() for f in futures]
        except BaseException:
            for f in futures:
                f.cancel()
            raise
