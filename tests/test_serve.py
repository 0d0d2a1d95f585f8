"""`hrkg serve`: the read-only SPARQL 1.1 Protocol endpoint and the query page, tested with
a real HTTP client (urllib) against a server on a free port, and once in headless Chromium."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from hrkg.commands import serve as app
from hrkg.serve import page
from hrkg.serve import server as serve
from stores import SAMPLE_QUERIES, SAMPLE_TRIG, chromium, require
from stores.engines import free_port

pytest_plugins = ["stores.fixtures"]

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELS = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label"
)
CONSTRUCT = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "CONSTRUCT { ?s skos:exactMatch ?o } WHERE { ?s skos:exactMatch ?o }"
)
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import pyoxigraph as ox

    folder = tmp_path_factory.mktemp("serve") / "store"
    store = ox.Store(str(folder))
    store.bulk_load(path=str(SAMPLE_TRIG))
    store.flush()
    del store
    return folder


@pytest.fixture(scope="module")
def endpoint(store_dir: Path) -> Iterator[str]:
    config = serve.ServerConfig(
        store=store_dir, queries=SAMPLE_QUERIES, timeout=2.0, limit=5, workers=1
    )
    server, _thread = serve.start_in_thread(config)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        serve.stop(server)


def get(
    url: str,
    accept: str | None = None,
    data: bytes | None = None,
    content_type: str | None = None,
    method: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    headers = {}
    if accept:
        headers["Accept"] = accept
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def sparql_get(
    base: str, query: str, accept: str | None = None, **extra: str
) -> tuple[int, dict[str, str], bytes]:
    params = urllib.parse.urlencode({"query": query, **extra})
    return get(f"{base}/sparql?{params}", accept)


def solutions(body: bytes, kind: str) -> list[dict[str, str]]:
    """Parse results with pyoxigraph's own parser: plain value per variable."""
    import pyoxigraph as ox

    formats = {
        "json": ox.QueryResultsFormat.JSON,
        "xml": ox.QueryResultsFormat.XML,
        "tsv": ox.QueryResultsFormat.TSV,
    }
    parsed = ox.parse_query_results(body, formats[kind])
    names = [v.value for v in parsed.variables]  # type: ignore[union-attr]
    return [{n: str(row[n]) for n in names} for row in parsed]  # type: ignore[union-attr]


# --- protocol --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "kind", "content_type"),
    [
        ("application/sparql-results+json", "json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "xml", "application/sparql-results+xml"),
        ("text/tab-separated-values", "tsv", "text/tab-separated-values"),
        ("text/html, */*;q=0.1", "json", "application/sparql-results+json"),
    ],
)
def test_select_formats_agree(endpoint: str, accept: str, kind: str, content_type: str) -> None:
    status, headers, body = sparql_get(endpoint, COUNT, accept)
    assert status == 200 and headers["Content-Type"].startswith(content_type)
    assert solutions(body, kind) == [{"n": '"58"^^<http://www.w3.org/2001/XMLSchema#integer>'}]


def test_csv_results(endpoint: str) -> None:
    status, headers, body = sparql_get(
        endpoint, 'SELECT ?x ?y WHERE { VALUES (?x ?y) { ("a,b" "say \\"hi\\"") } }', "text/csv"
    )
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body.decode() == 'x,y\r\n"a,b","say ""hi"""\r\n'


def test_post_form_and_direct_body(endpoint: str) -> None:
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    direct = get(
        f"{endpoint}/sparql",
        "application/sparql-results+json",
        COUNT.encode(),
        "application/sparql-query",
    )
    posted = get(
        f"{endpoint}/sparql",
        "application/sparql-results+json",
        form,
        "application/x-www-form-urlencoded",
    )
    assert direct[0] == posted[0] == 200
    assert json.loads(direct[2]) == json.loads(posted[2])


def test_union_default_graph_and_dataset_parameters(endpoint: str) -> None:
    entities = "https://example.org/hrkg-test/graph/entities"
    _, _, body = sparql_get(endpoint, COUNT, "application/json", **{"default-graph-uri": entities})
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "14"


def test_ask(endpoint: str) -> None:
    status, _, body = sparql_get(endpoint, "ASK { ?s a <https://w3id.org/hrkg/ontology#State> }")
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_formats(endpoint: str, accept: str, rdflib_format: str) -> None:
    import rdflib
    from rdflib.compare import isomorphic

    status, headers, body = sparql_get(endpoint, CONSTRUCT, accept)
    assert status == 200 and headers["Content-Type"].startswith(accept)
    graph = rdflib.Graph().parse(data=body, format=rdflib_format)
    _, _, reference = sparql_get(endpoint, CONSTRUCT, "application/n-triples")
    assert len(graph) == 3
    assert isomorphic(graph, rdflib.Graph().parse(data=reference, format="nt"))


def test_not_acceptable(endpoint: str) -> None:
    status, _, body = sparql_get(endpoint, COUNT, "image/png")
    assert status == 406 and b"application/sparql-results+json" in body


def test_result_limit_truncates_and_says_so(endpoint: str) -> None:
    status, headers, body = sparql_get(endpoint, LABELS, "application/json")
    rows = json.loads(body)["results"]["bindings"]
    assert status == 200 and len(rows) == 5
    assert headers.get("X-HRKG-Truncated") == "true"
    _, small_headers, _ = sparql_get(endpoint, COUNT)
    assert "X-HRKG-Truncated" not in small_headers


def test_timeout_stops_the_query_and_the_server_recovers(endpoint: str) -> None:
    started = time.monotonic()
    status, _, body = sparql_get(endpoint, SLOW)
    assert status == 503 and b"timed out" in body
    assert time.monotonic() - started < 15
    assert sparql_get(endpoint, COUNT)[0] == 200


@pytest.mark.parametrize("how", ["form", "body", "get", "put"])
def test_updates_are_refused(endpoint: str, how: str) -> None:
    update = "INSERT DATA { <https://example.org/x> <https://example.org/y> 1 }"
    if how == "form":
        reply = get(
            f"{endpoint}/sparql",
            None,
            urllib.parse.urlencode({"update": update}).encode(),
            "application/x-www-form-urlencoded",
        )
    elif how == "body":
        reply = get(f"{endpoint}/sparql", None, update.encode(), "application/sparql-update")
    elif how == "get":
        reply = get(f"{endpoint}/sparql?" + urllib.parse.urlencode({"update": update}))
    else:
        reply = get(
            f"{endpoint}/sparql?graph=urn:x",
            None,
            b"<a:b> <a:c> <a:d> .",
            "text/turtle",
            method="PUT",
        )
    assert reply[0] == 403 and b"read-only" in reply[2]
    assert (
        json.loads(sparql_get(endpoint, COUNT)[2])["results"]["bindings"][0]["n"]["value"] == "58"
    )


def test_update_as_query_is_a_parse_error(endpoint: str) -> None:
    status, _, body = sparql_get(endpoint, "DELETE WHERE { ?s ?p ?o }")
    assert status == 400 and b"parse error" in body.lower()


def test_missing_query_and_unknown_paths(endpoint: str) -> None:
    status, headers, _ = get(f"{endpoint}/sparql")  # the Service Description
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert get(f"{endpoint}/sparql", None, b"", "application/x-www-form-urlencoded")[0] == 400
    assert get(f"{endpoint}/nothing-here")[0] == 404
    assert get(f"{endpoint}/webui/..%2F..%2Fserve.py")[0] == 404
    assert get(f"{endpoint}/webui/../../serve.py")[0] == 404


# --- the page ---------------------------------------------------------------------------------


def test_stored_queries_listed_with_bound_parameters(endpoint: str) -> None:
    status, _, body = get(f"{endpoint}/queries.json")
    queries = {q["name"]: q for q in json.loads(body)}
    assert status == 200 and "07-labels-of-an-actor" in queries
    assert queries["07-labels-of-an-actor"]["title"] == "Labels of an actor"
    assert (
        "VALUES ?actor { <https://w3id.org/hrkg/id/hamas> }"
        in queries["07-labels-of-an-actor"]["query"]
    )
    assert queries["10-wikidata-online"]["onlineOnly"] is True


def test_page_loads_nothing_from_elsewhere(endpoint: str) -> None:
    status, headers, body = get(f"{endpoint}/")
    page = body.decode()
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert 'src="webui/vendor/yasgui/yasgui.min.js"' in page
    assert "http://" not in page and "https://" not in page
    assert get(f"{endpoint}/webui/app.js")[0] == 200


@pytest.mark.browser
def test_page_in_headless_chromium(endpoint: str, tmp_path: Path) -> None:
    """YASGUI renders, the stored queries become tabs, and ?run= runs one on load.

    HRKG_SCREENSHOT=/some/file.png keeps the screenshot to look at."""
    binary = chromium()
    require(None if binary else "chromium (apt-get install chromium)", "Chromium")
    yasgui = page.WEBUI_DIR / "vendor" / "yasgui" / "yasgui.min.js"
    require(None if yasgui.exists() else "YASGUI assets (make yasgui)", "YASGUI")
    assert binary is not None
    url = f"{endpoint}/?run=07-labels-of-an-actor"  # not the first tab: the right one runs
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--virtual-time-budget=15000",
    ]
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [binary, *flags, f"--user-data-dir={profile}", "--dump-dom", url],
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
    with tempfile.TemporaryDirectory() as profile:
        shot = Path(os.environ.get("HRKG_SCREENSHOT", tmp_path / "page.png"))
        subprocess.run(
            [binary, *flags, f"--user-data-dir={profile}", f"--screenshot={shot}", url],
            capture_output=True,
            timeout=120,
        )
    assert 'data-ready="yes"' in dom
    assert 'class="yasgui' in dom
    assert "Labels of an actor" in dom and "English labels" in dom  # tabs from queries.json
    assert 'data-last-answer="2 rows"' in dom  # Hamas's two labels (English, Arabic)
    assert "Labels of an actor: 2 rows" in dom
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


# --- the command -------------------------------------------------------------------------------


def test_hrkg_serve_command_binds_localhost(store_dir: Path, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "hrkg.cli",
                "serve",
                "--store",
                str(store_dir),
                "--port",
                str(port),
                "--workers",
                "1",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        status = 0
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                status = sparql_get(f"http://127.0.0.1:{port}", COUNT)[0]
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200, log.read_text()
        assert f"http://127.0.0.1:{port}/" in log.read_text()
    finally:
        proc.terminate()
        proc.wait(10)


def test_hrkg_serve_without_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hrkg.cli import main

    assert main(["serve", "--store", str(tmp_path / "none")]) == 2
    assert "hrkg build" in capsys.readouterr().err


def test_defaults_are_local_and_bounded() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    app.add_arguments(parser)
    args = parser.parse_args([])
    assert (args.host, args.port, args.timeout, args.limit) == ("127.0.0.1", 7878, 10.0, 10_000)


def test_routes_can_be_added(store_dir: Path) -> None:
    """Another page plugs in as a route; a factory's route can run queries in the workers."""
    from hrkg.serve.evaluate import Job, Reply
    from hrkg.serve.routing import HttpRequest, Route

    def count_page(server: serve.Server) -> list[Route]:
        def handle(request: HttpRequest) -> Reply:
            reply = server.pool.run(Job(COUNT, format="json"), 5)
            count = json.loads(reply.body)["results"]["bindings"][0]["n"]["value"]
            return Reply(200, "text/plain", f"{request.path} {count}".encode())

        return [Route("/id/", handle, prefix=True)]

    hello = Route("/reconcile", lambda r: Reply(200, "text/plain", b"hello"), ("GET", "POST"))
    config = serve.ServerConfig(
        store=store_dir, workers=1, extra_routes=[hello], route_factories=[count_page]
    )
    server, _thread = serve.start_in_thread(config)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        assert get(f"{base}/reconcile")[2] == b"hello"
        assert get(f"{base}/id/hamas")[2] == b"/id/hamas 58"
        assert get(f"{base}/reconcile", method="DELETE")[0] == 405
        assert get(f"{base}/sparql?query=ASK%7B%7D")[0] == 200  # the defaults stay
    finally:
        serve.stop(server)


@pytest.mark.parametrize(("rows", "truncated"), [(4, False), (5, False), (6, True), (50, True)])
@pytest.mark.parametrize("kind", ["json", "xml", "tsv"])
def test_limit_boundary_in_every_format(
    endpoint: str, rows: int, truncated: bool, kind: str
) -> None:
    """The endpoint's limit is 5: up to 5 rows come whole, more are cut to 5 and marked."""
    values = " ".join(f'("r{i}" "tab\\there")' for i in range(rows))
    query = f"SELECT ?x ?y WHERE {{ VALUES (?x ?y) {{ {values} }} }}"
    status, headers, body = sparql_get(endpoint, query, format=kind)
    assert status == 200
    got = solutions(body, kind)
    assert [row["x"] for row in got] == [f'"r{i}"' for i in range(min(rows, 5))]
    assert {row["y"] for row in got} == {'"tab\\there"'}
    assert (headers.get("X-HRKG-Truncated") == "true") is truncated
