"""SHACL-SPARQL constraints (sh:sparql), the simple ones evaluated with pyoxigraph.

pyshacl evaluates a SPARQL constraint once per focus node through rdflib's query engine; on
the article (about a thousand focus nodes) that alone took over ten seconds. Here each
constraint whose query allows it runs once over all its focus nodes: the shape's targets
are joined first into the WHERE group, which gives the same solutions as pre-binding `$this`
when `$this` occurs only in that group or inside EXISTS (hrkg.pipeline.sparql_forms). Every
other constraint stays in the shapes graph for pyshacl: those on property shapes ($PATH),
those on shapes reached through sh:node/sh:not/sh:and/sh:or/sh:xone/sh:property, and
queries with $this in nested groups, UNION branches, OPTIONAL or sub-queries. Queries that
SHACL excludes (MINUS, SERVICE, VALUES, ...) are refused with an error before anything runs.
The W3C suite's tests/sparql cases prove it (tests/test_w3c_shacl_sparql.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hrkg.pipeline.shacl_report import ShapeResult, ShapesError
from hrkg.rdf import RDF_TYPE, SH

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib


@dataclass(frozen=True)
class SparqlConstraint:
    """One sh:sparql constraint of one node shape, ready to run."""

    shape: str
    constraint: str
    query: str
    message: str
    severity: str
    targets: str


def prefixes_of(shapes: rdflib.Graph, constraint: rdflib.term.Node) -> str:
    """PREFIX lines from every sh:declare of the constraint's sh:prefixes values and of the
    ontologies they owl:import, transitively (as the W3C prefixes-001 case expects)."""
    import rdflib

    sh = rdflib.Namespace(SH)
    lines = []
    todo = list(shapes.objects(constraint, sh.prefixes))
    seen: set[rdflib.term.Node] = set()
    while todo:
        owner = todo.pop()
        if owner in seen:
            continue
        seen.add(owner)
        todo.extend(shapes.objects(owner, rdflib.OWL.imports))
        for declaration in shapes.objects(owner, sh.declare):
            prefix = shapes.value(declaration, sh.prefix)
            namespace = shapes.value(declaration, sh.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines)))


def target_prefixes(
    shapes: rdflib.Graph, shape: rdflib.term.Node, constraint: rdflib.term.Node
) -> str:
    """The PREFIX lines of the constraint and of the shape's SPARQL targets, merged."""
    import rdflib

    lines = set(prefixes_of(shapes, constraint).splitlines())
    for target in shapes.objects(shape, rdflib.URIRef(SH + "target")):
        lines.update(prefixes_of(shapes, target).splitlines())
    return "\n".join(sorted(line for line in lines if line))


def target_pattern(shapes: rdflib.Graph, shape: rdflib.term.Node) -> str:
    """A group pattern binding ?this to the focus nodes of `shape` (SHACL target semantics)."""
    import rdflib

    sh = rdflib.Namespace(SH)
    parts = []
    classes = list(shapes.objects(shape, sh.targetClass))
    if (shape, rdflib.RDF.type, rdflib.RDFS.Class) in shapes:
        classes.append(shape)
    for cls in classes:
        parts.append(
            f"{{ ?this <{RDF_TYPE}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{cls}> }}"
        )
    for node in shapes.objects(shape, sh.targetNode):
        parts.append(f"{{ VALUES ?this {{ {node.n3()} }} }}")
    for prop in shapes.objects(shape, sh.targetSubjectsOf):
        parts.append(f"{{ ?this <{prop}> ?any }}")
    for prop in shapes.objects(shape, sh.targetObjectsOf):
        parts.append(f"{{ ?any <{prop}> ?this }}")
    for target in shapes.objects(shape, sh.target):
        select = shapes.value(target, sh.select)
        if (target, rdflib.RDF.type, sh.SPARQLTarget) not in shapes or select is None:
            raise ShapesError(f"{shape}: only sh:SPARQLTarget custom targets are supported")
        parts.append(f"{{ {select} }}")
    if not parts:
        return ""
    return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(parts) + " } }"


# Links by which one shape reaches another: a sh:sparql on a shape reached this way must be
# evaluated where it is reached (for the value nodes there), which only pyshacl does.
REACHING = ("node", "not", "and", "or", "xone", "qualifiedValueShape", "property")


def reached_shapes(shapes: rdflib.Graph) -> set[rdflib.term.Node]:
    """Shapes used by other shapes (sh:node, sh:not, sh:and/or/xone lists, ...)."""
    import rdflib
    from rdflib.collection import Collection

    reached: set[rdflib.term.Node] = set()
    for name in REACHING:
        for value in shapes.objects(None, rdflib.URIRef(SH + name)):
            if name in ("and", "or", "xone"):
                reached.update(Collection(shapes, value))
            else:
                reached.add(value)
    return reached


def prebound_of(shapes: rdflib.Graph, query_node: rdflib.term.Node, ask: bool) -> tuple[str, ...]:
    """The variables pre-bound in a query: $this, $currentShape, $shapesGraph; in a
    constraint component's validator also its parameters, and $value in an ASK validator."""
    import rdflib

    sh = rdflib.Namespace(SH)
    names = ["this", "currentShape", "shapesGraph"]
    if ask:
        names.append("value")
    for link in (sh.validator, sh.nodeValidator, sh.propertyValidator):
        for component in shapes.subjects(link, query_node):
            for parameter in shapes.objects(component, sh.parameter):
                path = shapes.value(parameter, sh.path)
                if isinstance(path, rdflib.URIRef):
                    names.append(re.split(r"[#/]", str(path))[-1])
    return tuple(names)


def check_queries(shapes: rdflib.Graph) -> None:
    """Refuse every SPARQL query in the shapes graph that SHACL excludes (SHACL §5.3.1);
    $shapesGraph is refused too (optional in the spec; neither engine here supports it)."""
    import rdflib

    from hrkg.pipeline.sparql_forms import refusal, tokens

    sh = rdflib.Namespace(SH)
    for link, ask in ((sh.select, False), (sh.ask, True)):
        for node, text in shapes.subject_objects(link):
            why = refusal(str(text), prebound_of(shapes, node, ask))
            if not why and any(t.variable == "shapesGraph" for t in tokens(str(text))):
                why = "uses $shapesGraph, which this validator does not support"
            if why:
                raise ShapesError(f"{node}: the SPARQL query {why}; hrkg refuses it")


def custom_targets_supported(shapes: rdflib.Graph, shape: rdflib.term.Node) -> bool:
    """False when the shape has a custom target other than sh:SPARQLTarget (pyshacl's job)."""
    import rdflib

    sh = rdflib.Namespace(SH)
    return all(
        (target, rdflib.RDF.type, sh.SPARQLTarget) in shapes
        and shapes.value(target, sh.select) is not None
        for target in shapes.objects(shape, sh.target)
    )


def split_shapes(shapes: rdflib.Graph) -> tuple[rdflib.Graph, list[SparqlConstraint]]:
    """The shapes without the sh:sparql links hrkg runs itself (the rest stay for pyshacl),
    and those constraints. Refuses the queries SHACL excludes (check_queries)."""
    import rdflib

    from hrkg.pipeline.sparql_forms import fast_path

    check_queries(shapes)
    sh = rdflib.Namespace(SH)
    core = rdflib.Graph()
    for triple in shapes:
        core.add(triple)
    reached = reached_shapes(shapes)
    constraints = []
    for shape, constraint in sorted(shapes.subject_objects(sh.sparql)):
        select = str(shapes.value(constraint, sh.select) or "")
        if not select:
            raise ShapesError(f"{constraint}: a SPARQL constraint needs sh:select")
        if (
            not custom_targets_supported(shapes, shape)
            or shape in reached
            or shapes.value(shape, sh.path) is not None
            or not fast_path(select)
            or (shape, sh.deactivated, rdflib.Literal(True)) in shapes
        ):
            continue  # pyshacl evaluates it (or skips it, when deactivated)
        core.remove((shape, sh.sparql, constraint))
        if shapes.value(constraint, sh.deactivated) == rdflib.Literal(True):
            continue
        severity = shapes.value(constraint, sh.severity) or shapes.value(shape, sh.severity)
        message = shapes.value(constraint, sh.message) or shapes.value(shape, sh.message)
        constraints.append(
            SparqlConstraint(
                shape=str(shape),
                constraint=str(constraint),
                query=target_prefixes(shapes, shape, constraint) + "\n" + select,
                message=str(message or ""),
                severity=str(severity or SH + "Violation").rsplit("#", 1)[-1],
                targets=target_pattern(shapes, shape),
            )
        )
    return core, constraints


def with_targets(query: str, targets: str) -> str:
    """The query with `targets` joined first into its WHERE group (see sparql_forms)."""
    from hrkg.pipeline.sparql_forms import FormError, join_first

    try:
        return join_first(query, targets)
    except FormError as err:
        raise ShapesError(f"{err}:\n{query}") from None


def fill_message(template: str, row: dict[str, str]) -> str:
    """Substitute {?var} and {$var} in a message with the solution's values."""

    def value(match: re.Match[str]) -> str:
        return row.get(match.group(1), "")

    return re.sub(r"\{[?$](\w+)\}", value, template)


def plain(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    return str(term.value) if hasattr(term, "value") else str(term)


def run_constraints(store: ox.Store, constraints: list[SparqlConstraint]) -> list[ShapeResult]:
    """Evaluate every constraint on the store's default graph (the union of its graphs)."""
    import pyoxigraph as ox

    results = []
    for c in constraints:
        if not c.targets:
            continue
        try:
            solutions = store.query(
                with_targets(c.query, c.targets), use_default_graph_as_union=True
            )
        except SyntaxError as err:
            raise ShapesError(f"{c.constraint}: {err}") from None
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            row = {name: plain(solution[name]) for name in names}
            focus_node = row.get("this", "")
            results.append(
                ShapeResult(
                    focus=focus_node,
                    path=row.get("path", ""),
                    value=row.get("value") or focus_node,
                    source_shape=c.shape,
                    severity=c.severity,
                    message=fill_message(c.message, row),
                    component="SPARQLConstraintComponent",
                    source_constraint=c.constraint,
                )
            )
    return results
