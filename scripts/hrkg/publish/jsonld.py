"""The JSON-LD dump, written node by node in one pass over the quads.

Compacted with the project's prefixes (the context of hrkg.context.jsonld): a named graph is a
graph object, a subject one node object on its own line, values as JSON-LD's RDF conversion
reads them back (a plain string is an xsd:string literal, any other literal is a value object
with its lexical form, so no number or date is re-spelled). Lists stay rdf:first/rdf:rest
nodes with the build's blank-node labels, so the file reads back to exactly the quads of the
N-Quads dump. Nothing is sorted here: the quads arrive in the build's order (graph, subject,
predicate, object), which makes the file reproducible; other input still gives a valid file
with the same quads, just not grouped as tightly.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from hrkg import rdf as ns
from hrkg.rdf import RDF_TYPE

if TYPE_CHECKING:
    import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

Value = str | dict[str, str]
Node = dict[str, Value | list[Value]]


def context() -> dict[str, str]:
    """The project's prefixes, the whole JSON-LD context of the dump."""
    return dict(sorted(ns.PREFIXES.items()))


class Compactor:
    """IRIs as compact IRIs (`kg:hamas`), memoised: a graph repeats few distinct IRIs."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.by_length = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.names = set(prefixes)
        self.memo: dict[str, str] = {}

    def __call__(self, iri: str) -> str:
        found = self.memo.get(iri)
        if found is None:
            found = self.memo[iri] = self._compact(iri)
        return found

    def _compact(self, iri: str) -> str:
        for prefix, base in self.by_length:
            # a suffix starting with // would read back as an absolute IRI
            if iri.startswith(base) and not iri[len(base) :].startswith("//"):
                return f"{prefix}:{iri[len(base) :]}"
        if iri.split(":", 1)[0] in self.names:
            raise ValueError(
                f"<{iri}> cannot be written in JSON-LD with this context: its scheme is "
                "the name of one of the project's prefixes"
            )
        return iri


def node_id(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, compact: Compactor) -> str:
    """A subject, graph name or object IRI as JSON-LD writes it in @id."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    raise ValueError(f"JSON-LD cannot write {term} as a node")


def value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, compact: Compactor) -> Value:
    """An object as a JSON-LD value: a node reference, a string or a value object."""
    import pyoxigraph as ox

    if not isinstance(term, ox.Literal):
        return {"@id": node_id(term, compact)}
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return term.value
    if term.language is None:
        return {"@value": term.value, "@type": compact(datatype)}
    literal = {"@value": term.value, "@language": term.language}
    if term.direction:  # rdf:dirLangString (RDF 1.2)
        literal["@direction"] = str(term.direction)
    return literal


def node(subject: str, quads: Iterable[ox.Quad], compact: Compactor) -> Node:
    """One node object: @id, @type (the IRI classes) and one key per predicate."""
    import pyoxigraph as ox

    out: Node = {"@id": subject}
    types: list[Value] = []
    values: dict[str, list[Value]] = {}
    for q in quads:
        predicate = q.predicate.value
        if predicate == RDF_TYPE and isinstance(q.object, ox.NamedNode):
            types.append(compact(q.object.value))
        else:
            values.setdefault(compact(predicate), []).append(value(q.object, compact))
    if types:
        out["@type"] = types[0] if len(types) == 1 else types
    for key, items in values.items():
        out[key] = items[0] if len(items) == 1 else items
    return out


def nodes(quads: Iterable[ox.Quad], compact: Compactor) -> Iterator[Node]:
    """A node object per run of quads with the same subject."""
    for subject, run in groupby(quads, key=lambda q: node_id(q.subject, compact)):
        yield node(subject, run, compact)


def write_jsonld(quads: Iterable[ox.Quad], path: Path) -> None:
    """Write the quads as compacted JSON-LD into `path`, node by node, graph after graph."""
    with path.open("w", encoding="utf-8", newline="\n") as out:
        stream_jsonld(quads, out)


def stream_jsonld(quads: Iterable[ox.Quad], out: TextIO) -> None:
    """Write the quads as compacted JSON-LD to an open text stream."""
    compact = Compactor(ns.PREFIXES)
    head = json.dumps({"@context": context()}, indent=1, ensure_ascii=False)
    out.write(head[: -len("\n}")] + ',\n "@graph": [')
    items = 0  # elements of the top-level @graph written so far
    for graph, run in groupby(quads, key=lambda q: getattr(q.graph_name, "value", "")):
        if graph:
            out.write(("," if items else "") + f'\n  {{"@id": {_json(compact(graph))}, "@graph": [')
            _write_nodes(out, nodes(run, compact), "   ", 0)
            out.write("\n  ]}")
            items += 1
        else:  # the default graph's nodes stand in the top-level @graph
            items = _write_nodes(out, nodes(run, compact), "  ", items)
    out.write("\n ]\n}\n")


def _write_nodes(out: TextIO, items: Iterable[Node], indent: str, written: int) -> int:
    """Append node objects, one per line, to a JSON array holding `written` elements."""
    for item in items:
        out.write(("," if written else "") + f"\n{indent}{_json(item)}")
        written += 1
    return written


def _json(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)
