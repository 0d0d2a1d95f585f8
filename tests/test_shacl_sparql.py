"""hrkg's SHACL-SPARQL evaluation gives exactly pyshacl's results, on every shape fixture.

The build runs the simple sh:sparql constraints in pyoxigraph (hrkg.pipeline.shacl_sparql)
because pyshacl's per-focus-node evaluation is slow; these tests hold the two engines to the
same answers and check which query forms take that path. The W3C suite's cases are in
test_w3c_shacl_sparql.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
import rdflib

from conftest import PROJECT
from hrkg.pipeline.assemble import parse_shapes
from hrkg.pipeline.shacl import ShapeResult, ShapesError, read_results, shacl_validate
from hrkg.pipeline.shacl_sparql import split_shapes, with_targets
from hrkg.pipeline.sparql_forms import fast_path, refusal

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "shapes"
BASE = FIXTURES / "_base.ttl"


def ontology() -> rdflib.Graph:
    graph = rdflib.Graph()
    vocab = sorted((ROOT / "ontology" / "vocab").glob("*.ttl"))
    for path in [ROOT / "ontology" / "hrkg.ttl", *vocab]:
        graph.parse(path)
    return graph


ONTOLOGY = ontology()
SHAPES = parse_shapes(PROJECT)


def key(r: ShapeResult) -> tuple[str, ...]:
    # GROUP_CONCAT has no defined order in SPARQL, so a message listing several classes may
    # list them in another order on another engine: compare its comma-separated parts as a set.
    iris = sorted(re.findall(r"https?://\S+?(?=[,.]?(?:\s|$))", r.message))
    message = re.sub(r"https?://\S+?(?=[,.]?(?:\s|$))", "<iri>", r.message) + " ".join(iris)
    return (r.focus, r.path, r.source_shape, r.source_constraint, r.severity, message, r.value)


def pyshacl_results(data: rdflib.Graph) -> set[tuple[str, ...]]:
    _conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=SHAPES,
        ont_graph=ONTOLOGY,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return {key(r) for r in read_results(report)}


def fixture_files() -> list[Path]:
    """The fixtures where the project's SPARQL evaluation is involved: the invalid fixtures of
    SPARQL constraints (by their Expect line) and every valid fixture (each shape's clean
    case). The other fixtures are validated by the build's validator in test_shapes.py, whose
    core constraints pyshacl itself evaluates."""
    invalid = [
        p
        for p in sorted(FIXTURES.glob("*-invalid-*.ttl"))
        if p.read_text(encoding="utf-8").splitlines()[1].split()[-1] == "SPARQL"
    ]
    return invalid + sorted(FIXTURES.glob("*-valid.ttl"))


def test_the_cross_checked_fixtures_include_every_sparql_constraint() -> None:
    names = {p.name for p in fixture_files()}
    assert len([n for n in names if "-invalid-" in n]) >= 5
    assert any(n.endswith("-valid.ttl") for n in names)


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in fixture_files()])
def test_same_results_as_pyshacl(path: Path) -> None:
    data = rdflib.Graph().parse(BASE).parse(path)
    ours = {key(r) for r in shacl_validate(data, ONTOLOGY, SHAPES)}
    assert ours == pyshacl_results(data)


def test_real_data_same_results_as_pyshacl() -> None:
    data = rdflib.Graph()
    for path in [
        *sorted((ROOT / "ontology" / "vocab").glob("*.ttl")),
        *sorted((ROOT / "data").rglob("*.ttl")),
    ]:
        data.parse(path)
    ours = {key(r) for r in shacl_validate(data, ONTOLOGY, SHAPES)}
    assert ours == pyshacl_results(data)


def test_the_shapes_have_sparql_constraints_to_compare() -> None:
    _core, constraints = split_shapes(SHAPES)
    assert len(constraints) >= 5


def test_targets_are_joined_first_in_the_where_clause() -> None:
    query = "SELECT $this WHERE { FILTER NOT EXISTS { $this a ?c } }"
    rewritten = with_targets(query, "{ ?this ?p ?o }")
    assert rewritten.index("{ ?this ?p ?o }") < rewritten.index("FILTER")
    assert "$this" not in rewritten


def test_unsupported_forms_are_refused() -> None:
    shapes = rdflib.Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [
            sh:select "SELECT $this WHERE { { SELECT ?x WHERE { ?x ?p ?o } } $this ?q ?x }" ] .
    """,
        format="turtle",
    )
    with pytest.raises(ShapesError, match="refuses"):
        split_shapes(shapes)


# --- the query forms (hrkg.pipeline.sparql_forms) -----------------------------------------


@pytest.mark.parametrize(
    ("query", "fast"),
    [
        ("SELECT $this WHERE { $this ?p ?o FILTER (?o > 1) }", True),
        ("SELECT $this { $this ?p ?o }", True),  # WHERE is optional
        ("# select the bad ones\nSELECT $this WHERE { $this ?p ?o }", True),
        ('SELECT $this WHERE { $this ?p "a SELECT { in a string }" }', True),
        ("SELECT $this WHERE { FILTER NOT EXISTS { { $this a ?c } UNION { ?c a $this } } }", True),
        ("SELECT $this WHERE { { FILTER (false) } UNION { FILTER ($this = 1) } }", False),
        ("SELECT $this WHERE { { { FILTER ($this = 1) } FILTER bound($this) } }", False),
        ("SELECT $this WHERE { ?x ?p ?o OPTIONAL { $this ?q ?x } }", False),
        ("SELECT $this WHERE { { SELECT $this WHERE { $this ?p ?o } } }", False),
        ("SELECT $this WHERE { $this ?p ?o . GRAPH $shapesGraph { ?s ?p ?o } }", False),
    ],
)
def test_fast_path_only_where_joining_equals_pre_binding(query: str, fast: bool) -> None:
    assert fast_path(query) is fast


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("SELECT $this WHERE { $this ?p ?o MINUS { $this ?p 1 } }", "MINUS"),
        ("SELECT $this WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT $this WHERE { VALUES ?x { 1 } }", "VALUES"),
        ("SELECT $this WHERE { BIND (1 AS $this) }", r"\$this"),
        ("SELECT $this WHERE { { SELECT * WHERE { FILTER ($this = 1) } } }", "sub-query"),
        ("SELECT $this WHERE { { SELECT ?o WHERE { ?s ?p ?o } } }", "sub-query"),
    ],
)
def test_excluded_forms_are_named(query: str, why: str) -> None:
    assert re.search(why, refusal(query))


@pytest.mark.parametrize(
    "query",
    [
        "SELECT $this WHERE { $this ?p ?o } # MINUS in a comment",
        'SELECT $this WHERE { $this ?p "SERVICE VALUES MINUS" }',
        "SELECT $this WHERE { $this <http://example.org/values> ?o }",
        "SELECT $this WHERE { $this ?p ?o BIND (?o AS ?value) }",  # ?value is a result here
        "SELECT $this WHERE { { SELECT $this WHERE { $this ?p ?o } } }",
    ],
)
def test_allowed_forms_are_not_refused(query: str) -> None:
    assert refusal(query) == ""


def shapes_of(turtle: str) -> rdflib.Graph:
    prefixes = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
    return rdflib.Graph().parse(data=prefixes + turtle, format="turtle")


def test_minus_is_refused_before_anything_runs() -> None:
    shapes = shapes_of(
        'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select """'
        'SELECT $this WHERE { $this ?p ?o MINUS { $this ?p 1 } }""" ] .'
    )
    with pytest.raises(ShapesError, match=r"MINUS.*hrkg refuses it"):
        shacl_validate(rdflib.Graph(), rdflib.Graph(), shapes)


def test_constraints_on_reached_shapes_stay_with_pyshacl_and_are_evaluated() -> None:
    shapes = shapes_of(
        """
        ex:Outer a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ;
            sh:node ex:Inner ] .
        ex:Inner a sh:NodeShape ; sh:sparql [ sh:select
            "SELECT $this WHERE { $this ex:bad true }" ] .
    """
    )
    core, constraints = split_shapes(shapes)
    assert constraints == []
    assert len(list(core.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#sparql")))) == 1
    data = rdflib.Graph().parse(
        data="@prefix ex: <http://example.org/> . ex:a a ex:C ; ex:p ex:b . ex:b ex:bad true .",
        format="turtle",
    )
    results = shacl_validate(data, rdflib.Graph(), shapes)
    # one top-level result, for ex:a via the sh:node; the nested one is its sh:detail
    assert [(r.focus, r.component) for r in results] == [
        ("http://example.org/a", "NodeConstraintComponent")
    ]


def test_nested_detail_results_are_not_top_level_results() -> None:
    report = rdflib.Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        [] a sh:ValidationReport ; sh:conforms false ; sh:result ex:r1 .
        ex:r1 a sh:ValidationResult ; sh:focusNode ex:a ; sh:detail ex:r2 ;
            sh:resultSeverity sh:Violation .
        ex:r2 a sh:ValidationResult ; sh:focusNode ex:b ; sh:resultSeverity sh:Violation .
        """,
        format="turtle",
    )
    assert [r.focus for r in read_results(report)] == ["http://example.org/a"]
