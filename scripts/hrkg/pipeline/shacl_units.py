"""Split the data into parts that SHACL can validate independently, and say when it cannot.

A focus node's SHACL results depend only on the triples its shapes reach from it. The shared
graphs (vocabularies, entities) are validated once on their own; every other part is a group of
source graphs validated together with the shared graphs and the ontology. Two sources fall into
one group when both mention a node that is not described in the shared graphs (the article and a
cited report describing the same meeting), so nothing a shape could follow from a node leaves its
group except into the shared graphs.

Each focus node has one owner (Plan.owns): the shared part when the shared graphs or the ontology
use it, else the part of the sources that use it; other parts' results about it are dropped.
Results are exact when these conditions hold, and `plan_units` checks them:
  (a) no source graph has a triple about a node described in the shared graphs or the ontology
      (a shared node's description is complete without the sources);
  (b) no shared triple points at a node described in a source graph (a shared node's shapes
      never reach into a source);
  (c) no source triple reaches a node the shared graphs use through a predicate the core shapes
      follow backwards (sh:inversePath), so inverse paths from shared nodes stay in them;
  (d) every shape whose SPARQL pyshacl runs per part (SPARQL targets, constraints it was left,
      constraint components) is declared part-local by the project ([tool.hrkg.part-local-sparql],
      each with its reason): a query can read anything, so this is the author's word, which the
      equality tests check on the project's data.
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
    mentioned_outside: frozenset[str]  # every term the shared graphs and the ontology use
    owner: dict[str, int]  # a term the sources use -> index of the first unit using it
    whole_reason: str = ""  # why the data is one part, when it is

    def owns(self, index: int, focus: str) -> bool:
        """Whether unit `index` reports results about `focus`: each focus node has one owner —
        the shared part (index 0) when the shared graphs or the ontology use it or no source
        does, else the first part whose sources use it (nodes are in one part only; a literal
        may be used by several)."""
        if len(self.units) == 1:
            return True
        if focus in self.mentioned_outside:
            return index == 0
        return self.owner.get(focus, 0) == index


def node_key(term: object) -> str | None:
    """A node's identity across graphs, as SHACL results name it (an IRI, or a blank-node
    label, unique per file); None for literals and quoted triples."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return term.value
    return None


def term_text(term: object) -> str | None:
    """Any term as a result's focus would name it (literals too: targetObjectsOf may focus
    on a literal)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value
    return None


def mentioned(quads: list[ox.Quad]) -> frozenset[str]:
    return frozenset(
        text for q in quads for term in (q.subject, q.object) if (text := term_text(term))
    )


def sparql_shapes(shapes: rdflib.Graph) -> list[str]:
    """Shapes whose SPARQL pyshacl still runs per part (SPARQL targets, sh:sparql it was left,
    constraint components): a query can read anything, so each must be declared part-local."""
    import rdflib

    sh = rdflib.Namespace(ns.SH)
    found = {str(s) for s, t in shapes.subject_objects(sh.target) if shapes.value(t, sh.select)}
    found |= {str(s) for s in shapes.subjects(sh.sparql)}
    for validator in (sh.validator, sh.nodeValidator, sh.propertyValidator):
        found |= {str(s) for s in shapes.subjects(validator)}
    return sorted(found)


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
    mentioned_outside: frozenset[str],
    inverse: frozenset[str],
) -> str:
    """The first of conditions (a)-(c) the data breaks (module docstring), or ''."""
    described_in_sources: set[str] = set()
    for source in sources:
        for q in by_graph[source]:
            subject, obj = node_key(q.subject), node_key(q.object)
            if subject in described_outside:
                return f"{source} describes {subject}, which a shared graph describes"
            if obj in mentioned_outside and q.predicate.value in inverse:
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


def plan_units(
    by_graph: dict[str, list[ox.Quad]],
    inverse: frozenset[str],
    undeclared_sparql: tuple[str, ...] = (),
) -> Plan:
    """The parts to validate, found in a few passes over the quads. `undeclared_sparql` names
    shapes whose SPARQL pyshacl runs and that nobody declared part-local: then one part."""
    sources = sorted(g for g in by_graph if g.startswith(SOURCE_GRAPHS))
    shared = tuple(sorted(g for g in by_graph if g not in sources and g != ns.GRAPH_ONTOLOGY))
    outside = {*shared, ns.GRAPH_ONTOLOGY}
    described_outside = {
        key for g in outside for q in by_graph.get(g, []) if (key := node_key(q.subject))
    }
    outside_terms = mentioned([q for g in sorted(outside) for q in by_graph.get(g, [])])
    reason = first_problem(by_graph, sources, outside, described_outside, outside_terms, inverse)
    if not reason and undeclared_sparql:
        reason = (
            f"pyshacl runs SPARQL of {ns.shorten(undeclared_sparql[0])}, which may read across "
            "sources (declare it under [tool.hrkg.part-local-sparql] if it reads only what "
            "its focus node reaches)"
        )
    if reason:
        whole = Unit("all graphs", tuple(sources), keeps_shared=True)
        return Plan((whole,), shared, outside_terms, {}, reason)
    units = [Unit("shared graphs", (), keeps_shared=True)]
    units += [
        Unit(label_of(members), members)
        for members in source_groups(by_graph, sources, described_outside)
    ]
    owner: dict[str, int] = {}
    for index, unit in enumerate(units):
        for g in unit.graphs:
            for term in mentioned(by_graph[g]):
                owner.setdefault(term, index)
    return Plan(tuple(units), shared, outside_terms, owner)
