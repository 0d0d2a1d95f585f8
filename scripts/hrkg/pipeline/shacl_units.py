"""Split the data into parts that SHACL can validate independently, and say when it cannot.

A focus node's SHACL results depend only on the triples its shapes reach from it. The shared
graphs (vocabularies, entities) are validated once on their own; every other part is a group of
source graphs validated together with the shared graphs and the ontology. Two sources fall into
one group when both mention a node that is not described in the shared graphs (the article and a
cited report describing the same meeting), so nothing a shape could follow from a node leaves its
group except into the shared graphs.

Results are exact when three conditions hold, and `plan_units` checks them on the data:
  (a) no source graph has a triple about a node described in the shared graphs or the ontology
      (a shared node's description is complete without the sources);
  (b) no shared triple points at a node described in a source graph (a shared node's shapes
      never reach into a source);
  (c) no source triple reaches a shared node through a predicate the core shapes follow
      backwards (sh:inversePath), so a shared node's inverse paths stay in the shared graphs.
When one fails, the whole dataset is one part (correct, not faster) and the plan says why.
SPARQL constraints that hrkg runs itself are not split: they run once over the whole store
(hrkg.pipeline.shacl_sparql). tests/test_shacl_units.py proves the split gives the same results
as one validation of everything, on the project, the fixture KG and a scaled project.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hrkg import rdf as ns

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib

SOURCE_GRAPHS = ns.GRAPH + "source/"


@dataclass(frozen=True)
class Unit:
    """Source graphs validated together, always with the shared graphs and the ontology."""

    label: str
    graphs: tuple[str, ...]
    keeps_shared: bool = False  # its results about shared nodes count (no other unit's do)


@dataclass(frozen=True)
class Plan:
    """The parts of one validation, the shared graphs, and the nodes they describe."""

    units: tuple[Unit, ...]
    shared_graphs: tuple[str, ...]
    shared_subjects: frozenset[str]
    whole_reason: str = ""  # why the data is one part, when it is


def node_key(term: object) -> str | None:
    """A node's identity across graphs (blank-node labels are unique per file); None for
    literals and quoted triples."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return None


def inverse_predicates(shapes: rdflib.Graph) -> frozenset[str]:
    """Every predicate some shape follows backwards (the object of an sh:inversePath)."""
    import rdflib

    path = rdflib.URIRef(ns.SH + "inversePath")
    return frozenset(str(o) for o in shapes.objects(None, path) if isinstance(o, rdflib.URIRef))


class Groups:
    """Union-find over source graph names."""

    def __init__(self, names: Iterable[str]) -> None:
        self.parent = {n: n for n in names}

    def find(self, name: str) -> str:
        while self.parent[name] != name:
            self.parent[name] = self.parent[self.parent[name]]
            name = self.parent[name]
        return name

    def join(self, first: str, second: str) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)

    def members(self) -> list[tuple[str, ...]]:
        groups: dict[str, list[str]] = {}
        for name in sorted(self.parent):
            groups.setdefault(self.find(name), []).append(name)
        return sorted(tuple(g) for g in groups.values())


def label_of(graphs: tuple[str, ...]) -> str:
    slugs = [g.removeprefix(SOURCE_GRAPHS) for g in graphs]
    return slugs[0] if len(slugs) == 1 else f"{slugs[0]} (+{len(slugs) - 1} sharing nodes)"


def first_problem(
    by_graph: dict[str, list[ox.Quad]],
    sources: list[str],
    outside: set[str],
    described_outside: set[str],
    inverse: frozenset[str],
) -> str:
    """The first of conditions (a)-(c) the data breaks (module docstring), or ''."""
    described_in_sources: set[str] = set()
    for source in sources:
        for q in by_graph[source]:
            subject, obj = node_key(q.subject), node_key(q.object)
            if subject in described_outside:
                return f"{source} describes {subject}, which a shared graph describes"
            if obj in described_outside and q.predicate.value in inverse:
                return (
                    f"{source} links {obj} by {q.predicate.value}, which a shape follows backwards"
                )
            if subject is not None:
                described_in_sources.add(subject)
    for g in sorted(outside):
        for q in by_graph.get(g, []):
            if node_key(q.object) in described_in_sources:
                return f"{g} links to {node_key(q.object)}, which a source graph describes"
    return ""


def source_groups(
    by_graph: dict[str, list[ox.Quad]], sources: list[str], described_outside: set[str]
) -> list[tuple[str, ...]]:
    """Sources joined whenever two mention a node that no shared graph describes."""
    first_mention: dict[str, str] = {}
    groups = Groups(sources)
    for source in sources:
        for q in by_graph[source]:
            for key in (node_key(q.subject), node_key(q.object)):
                if key is None or key in described_outside:
                    continue
                seen = first_mention.setdefault(key, source)
                if seen != source:
                    groups.join(seen, source)
    return groups.members()


def plan_units(by_graph: dict[str, list[ox.Quad]], inverse: frozenset[str]) -> Plan:
    """The parts to validate, found in two passes over the quads."""
    sources = sorted(g for g in by_graph if g.startswith(SOURCE_GRAPHS))
    shared = tuple(sorted(g for g in by_graph if g not in sources and g != ns.GRAPH_ONTOLOGY))
    outside = {*shared, ns.GRAPH_ONTOLOGY}
    described_outside = {
        key for g in outside for q in by_graph.get(g, []) if (key := node_key(q.subject))
    }
    subjects = frozenset(described_outside)
    reason = first_problem(by_graph, sources, outside, described_outside, inverse)
    if reason:
        whole = Unit("all graphs", tuple(sources), keeps_shared=True)
        return Plan((whole,), shared, subjects, reason)
    units = [Unit("shared graphs", (), keeps_shared=True)]
    units += [
        Unit(label_of(members), members)
        for members in source_groups(by_graph, sources, described_outside)
    ]
    return Plan(tuple(units), shared, subjects)
