"""The terms the ontology and vocabularies declare: classes, properties and the class tree.

A term is declared when the ontology or vocabulary graph types it (`owl:Class`,
`owl:ObjectProperty`, …). Shapes may use only declared terms (hrkg.checks.shapes_terms), and
the classes of the project's own namespace are those data can have (hrkg.checks.shapes_targets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hrkg import rdf as ns

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pyoxigraph as ox

CLASS_TYPES = frozenset({ns.OWL + "Class", ns.RDFS + "Class"})
PROPERTY_TYPES = frozenset(
    {ns.RDF + "Property"}
    | {
        ns.OWL + kind + "Property"
        for kind in (
            "Object",
            "Datatype",
            "Annotation",
            "Functional",
            "InverseFunctional",
            "Transitive",
            "Symmetric",
            "Asymmetric",
            "Reflexive",
            "Irreflexive",
        )
    }
)
SUBCLASS_OF = ns.RDFS + "subClassOf"


@dataclass
class Vocabulary:
    classes: set[str] = field(default_factory=set)
    properties: set[str] = field(default_factory=set)
    superclasses: dict[str, set[str]] = field(default_factory=dict)  # direct rdfs:subClassOf

    def own_classes(self) -> set[str]:
        """The declared classes in the project's namespaces (https://w3id.org/hrkg/…)."""
        return {c for c in self.classes if c.startswith(ns.BASE)}

    def ancestors(self, cls: str) -> set[str]:
        """`cls` and every class above it by rdfs:subClassOf (cycles allowed)."""
        seen = {cls}
        todo = [cls]
        while todo:
            for parent in self.superclasses.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return seen


def vocabulary_of(quads: Iterable[ox.Quad]) -> Vocabulary:
    """The declarations in the ontology and vocabulary quads (one pass; IRIs only)."""
    import pyoxigraph as ox

    found = Vocabulary()
    for s, p, o, _g in quads:
        if type(s) is not ox.NamedNode or type(o) is not ox.NamedNode:
            continue
        if p.value == ns.RDF_TYPE:
            if o.value in CLASS_TYPES:
                found.classes.add(s.value)
            elif o.value in PROPERTY_TYPES:
                found.properties.add(s.value)
        elif p.value == SUBCLASS_OF:
            found.superclasses.setdefault(s.value, set()).add(o.value)
    return found
