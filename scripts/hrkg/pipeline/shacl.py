"""SHACL validation (pyshacl) with a report grouped by focus node.

Inference stays off and the ontology is merged in as `ont_graph`: inference would hide
wrong-class errors (docs/design.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hrkg.pipeline.shacl_report import ShapeResult, ShapesError, format_report, read_results

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "ShapeResult",
    "ShapesError",
    "format_report",
    "read_results",
    "result_order",
    "shacl_validate",
    "validate_core",
]


def shacl_validate(
    data: rdflib.Graph, ontology: rdflib.Graph, shapes: rdflib.Graph
) -> list[ShapeResult]:
    """Validate `data` (with `ontology` merged in) against `shapes`; results sorted.

    Core constraints run in pyshacl; sh:sparql constraints run in pyoxigraph, once per
    constraint instead of once per focus node (see hrkg.pipeline.shacl_sparql). A shapes graph that
    cannot be run at all raises ShapesError.
    """
    import pyoxigraph as ox

    from hrkg.pipeline.shacl_sparql import run_constraints, split_shapes
    from hrkg.rdf import from_rdflib

    core, sparql_constraints = split_shapes(shapes)
    core_results = validate_core(data, ontology, core, inplace=False)
    store = ox.Store()
    store.bulk_extend(
        ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o))  # type: ignore[arg-type]
        for graph in (data, ontology)
        for s, p, o in graph
    )
    return sorted(core_results + run_constraints(store, sparql_constraints), key=result_order)


def validate_core(
    data: rdflib.Graph, ontology: rdflib.Graph, core: rdflib.Graph, inplace: bool
) -> list[ShapeResult]:
    """pyshacl with the core shapes; `inplace` when `data` is ours to change (no clone)."""
    import pyshacl
    import rdflib
    from pyshacl.errors import ReportableRuntimeError

    try:
        _conforms, report, text = pyshacl.validate(
            data,
            shacl_graph=core,
            ont_graph=ontology,
            inference="none",
            abort_on_first=False,
            allow_warnings=True,
            meta_shacl=False,
            advanced=True,
            inplace=inplace,
        )
    except (ReportableRuntimeError, NotImplementedError, SyntaxError, ValueError) as err:
        # pyshacl found shapes it cannot run (a malformed query, an unsupported feature)
        raise ShapesError(f"pyshacl: {err}") from None
    if not isinstance(report, rdflib.Graph):
        raise ShapesError(text)
    return read_results(report)


def result_order(r: ShapeResult) -> tuple[str, ...]:
    """A total order of results (every field), so reports never depend on pyshacl's order."""
    return (
        r.focus,
        r.path,
        r.source_shape,
        r.message,
        r.value,
        r.severity,
        r.component,
        r.source_constraint,
    )
