"""Every class and predicate the shapes name is a term of the ontology (or a declared external).

A shape that targets or requires a misspelt class, or constrains a misspelt predicate, is
silently satisfied: nothing has that class or predicate. A typo in a file's `@prefix` line
misspells every term written with it. So each object of sh:targetClass and sh:class must be a
declared class; each predicate of sh:targetSubjectsOf/ObjectsOf, of sh:equals, sh:disjoint,
sh:lessThan(OrEquals) and in an sh:path (inverse, sequence, alternative and repeated paths
included) a declared property; and each namespace the SPARQL constraints declare (sh:declare)
a namespace of the project. Anything else must be listed in `external-terms` with its reason.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from hrkg import rdf as ns
from hrkg.checks.declared import Declared
from hrkg.checks.locate import Locator
from hrkg.checks.problems import Problem
from hrkg.checks.shapes_graph import ShapesGraph, Written
from hrkg.checks.vocabulary import Vocabulary

SH = ns.SH
CLASS_ROLES = (SH + "targetClass", SH + "class")
PROPERTY_ROLES = tuple(
    SH + p
    for p in (
        "targetSubjectsOf",
        "targetObjectsOf",
        "equals",
        "disjoint",
        "lessThan",
        "lessThanOrEquals",
    )
)
PATH_STEPS = tuple(
    SH + p
    for p in ("inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath")
)
MAX_PATH_DEPTH = 50  # deeper is a cycle in a malformed path, not a real one


def term_problems(
    shapes: ShapesGraph, vocabulary: Vocabulary, declared: Declared, locator: Locator
) -> list[Problem]:
    """Undeclared terms in the shapes, and declared external terms no shape uses."""
    externals = declared.external_terms.reasons
    used: set[str] = set()
    problems: list[Problem] = []

    import pyoxigraph as ox

    def check(written: Written, role: str, known: set[str], kind: str) -> None:
        term = written.object
        iri = term.value if isinstance(term, ox.NamedNode) else None
        if iri is not None and (iri in known or iri in externals):
            used.add(iri)
            return
        shown = ns.shorten(iri) if iri is not None else repr(term.value)
        if iri is not None and shown == iri:
            shown = f"<{iri}>"
        line = locator.iri_line(written.path, iri) if iri is not None else 0
        hint = _suggest(iri, known) if iri is not None else ""
        problems.append(
            Problem(
                written.path,
                line,
                f"{role} {shown} is not a {kind} declared in the ontology or vocabularies, "
                f"nor listed in {declared.external_terms.key}{hint}",
            )
        )

    for t in shapes.with_predicate(*CLASS_ROLES):
        check(t, ns.shorten(t.predicate), vocabulary.classes, "class")
    for t in shapes.with_predicate(*PROPERTY_ROLES):
        check(t, ns.shorten(t.predicate), vocabulary.properties, "property")
    for t in shapes.with_predicate(SH + "path"):
        for step in _path_predicates(shapes, t, 0):
            check(step, "sh:path predicate", vocabulary.properties, "property")
    problems += _namespace_problems(shapes, vocabulary, locator)
    problems += [
        declared.stale(
            declared.external_terms,
            iri,
            locator,
            "is used by no shape",
            " (the list holds only terms the shapes use)",
        )
        for iri in sorted(set(externals) - used)
    ]
    return problems


def _path_predicates(shapes: ShapesGraph, written: Written, depth: int) -> Iterator[Written]:
    """The triples whose object is a predicate of the SHACL path `written.object`."""
    import pyoxigraph as ox

    node = written.object
    if not isinstance(node, ox.BlankNode) or depth > MAX_PATH_DEPTH:
        yield written  # an IRI (or a malformed path, reported as not a property)
        return
    items = list(shapes.list_items(node))
    steps = items or [s for step in PATH_STEPS for s in shapes.objects(node, step)]
    if not steps:
        yield written
    for step in steps:
        yield from _path_predicates(shapes, step, depth + 1)


def _namespace_problems(
    shapes: ShapesGraph, vocabulary: Vocabulary, locator: Locator
) -> list[Problem]:
    """Namespaces of `@prefix` lines and of sh:declare that hold no term the project knows."""
    terms = sorted(vocabulary.classes | vocabulary.properties)
    known = set(ns.PREFIXES.values())

    def unknown(namespace: str) -> bool:
        return namespace not in known and not any(t.startswith(namespace) for t in terms)

    def hint(namespace: str) -> str:
        spaces = sorted(known | {t[: max(t.rfind("#"), t.rfind("/")) + 1] for t in terms})
        close = difflib.get_close_matches(namespace, spaces, n=1, cutoff=0.85)
        return f" (did you mean <{close[0]}>?)" if close else ""

    problems: list[Problem] = []
    for path in shapes.files:
        for prefix, (namespace, line) in locator.prefixes(path).items():
            if unknown(namespace):
                problems.append(
                    Problem(
                        path,
                        line,
                        f"@prefix {prefix}: <{namespace}> holds no term of the ontology or "
                        f"vocabularies and is no known namespace{hint(namespace)}",
                    )
                )
    for t in shapes.with_predicate(SH + "namespace"):
        namespace = t.object.value
        if unknown(namespace):
            problems.append(
                Problem(
                    t.path,
                    locator.literal_line(t.path, namespace),
                    f"sh:namespace {namespace!r} holds no term of the ontology or vocabularies "
                    f"and is no known namespace{hint(namespace)}: the SPARQL constraints would "
                    "find nothing written with it",
                )
            )
    return problems


def _suggest(iri: str, known: set[str]) -> str:
    close = difflib.get_close_matches(iri, sorted(known), n=1, cutoff=0.85)
    return f" (did you mean {ns.shorten(close[0])}?)" if close else ""
