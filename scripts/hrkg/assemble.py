"""Parse the project's Turtle files and assemble them into the named graphs of DESIGN.md.

Parsing uses pyoxigraph: it is fast and reports the line and column of a syntax error.
Blank nodes are relabelled per file in order of appearance, so two builds of the same input
produce identical dumps.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg import namespaces as ns
from hrkg.paths import Project

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib

    Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


class ParseError(Exception):
    """A Turtle file that does not parse; str() names file, line and column."""

    def __init__(self, path: Path, line: int, column: int, message: str) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path, self.line, self.column, self.message = path, line, column, message


@dataclass(frozen=True)
class InputFile:
    """One Turtle file and the named graph it belongs to."""

    path: Path
    graph: str


@dataclass
class Assembled:
    """The parsed input: quads in a stable order, and where each subject was written."""

    quads: list[ox.Quad]
    subject_files: dict[str, list[Path]] = field(default_factory=dict)

    def triples_per_graph(self) -> dict[str, int]:
        counts = Counter(q.graph_name.value for q in self.quads)  # type: ignore[union-attr]
        return dict(sorted(counts.items()))

    def graph_quads(self, graph: str) -> list[ox.Quad]:
        return [q for q in self.quads if q.graph_name.value == graph]  # type: ignore[union-attr]


def input_files(project: Project) -> list[InputFile]:
    """Every KG input file with its graph, found by glob: adding a file turns it on."""
    files = [InputFile(p, ns.GRAPH_ONTOLOGY) for p in sorted(project.ontology_dir.glob("*.ttl"))]
    files += [InputFile(p, ns.GRAPH_VOCAB) for p in sorted(project.vocab_dir.glob("*.ttl"))]
    files += [InputFile(p, ns.GRAPH_ENTITIES) for p in sorted(project.entities_dir.glob("*.ttl"))]
    files += [
        InputFile(p, ns.source_graph(p.stem))
        for p in sorted(project.sources_data_dir.glob("*.ttl"))
    ]
    return files


def shape_files(project: Project) -> list[Path]:
    return sorted(project.shapes_dir.glob("*.ttl"))


def parse_turtle(path: Path, graph: str, file_index: int) -> list[ox.Quad]:
    """Parse one Turtle file into quads of `graph`; raise ParseError with line and column."""
    import pyoxigraph as ox

    graph_node = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    relabel: dict[str, ox.BlankNode] = {}

    def fix(term: Term) -> Term:
        if isinstance(term, ox.BlankNode):
            if term.value not in relabel:
                relabel[term.value] = ox.BlankNode(f"f{file_index}b{len(relabel)}")
            return relabel[term.value]
        return term

    try:
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except SyntaxError as err:
        line = err.lineno or 0
        column = err.offset or 0
        message = str(err.msg) if hasattr(err, "msg") else str(err)
        raise ParseError(path, line, column, message) from None
    except (OSError, ValueError) as err:
        raise ParseError(path, 0, 0, str(err)) from None
    return [
        ox.Quad(fix(t.subject), t.predicate, fix(t.object), graph_node)  # type: ignore[arg-type]
        for t in triples
    ]


def quad_sort_key(q: ox.Quad) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def assemble(project: Project) -> Assembled:
    """Parse every input file; quads are deduplicated and sorted for deterministic output."""
    files = input_files(project)
    seen: set[ox.Quad] = set()
    subject_files: dict[str, list[Path]] = {}
    for index, f in enumerate(files):
        for q in parse_turtle(f.path, f.graph, index):
            seen.add(q)
            key = str(q.subject.value) if hasattr(q.subject, "value") else str(q.subject)
            paths = subject_files.setdefault(key, [])
            if f.path not in paths:
                paths.append(f.path)
    quads = sorted(seen, key=quad_sort_key)
    return Assembled(quads=quads, subject_files=subject_files)


def parse_shapes(project: Project) -> rdflib.Graph:
    """The SHACL shapes graph, with the same syntax errors as the data files."""
    import rdflib

    graph = rdflib.Graph()
    for index, path in enumerate(shape_files(project)):
        for q in parse_turtle(path, "", 1000 + index):
            graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph


def to_rdflib(term: Term) -> rdflib.term.Node:
    """Convert one pyoxigraph term to its rdflib twin."""
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))
    raise TypeError(f"unsupported term {term!r}")


def from_rdflib(term: rdflib.term.Node) -> Term:
    """Convert one rdflib term to its pyoxigraph twin."""
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(re.sub(r"[^A-Za-z0-9_]", "_", str(term)))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def to_rdflib_graph(quads: list[ox.Quad]) -> rdflib.Graph:
    """Merge quads into one rdflib Graph (the form pyshacl and owlrl take)."""
    import rdflib

    graph = rdflib.Graph()
    for q in quads:
        graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph


def to_rdflib_dataset(quads: list[ox.Quad]) -> rdflib.Dataset:
    """An rdflib Dataset with the same named graphs; its default graph is their union."""
    import rdflib

    dataset = rdflib.Dataset(default_union=True)
    for q in quads:
        graph = rdflib.URIRef(q.graph_name.value)  # type: ignore[union-attr]
        triple = (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        dataset.graph(graph).add(triple)
    return dataset


def to_store(quads: list[ox.Quad], path: Path | None = None) -> ox.Store:
    """A pyoxigraph store (in memory, or on disk at `path`) holding the quads."""
    import pyoxigraph as ox

    store = ox.Store(str(path)) if path is not None else ox.Store()
    store.bulk_extend(quads)
    if path is not None:
        store.flush()
    return store


def locate_subject(iri: str, path: Path) -> int:
    """The line where `iri` is first written as a subject in `path` (0 if not found)."""
    local = iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    patterns = [
        re.compile(rf"^\s*<{re.escape(iri)}>"),
        re.compile(rf"^\s*\w*:{re.escape(local)}\b"),
    ]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 0
    for number, line in enumerate(lines, start=1):
        if any(p.search(line) for p in patterns):
            return number
    return 0
