"""Evidence of cited reports: quotes with a URL, no offsets, because no text is kept locally.

A hrkg:CitedReport is an independent report read at its web address; its text is not in the
shared sources folder, so `hrkg coverage` cannot split it into paragraphs or check offsets.
What can be checked is what the evidence promises instead: each span quotes the report's exact
words once (at most MAX_WORDS words, so the project never copies a report), has no offsets
that nothing could verify, and its document says where the words stand (hrkg:url).
A source whose text *is* in the shared folder must not be a cited report: it is checked with
offsets like the article.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hrkg import rdf as ns

if TYPE_CHECKING:
    import rdflib

MAX_WORDS = 30
OA = "http://www.w3.org/ns/oa#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def is_cited_report(graph: rdflib.Graph, document: str) -> bool:
    """Whether `document` is typed hrkg:CitedReport in `graph`."""
    import rdflib

    return (
        rdflib.URIRef(document),
        rdflib.URIRef(RDF_TYPE),
        rdflib.URIRef(ns.HRKG + "CitedReport"),
    ) in graph


def cited_problems(graph: rdflib.Graph, document: str) -> list[str]:
    """What is wrong with the evidence of one cited report, one line per problem (empty: fine)."""
    import rdflib

    oa = rdflib.Namespace(OA)
    doc = rdflib.URIRef(document)
    short = document.replace(ns.KG, "kg:")
    problems = []
    if not list(graph.objects(doc, rdflib.URIRef(ns.HRKG + "url"))):
        problems.append(f"{short}: a cited report needs an hrkg:url, where its quoted words stand")
    spans = sorted(set(graph.subjects(oa.hasSource, doc)), key=str)
    if not spans:
        problems.append(f"{short}: no evidence cites this report")
    for span in spans:
        name = str(span).replace(ns.KG, "kg:")
        selectors = list(graph.objects(span, oa.hasSelector))
        exacts = [str(v) for s in selectors for v in graph.objects(s, oa.exact)]
        offsets = [v for s in selectors for p in (oa.start, oa.end) for v in graph.objects(s, p)]
        if len(exacts) != 1:
            problems.append(f"{name}: needs exactly one oa:exact (has {len(exacts)})")
        elif len(exacts[0].split()) > MAX_WORDS:
            problems.append(
                f"{name}: oa:exact has {len(exacts[0].split())} words "
                f"(at most {MAX_WORDS} of a cited report)"
            )
        if offsets:
            problems.append(
                f"{name}: has offsets, but the report's text is not kept with the "
                "project, so they cannot be checked; give the quote only"
            )
    return problems
