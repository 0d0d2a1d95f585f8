"""The answer cache (issue 16): a cached answer is the same bytes as a fresh one, the cache
stays within its bound, a different negotiated format is a different entry, failures are
never kept, and a new build under the store path is served without a stale answer."""

from __future__ import annotations

import http.client
import os
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from hrkg.serve import server as web
from hrkg.serve.cache import AnswerCache, answer_key
from hrkg.serve.evaluate import Job, Reply
from stores import SAMPLE_TRIG

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"


def make_store(folder: Path, extra: str = "") -> Path:
    import pyoxigraph as ox

    store = ox.Store(str(folder))
    store.bulk_load(path=str(SAMPLE_TRIG))
    if extra:
        store.update(extra)
    store.flush()
    del store
    return folder


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cache")
    first = make_store(root / "v1")
    second = make_store(
        root / "v2", "INSERT DATA { GRAPH <urn:g:new> { <urn:a> <urn:b> <urn:c> } }"
    )
    return first, second


def link(target: Path, at: Path) -> None:
    """Point the symbolic link `at` to `target` by one rename (as a versioned dist/ is)."""
    fresh = at.with_name(at.name + ".new")
    fresh.symlink_to(target)
    os.replace(fresh, at)


@pytest.fixture
def served(tmp_path: Path, stores: tuple[Path, Path]) -> Iterator[tuple[web.Server, Path]]:
    store_link = tmp_path / "store"
    link(stores[0], store_link)
    config = web.ServerConfig(store=store_link, timeout=2.0, workers=1, cache_bytes=1 << 20)
    server, _thread = web.start_in_thread(config)
    try:
        yield server, store_link
    finally:
        web.stop(server)


def get(server: web.Server, query: str, accept: str = JSON) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=60)
    try:
        connection.request(
            "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept}
        )
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def test_cached_answer_is_the_same_bytes(served: tuple[web.Server, Path]) -> None:
    server, _ = served
    cache = server.endpoint.cache
    fresh = get(server, COUNT)
    assert fresh[0] == 200 and (cache.hits, cache.misses) == (0, 1)
    again = get(server, COUNT)
    padded = get(server, f"\n  {COUNT}\n\t")  # outside every token: the same entry
    assert (cache.hits, len(cache.entries)) == (2, 1)
    assert again == fresh == padded


def test_different_format_is_a_different_entry(served: tuple[web.Server, Path]) -> None:
    server, _ = served
    as_json, as_xml = get(server, COUNT, JSON), get(server, COUNT, XML)
    assert as_json[1] == JSON and as_xml[1] == XML and as_json[2] != as_xml[2]
    assert len(server.endpoint.cache.entries) == 2
    assert get(server, COUNT, XML) == as_xml and get(server, COUNT, JSON) == as_json


def test_failures_and_timeouts_are_not_cached(served: tuple[web.Server, Path]) -> None:
    server, _ = served
    assert get(server, "SELECT * WHERE { ?s ")[0] == 400
    assert get(server, SLOW)[0] == 503  # stopped at the 2 s timeout
    assert not server.endpoint.cache.entries
    assert server.pool.wait_full(30)


def test_a_new_store_is_served_with_no_stale_answer(
    served: tuple[web.Server, Path], stores: tuple[Path, Path]
) -> None:
    server, store_link = served
    assert server.config.store == stores[0].resolve()  # resolved once, at start
    before = get(server, COUNT)
    assert get(server, COUNT) == before and server.endpoint.cache.hits == 1
    link(stores[1], store_link)
    deadline = time.monotonic() + 30
    while server.pool.generation == 0:
        assert time.monotonic() < deadline, "the server did not notice the new store"
        time.sleep(0.05)
    after = get(server, COUNT)
    assert after[0] == 200 and after[2] != before[2]
    assert server.endpoint.cache.hits == 1  # the old answer was not replayed
    assert b"urn:g:new" in get(server, "SELECT ?g WHERE { GRAPH ?g {} }")[2]


def test_eviction_keeps_the_cache_within_its_bound() -> None:
    cache = AnswerCache(max_bytes=10_000)
    keys = [answer_key(Job(f"ASK {{ <urn:{i}> ?p ?o }}", accept=JSON), 0) for i in range(40)]
    for index, key in enumerate(keys):
        assert cache.put(key, Reply(200, JSON, b"x" * 1000))
        assert cache.size <= cache.max_bytes
        if index >= 1:
            assert cache.get(keys[0]) is not None  # used each time: never the one evicted
    assert cache.get(keys[0]) is not None
    assert cache.get(keys[1]) is None  # the least recently used went first
    assert cache.get(keys[-1]) is not None
    assert 1 < len(cache.entries) < 10
    assert not cache.put(keys[1], Reply(200, JSON, b"x" * 20_000))  # bigger than the bound
    assert not cache.put(keys[1], Reply(503, "text/plain", b"busy"))
    off = AnswerCache(0)
    assert not off.put(keys[0], Reply(200, JSON, b"x")) and off.get(keys[0]) is None


def test_key_tells_apart_what_changes_an_answer() -> None:
    base = Job("ASK {}", accept=JSON, base_iri="http://127.0.0.1:1/sparql")
    same = Job(" ASK {}\n", accept=f"{JSON}, text/csv;q=0.5", base_iri="http://127.0.0.1:1/sparql")
    assert answer_key(base, 0) == answer_key(same, 0)  # same text, same formats chosen
    others = [
        Job("ASK {  }", accept=JSON, base_iri=base.base_iri),
        Job("ASK {}", accept=XML, base_iri=base.base_iri),
        Job("ASK {}", accept="application/json", base_iri=base.base_iri),  # JSON-LD graphs
        Job("ASK {}", accept=JSON, base_iri="http://localhost:1/sparql"),
        Job("ASK {}", accept=JSON, base_iri=base.base_iri, default_graphs=["urn:g"]),
        Job("ASK {}", accept=JSON, base_iri=base.base_iri, named_graphs=["urn:g"]),
        Job("ASK {}", accept=JSON, base_iri=base.base_iri, limit=5),
    ]
    keys = {answer_key(job, 0) for job in others} | {answer_key(base, 1)}
    assert answer_key(base, 0) not in keys and len(keys) == len(others) + 1
