"""Cited reports (hrkg:CitedReport): quoted at their URL, with no local text and no offsets.

Each data/sources/<slug>.ttl whose document is a cited report must quote the report's exact
words (at most 30 per span), carry no offsets, say where it was read (hrkg:url) and when it
was published, and have no text in the shared sources folder (a source with a local text is
checked with offsets instead). The checker itself is tested on small graphs that break each
rule, so it can be seen to fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, URIRef

from conftest import PROJECT
from hrkg.checks.cited import cited_problems, is_cited_report

ROOT = Path(__file__).resolve().parent.parent
SOURCES_DATA = ROOT / "data" / "sources"
KG = "https://w3id.org/hrkg/id/"
HRKG = rdflib.Namespace("https://w3id.org/hrkg/ontology#")
DCTERMS_ISSUED = URIRef("http://purl.org/dc/terms/issued")

PREFIXES = """
@prefix hrkg: <https://w3id.org/hrkg/ontology#> .
@prefix kg:   <https://w3id.org/hrkg/id/> .
@prefix oa:   <http://www.w3.org/ns/oa#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
kg:source-r a hrkg:CitedReport ; hrkg:url "https://example.org/r"^^xsd:anyURI .
"""


def cited_slugs() -> list[str]:
    slugs = []
    for path in sorted(SOURCES_DATA.glob("*.ttl")):
        graph = rdflib.Graph().parse(path, format="turtle")
        if is_cited_report(graph, f"{KG}source-{path.stem}"):
            slugs.append(path.stem)
    return slugs


def graph_of(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=PREFIXES + text, format="turtle")


def test_there_are_cited_reports() -> None:
    assert len(cited_slugs()) >= 4, "the corroborating reports are missing"


@pytest.mark.parametrize("slug", cited_slugs())
def test_cited_report_evidence_is_quote_and_url_only(slug: str) -> None:
    graph = rdflib.Graph().parse(SOURCES_DATA / f"{slug}.ttl", format="turtle")
    assert cited_problems(graph, f"{KG}source-{slug}") == []


@pytest.mark.parametrize("slug", cited_slugs())
def test_cited_report_has_no_local_text_and_a_date(slug: str) -> None:
    assert not (PROJECT.sources_dir / f"{slug}.txt").exists(), (
        f"{slug} has a text in the shared folder: cite it with offsets, not as a cited report"
    )
    graph = rdflib.Graph().parse(SOURCES_DATA / f"{slug}.ttl", format="turtle")
    assert list(graph.objects(URIRef(f"{KG}source-{slug}"), DCTERMS_ISSUED))


@pytest.mark.parametrize("slug", cited_slugs())
def test_cited_report_facts_cite_its_own_evidence(slug: str) -> None:
    """Every node the file derives cites evidence of this report (declared in this file)."""
    graph = rdflib.Graph().parse(SOURCES_DATA / f"{slug}.ttl", format="turtle")
    derived = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")
    cited = set(graph.objects(None, derived))
    assert cited, f"{slug} derives nothing"
    foreign = [e for e in cited if (e, RDF.type, HRKG.Evidence) not in graph]
    assert foreign == []


def test_checker_accepts_a_quote_with_a_url() -> None:
    graph = graph_of(
        "kg:e a hrkg:Evidence ; oa:hasSource kg:source-r ; "
        'oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "a few words" ] .'
    )
    assert cited_problems(graph, f"{KG}source-r") == []


def test_checker_flags_offsets() -> None:
    graph = graph_of(
        "kg:e a hrkg:Evidence ; oa:hasSource kg:source-r ; "
        'oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "a few words" ] , '
        "[ a oa:TextPositionSelector ; oa:start 3 ; oa:end 14 ] ."
    )
    problems = cited_problems(graph, f"{KG}source-r")
    assert len(problems) == 1 and "has offsets" in problems[0]


def test_checker_flags_a_long_quote() -> None:
    words = " ".join(f"w{i}" for i in range(31))
    graph = graph_of(
        "kg:e a hrkg:Evidence ; oa:hasSource kg:source-r ; "
        f'oa:hasSelector [ a oa:TextQuoteSelector ; oa:exact "{words}" ] .'
    )
    problems = cited_problems(graph, f"{KG}source-r")
    assert len(problems) == 1 and "31 words" in problems[0]


def test_checker_flags_a_missing_quote_and_url() -> None:
    graph = rdflib.Graph().parse(
        data=PREFIXES.replace(' ; hrkg:url "https://example.org/r"^^xsd:anyURI', "")
        + "kg:e a hrkg:Evidence ; oa:hasSource kg:source-r .",
        format="turtle",
    )
    problems = cited_problems(graph, f"{KG}source-r")
    assert len(problems) == 2
    assert any("hrkg:url" in p for p in problems) and any("oa:exact" in p for p in problems)


def test_checker_flags_a_report_without_evidence() -> None:
    problems = cited_problems(graph_of(""), f"{KG}source-r")
    assert problems == ["kg:source-r: no evidence cites this report"]
