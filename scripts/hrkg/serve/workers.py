"""Query worker processes that heal themselves.

Each worker opens the store read-only and answers one job at a time. A query that runs past
the timeout has its worker killed by PID (a thread cannot be stopped; a process can, so the
work really ends) and a replacement is started in the background; if the store cannot be
opened just then, the pool keeps retrying, so it never shrinks for good. Workers ask the
kernel to kill them when the server dies (Linux parent-death signal), so none is orphaned;
as that signal follows the thread that started the process, every worker is started by one
long-lived spawner thread.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from hrkg.process import die_with_parent
from hrkg.serve.evaluate import Job, Reply, evaluate, text_reply
from hrkg.serve.fair import FairQueue

START_TIMEOUT = 60.0
RETRY_SECONDS = 1.0
POLL_SECONDS = 0.25  # how often a waiting request looks for a stuck query
STUCK_SECONDS = 1.0  # a query running longer than this may get an extra worker started


def worker_main(store_path: str, conn: multiprocessing.connection.Connection, parent: int) -> None:
    """A worker: open the store read-only, answer jobs until the pipe closes."""
    import pyoxigraph as ox

    die_with_parent(parent)  # exits at once if the server died before the signal was armed
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    try:
        store = ox.Store.read_only(store_path)
    except OSError as err:
        conn.send(f"error: {err}")
        return
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(evaluate(store, job))


class Worker:
    """One query process, killed by its own PID when a query runs out of time."""

    def __init__(self, store: Path, generation: int = 0) -> None:
        self.generation = generation  # which store (hrkg.serve.store_watch) it has open
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=worker_main,
            args=(str(store), child, os.getpid()),
            daemon=True,
            name="hrkg-serve-worker",
        )
        self.process.start()
        child.close()
        message: Any = None
        try:
            if self.conn.poll(START_TIMEOUT):
                message = self.conn.recv()
        except (EOFError, OSError):
            message = None
        if message != "ready":
            self.kill()
            raise RuntimeError(f"query worker could not open {store}: {message or 'no answer'}")

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """`size` workers handed out fairly (hrkg.serve.fair); a timeout or a crash replaces one.

    While a query has held its worker for more than STUCK_SECONDS and a request is waiting,
    up to `burst` extra workers are started, so a few runaway queries slow the others by a
    worker's start-up (about a second) instead of the whole timeout; the extras retire once
    no query is stuck. `switch` moves the pool to a new store: idle workers are replaced at
    once, busy ones when their query ends; every reply names the generation it came from.
    """

    def __init__(
        self, store: Path, size: int, burst: int | None = None, per_client: int | None = None
    ) -> None:
        self.store = store
        self.generation = 0
        self.size = max(1, size)
        self.burst = self.size if burst is None else max(0, burst)
        # by default one client may use every worker and one extra: its own runaway query
        # does not block its next one, and the other extras stay for other clients
        self.idle: FairQueue[Worker] = FairQueue(
            self.size + 1 if per_client is None else per_client
        )
        self.busy: dict[Worker, float] = {}  # worker -> when its job started
        self.lock = threading.Lock()
        self.closed = threading.Event()
        self.count = self.size  # live workers and workers being started
        self.extra_starting = False
        self.replaced = 0
        self.spawner = concurrent.futures.ThreadPoolExecutor(1, "hrkg-serve-spawn")
        try:  # the first start fails loudly, not in the background
            for worker in [self.spawner.submit(Worker, store) for _ in range(self.size)]:
                self.idle.put(worker.result())
        except RuntimeError:
            self.close()
            raise

    def run(self, job: Job, timeout: float, wait: float | None = None, client: str = "") -> Reply:
        """Answer `job` within `timeout` s of work, after at most `wait` s in `client`'s line."""
        worker = self.idle.take(
            client,
            timeout if wait is None else wait,
            tick=POLL_SECONDS,
            on_wait=self._maybe_burst,
        )
        if worker is None:
            return text_reply(
                503, "All query workers are busy; try again shortly.", **{"Retry-After": "1"}
            )
        try:
            return self._run_on(worker, job, timeout)
        finally:
            self.idle.done(client)

    def _run_on(self, worker: Worker, job: Job, timeout: float) -> Reply:
        with self.lock:
            self.busy[worker] = time.monotonic()
        try:
            worker.conn.send(job)
            if worker.conn.poll(timeout):
                reply: Reply = worker.conn.recv()
                reply.generation = worker.generation
                self._release(worker)
                return reply
        except (EOFError, OSError):
            self._replace(worker)
            return text_reply(500, "The query worker failed; it is being restarted.")
        self._replace(worker)
        return text_reply(
            503, f"Query timed out after {timeout:g} s (server --timeout); its worker was stopped."
        )

    def switch(self, store: Path) -> int:
        """Serve `store` from now on (a new build); returns the new generation."""
        with self.lock:
            self.store = store
            self.generation += 1
            generation = self.generation
        for worker in self.idle.remove_idle(lambda w: w.generation != generation):
            self._retire(worker)
        return generation

    def _retire(self, worker: Worker) -> None:
        """A worker of an old store: replaced by one on the current store."""
        worker.kill()
        with contextlib.suppress(RuntimeError):  # RuntimeError: closed meanwhile
            self.spawner.submit(self._heal)

    def _stuck(self) -> int:
        now = time.monotonic()
        return sum(1 for started in self.busy.values() if now - started > STUCK_SECONDS)

    def _maybe_burst(self) -> None:
        with self.lock:
            if (
                self.closed.is_set()
                or self.extra_starting
                or not self._stuck()
                or self.count >= self.size + self.burst
            ):
                return
            self.count += 1
            self.extra_starting = True
        with contextlib.suppress(RuntimeError):  # RuntimeError: closed meanwhile
            self.spawner.submit(self._start_extra)

    def _start_extra(self) -> None:
        with self.lock:
            store, generation = self.store, self.generation
        try:
            worker = Worker(store, generation)
        except RuntimeError:
            with self.lock:
                self.count -= 1
                self.extra_starting = False
            return
        with self.lock:
            self.extra_starting = False
        self._give_back(worker)

    def _release(self, worker: Worker) -> None:
        with self.lock:
            self.busy.pop(worker, None)
            old = worker.generation != self.generation
        if old:
            self._retire(worker)
            return
        self._give_back(worker)
        self._trim()

    def _trim(self) -> None:
        """Retire idle extra workers once no query is stuck."""
        while True:
            with self.lock:
                if self.count <= self.size or self._stuck():
                    return
                worker = self.idle.take_idle()
                if worker is None:
                    return
                self.count -= 1
            worker.kill()

    def _give_back(self, worker: Worker) -> None:
        if self.closed.is_set():
            worker.kill()
        else:
            self.idle.put(worker)

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        with self.lock:
            self.busy.pop(worker, None)
            self.replaced += 1
            heal = self.count <= self.size
            if not heal:
                self.count -= 1  # an extra worker died: not replaced
        if heal:
            with contextlib.suppress(RuntimeError):  # RuntimeError: closed meanwhile
                self.spawner.submit(self._heal)

    def _heal(self) -> None:
        """Start one replacement worker, retrying until it opens the store or we close."""
        while not self.closed.is_set():
            with self.lock:
                store, generation = self.store, self.generation
            try:
                worker = Worker(store, generation)
            except RuntimeError as err:
                print(f"hrkg serve: {err}; retrying", file=sys.stderr)
                self.closed.wait(RETRY_SECONDS)
                continue
            if worker.generation != self.generation:  # switched while it started
                worker.kill()
                continue
            self._give_back(worker)
            return

    def pids(self) -> list[int]:
        """The PIDs of the live workers (for tests and the benchmark)."""
        with self.lock:
            workers = list(self.busy) + list(self.idle.idle)
        return [w.pid for w in workers if w.pid is not None]

    def wait_full(self, seconds: float) -> bool:
        """Wait until exactly `size` workers are up and idle; True if it happened."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self._trim()
            with self.lock:
                if self.count == self.size and self.idle.idle_count() == self.size:
                    return True
            time.sleep(0.05)
        return False

    def close(self) -> None:
        self.closed.set()
        with self.lock:
            workers = list(self.busy)
        workers += self.idle.drain()
        for worker in workers:
            worker.kill()
        self.spawner.shutdown(wait=False, cancel_futures=True)
