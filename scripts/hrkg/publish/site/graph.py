"""The built graph read once into plain Python indexes, so pages are built without queries.

The asserted graphs (everything but `…/graph/inferred`) are what pages show; the inferred
types are kept apart, only to know what a resource is (a hrkg:Person is an actor). Every list
is sorted, so two runs over the same graph give the same pages byte for byte.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hrkg import rdf as ns

if TYPE_CHECKING:
    import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
OA = "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
DCTERMS = "http://purl.org/dc/terms/"
H = ns.HRKG

CONTESTED = re.compile(
    r"terroris|aggressi|puppet|regime|occupation|imperialis|siege|carnage|"
    r"invasion",
    re.IGNORECASE,
)
"""Words that judge an actor: never in the site's own headings, labels or link texts."""


@dataclass(frozen=True, order=True)
class Term:
    """An RDF term reduced to what pages need: its kind, value, language and datatype."""

    kind: str  # "iri", "bnode" or "literal"
    value: str
    language: str = ""
    datatype: str = ""

    @property
    def is_iri(self) -> bool:
        return self.kind == "iri"

    @property
    def is_literal(self) -> bool:
        return self.kind == "literal"


def term_of(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | ox.DefaultGraph) -> Term:
    import pyoxigraph as ox

    if isinstance(node, ox.NamedNode):
        return Term("iri", node.value)
    if isinstance(node, ox.BlankNode):
        return Term("bnode", node.value)
    if isinstance(node, ox.Literal):
        return Term("literal", node.value, node.language or "", node.datatype.value)
    raise ValueError(f"unexpected RDF term in the store: {node!r}")


@dataclass
class SiteGraph:
    """Outgoing and incoming arcs per node of the asserted graphs, plus inferred types."""

    out: dict[Term, list[tuple[str, Term]]] = field(default_factory=lambda: defaultdict(list))
    into: dict[Term, list[tuple[str, Term]]] = field(default_factory=lambda: defaultdict(list))
    inferred_types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    triples: int = 0
    by_sp: dict[tuple[Term, str], list[Term]] = field(default_factory=dict)
    by_po: dict[tuple[str, Term], list[str]] = field(default_factory=dict)
    types_of: dict[str, frozenset[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # display names, filled by values.name
    members: dict[str, list[str]] = field(default_factory=dict)  # class -> instances

    @classmethod
    def from_store(cls, store: ox.Store) -> SiteGraph:
        """Read every asserted quad of `store` (one pass) and index it."""
        graph = cls()
        inferred = ns.GRAPH_INFERRED
        seen: set[tuple[Term, str, Term]] = set()
        for quad in store.quads_for_pattern(None, None, None, None):
            gname = getattr(quad.graph_name, "value", "")
            subject, predicate = term_of(quad.subject), quad.predicate.value
            obj = term_of(quad.object)
            if gname == inferred:
                if predicate == RDF_TYPE and subject.is_iri and obj.is_iri:
                    graph.inferred_types[subject.value].add(obj.value)
                continue
            key = (subject, predicate, obj)
            if key in seen:  # the same triple in two graphs is one fact on a page
                continue
            seen.add(key)
            graph.out[subject].append((predicate, obj))
            graph.into[obj].append((predicate, subject))
        for arcs in (*graph.out.values(), *graph.into.values()):
            arcs.sort()
        for subject, arcs in graph.out.items():
            for predicate, obj in arcs:
                graph.by_sp.setdefault((subject, predicate), []).append(obj)
                if subject.is_iri:
                    graph.by_po.setdefault((predicate, obj), []).append(subject.value)
        for values in graph.by_po.values():
            values.sort()
        supers = graph.superclasses()
        for iri in {t.value for t in graph.out if t.is_iri} | set(graph.inferred_types):
            asserted: set[str] = set(graph.iris(iri, RDF_TYPE))
            graph.types_of[iri] = frozenset(
                asserted.union(*(supers.get(t, set()) for t in sorted(asserted)))
                | graph.inferred_types.get(iri, set())
            )
        graph.triples = len(seen)
        return graph

    def superclasses(self) -> dict[str, set[str]]:
        """Each named class's named superclasses (rdfs:subClassOf, transitively).

        Computed here so that pages know a hrkg:Person is an actor even from a store
        without the inferred graph.
        """
        direct: dict[str, set[str]] = defaultdict(set)
        for (subject, predicate), objects in self.by_sp.items():
            if predicate == RDFS + "subClassOf" and subject.is_iri:
                direct[subject.value] |= {o.value for o in objects if o.is_iri}
        closed: dict[str, set[str]] = {}
        for cls in direct:
            seen: set[str] = set()
            todo = list(direct[cls])
            while todo:
                parent = todo.pop()
                if parent not in seen:
                    seen.add(parent)
                    todo.extend(direct.get(parent, ()))
            closed[cls] = seen
        return closed

    # --- reading ------------------------------------------------------------------------

    def objects(self, subject: str | Term, predicate: str) -> list[Term]:
        node = subject if isinstance(subject, Term) else Term("iri", subject)
        return self.by_sp.get((node, predicate), [])

    def subjects(self, predicate: str, obj: str | Term) -> list[str]:
        node = obj if isinstance(obj, Term) else Term("iri", obj)
        return self.by_po.get((predicate, node), [])

    def iris(self, subject: str | Term, predicate: str) -> list[str]:
        return [o.value for o in self.objects(subject, predicate) if o.is_iri]

    def one(self, subject: str | Term, predicate: str) -> str | None:
        """The first value (in sorted order) of a property, or None."""
        values = self.objects(subject, predicate)
        return values[0].value if values else None

    def types(self, iri: str) -> list[str]:
        return self.iris(iri, RDF_TYPE)

    def all_types(self, iri: str) -> frozenset[str]:
        return self.types_of.get(iri, frozenset())

    def is_a(self, iri: str, cls: str) -> bool:
        return cls in self.all_types(iri)

    def instances(self, cls: str) -> list[str]:
        """IRIs typed `cls`, asserted, inferred or through rdfs:subClassOf; sorted."""
        if not self.members:
            members: dict[str, list[str]] = defaultdict(list)
            for subject in sorted(self.types_of):
                for type_ in self.types_of[subject]:
                    members[type_].append(subject)
            self.members = dict(members)
        return self.members.get(cls, [])

    def subject_iris(self) -> list[str]:
        return sorted(t.value for t in self.out if t.is_iri)

    def label(self, iri: str) -> str:
        """The English label (rdfs:label, then skos:prefLabel, then dcterms:title)."""
        for predicate in (RDFS + "label", SKOS + "prefLabel", DCTERMS + "title"):
            values = self.objects(iri, predicate)
            english = [v.value for v in values if v.language in ("en", "")]
            if english:
                return english[0]
        return local_name(iri)

    def alt_labels(self, iri: str) -> list[str]:
        labels = [
            v.value for v in self.objects(iri, RDFS + "label") if v.language not in ("en", "")
        ]
        return labels + [v.value for v in self.objects(iri, SKOS + "altLabel")]


def local_name(iri: str) -> str:
    """The last segment of an IRI (after '#' or '/')."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri


def is_contested(text: str) -> bool:
    return bool(CONTESTED.search(text))
