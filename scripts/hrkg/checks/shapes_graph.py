"""The shapes graph as the meta-checks read it: each triple with the file it was written in.

pyshacl gets one merged rdflib graph; the meta-checks need to say which shapes file holds a
problem, so they read the per-file quads (blank nodes are already distinct per file).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg import rdf as ns

if TYPE_CHECKING:
    import pyoxigraph as ox

    Term = ox.NamedNode | ox.BlankNode | ox.Literal

SHAPE_TYPES = frozenset({ns.SH + "NodeShape", ns.SH + "PropertyShape"})
TARGETS = frozenset(
    ns.SH + t
    for t in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
)


@dataclass(frozen=True)
class Written:
    """One triple of a shapes file."""

    path: Path
    subject: Term
    predicate: str
    object: Term


class ShapesGraph:
    """The triples of every shapes file, indexed by (subject, predicate)."""

    def __init__(self, files: Mapping[Path, Sequence[ox.Quad]]) -> None:
        import pyoxigraph as ox

        self.files = list(files)
        self.triples = [
            Written(path, q.subject, q.predicate.value, q.object)
            for path, quads in files.items()
            for q in quads
            if not isinstance(q.subject, ox.Triple) and not isinstance(q.object, ox.Triple)
        ]
        self._index: dict[tuple[Term, str], list[Written]] = {}
        for t in self.triples:
            self._index.setdefault((t.subject, t.predicate), []).append(t)

    def with_predicate(self, *predicates: str) -> Iterator[Written]:
        wanted = set(predicates)
        return (t for t in self.triples if t.predicate in wanted)

    def objects(self, subject: Term, predicate: str) -> list[Written]:
        return self._index.get((subject, predicate), [])

    def is_true(self, subject: Term, predicate: str) -> bool:
        return any(t.object.value == "true" for t in self.objects(subject, predicate))

    def shapes_in(self, path: Path) -> set[Term]:
        """The shapes a file defines: typed as shapes, or with a target or an sh:path."""
        return {
            t.subject
            for t in self.triples
            if t.path == path
            and (
                (t.predicate == ns.RDF_TYPE and t.object.value in SHAPE_TYPES)
                or t.predicate in TARGETS
                or t.predicate == ns.SH + "path"
            )
        }

    def list_items(self, head: Term) -> Iterator[Written]:
        """The rdf:first triples of the RDF list starting at `head` (stops on a cycle)."""
        seen: set[Term] = set()
        node = head
        while node not in seen and node.value != ns.RDF + "nil":
            seen.add(node)
            yield from self.objects(node, ns.RDF + "first")
            rest = self.objects(node, ns.RDF + "rest")
            if not rest:
                return
            node = rest[0].object
