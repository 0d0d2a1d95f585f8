"""Parse the project's Turtle files and assemble them into the named graphs of docs/design.md.

Parsing uses pyoxigraph: it is fast and reports the line and column of a syntax error.
Blank nodes are relabelled per file in order of appearance, so two builds of the same input
produce identical dumps.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg import rdf as ns
from hrkg.project import Project
from hrkg.rdf import graph_name, quad_sort_key, to_rdflib

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
        counts = Counter(graph_name(q) for q in self.quads)
        return dict(sorted(counts.items()))

    def by_graph(self) -> dict[str, list[ox.Quad]]:
        """The quads grouped by named graph, in one pass (each group keeps the quads' order)."""
        groups: dict[str, list[ox.Quad]] = {}
        for q in self.quads:
            groups.setdefault(graph_name(q), []).append(q)
        return groups


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


def file_number(project: Project, path: Path) -> int:
    """A number for a file's blank-node labels that depends on its own path only: adding or
    removing another file leaves every other file's labels — and so its cached work — alone."""
    import hashlib

    name = str(project.relative(path)).encode()
    return int(hashlib.sha256(name).hexdigest()[:12], 16)


def assemble(project: Project) -> Assembled:
    """Parse every input file; quads are deduplicated and sorted for deterministic output."""
    files = input_files(project)
    seen: set[ox.Quad] = set()
    subject_files: dict[str, list[Path]] = {}
    for f in files:
        for q in parse_turtle(f.path, f.graph, file_number(project, f.path)):
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


_IRI_SUBJECT = re.compile(r"\s*<([^>]*)>")
_PREFIXED_SUBJECT = re.compile(r"\s*\w*:(\S*)")
_BOUNDARY = re.compile(r"\b")


class SubjectLines:
    """Where each subject is first written in one file's lines, indexed in one pass.

    A line writes `iri` when it starts (after blanks) with `<iri>` or with `prefix:local` followed
    by a word boundary, `local` being the part of the IRI after its last / or #. Every IRI and
    local name a line can match is recorded with the line's number, so looking up a subject
    costs no scan, and a report locating many subjects of a file reads and scans it once.
    """

    def __init__(self, lines: Sequence[str]) -> None:
        self.iris: dict[str, int] = {}
        self.locals: dict[str, int] = {}
        for number, line in enumerate(lines, start=1):
            written = _IRI_SUBJECT.match(line)
            if written:
                self.iris.setdefault(written.group(1), number)
            prefixed = _PREFIXED_SUBJECT.match(line)
            if prefixed:  # every prefix of the name that ends at a word boundary
                name = prefixed.group(1)
                for boundary in _BOUNDARY.finditer(name):
                    self.locals.setdefault(name[: boundary.start()], number)

    def line_of(self, iri: str) -> int:
        """The first line writing `iri` as a subject, 0 if none does."""
        local = iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        found = [n for n in (self.iris.get(iri), self.locals.get(local)) if n]
        return min(found, default=0)


def locate_subject(iri: str, path: Path, lines: Sequence[str] | None = None) -> int:
    """The line where `iri` is first written as a subject in `path` (0 if not found).

    `lines` are the file's lines when the caller has already read them; a report locating
    many subjects of one file indexes it once with SubjectLines instead.
    """
    if lines is None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError:
            return 0
    return SubjectLines(lines).line_of(iri)
