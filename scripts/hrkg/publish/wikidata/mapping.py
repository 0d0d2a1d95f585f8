"""Read the ontology's Wikidata annotations into a mapping (no mapping table lives in Python).

The ontology and its vocabularies say with `skos:closeMatch` which Wikidata property a term
matches, and the namespace of the target says the term's part in Wikidata's RDF model (see the
header of ontology/hrkg.ttl): `wd:P…` the property itself, `p:P…` the n-ary node's property that
names the item holding the statement, `ps:P…` the one that names its value, `pq:P…` a qualifier
only, `pr:P…` a reference value; `wikibase:NormalRank` on a concept makes a node with that value
a statement in normal rank.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
P = "http://www.wikidata.org/prop/"
PS = "http://www.wikidata.org/prop/statement/"
PQ = "http://www.wikidata.org/prop/qualifier/"
PR = "http://www.wikidata.org/prop/reference/"
WIKIBASE = "http://wikiba.se/ontology#"
NORMAL_RANK = WIKIBASE + "NormalRank"

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SKOS_CLOSE = SKOS + "closeMatch"
SKOS_EXACT = SKOS + "exactMatch"
SKOS_PREF = SKOS + "prefLabel"
SKOS_CONCEPT = SKOS + "Concept"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"

PID_RE = re.compile(r"P[1-9][0-9]*")
QID_RE = re.compile(r"Q[1-9][0-9]*")
# the longest namespace first: PS, PQ and PR all start with P
ROLES = (("ps", PS), ("pq", PQ), ("pr", PR), ("p", P), ("wd", WD))


@dataclass(frozen=True)
class Target:
    """One annotation target: its role (wd, p, ps, pq, pr) and Wikidata property id."""

    role: str
    pid: str


def parse_target(iri: str) -> Target | None:
    """The role and property id of a Wikidata property IRI, None for anything else."""
    for role, namespace in ROLES:
        if iri.startswith(namespace) and PID_RE.fullmatch(iri[len(namespace) :]):
            return Target(role, iri[len(namespace) :])
    return None


@dataclass
class Mapping:
    """What the annotations say, plus the labels and class tree needed to explain a report."""

    class_pid: dict[str, str] = field(default_factory=dict)  # class -> P (each node a statement)
    property_targets: dict[str, list[Target]] = field(default_factory=dict)
    concept_pids: dict[str, set[str]] = field(default_factory=dict)  # concept -> wd:P it confirms
    normal_rank: set[str] = field(default_factory=set)  # concepts marking a normal-rank statement
    concepts: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    superclasses: dict[str, set[str]] = field(default_factory=dict)
    derived_from_pid: str | None = None  # prov:wasDerivedFrom ~ P248 "stated in"

    def targets(self, prop: str, *roles: str) -> list[Target]:
        """The annotation targets of a property in the given roles."""
        return [t for t in self.property_targets.get(prop, []) if t.role in roles]

    def label(self, iri: str) -> str:
        """An English label for reports, or the IRI's last segment."""
        return self.labels.get(iri) or re.split(r"[/#]", iri)[-1]

    def most_specific(self, classes: Iterable[str]) -> str | None:
        """The class of a node that no other of its classes is a subclass of."""
        known = sorted(c for c in classes if c in self.labels)
        for cls in known:
            if not any(
                other != cls and cls in self.superclasses.get(other, set()) for other in known
            ):
                return cls
        return None


def read_mapping(quads: Iterable[ox.Quad]) -> Mapping:
    """Collect the Wikidata annotations, labels and subclass links from all quads."""
    mapping = Mapping()
    classes: set[str] = set()
    close: dict[str, list[str]] = defaultdict(list)
    parents: dict[str, set[str]] = defaultdict(set)
    for quad in quads:
        s, p, o = quad.subject, quad.predicate.value, quad.object
        if not isinstance(s, ox.NamedNode):
            continue
        if p == SKOS_CLOSE and isinstance(o, ox.NamedNode):
            close[s.value].append(o.value)
        elif p == RDF_TYPE and isinstance(o, ox.NamedNode):
            if o.value == OWL_CLASS:
                classes.add(s.value)
            elif o.value == SKOS_CONCEPT:
                mapping.concepts.add(s.value)
        elif p in (RDFS_LABEL, SKOS_PREF) and isinstance(o, ox.Literal):
            if o.language in (None, "en"):
                mapping.labels.setdefault(s.value, o.value)
        elif p == RDFS_SUBCLASS and isinstance(o, ox.NamedNode):
            parents[s.value].add(o.value)
    for term, iris in close.items():
        for iri in iris:
            _add_match(mapping, classes, term, iri)
    mapping.superclasses = {cls: _ancestors(cls, parents) for cls in parents}
    return mapping


def _add_match(mapping: Mapping, classes: set[str], term: str, iri: str) -> None:
    """Record one skos:closeMatch of an ontology term by the role its target names."""
    if iri == NORMAL_RANK:
        mapping.normal_rank.add(term)
        return
    target = parse_target(iri)
    if target is None:
        return  # a class match such as wd:Q5 says nothing about statements
    if term in mapping.concepts and target.role == "wd":
        mapping.concept_pids.setdefault(term, set()).add(target.pid)
    elif term in classes and target.role == "wd":
        mapping.class_pid[term] = target.pid
    else:
        mapping.property_targets.setdefault(term, []).append(target)
        if term == PROV_DERIVED and target.role == "wd":
            mapping.derived_from_pid = target.pid


def _ancestors(cls: str, parents: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(parents.get(cls, ()))
    while todo:
        parent = todo.pop()
        if parent not in seen:
            seen.add(parent)
            todo.extend(parents.get(parent, ()))
    return seen


def linked_items(quads: Iterable[ox.Quad]) -> dict[str, str]:
    """Resource IRI -> QID, from every `skos:exactMatch wd:Q…`."""
    items: dict[str, str] = {}
    for quad in quads:
        if quad.predicate.value != SKOS_EXACT or not isinstance(quad.object, ox.NamedNode):
            continue
        iri = quad.object.value
        subject = quad.subject
        if (
            isinstance(subject, ox.NamedNode)
            and iri.startswith(WD)
            and QID_RE.fullmatch(iri[len(WD) :])
        ):
            items.setdefault(subject.value, iri[len(WD) :])
    return items
