"""SHACL validation (pyshacl) with a report grouped by focus node.

Inference stays off and the ontology is merged in as `ont_graph`: inference would hide
wrong-class errors (DESIGN.md, "Dates" and "Pipeline").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rdflib

SH = "http://www.w3.org/ns/shacl#"


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


def shacl_validate(
    data: rdflib.Graph, ontology: rdflib.Graph, shapes: rdflib.Graph
) -> list[ShapeResult]:
    """Validate `data` (with `ontology` merged in) against `shapes`; results sorted.

    Core constraints run in pyshacl; sh:sparql constraints run in pyoxigraph, once per
    constraint instead of once per focus node (see hrkg.shacl_sparql). A shapes graph that
    cannot be run at all raises ShapesError.
    """
    import pyoxigraph as ox
    import pyshacl
    import rdflib

    from hrkg.assemble import from_rdflib
    from hrkg.shacl_sparql import run_constraints, split_shapes

    core, sparql_constraints = split_shapes(shapes)
    _conforms, report, text = pyshacl.validate(
        data,
        shacl_graph=core,
        ont_graph=ontology,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        meta_shacl=False,
        advanced=True,
        inplace=False,
    )
    if not isinstance(report, rdflib.Graph):
        raise ShapesError(text)
    store = ox.Store()
    store.bulk_extend(
        ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o))  # type: ignore[arg-type]
        for graph in (data, ontology)
        for s, p, o in graph
    )
    results = read_results(report) + run_constraints(store, sparql_constraints)
    return sorted(results, key=lambda r: (r.focus, r.path, r.source_shape, r.message))


def read_results(report: rdflib.Graph) -> list[ShapeResult]:
    """Turn a SHACL validation report graph into ShapeResult records."""
    import rdflib

    sh = rdflib.Namespace(SH)
    results = []
    for node in report.subjects(rdflib.RDF.type, sh.ValidationResult):

        def one(prop: rdflib.URIRef, node: rdflib.term.Node = node) -> str:
            value = report.value(node, prop)
            return "" if value is None else str(value)

        severity = one(sh.resultSeverity).rsplit("#", 1)[-1]
        results.append(
            ShapeResult(
                focus=one(sh.focusNode),
                path=one(sh.resultPath),
                value=one(sh.value),
                source_shape=one(sh.sourceShape),
                severity=severity,
                message=one(sh.resultMessage),
                component=one(sh.sourceConstraintComponent).rsplit("#", 1)[-1],
                source_constraint=one(sh.sourceConstraint),
            )
        )
    return results


def short(iri: str) -> str:
    """Shorten an IRI with the project's prefixes for reports (as query results are)."""
    from hrkg.sparql import shorten

    return shorten(iri)


def format_report(
    results: list[ShapeResult], subject_files: dict[str, list[Path]], root: Path
) -> str:
    """A readable report: one block per focus node, naming the file (and line) it comes from."""
    from hrkg.assemble import locate_subject

    by_focus: dict[str, list[ShapeResult]] = defaultdict(list)
    for r in results:
        by_focus[r.focus].append(r)
    lines: list[str] = []
    for focus, items in by_focus.items():
        where = []
        for source in subject_files.get(focus, []):
            line = locate_subject(focus, source)
            shown = str(source.relative_to(root) if source.is_relative_to(root) else source)
            where.append(f"{shown}:{line}" if line else shown)
        lines.append(f"{short(focus)}  ({', '.join(where) or 'file unknown'})")
        for r in items:
            shown_path = f" {short(r.path)}" if r.path else ""
            value = f" = {short(r.value)}" if r.value and r.value != r.focus else ""
            lines.append(f"  {r.severity.upper():9}{shown_path}{value}: {r.message}")
            lines.append(f"  {'':9} shape {short(r.source_shape)} ({r.component})")
    return "\n".join(lines)
