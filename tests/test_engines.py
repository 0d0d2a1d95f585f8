"""The engine harness itself: result normalisation and comparison, and the real servers'
life cycle (start on a free port, bulk load, answer, stop by PID)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from hrkg.queries.inline import bind_values
from stores import SAMPLE_GRAPH, SAMPLE_QUERIES, require
from stores.engines import (
    EngineError,
    JenaEngine,
    OxigraphServer,
    Result,
    VirtuosoEngine,
    VirtuosoServer,
    canonical_literal,
    compare,
    load_stored_query,
    order_keys,
    query_form,
    result_from_json,
    strip_comments,
)

pytest_plugins = ["stores.fixtures"]

XSD = "http://www.w3.org/2001/XMLSchema#"


# --- normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("2", XSD + "integer", None), ("2.0", XSD + "decimal", None)),
        (("2", XSD + "integer", None), ("2.0E0", XSD + "double", None)),
        (("0.25", XSD + "decimal", None), ("2.5E-1", XSD + "double", None)),
        (("x", None, None), ("x", XSD + "string", None)),
        (("Fatah", None, "EN"), ("Fatah", None, "en")),
        (("true", XSD + "boolean", None), ("1", XSD + "boolean", None)),
    ],
)
def test_same_value_same_canonical_form(
    a: tuple[str, str | None, str | None], b: tuple[str, str | None, str | None]
) -> None:
    assert canonical_literal(*a) == canonical_literal(*b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("2", XSD + "integer", None), ("3", XSD + "integer", None)),
        (("2024-02-29", XSD + "date", None), ("2024-02-29", None, None)),
        (("x", None, "en"), ("x", None, None)),
        (("x", None, "en"), ("x", None, "ru")),
    ],
)
def test_different_values_stay_different(
    a: tuple[str, str | None, str | None], b: tuple[str, str | None, str | None]
) -> None:
    assert canonical_literal(*a) != canonical_literal(*b)


def test_virtuoso_typed_literal_and_plain_json_agree() -> None:
    virtuoso = {
        "head": {"vars": ["n", "s"]},
        "results": {
            "bindings": [
                {
                    "n": {"type": "typed-literal", "datatype": XSD + "integer", "value": "3"},
                    "s": {"type": "bnode", "value": "nodeID://b10001"},
                }
            ]
        },
    }
    standard = {
        "head": {"vars": ["s", "n"]},
        "results": {
            "bindings": [
                {
                    "n": {"type": "literal", "datatype": XSD + "integer", "value": "3"},
                    "s": {"type": "bnode", "value": "b0"},
                }
            ]
        },
    }
    assert compare(result_from_json(standard), result_from_json(virtuoso), None) is None


def rows(*values: str) -> Result:
    return Result("select", ("x",), tuple((v,) for v in values))


def test_compare_finds_missing_extra_and_duplicate_rows() -> None:
    assert compare(rows("a", "b"), rows("b", "a"), None) is None
    assert "missing 1" in str(compare(rows("a", "b"), rows("a"), None))
    assert "extra 1" in str(compare(rows("a"), rows("a", "c"), None))
    assert "extra 1" in str(compare(rows("a"), rows("a", "a"), None))


def test_compare_respects_order_by_keys_only() -> None:
    assert compare(rows("a", "b"), rows("b", "a"), ["x"]) is not None
    assert compare(rows("a", "b"), rows("b", "a"), []) is not None
    tied = Result("select", ("k", "x"), (("1", "a"), ("1", "b")))
    swapped = Result("select", ("k", "x"), (("1", "b"), ("1", "a")))
    assert compare(tied, swapped, ["k"]) is None


def test_ask_and_kind_differences() -> None:
    assert compare(Result("ask", boolean=True), Result("ask", boolean=False), None)
    assert compare(Result("ask", boolean=True), rows("a"), None)


# --- query text ------------------------------------------------------------------------


def test_strip_comments_keeps_hashes_in_iris_and_strings() -> None:
    text = 'SELECT * { <http://x/#a> ?p "a # b" } # comment\n# whole line'
    assert strip_comments(text) == 'SELECT * { <http://x/#a> ?p "a # b" } \n'


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("SELECT ?a { ?a ?b ?c }", None),
        ("SELECT ?a { ?a ?b ?c } ORDER BY ?a DESC(?b) LIMIT 3", ["a", "b"]),
        ("SELECT ?a { ?a ?b ?c } ORDER BY STR(?a)", []),
        ("SELECT ?a { { SELECT ?a { ?a ?b ?c } ORDER BY ?c LIMIT 1 } } # ORDER BY ?z", ["c"]),
    ],
)
def test_order_keys(query: str, keys: list[str] | None) -> None:
    assert order_keys(query) == keys


def test_query_form_skips_prologue_and_comments() -> None:
    assert (
        query_form("# SELECT in a comment\nPREFIX a: <x:>\nCONSTRUCT WHERE { ?s ?p ?o }")
        == "CONSTRUCT"
    )


def test_parameter_defaults_are_bound_as_values() -> None:
    stored = load_stored_query(SAMPLE_QUERIES / "07-labels-of-an-actor.rq")
    assert stored.params == ("actor = kg:hamas (iri)",)
    assert "VALUES ?actor { <https://w3id.org/hrkg/id/hamas> }" in stored.text
    assert stored.text.index("VALUES") > stored.text.index("WHERE")
    assert "VALUES" not in stored.original
    online = load_stored_query(SAMPLE_QUERIES / "10-wikidata-online.rq")
    assert online.online_only and not stored.online_only


def test_binding_skips_a_construct_template() -> None:
    text = "# a comment with WHERE {\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    bound = bind_values(text, {"s": "<http://x>"})
    assert bound.endswith("WHERE {\n  VALUES ?s { <http://x> } ?s ?p ?o }")
    assert bind_values(text, {}) == text


# --- real servers ------------------------------------------------------------------------


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.server
def test_oxigraph_server_lifecycle(sample_nq: Path, tmp_path: Path) -> None:
    require(OxigraphServer.available(), "Oxigraph server")
    server = OxigraphServer(workdir=tmp_path)
    try:
        server.load(sample_nq)
        server.start()
        assert server.proc is not None and port_open(server.port)
        answer = server.query("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
        assert answer.rows == (('"58"^^numeric',),)
        pid = server.proc.pid
    finally:
        server.stop()
    assert server.proc is None and not port_open(server.port)
    assert (
        not Path(f"/proc/{pid}").exists()
        or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    )


@pytest.mark.server
def test_virtuoso_bulk_loader_and_row_cap(virtuoso_server: VirtuosoServer, tmp_path: Path) -> None:
    """ld_dir + rdf_loader_run load an N-Quads file; answers above Virtuoso's packaged
    10,000-row cap come back whole (ResultSetMaxRows is raised in our virtuoso.ini)."""
    graph = SAMPLE_GRAPH + "bulk-12001"
    dump = tmp_path / "bulk.nq"
    ex = "https://example.org/hrkg-test/"
    dump.write_text(
        "".join(f'<{ex}s{i}> <{ex}p> "{i}" <{graph}> .\n' for i in range(12_001)), "utf-8"
    )
    engine = VirtuosoEngine(server=virtuoso_server)
    engine.load(dump)
    assert engine.graphs == [graph]
    count = engine.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert count.rows == (('"12001"^^numeric',),)
    everything = engine.query("SELECT ?s WHERE { ?s ?p ?o }")
    assert len(everything.rows) == 12_001
    listed = virtuoso_server.isql(
        f"SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE '%/{dump.name}'"
        " AND ll_state = 2 AND ll_error IS NULL;"
    )
    assert listed.strip() == "1"


@pytest.mark.server
def test_virtuoso_bulk_loader_reports_a_broken_file(
    virtuoso_server: VirtuosoServer, tmp_path: Path
) -> None:
    dump = tmp_path / "broken.nq"
    dump.write_text("<https://example.org/hrkg-test/s> this is not N-Quads .\n", "utf-8")
    with pytest.raises(EngineError, match=r"did not finish broken\.nq"):
        virtuoso_server.bulk_load(dump)


@pytest.mark.server
def test_virtuoso_default_graph_holds_system_graphs(virtuoso_server: VirtuosoServer) -> None:
    """Why VirtuosoEngine names its graphs in every request: without them, Virtuoso's
    default graph also holds its own system graphs."""
    from stores.engines import http_query

    answer = http_query(
        virtuoso_server.query_url,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH "
        "<http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }",
    )
    assert answer.rows and answer.rows[0][0] != '"0"^^numeric'


@pytest.mark.server
def test_jena_tdb2_union_default_graph(sample_nq: Path, tmp_path: Path) -> None:
    """tdb2.tdbloader + tdb2.tdbquery; the xsd:date filter needs the Xerces shim."""
    require(JenaEngine.available(), "Apache Jena")
    engine = JenaEngine(workdir=tmp_path)
    engine.load(sample_nq)
    answer = engine.query(
        "SELECT ?m WHERE { ?m <https://w3id.org/hrkg/ontology#date> ?d "
        'FILTER(?d > "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date>) }'
    )
    assert answer.rows == (("<https://w3id.org/hrkg/id/meeting-1>",),)
    graphs = engine.query("SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    assert graphs.rows == (('"4"^^numeric',),)
    assert engine.query("ASK { ?s a <https://w3id.org/hrkg/ontology#Actor> }").boolean


def test_missing_engine_skips_locally_and_fails_on_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="made-up-binary"):
        require("made-up-binary", "a made-up engine")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        require("made-up-binary", "a made-up engine")
    require(None, "an installed engine")  # nothing missing: no skip, no failure


def test_json_results_are_parsed_from_bytes() -> None:
    data = json.loads(b'{"head": {}, "boolean": true}')
    assert result_from_json(data) == Result("ask", boolean=True)
