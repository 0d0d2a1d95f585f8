"""The SPARQL 1.1 Protocol and Service Description, run against `hrkg serve` from the
project's own manifests (tests/protocol/cases.toml: the W3C suite's cases, ids = the W3C
test names; tests/protocol/extra.toml: the project's own).

Each case's requests go over a real socket (http.client, so no header is added that the
case does not name) to a server on a free loopback port. After a read-only case the store
must hold the same quads; after a refused request (4xx) the worker pool must hold the same
processes: a malformed request never costs a worker.
"""

from __future__ import annotations

import http.client
import json
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hrkg.serve import server as web

HERE = Path(__file__).parent / "protocol"
FOAF_DOCUMENT = "http://xmlns.com/foaf/0.1/Document"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SD = "http://www.w3.org/ns/sparql-service-description#"
SPECIAL = "http://example.org/special"
RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
RDF_TYPES = {
    "text/turtle": "TURTLE",
    "application/n-triples": "N_TRIPLES",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON_LD",
}


def load(name: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    with (HERE / name).open("rb") as handle:
        manifest = tomllib.load(handle)
    return manifest.get("data", {}), manifest["case"]


W3C_DATA, W3C_CASES = load("cases.toml")
_, EXTRA_CASES = load("extra.toml")


def build_store(folder: Path) -> Path:
    """The suite's data (three one-triple graphs) and the special literals, in a new store."""
    import pyoxigraph as ox

    store = ox.Store(str(folder))
    for graph in W3C_DATA["graphs"]:
        store.add(
            ox.Quad(
                ox.NamedNode(graph),
                ox.NamedNode(RDF_TYPE),
                ox.NamedNode(FOAF_DOCUMENT),
                ox.NamedNode(graph),
            )
        )
    for subject, value in (("cr", "a\rb"), ("ctrl", "c\u0001d")):
        store.add(
            ox.Quad(
                ox.NamedNode(f"http://example.org/{subject}"),
                ox.NamedNode("http://example.org/v"),
                ox.Literal(value),
                ox.NamedNode(SPECIAL),
            )
        )
    store.flush()
    del store
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[web.Server]:
    folder = build_store(tmp_path_factory.mktemp("protocol") / "store")
    config = web.ServerConfig(store=folder, timeout=5.0, workers=1)
    running, _thread = web.start_in_thread(config)
    try:
        yield running
    finally:
        web.stop(running)


def send(
    port: int, request: dict[str, Any], path: str = "/sparql"
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body: bytes | None = None
    if "body_repeat" in request:
        r = request["body_repeat"]
        body = (r["prefix"] + r["open"] * r["times"] + r["close"] * r["times"]).encode()
    elif "body" in request:
        body = request["body"].encode(request.get("encoding", "utf-8"))
    try:
        connection.request(
            request["method"],
            path + request.get("query_string", ""),
            body=body,
            headers=request.get("headers", {}),
        )
        response = connection.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        connection.close()


def status_matches(actual: int, expected: int | str) -> bool:
    if isinstance(expected, int):
        return actual == expected
    return str(actual)[0] == expected[0]


def first_value(content_type: str, body: bytes) -> str:
    import pyoxigraph as ox

    kind = ox.QueryResultsFormat.from_media_type(content_type.split(";")[0])
    parsed = ox.parse_query_results(body, kind)
    assert isinstance(parsed, ox.QuerySolutions), "expected solutions"
    names = [v.value for v in parsed.variables]
    rows = list(parsed)
    assert rows, "no rows"
    term = rows[0][names[0]]
    return str(term.value)


def check_body_format(
    port: int, request: dict[str, Any], content_type: str, body: bytes, path: str
) -> None:
    """The answer's body parses as the form the case expects (boolean, tabular, RDF)."""
    import pyoxigraph as ox

    fmt = request.get("format")
    if fmt == "boolean":
        assert content_type in RESULT_TYPES[:2], content_type
        parsed = ox.parse_query_results(body, ox.QueryResultsFormat.from_media_type(content_type))
        assert isinstance(parsed, ox.QueryBoolean)
        if "boolean" in request:
            assert bool(parsed) is request["boolean"]
    elif fmt == "tabular":
        assert content_type in RESULT_TYPES, content_type
        first_value(content_type, body)
    elif fmt == "RDF":
        assert content_type in RDF_TYPES, content_type
        triples = list(ox.parse(body, getattr(ox.RdfFormat, RDF_TYPES[content_type])))
        if request.get("endpoint_triple"):
            url = f"http://127.0.0.1:{port}{path}"
            assert any(
                q.predicate.value == SD + "endpoint" and q.object.value == url for q in triples
            ), "no sd:endpoint naming the URL requested"
        if "shapes" in request:
            check_shapes(body, HERE / request["shapes"])


def check_response(
    port: int,
    request: dict[str, Any],
    status: int,
    headers: dict[str, str],
    body: bytes,
    path: str = "/sparql",
) -> None:
    """Every expectation of one request (see cases.toml); AssertionError names the first."""

    assert status_matches(status, request["status"]), (status, body[:300])
    content_type = headers.get("content-type", "").split(";")[0].strip()
    if "content_type" in request:
        assert content_type == request["content_type"]
    if request.get("body_empty"):
        assert body == b""
    if "body_contains" in request:
        assert request["body_contains"].encode() in body, body[:300]
    for name in request.get("headers_absent", []):
        assert name.lower() not in headers
    for name, part in request.get("header_contains", {}).items():
        assert part in headers.get(name.lower(), "")
    check_body_format(port, request, content_type, body, path)
    if "value" in request:
        root = f"http://127.0.0.1:{port}"
        assert first_value(content_type, body) == request["value"].replace("{root}", root)


def check_shapes(turtle: bytes, shapes: Path) -> None:
    import pyshacl
    import rdflib

    data = rdflib.Graph().parse(data=turtle, format="turtle")
    conforms, _graph, text = pyshacl.validate(data, shacl_graph=str(shapes))
    assert conforms, text


def quad_count(server: web.Server) -> int:
    from hrkg.serve.evaluate import Job

    reply = server.pool.run(
        Job("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }", format="json"), 10
    )
    return int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])


def run_case(server: web.Server, case: dict[str, Any]) -> None:
    before = quad_count(server) if case.get("read_only") else None
    for request in case["request"]:
        assert server.pool.wait_full(30)
        pids = sorted(server.pool.pids())
        port = server.server_address[1]
        status, headers, body = send(port, request)
        check_response(port, request, status, headers, body)
        if 400 <= status < 500:
            assert sorted(server.pool.pids()) == pids, "a refused request cost a worker"
    if before is not None:
        assert quad_count(server) == before


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in W3C_CASES])
def test_w3c(server: web.Server, case: dict[str, Any]) -> None:
    run_case(server, case)


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in EXTRA_CASES])
def test_protocol(server: web.Server, case: dict[str, Any]) -> None:
    run_case(server, case)


def test_manifest_covers_every_w3c_query_and_description_test() -> None:
    """The ids are the W3C suite's entries (protocol + service description), each once."""
    ids = [c["id"] for c in W3C_CASES]
    assert len(ids) == len(set(ids)) == 34 + 3
    assert {
        "query_post_form",
        "bad_query_non_utf8",
        "update_base_uri",
        "returns-rdf",
        "has-endpoint-triple",
        "conforms-to-schema",
    } <= set(ids)
