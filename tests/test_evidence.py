"""Every evidence span of every source file quotes the source text exactly, at its offsets.

The source texts are not in the project; they are read from ../shared/sources/<slug>.txt
(or $HRKG_SOURCES_DIR). A span whose offsets drift from its quoted words, an over-long span,
or a fact without evidence fails here, named by its source and node.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib import RDF, URIRef

from conftest import PROJECT

ROOT = Path(__file__).resolve().parent.parent
SOURCES_DATA = ROOT / "data" / "sources"
HRKG = rdflib.Namespace("https://w3id.org/hrkg/ontology#")
KG = "https://w3id.org/hrkg/id/"
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
MAX_WORDS = 40

FACT_CLASSES = [
    HRKG[name]
    for name in (
        "Event",
        "Meeting",
        "Visit",
        "Talks",
        "LegislativeAct",
        "ArmedConflict",
        "Statement",
        "Participation",
        "Position",
        "Designation",
        "Claim",
    )
]


def source_files() -> list[Path]:
    return sorted(SOURCES_DATA.glob("*.ttl"))


@cache
def graph_of(slug: str) -> rdflib.Graph:
    return rdflib.Graph().parse(SOURCES_DATA / f"{slug}.ttl", format="turtle")


@cache
def text_of(slug: str) -> str:
    path = PROJECT.sources_dir / f"{slug}.txt"
    if not path.exists():
        pytest.fail(f"source text {path} is missing: the evidence of {slug} cannot be checked")
    return path.read_text(encoding="utf-8")


def local(node: object) -> str:
    return str(node).replace(KG, "")


def evidence_nodes(graph: rdflib.Graph) -> list[URIRef]:
    """Nodes that point into a source: evidence and excluded passages alike."""
    return sorted({n for n in graph.subjects(OA.hasSource, None) if isinstance(n, URIRef)}, key=str)


def span_problems(graph: rdflib.Graph, node: URIRef, text: str, slug: str) -> list[str]:
    """What is wrong with one span node: its source, its selectors, its words (empty if fine)."""
    problems = []
    sources = list(graph.objects(node, OA.hasSource))
    if sources != [URIRef(f"{KG}source-{slug}")]:
        problems.append(f"oa:hasSource is {sources}, expected kg:source-{slug}")
    selectors = list(graph.objects(node, OA.hasSelector))
    exacts = [str(v) for s in selectors for v in graph.objects(s, OA.exact)]
    starts = [
        v.toPython()
        for s in selectors
        for v in graph.objects(s, OA.start)
        if isinstance(v, rdflib.Literal)
    ]
    ends = [
        v.toPython()
        for s in selectors
        for v in graph.objects(s, OA.end)
        if isinstance(v, rdflib.Literal)
    ]
    if len(exacts) != 1 or len(starts) != 1 or len(ends) != 1:
        return [*problems, f"needs one oa:exact, oa:start, oa:end (has {exacts}, {starts}, {ends})"]
    exact, start, end = exacts[0], starts[0], ends[0]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return [*problems, f"offsets {start!r}..{end!r} are not inside the text"]
    if text[start:end] != exact:
        found = text.find(exact)
        hint = f"; the words occur at {found}..{found + len(exact)}" if found >= 0 else ""
        problems.append(f"text[{start}:{end}] = {text[start:end]!r} differs from oa:exact{hint}")
    words = len(exact.split())
    if words > MAX_WORDS:
        problems.append(f"oa:exact has {words} words (at most {MAX_WORDS})")
    return problems


def fact_problems(graph: rdflib.Graph, fact: URIRef) -> list[str]:
    """A fact must cite at least one evidence node, and only evidence nodes."""
    cited = list(graph.objects(fact, PROV_DERIVED))
    if not cited:
        return ["has no prov:wasDerivedFrom evidence"]
    return [
        f"cites {local(e)}, which is not a hrkg:Evidence in this file"
        for e in cited
        if (e, RDF.type, HRKG.Evidence) not in graph
    ]


def is_cited_report(slug: str) -> bool:
    """A hrkg:CitedReport keeps no local text: its quotes are checked in test_cited_reports."""
    return (URIRef(f"{KG}source-{slug}"), RDF.type, HRKG.CitedReport) in graph_of(slug)


def evidence_cases() -> list[Any]:
    return [
        pytest.param(path.stem, node, id=f"{path.stem}:{local(node)}")
        for path in source_files()
        if not is_cited_report(path.stem)
        for node in evidence_nodes(graph_of(path.stem))
    ]


def fact_cases() -> list[Any]:
    cases: list[Any] = []
    for path in source_files():
        graph = graph_of(path.stem)
        facts = {f for c in FACT_CLASSES for f in graph.subjects(RDF.type, c)}
        cases += [
            pytest.param(path.stem, f, id=f"{path.stem}:{local(f)}")
            for f in sorted(facts, key=str)
            if isinstance(f, URIRef)
        ]
    return cases


def test_there_are_sources_with_evidence() -> None:
    assert source_files(), "no data/sources/*.ttl"
    for path in source_files():
        assert evidence_nodes(graph_of(path.stem)), f"{path.name} has no evidence"


@pytest.mark.parametrize(("slug", "node"), evidence_cases())
def test_evidence_quotes_the_source_exactly(slug: str, node: URIRef) -> None:
    problems = span_problems(graph_of(slug), node, text_of(slug), slug)
    assert not problems, f"{local(node)}: " + "; ".join(problems)


@pytest.mark.parametrize(("slug", "fact"), fact_cases())
def test_fact_has_evidence(slug: str, fact: URIRef) -> None:
    problems = fact_problems(graph_of(slug), fact)
    assert not problems, f"{local(fact)}: " + "; ".join(problems)


# --- the checks themselves can fail --------------------------------------------------------

BROKEN = """
@prefix hrkg: <https://w3id.org/hrkg/ontology#> .
@prefix kg: <https://w3id.org/hrkg/id/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
kg:evidence-shifted a hrkg:Evidence ; oa:hasSource kg:source-toy ;
    oa:hasSelector [ oa:exact "quick brown" ] , [ oa:start 5 ; oa:end 16 ] .
kg:evidence-good a hrkg:Evidence ; oa:hasSource kg:source-toy ;
    oa:hasSelector [ oa:exact "quick brown" ] , [ oa:start 4 ; oa:end 15 ] .
kg:claim-unsourced a hrkg:Claim .
kg:claim-sourced a hrkg:Claim ; prov:wasDerivedFrom kg:evidence-good .
kg:claim-wrongly-sourced a hrkg:Claim ; prov:wasDerivedFrom kg:claim-sourced .
"""


def test_checks_catch_shifted_offsets_and_missing_evidence() -> None:
    graph = rdflib.Graph().parse(data=BROKEN, format="turtle")
    text = "The quick brown fox"
    assert span_problems(graph, URIRef(KG + "evidence-good"), text, "toy") == []
    shifted = span_problems(graph, URIRef(KG + "evidence-shifted"), text, "toy")
    assert len(shifted) == 1 and "occur at 4..15" in shifted[0]
    assert span_problems(graph, URIRef(KG + "evidence-good"), text, "other")[0].startswith(
        "oa:hasSource"
    )
    assert fact_problems(graph, URIRef(KG + "claim-unsourced")) == [
        "has no prov:wasDerivedFrom evidence"
    ]
    assert fact_problems(graph, URIRef(KG + "claim-sourced")) == []
    assert "not a hrkg:Evidence" in fact_problems(graph, URIRef(KG + "claim-wrongly-sourced"))[0]


def test_checks_catch_overlong_spans() -> None:
    words = " ".join(f"w{i}" for i in range(MAX_WORDS + 1))
    data = BROKEN.replace(
        '"quick brown" ] , [ oa:start 4 ; oa:end 15 ]',
        f'"{words}" ] , [ oa:start 0 ; oa:end {len(words)} ]',
    )
    graph = rdflib.Graph().parse(data=data, format="turtle")
    problems = span_problems(graph, URIRef(KG + "evidence-good"), words, "toy")
    assert problems == [f"oa:exact has {MAX_WORDS + 1} words (at most {MAX_WORDS})"]
