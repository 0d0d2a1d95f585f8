"""SHACL-SPARQL constraints (sh:sparql on node shapes), evaluated with pyoxigraph.

pyshacl evaluates a SPARQL constraint once per focus node through rdflib's query engine; on
the article (about a thousand focus nodes) that alone took over ten seconds. Here each
constraint runs once over all its focus nodes: `$this` becomes a variable bound by a VALUES
block holding the targets, which gives the same solutions as pre-binding for the forms the
project uses. Forms where that equivalence does not hold (sub-selects, $currentShape,
$shapesGraph, constraints on property shapes) are refused with an error rather than guessed.
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

UNSUPPORTED = ("$currentShape", "$shapesGraph", "$PATH", "?currentShape", "?shapesGraph")


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
    """PREFIX lines from every sh:declare reachable through the constraint's sh:prefixes."""
    import rdflib

    sh = rdflib.Namespace(SH)
    lines = []
    for owner in shapes.objects(constraint, sh.prefixes):
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


def split_shapes(shapes: rdflib.Graph) -> tuple[rdflib.Graph, list[SparqlConstraint]]:
    """The shapes without their sh:sparql links (for pyshacl), and those constraints."""
    import rdflib

    sh = rdflib.Namespace(SH)
    core = rdflib.Graph()
    for triple in shapes:
        core.add(triple)
    constraints = []
    for shape, constraint in sorted(shapes.subject_objects(sh.sparql)):
        core.remove((shape, sh.sparql, constraint))
        if shapes.value(constraint, sh.deactivated) == rdflib.Literal(True):
            continue
        if shapes.value(shape, sh.deactivated) == rdflib.Literal(True):
            continue
        if shapes.value(shape, sh.path) is not None:
            raise ShapesError(f"{shape}: sh:sparql on a property shape is not supported")
        select = str(shapes.value(constraint, sh.select) or "")
        if not select:
            raise ShapesError(f"{constraint}: a SPARQL constraint needs sh:select")
        selects = len(re.findall(r"\bSELECT\b", select, flags=re.IGNORECASE))
        if any(token in select for token in UNSUPPORTED) or selects != 1:
            raise ShapesError(
                f"{constraint}: uses a SPARQL form this validator refuses "
                "(sub-select, $currentShape, $shapesGraph or $PATH)"
            )
        if re.search(r"\bVALUES\b", select, flags=re.IGNORECASE):
            raise ShapesError(f"{constraint}: a SPARQL constraint must not contain VALUES")
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
    """Rewrite `$this` as ?this and join the WHERE clause with the focus-node pattern.

    Put first in the group, the targets bind ?this before the group's FILTERs run, as
    pre-binding would; blank-node focus nodes work too (a VALUES block could not hold them).
    """
    rewritten = query.replace("$this", "?this")
    match = re.search(r"\bWHERE\s*\{", rewritten, flags=re.IGNORECASE)
    if match is None:
        raise ShapesError(f"no WHERE clause in SPARQL constraint:\n{query}")
    return rewritten[: match.end()] + "\n" + targets + "\n" + rewritten[match.end() :]


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
