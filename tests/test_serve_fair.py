"""A client flooding the endpoint cannot starve another (issue 16): at most `per_client`
queries of one client evaluate at once, and free workers go round-robin across clients."""

from __future__ import annotations

import functools
import http.client
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hrkg.serve import server as web
from hrkg.serve.fair import FairQueue, client_key
from stores import SAMPLE_TRIG

ASK = "ASK { ?s ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def queued(fair: FairQueue[str], count: int) -> bool:
    return fair.waiting_count() == count


def test_client_key_is_the_address_not_the_port() -> None:
    assert client_key(("127.0.0.2", 5000)) == client_key(("127.0.0.2", 6000)) == "127.0.0.2"
    assert client_key(("127.0.0.2", 5000)) != client_key(("127.0.0.3", 5000))


def test_waiting_clients_are_served_round_robin() -> None:
    """One resource, one query per client: A holds it and queues A2, A3; then B and C queue
    one each. Each resource goes back while its client still counts it as running (as in
    the pool), so it goes to the next client in rotation: B1, A2, C1, A3, where first come,
    first served would give A2, A3, B1, C1."""
    fair: FairQueue[str] = FairQueue(per_client=1)
    fair.put("worker")
    assert fair.take("A", 1.0) == "worker"
    served: list[str] = []
    lock = threading.Lock()

    def ask(client: str, label: str) -> None:
        got = fair.take(client, 30.0)
        assert got == "worker"
        with lock:
            served.append(label)
        fair.put(got)
        fair.done(client)

    threads = []
    for client, label in (("A", "A2"), ("A", "A3"), ("B", "B1"), ("C", "C1")):
        threads.append(threading.Thread(target=ask, args=(client, label)))
        threads[-1].start()
        wait_until(functools.partial(queued, fair, len(threads)))  # queued in this order
    fair.put("worker")  # A's first query is done
    fair.done("A")
    for thread in threads:
        thread.join(30)
    assert served == ["B1", "A2", "C1", "A3"]


def test_a_client_at_its_limit_waits_while_others_are_served() -> None:
    fair: FairQueue[int] = FairQueue(per_client=1)
    fair.put(1)
    fair.put(2)
    assert fair.take("A", 1.0) is not None
    assert fair.take("A", 0.2) is None  # a worker is idle, but A is at its limit
    assert fair.waiting_count() == 0  # the request that gave up left no ticket behind
    assert fair.take("B", 1.0) is not None
    fair.done("A")
    assert fair.take("A", 0.2) is None  # nothing idle now: both are held
    fair.put(1)
    assert fair.take("A", 1.0) == 1


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import pyoxigraph as ox

    folder = tmp_path_factory.mktemp("fair") / "store"
    store = ox.Store(str(folder))
    store.bulk_load(path=str(SAMPLE_TRIG))
    store.flush()
    del store
    return folder


@pytest.fixture
def two_workers(store_dir: Path) -> Iterator[web.Server]:
    config = web.ServerConfig(store=store_dir, timeout=2.0, workers=2, per_client=1, cache_bytes=0)
    server, _thread = web.start_in_thread(config)
    try:
        yield server
    finally:
        web.stop(server)


def get_from(server: web.Server, source: str, query: str) -> int:
    """GET a query from the loopback address `source` (a distinct client)."""
    port = server.server_address[1]
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=60, source_address=(source, 0)
    )
    try:
        connection.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}))
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_a_flood_of_slow_queries_does_not_starve_another_client(two_workers: web.Server) -> None:
    """A (127.0.0.2) sends three runaway queries at once: with one query per client, one
    runs and two wait although the second worker is idle. B (127.0.0.3) then gets that
    worker: its quick query is answered (200) before any of A's, each of which is stopped
    at the timeout (503)."""
    pool = two_workers.pool
    finished: list[tuple[str, int]] = []
    lock = threading.Lock()

    def send(client: str, source: str, query: str) -> None:
        status = get_from(two_workers, source, query)
        with lock:
            finished.append((client, status))

    flood = [threading.Thread(target=send, args=("A", "127.0.0.2", SLOW)) for _ in range(3)]
    for thread in flood:
        thread.start()
    wait_until(lambda: pool.idle.waiting_count() == 2 and pool.idle.idle_count() == 1)
    quick = threading.Thread(target=send, args=("B", "127.0.0.3", ASK))
    quick.start()
    for thread in [*flood, quick]:
        thread.join(120)
    assert sorted(finished) == [("A", 503)] * 3 + [("B", 200)]
    assert finished[0] == ("B", 200), finished
    assert pool.wait_full(30)


def test_connections_reuse_handler_threads(two_workers: web.Server) -> None:
    """Connections go to handler threads started ahead, not one new thread each: after
    sixty connections one after another, no more threads were started than the spares."""
    started = two_workers.handlers
    for index in range(60):
        assert get_from(two_workers, f"127.0.0.{2 + index % 3}", ASK) == 200
    assert two_workers.handlers == started == web.SPARE_HANDLERS
