"""hrkg's SHACL-SPARQL evaluation gives exactly pyshacl's results, on every shape fixture.

The build runs sh:sparql constraints in pyoxigraph (hrkg.shacl_sparql) because pyshacl's
per-focus-node evaluation is slow; these tests hold the two engines to the same answers.
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
