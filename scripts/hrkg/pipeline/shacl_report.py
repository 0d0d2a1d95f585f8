"""SHACL results in plain strings, read from a pyshacl report graph or made by the SPARQL
constraint evaluator, and the build's report grouped by focus node with file and line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg.rdf import SH
from hrkg.rdf import shorten as short

if TYPE_CHECKING:
    import rdflib


class ShapesError(Exception):
    """pyshacl could not run the shapes at all; the message is pyshacl's own."""


@dataclass(frozen=True)
class ShapeResult:
    """One SHACL validation result, in plain strings."""

    focus: str
    path: str
    value: str
    source_shape: str
    severity: str  # "Violation" | "Warning" | "Info"
    message: str
    component: str
    source_constraint: str = ""


def read_results(report: rdflib.Graph) -> list[ShapeResult]:
    """Turn a SHACL validation report graph into ShapeResult records: the report's own
    results only, not the nested ones that explain them through sh:detail."""
    import rdflib

    sh = rdflib.Namespace(SH)
    results = []
    nested = set(report.objects(None, sh.detail))
    for node in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        if node in nested:
            continue

        def one(prop: rdflib.URIRef, node: rdflib.term.Node = node) -> str:
            value = report.value(node, prop)
            return "" if value is None else str(value)

        severity = one(sh.resultSeverity).rsplit("#", 1)[-1]
        results.append(
            ShapeResult(
                focus=one(sh.focusNode),
                path=render_path(report, report.value(node, sh.resultPath)),
                value=one(sh.value),
                source_shape=one(sh.sourceShape),
                severity=severity,
                message=one(sh.resultMessage),
                component=one(sh.sourceConstraintComponent).rsplit("#", 1)[-1],
                source_constraint=one(sh.sourceConstraint),
            )
        )
    return results


def render_path(graph: rdflib.Graph, path: rdflib.term.Node | None) -> str:
    """A result path as text: the IRI of a predicate path, else SPARQL property-path notation
    with <full IRIs> (`<a>/<b>`, `^<a>`, `(<a>|<b>)`), so complex paths stay readable."""
    import rdflib
    from rdflib.collection import Collection

    if path is None:
        return ""
    if isinstance(path, rdflib.URIRef):
        return str(path)

    def step(node: rdflib.term.Node) -> str:
        text = render_path(graph, node)
        return f"<{text}>" if isinstance(node, rdflib.URIRef) else text

    sh = rdflib.Namespace(SH)
    if graph.value(path, rdflib.RDF.first) is not None:
        return "/".join(step(part) for part in Collection(graph, path))
    inverse = graph.value(path, sh.inversePath)
    if inverse is not None:
        return "^" + step(inverse)
    alternatives = graph.value(path, sh.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(step(part) for part in Collection(graph, alternatives)) + ")"
    return str(path)


def format_report(
    results: list[ShapeResult], subject_files: dict[str, list[Path]], root: Path
) -> str:
    """A readable report: one block per focus node, naming the file (and line) it comes from."""
    from hrkg.pipeline.assemble import SubjectLines

    by_focus: dict[str, list[ShapeResult]] = defaultdict(list)
    for r in results:
        by_focus[r.focus].append(r)
    indexes: dict[Path, SubjectLines | None] = {}  # each file read once, however many results

    def index_of(path: Path) -> SubjectLines | None:
        if path not in indexes:
            try:
                indexes[path] = SubjectLines(path.read_text(encoding="utf-8").splitlines())
            except OSError:
                indexes[path] = None
        return indexes[path]

    lines: list[str] = []
    for focus, items in by_focus.items():
        where = []
        for source in subject_files.get(focus, []):
            index = index_of(source)
            line = 0 if index is None else index.line_of(focus)
            shown = str(source.relative_to(root) if source.is_relative_to(root) else source)
            where.append(f"{shown}:{line}" if line else shown)
        lines.append(f"{short(focus)}  ({', '.join(where) or 'file unknown'})")
        for r in items:
            shown_path = f" {short(r.path)}" if r.path else ""
            value = f" = {short(r.value)}" if r.value and r.value != r.focus else ""
            lines.append(f"  {r.severity.upper():9}{shown_path}{value}: {r.message}")
            lines.append(f"  {'':9} shape {short(r.source_shape)} ({r.component})")
    return "\n".join(lines)
