"""The query pool heals itself: a worker that dies while the store is briefly missing is
replaced once the store is back, so the pool never shrinks for good (issue 16)."""

from __future__ import annotations

import os
import shutil
import signal
from pathlib import Path

from hrkg.serve.evaluate import Job
from hrkg.serve.workers import WorkerPool

ASK = Job("ASK { ?s ?p ?o }", format="json")


def test_a_worker_lost_while_the_store_is_missing_comes_back(
    fixture_build: Path, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    shutil.copytree(fixture_build / "store", store)
    pool = WorkerPool(store, size=1, burst=0)
    try:
        assert pool.run(ASK, timeout=30).status == 200
        hidden = tmp_path / "away"
        store.rename(hidden)  # the store is gone while the worker restarts
        (pid,) = pool.pids()
        os.kill(pid, signal.SIGKILL)  # the worker dies …
        assert pool.run(ASK, timeout=30).status == 500  # … and the next query finds out
        assert not pool.wait_full(3), "no worker can open a missing store"
        hidden.rename(store)
        assert pool.wait_full(30), "the pool did not heal once the store was back"
        assert pool.run(ASK, timeout=30).status == 200
        assert pool.replaced == 1
    finally:
        pool.close()
