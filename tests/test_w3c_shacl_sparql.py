"""The W3C SHACL test suite's `tests/sparql` cases, run through the build's validator.

The 22 cases (copied under tests/w3c/shacl-sparql/, see its README for origin and licence)
are run twice: through hrkg's validator (`shacl_validate`, which evaluates simple sh:sparql
constraints itself and routes the rest to pyshacl) and through pyshacl alone. hrkg must pass
every case pyshacl passes; a case pyshacl fails is a strict xfail, so a pyshacl upgrade that
fixes it shows up. Expected results are compared on focus node, path, value, severity,
source shape, source constraint (when an IRI), component and, where the case gives one, the
message; a case whose result is sht:Failure must be refused with an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyshacl
import pytest
import rdflib

from hrkg.pipeline.shacl import ShapeResult, ShapesError, read_results, shacl_validate
from hrkg.pipeline.shacl_report import render_path

SUITE = Path(__file__).parent / "w3c" / "shacl-sparql"
BASE = "http://datashapes.org/sh/tests/sparql/"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

# Cases pyshacl (0.30) does not pass, with what it does instead.
PYSHACL_FAILS = {
    "pre-binding/shapesGraph-001": "pyshacl raises NotImplementedError for $shapesGraph",
}
# Cases hrkg refuses on purpose, with why.
HRKG_REFUSES = {
    "pre-binding/shapesGraph-001": "$shapesGraph is optional in SHACL; refused with an error",
}

Key = tuple[str, str, str, str, str, str, str, str]


@dataclass(frozen=True)
class Case:
    name: str  # folder/test, e.g. pre-binding/pre-binding-002
    graph: rdflib.Graph
    failure: bool  # the suite expects the processor to report a failure
    expected: frozenset[Key]
    with_messages: bool


def term(node: rdflib.term.Node | None) -> str:
    """A term as compared: blank nodes are anonymous (their labels differ per run)."""
    if node is None:
        return ""
    return "_:" if isinstance(node, rdflib.BNode) else str(node)


def local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1]


def load_case(path: Path) -> Case:
    folder = path.parent.name
    public = f"{BASE}{folder}/{path.stem}.test"
    graph = rdflib.Graph().parse(path, format="turtle", publicID=public)
    tests = [t for t in graph.subjects(rdflib.RDF.type, SHT.Validate)]
    assert len(tests) == 1, path
    action, result = graph.value(tests[0], MF.action), graph.value(tests[0], MF.result)
    # every case validates its own file against itself
    assert graph.value(action, SHT.dataGraph) == graph.value(action, SHT.shapesGraph)
    name = f"{folder}/{path.stem}"
    if result == SHT.Failure:
        return Case(name, graph, True, frozenset(), False)
    expected = set()
    with_messages = False
    for r in graph.objects(result, SH.result):
        message = graph.value(r, SH.resultMessage)
        with_messages = with_messages or message is not None
        constraint = graph.value(r, SH.sourceConstraint)
        expected.add(
            (
                term(graph.value(r, SH.focusNode)),
                render_path(graph, graph.value(r, SH.resultPath)),
                term(graph.value(r, SH.value)),
                local(term(graph.value(r, SH.resultSeverity))),
                term(graph.value(r, SH.sourceShape)),
                "" if isinstance(constraint, rdflib.BNode) else term(constraint),
                local(term(graph.value(r, SH.sourceConstraintComponent))),
                "" if message is None else str(message),
            )
        )
    return Case(name, graph, False, frozenset(expected), with_messages)


def actual_key(r: ShapeResult, case: Case, blanks: set[str]) -> Key:
    def shown(value: str) -> str:
        return "_:" if value in blanks else value

    return (
        shown(r.focus),
        r.path,
        shown(r.value),
        r.severity,
        shown(r.source_shape),
        "" if r.source_constraint in blanks else r.source_constraint,
        r.component,
        r.message if case.with_messages else "",
    )


def keys(results: list[ShapeResult], case: Case) -> frozenset[Key]:
    blanks = {str(n) for t in case.graph for n in t if isinstance(n, rdflib.BNode)}
    return frozenset(actual_key(r, case, blanks) for r in results)


CASES = [load_case(p) for p in sorted(SUITE.glob("*/*.ttl")) if p.name != "manifest.ttl"]


def test_the_suite_has_its_22_cases() -> None:
    assert len(CASES) == 22
    included = 0
    for manifest in SUITE.glob("*/manifest.ttl"):
        graph = rdflib.Graph().parse(manifest, format="turtle")
        included += len(list(graph.objects(None, MF.include)))
    assert included == 22


def run_ours(case: Case) -> frozenset[Key]:
    return keys(shacl_validate(case.graph, rdflib.Graph(), case.graph), case)


def run_pyshacl(case: Case) -> frozenset[Key]:
    _conforms, report, _text = pyshacl.validate(
        case.graph,
        shacl_graph=case.graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    assert isinstance(report, rdflib.Graph)
    return keys(read_results(report), case)


def check(case: Case, run: object) -> None:
    assert callable(run)
    if case.failure:
        with pytest.raises(Exception):  # noqa: B017 - the suite only says "a failure"
            run(case)
    else:
        assert run(case) == case.expected


def params(expected_failures: dict[str, str]) -> list[object]:
    return [
        pytest.param(
            c,
            id=c.name,
            marks=[pytest.mark.xfail(strict=True, reason=expected_failures[c.name])]
            if c.name in expected_failures
            else [],
        )
        for c in CASES
    ]


@pytest.mark.parametrize("case", params(HRKG_REFUSES))
def test_hrkg_validator(case: Case) -> None:
    if case.failure:
        with pytest.raises(ShapesError):
            run_ours(case)
    else:
        assert run_ours(case) == case.expected


def test_hrkg_passes_every_case_pyshacl_passes() -> None:
    assert set(HRKG_REFUSES) <= set(PYSHACL_FAILS)


def test_shapes_graph_is_refused_with_a_clear_error() -> None:
    case = next(c for c in CASES if c.name == "pre-binding/shapesGraph-001")
    with pytest.raises(ShapesError, match=r"\$shapesGraph.*hrkg refuses it"):
        run_ours(case)


@pytest.mark.parametrize("case", params(PYSHACL_FAILS))
def test_pyshacl_alone(case: Case) -> None:
    check(case, run_pyshacl)
