"""Every class data can have is targeted by a shape, or is a declared exception.

The classes data can have: those the ontology and vocabularies declare in the project's
namespaces, and every class the data types a node with. A class is covered when a shape
(not sh:deactivated) targets it or a class above it: SHACL's class targets include
subclasses. Implicit class targets (a node shape that is itself a class) count too. Classes
no shape targets must be listed in `untargeted-classes` with the reason; an entry that is
targeted after all, or names no such class, is reported so the list stays true.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg import rdf as ns
from hrkg.checks.declared import Declared
from hrkg.checks.locate import Locator
from hrkg.checks.problems import Problem
from hrkg.checks.shapes_graph import ShapesGraph
from hrkg.checks.vocabulary import CLASS_TYPES, Vocabulary

if TYPE_CHECKING:
    import pyoxigraph as ox


def targeted_classes(shapes: ShapesGraph) -> set[str]:
    """The classes the active shapes target, explicitly or implicitly."""
    import pyoxigraph as ox

    deactivated = ns.SH + "deactivated"
    found = {
        t.object.value
        for t in shapes.with_predicate(ns.SH + "targetClass")
        if isinstance(t.object, ox.NamedNode) and not shapes.is_true(t.subject, deactivated)
    }
    types: dict[str, set[str]] = {}
    for t in shapes.with_predicate(ns.RDF_TYPE):
        if isinstance(t.subject, ox.NamedNode):
            types.setdefault(t.subject.value, set()).add(t.object.value)
    for shape, kinds in types.items():
        if ns.SH + "NodeShape" in kinds and kinds & CLASS_TYPES:
            found.add(shape)
    return found


def target_problems(
    shapes: ShapesGraph,
    vocabulary: Vocabulary,
    used_types: Mapping[str, ox.Quad],
    declared: Declared,
    subject_files: Mapping[str, Sequence[Path]],
    locator: Locator,
) -> list[Problem]:
    """Classes no shape covers (at their declaration or first use), and stale exceptions."""
    targeted = targeted_classes(shapes)
    exceptions = declared.untargeted_classes
    to_cover = vocabulary.own_classes() | set(used_types)
    problems: list[Problem] = []
    for cls in sorted(to_cover):
        covered = bool(vocabulary.ancestors(cls) & targeted)
        listed = cls in exceptions.reasons
        if covered and listed:
            problems.append(declared.stale(exceptions, cls, locator, "is targeted by a shape"))
        if covered or listed:
            continue
        if cls in vocabulary.classes:
            path, line = locator.where(subject_files.get(cls, []), cls, as_subject=True)
            how = "is a class of the ontology"
        else:
            subject = used_types[cls].subject.value  # type: ignore[union-attr]
            path, line = locator.where(subject_files.get(subject, []), cls)
            how = "types data here"
        problems.append(
            Problem(
                path,
                line,
                f"{ns.shorten(cls)} {how} but no shape targets it or a class above it: add an "
                f"sh:targetClass, or list it in {exceptions.key} with the reason",
            )
        )
    problems += [
        declared.stale(exceptions, cls, locator, "is no class data can have")
        for cls in sorted(set(exceptions.reasons) - to_cover)
    ]
    return problems
