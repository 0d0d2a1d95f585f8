"""Unit tests of hrkg.sparql: query-file headers, safe parameters, normalisation, comparison."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from hrkg.queries.catalog import QueryFileError, discover, load_query
from hrkg.queries.params import ParamError, bind_params
from hrkg.queries.results import (
    Result,
    canonical_lexical,
    compare,
    format_table,
    read_expected,
    to_csv,
    to_json,
)
from hrkg.queries.run import run_oxigraph, run_rdflib
from hrkg.rdf import shorten

KG = "https://w3id.org/hrkg/id/"
EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

GOOD = """\
# Title: Things a subject points to
# Question: What does a subject point to,
#   and through which property?
# Param: subject = kg:hamas (iri)
# Param: since (date)
# Param: limit = 5 (integer)
# Param: text = hello (string)
# Columns: ?subject ?p ?o
# Needs: inferred
PREFIX kg: <https://w3id.org/hrkg/id/>
# A comment after the header: <http://not-an-iri#> "ORDER BY" is not a keyword here
SELECT ?subject ?p ?o ?since ?limit ?text WHERE {
  ?subject ?p ?o .
}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- headers


def test_header_fields_are_parsed(tmp_path: Path) -> None:
    q = load_query(write(tmp_path, "01-things.rq", GOOD))
    assert q.name == "01-things"
    assert q.title == "Things a subject points to"
    assert q.question == "What does a subject point to, and through which property?"
    assert [(p.name, p.default, p.kind) for p in q.params] == [
        ("subject", "kg:hamas", "iri"),
        ("since", None, "date"),
        ("limit", "5", "integer"),
        ("text", "hello", "string"),
    ]
    assert q.columns == ("subject", "p", "o")
    assert q.needs_inferred is True
    assert q.online_only is False
    assert q.severity is None
    assert q.form == "SELECT"
    assert q.ordered is False  # "ORDER BY" in a comment does not count


def test_check_header_uses_description_and_severity(tmp_path: Path) -> None:
    text = (
        "# Title: Terms without a definition\n"
        "# Description: Every term needs one skos:definition.\n"
        "# Severity: warning\n"
        "# Online-only: no\n"
        "ASK { ?s ?p ?o }\n"
    )
    q = load_query(write(tmp_path, "x-violation.rq", text))
    assert q.question == "Every term needs one skos:definition."
    assert q.severity == "Warning"
    assert q.form == "ASK"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        pytest.param(
            "# Question: Why?\nSELECT * WHERE { ?s ?p ?o }\n", 1, "# Title:", id="missing-title"
        ),
        pytest.param(
            "# Title: T\nSELECT * WHERE { ?s ?p ?o }\n", 1, "# Question:", id="missing-question"
        ),
        pytest.param("SELECT * WHERE { ?s ?p ?o }\n", 1, "# Title:", id="no-header"),
        pytest.param(
            "# Title: T\n# Question: Q\n# Colour: red\nASK {}\n", 3, "Colour", id="unknown-key"
        ),
        pytest.param(
            "# Title: T\n# Question: Q\n# Param: x = 1 (number)\nASK { ?x ?p ?o }\n",
            3,
            "kind",
            id="bad-kind",
        ),
        pytest.param(
            "# Title: T\n# Question: Q\n# Param: y (iri)\nASK { ?x ?p ?o }\n",
            3,
            "not a variable",
            id="param-not-in-query",
        ),
        pytest.param(
            "# Title: T\n# Question: Q\n# Param: x = not a date (date)\nASK {?x ?p ?o}\n",
            3,
            "bad Param",
            id="bad-param-syntax",
        ),
        pytest.param(
            "# Title: T\n# Question: Q\n# Param: x = 2024-13-01 (date)\nASK {?x ?p ?o}\n",
            3,
            "bad default",
            id="bad-default",
        ),
        pytest.param(
            "# Title: T\n# Question: Q\n# Severity: fatal\nASK {}\n",
            3,
            "Severity",
            id="bad-severity",
        ),
        pytest.param(
            "# Title: T\n# Title: U\n# Question: Q\nASK {}\n", 2, "repeated", id="repeated-key"
        ),
    ],
)
def test_bad_header_names_file_and_line(
    tmp_path: Path, text: str, line: int, fragment: str
) -> None:
    path = write(tmp_path, "09-bad.rq", text)
    with pytest.raises(QueryFileError) as caught:
        load_query(path)
    assert caught.value.path == path
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert fragment in str(caught.value)


def test_malformed_query_reports_its_line(tmp_path: Path) -> None:
    text = "# Title: T\n# Question: Q\nSELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(?o = )\n}\n"
    path = write(tmp_path, "10-broken.rq", text)
    with pytest.raises(QueryFileError) as caught:
        load_query(path)
    assert caught.value.line == 5
    assert "syntax error" in str(caught.value)
    assert str(caught.value).startswith(f"{path}:5: column ")


def test_undeclared_prefix_is_a_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path, "11-prefix.rq", "# Title: T\n# Question: Q\n\nASK { ?s zz:p ?o }\n")
    with pytest.raises(QueryFileError) as caught:
        load_query(path)
    assert caught.value.line == 4


def test_query_forms_and_order(tmp_path: Path) -> None:
    head = "# Title: T\n# Question: Q\nPREFIX ex: <http://example.org/#>\n"
    construct = load_query(
        write(tmp_path, "a.rq", head + "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    )
    describe = load_query(write(tmp_path, "b.rq", head + "DESCRIBE <http://example.org/x>"))
    ordered = load_query(write(tmp_path, "c.rq", head + "select ?s { ?s ?p ?o } order by ?s"))
    assert (construct.form, describe.form, ordered.form) == ("CONSTRUCT", "DESCRIBE", "SELECT")
    assert ordered.ordered and not construct.ordered


def test_discover_sorts_by_name_and_filters(tmp_path: Path) -> None:
    for name in ("02-b.rq", "01-a.rq", "10-c.rq", "notes.txt"):
        write(tmp_path, name, "# Title: T\n# Question: Q\nASK {}\n")
    assert [q.name for q in discover(tmp_path)] == ["01-a", "02-b", "10-c"]
    assert [q.name for q in discover(tmp_path, "1*.rq")] == ["10-c"]


# --------------------------------------------------------------------------- parameters


@pytest.fixture
def query(tmp_path: Path) -> object:
    return load_query(write(tmp_path, "01-things.rq", GOOD))


def test_binding_kinds(query: object) -> None:
    bound = bind_params(query, {"since": "2024-03-02", "limit": "+007", "text": 'x" } DROP ALL'})  # type: ignore[arg-type]
    assert bound["subject"] == ox.NamedNode(KG + "hamas")
    assert bound["since"] == ox.Literal("2024-03-02", datatype=ox.NamedNode(XSD + "date"))
    assert bound["limit"] == ox.Literal("7", datatype=ox.NamedNode(XSD + "integer"))
    assert bound["text"] == ox.Literal('x" } DROP ALL')


def test_optional_param_without_default_stays_unbound(query: object) -> None:
    assert "since" not in bind_params(query)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "iri"),
    [
        pytest.param("kg:russia", KG + "russia", id="curie"),
        pytest.param(
            "dsta:designated",
            "https://w3id.org/hrkg/vocab/designation-status/designated",
            id="vocab-curie",
        ),
        pytest.param(
            "<http://www.wikidata.org/entity/Q159>",
            "http://www.wikidata.org/entity/Q159",
            id="bracketed",
        ),
        pytest.param("https://w3id.org/hrkg/id/hamas", KG + "hamas", id="absolute"),
    ],
)
def test_iri_params_expand(query: object, value: str, iri: str) -> None:
    assert bind_params(query, {"subject": value})["subject"] == ox.NamedNode(iri)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        pytest.param("subject", "kg:x> } ; DROP ALL ; #", id="injection-iri"),
        pytest.param("subject", "hamas", id="bare-word"),
        pytest.param("subject", "nope:hamas", id="unknown-prefix"),
        pytest.param("subject", "http://example.org/a b", id="space-in-iri"),
        pytest.param("since", "2024-02-30", id="impossible-date"),
        pytest.param("since", "2 March 2024", id="prose-date"),
        pytest.param("limit", "5; DROP ALL", id="injection-integer"),
        pytest.param("colour", "red", id="unknown-param"),
    ],
)
def test_bad_params_are_rejected(query: object, name: str, value: str) -> None:
    with pytest.raises(ParamError):
        bind_params(query, {name: value})  # type: ignore[arg-type]


INJECTION_QUERY = """\
# Title: Labels
# Question: What is the label of a thing?
# Param: thing = kg:hamas (iri)
# Param: label (string)
PREFIX kg: <https://w3id.org/hrkg/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?label WHERE { ?thing rdfs:label ?label }
"""


def small_data() -> tuple[ox.Store, rdflib.Dataset]:
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    graph = EX + "graph"
    rows = [
        (KG + "hamas", label, "Hamas"),
        (KG + "russia", label, "Russia"),
    ]
    store = ox.Store()
    dataset = rdflib.Dataset(default_union=True)
    for s, p, o in rows:
        store.add(
            ox.Quad(
                ox.NamedNode(s), ox.NamedNode(p), ox.Literal(o, language="en"), ox.NamedNode(graph)
            )
        )
        dataset.graph(rdflib.URIRef(graph)).add(
            (rdflib.URIRef(s), rdflib.URIRef(p), rdflib.Literal(o, lang="en"))
        )
    return store, dataset


def test_injection_attempt_never_runs(tmp_path: Path) -> None:
    q = load_query(write(tmp_path, "01-labels.rq", INJECTION_QUERY))
    store, dataset = small_data()
    attack = "kg:x> } ; DROP ALL ; #"
    runs: list[Callable[[str, str], Result]] = [
        lambda name, value: run_oxigraph(store, q, {name: value}),
        lambda name, value: run_rdflib(dataset, q, {name: value}),
    ]
    for run in runs:
        with pytest.raises(ParamError):
            run("thing", attack)
        # As a string it is one harmless literal that matches nothing.
        assert run("label", attack).rows == []
    assert len(store) == 2 and len(dataset) == 2
    assert run_oxigraph(store, q).rows == [("kg:hamas", "Hamas")]
    assert run_rdflib(dataset, q, {"thing": "kg:russia"}).rows == [("kg:russia", "Russia")]


def test_unbound_optional_param_answers_for_all(tmp_path: Path) -> None:
    text = INJECTION_QUERY.replace("# Param: thing = kg:hamas (iri)", "# Param: thing (iri)")
    q = load_query(write(tmp_path, "01-labels.rq", text))
    store, dataset = small_data()
    expected = {("kg:hamas", "Hamas"), ("kg:russia", "Russia")}
    assert set(run_oxigraph(store, q).rows) == expected
    assert set(run_rdflib(dataset, q).rows) == expected


def test_run_rdflib_needs_union_default_graph(tmp_path: Path) -> None:
    q = load_query(write(tmp_path, "01-labels.rq", INJECTION_QUERY))
    with pytest.raises(ValueError, match="default_union"):
        run_rdflib(rdflib.Dataset(), q)


def test_construct_and_ask_results_agree(tmp_path: Path) -> None:
    head = "# Title: T\n# Question: Q\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    construct = load_query(
        write(
            tmp_path,
            "c.rq",
            head
            + (
                "CONSTRUCT { ?s rdfs:comment ?l . ?s rdfs:seeAlso ?d } WHERE { ?s rdfs:label ?l "
                'BIND(STRDT("2024-03-01", <http://www.w3.org/2001/XMLSchema#date>) AS ?d) }'
            ),
        )
    )
    ask = load_query(write(tmp_path, "a.rq", head + 'ASK { ?s rdfs:label "Hamas"@en }'))
    store, dataset = small_data()
    expected = [
        ("kg:hamas", "rdfs:comment", '"Hamas"@en'),
        ("kg:hamas", "rdfs:seeAlso", '"2024-03-01"^^xsd:date'),
        ("kg:russia", "rdfs:comment", '"Russia"@en'),
        ("kg:russia", "rdfs:seeAlso", '"2024-03-01"^^xsd:date'),
    ]
    for result in (run_oxigraph(store, construct), run_rdflib(dataset, construct)):
        assert result.columns == ("s", "p", "o")
        assert result.rows == expected
    for result in (run_oxigraph(store, ask), run_rdflib(dataset, ask)):
        assert result.columns == ("ask",)
        assert result.rows == [("true",)]


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("iri", "short"),
    [
        pytest.param(KG + "musa-abu-marzouk", "kg:musa-abu-marzouk", id="kg"),
        pytest.param("https://w3id.org/hrkg/ontology#Person", "hrkg:Person", id="hrkg"),
        pytest.param(
            "https://w3id.org/hrkg/vocab/designation-status/not-designated",
            "dsta:not-designated",
            id="longest-prefix-wins",
        ),
        pytest.param(
            "https://w3id.org/hrkg/vocab/designation-category/terrorist-organization",
            "dcatg:terrorist-organization",
            id="dcatg",
        ),
        pytest.param("http://www.wikidata.org/entity/Q159", "wd:Q159", id="wikidata"),
        pytest.param(
            "https://w3id.org/hrkg/graph/entities",
            "https://w3id.org/hrkg/graph/entities",
            id="unknown-namespace-stays-full",
        ),
        pytest.param(EX + "a", EX + "a", id="example"),
    ],
)
def test_shorten(iri: str, short: str) -> None:
    assert shorten(iri) == short


@pytest.mark.parametrize(
    ("lexical", "datatype", "canonical"),
    [
        pytest.param("007", XSD + "integer", "7", id="integer"),
        pytest.param("12", XSD + "nonNegativeInteger", "12", id="nonNegativeInteger"),
        pytest.param("1.50", XSD + "decimal", "1.5", id="decimal-trimmed"),
        pytest.param("2.0", XSD + "decimal", "2", id="decimal-integral"),
        pytest.param("1.5E0", XSD + "double", "1.5", id="double"),
        pytest.param("1", XSD + "boolean", "true", id="boolean"),
        pytest.param("2024-03-01", XSD + "date", "2024-03-01", id="date-unchanged"),
        pytest.param("x", None, "x", id="plain"),
        pytest.param("abc", XSD + "integer", "abc", id="ill-typed-kept"),
    ],
)
def test_canonical_lexical(lexical: str, datatype: str | None, canonical: str) -> None:
    assert canonical_lexical(lexical, datatype) == canonical


def test_engines_normalise_alike(tmp_path: Path) -> None:
    text = (
        "# Title: T\n# Question: Q\n"
        "SELECT ?count ?avg ?lang ?unbound WHERE {\n"
        '  BIND(COUNT(*) AS ?x) VALUES ?lang { "Hamas"@en } OPTIONAL { ?a ?b ?unbound }\n'
        "}\n"
    )
    # COUNT in BIND is invalid: the loader must say so.
    with pytest.raises(QueryFileError):
        load_query(write(tmp_path, "bad.rq", text))
    text = (
        "# Title: T\n# Question: Q\n"
        "SELECT (COUNT(?s) AS ?count) (AVG(?n) AS ?avg) (SAMPLE(?l) AS ?lang) ?unbound WHERE {\n"
        "  VALUES (?s ?n ?l) {\n"
        '    (<http://example.org/a> 1 "x"@en) (<http://example.org/b> 2 "x"@en)\n'
        "  }\n"
        "} GROUP BY ?unbound\n"
    )
    q = load_query(write(tmp_path, "ok.rq", text))
    store, dataset = small_data()
    for result in (run_oxigraph(store, q), run_rdflib(dataset, q)):
        assert result.columns == ("count", "avg", "lang", "unbound")
        assert result.rows == [("2", "1.5", "x", "")]


# --------------------------------------------------------------------------- comparing


def test_compare_unordered_ignores_order() -> None:
    actual = Result(("a", "b"), [("1", "x"), ("2", "y")], ordered=False)
    expected = Result(("a", "b"), [("2", "y"), ("1", "x")])
    assert compare(actual, expected) == []


def test_compare_reports_missing_and_unexpected_rows() -> None:
    actual = Result(("a",), [("1",), ("1",), ("3",)])
    expected = Result(("a",), [("1",), ("2",)])
    assert compare(actual, expected) == ["missing row: 2", "unexpected row: 1", "unexpected row: 3"]


def test_compare_ordered_reports_order() -> None:
    actual = Result(("a",), [("2",), ("1",)], ordered=True)
    expected = Result(("a",), [("1",), ("2",)])
    assert compare(actual, expected) == ["order differs from row 1: expected 1; got 2"]
    assert compare(Result(("a",), [("1",), ("2",)], ordered=True), expected) == []


def test_compare_columns() -> None:
    diffs = compare(Result(("a", "b"), []), Result(("a", "c"), []))
    assert diffs == ["columns differ: expected a, c; got a, b"]


def test_subset_expected_needs_every_row(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", "# subset: every row below must appear\na,b\n1,x\n")
    expected = read_expected(path)
    assert expected.subset
    assert compare(Result(("a", "b"), [("1", "x"), ("2", "y")]), expected) == []
    assert compare(Result(("a", "b"), [("2", "y")]), expected) == ["missing row: 1 | x"]


def test_read_expected_round_trips_csv(tmp_path: Path) -> None:
    result = Result(("who", "said"), [("kg:a", 'He said, "yes"\nthen left'), ("kg:b", "")])
    path = write(tmp_path, "x.csv", to_csv(result))
    back = read_expected(path)
    assert back.columns == result.columns and back.rows == result.rows and not back.subset


def test_read_expected_rejects_ragged_rows(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"x\.csv:3"):
        read_expected(write(tmp_path, "x.csv", "a,b\n1,2\n3\n"))


def test_format_table_and_json() -> None:
    result = Result(("actor", "count"), [("kg:hamas", "12"), ("kg:russia", "3")])
    assert format_table(result).splitlines() == [
        "actor      count",
        "---------  -----",
        "kg:hamas      12",
        "kg:russia      3",
    ]
    assert json.loads(to_json(result)) == {
        "columns": ["actor", "count"],
        "rows": [{"actor": "kg:hamas", "count": "12"}, {"actor": "kg:russia", "count": "3"}],
    }
