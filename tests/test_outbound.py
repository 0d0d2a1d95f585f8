"""No outbound requests unless allowed: a listener on 127.0.0.1 records every connection,
and the endpoint, `hrkg query`, the stored-query list and the query page's list must leave
it untouched. A positive control (the same listener allowed with --allow-service) proves
that the listener would see a call."""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from hrkg.queries.guard import names_dataset, refuse_service, service_calls, without_service
from hrkg.serve import server as web
from stores import SAMPLE_TRIG

HEADER = "# Title: Calls out\n# Question: Does listing this call the listener?\n"


class Listener:
    """A TCP listener on a free loopback port that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.connections = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    running = Listener()
    try:
        yield running
    finally:
        running.close()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import pyoxigraph as ox

    folder = tmp_path_factory.mktemp("outbound") / "store"
    store = ox.Store(str(folder))
    store.bulk_load(path=str(SAMPLE_TRIG))
    store.flush()
    del store
    return folder


def serve(store: Path, allowed: tuple[str, ...] = ()) -> web.Server:
    config = web.ServerConfig(store=store, timeout=5.0, workers=1, allowed_services=allowed)
    server, _thread = web.start_in_thread(config)
    return server


def post_query(server: web.Server, query: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
    try:
        connection.request(
            "POST",
            "/sparql",
            body=query.encode(),
            headers={"Content-Type": "application/sparql-query"},
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def calling(url: str) -> list[str]:
    """Ways to write a SERVICE call to `url`."""
    parsed = urllib.parse.urlsplit(url)
    base = f"{parsed.scheme}://{parsed.netloc}/"
    return [
        f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX remote: <{base}> SELECT * {{ service remote:sparql {{ ?s ?p ?o }} }}",
        f"BASE <{base}> ASK {{ SERVICE <sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    ]


def test_endpoint_refuses_service_and_calls_nobody(store_dir: Path, listener: Listener) -> None:
    server = serve(store_dir)
    try:
        for query in calling(listener.url):
            status, body = post_query(server, query)
            assert status == 403 and b"--allow-service" in body, (query, body)
        assert post_query(server, "ASK { ?s ?p ?o }")[0] == 200
    finally:
        web.stop(server)
    assert listener.connections == 0


def test_allowed_service_is_called(store_dir: Path, listener: Listener) -> None:
    """The positive control: allowed, the same query does reach the listener."""
    server = serve(store_dir, allowed=(listener.url,))
    try:
        status, _ = post_query(server, calling(listener.url)[0])
    finally:
        web.stop(server)
    assert status != 403 and listener.connections >= 1


def test_hrkg_query_refuses_service(tmp_path: Path, listener: Listener) -> None:
    query = tmp_path / "calls.rq"
    query.write_text(HEADER + calling(listener.url)[0] + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "hrkg.cli", "query", str(query)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "--allow-service" in done.stderr, done.stderr
    assert listener.connections == 0


@pytest.mark.parametrize("form", range(5))
def test_checking_stored_queries_calls_nobody(
    tmp_path: Path, listener: Listener, form: int
) -> None:
    """`hrkg query --list`, the build and the page read queries with load_query/discover."""
    from hrkg.queries import catalog as sparql
    from hrkg.serve.page import stored_queries

    (tmp_path / "01-calls.rq").write_text(HEADER + calling(listener.url)[form] + "\n")
    assert [q.name for q in sparql.discover(tmp_path)] == ["01-calls"]
    assert stored_queries(tmp_path)[0]["title"] == "Calls out"
    assert listener.connections == 0


def test_syntax_errors_in_service_queries_are_still_found(tmp_path: Path) -> None:
    from hrkg.queries import catalog as sparql

    path = tmp_path / "01-broken.rq"
    path.write_text(HEADER + "SELECT * {\n  SERVICE <http://127.0.0.1:9/> { ?s ?p }\n}\n")
    with pytest.raises(sparql.QueryFileError) as caught:
        sparql.load_query(path)
    assert caught.value.line == 4


def test_stored_wikidata_query_lists_offline() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hrkg.cli", "query", "--list"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "13-wikidata-enrichment" in done.stdout


# --- the guard itself -------------------------------------------------------------------


def test_refuse_service_resolves_prefixes_and_base() -> None:
    url = "http://127.0.0.1:9/sparql"
    endpoints = [[c.endpoint for c in service_calls(q)] for q in calling(url)]
    assert endpoints == [[url], [url], [url], [url], [None]]
    assert all(refuse_service(q, [url]) is None for q in calling(url)[:4])
    assert refuse_service(calling(url)[4], [url]) is not None  # a variable: never allowed


def test_refuse_service_ignores_comments_strings_and_names() -> None:
    text = (
        "SELECT ?service WHERE { # SERVICE <http://a/>\n ?service <http://x/SERVICE> "
        '"SERVICE <http://b/>" . ?s ex:SERVICE ?o }'
    )
    assert service_calls(text) == []
    assert service_calls("ASK { \\u0053ERVICE <http://c/> { } }")[0].endpoint == "http://c/"


def test_without_service_keeps_positions() -> None:
    text = "SELECT * {\n  SERVICE SILENT <http://a/> { ?s ?p ?o }\n}"
    rewritten = without_service(text)
    assert len(rewritten) == len(text) and "SERVICE" not in rewritten
    assert rewritten.splitlines()[1].startswith("  GRAPH ")


def test_names_dataset() -> None:
    assert names_dataset("SELECT * FROM <http://g> { ?s ?p ?o }")
    assert names_dataset("select * from named <http://g> { graph ?g { ?s ?p ?o } }")
    assert not names_dataset('SELECT ?from { ?from <http://p> "FROM" } # FROM')


def test_run_oxigraph_refuses_service(listener: Listener) -> None:
    """The one function the build, `hrkg query` and `hrkg stats` run queries with."""
    import pyoxigraph as ox

    from hrkg.queries.catalog import QueryFile
    from hrkg.queries.guard import ServiceRefused
    from hrkg.queries.run import run_oxigraph

    text = calling(listener.url)[0]
    query = QueryFile(
        path=Path("x.rq"),
        name="x",
        title="x",
        question="x",
        severity=None,
        params=(),
        columns=(),
        needs_inferred=False,
        online_only=False,
        text=text,
        form="ASK",
        ordered=False,
    )
    with pytest.raises(ServiceRefused):
        run_oxigraph(ox.Store(), query)
    assert listener.connections == 0
