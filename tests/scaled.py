"""A scaled project for tests and benchmarks: the article's source graph copied N times as
N distinct sources, each copy with its own statement, claim, evidence and source IRIs (and
blank nodes), all of them pointing at the same shared entities."""

from __future__ import annotations

import pyoxigraph as ox

from hrkg import rdf as ns
from hrkg.rdf import graph_name

ARTICLE = "hamas-relations-with-russia"


def scaled_quads(quads: list[ox.Quad], copies: int, slug: str = ARTICLE) -> list[ox.Quad]:
    """`quads` with `copies - 1` renamed copies of the source graph `slug` added."""
    source = ns.source_graph(slug)
    own = [q for q in quads if graph_name(q) == source]
    shared = {q.subject for q in quads if graph_name(q) != source}
    local = {
        q.subject
        for q in own
        if isinstance(q.subject, ox.NamedNode)
        and q.subject.value.startswith(ns.KG)
        and q.subject not in shared
    }
    out = list(quads)
    for n in range(1, copies):
        graph = ox.NamedNode(ns.source_graph(f"{slug}-copy-{n}"))

        def rename(term: ox.NamedNode | ox.BlankNode | ox.Literal, n: int = n) -> object:
            if isinstance(term, ox.BlankNode):
                return ox.BlankNode(f"{term.value}c{n}")
            if term in local:
                return ox.NamedNode(f"{term.value}-copy-{n}")
            return term

        out += [
            ox.Quad(rename(q.subject), q.predicate, rename(q.object), graph)  # type: ignore[arg-type]
            for q in own
        ]
    return out
