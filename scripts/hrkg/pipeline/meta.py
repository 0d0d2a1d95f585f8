"""The meta-checks, run before SHACL: validation cannot be weakened without an error.

A typo in a shapes file (a prefix IRI, a target class), an emptied or deleted shapes file, a
reference to nothing and an impossible date all used to pass silently. The checks are in
hrkg.checks (shapes_files, shapes_terms, shapes_targets, references, dates); this module
feeds them the project's declarations, the per-file shapes and one scan of the quads, and
fails with one line per problem (docs/design.md, "Validation that cannot silently weaken").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg import rdf as ns
from hrkg.pipeline.assemble import Assembled
from hrkg.project import Project

if TYPE_CHECKING:
    import pyoxigraph as ox


class MetaFailed(Exception):
    """The meta-checks found problems; `syntax` when a file could not be read at all."""

    def __init__(self, message: str, syntax: bool = False) -> None:
        super().__init__(message)
        self.syntax = syntax


def check_meta(project: Project, assembled: Assembled, graphs: Mapping[str, list[ox.Quad]]) -> None:
    """Raise MetaFailed listing every problem found (one line each)."""
    from hrkg.checks.dates import date_problems
    from hrkg.checks.declared import read_declared
    from hrkg.checks.locate import Locator
    from hrkg.checks.problems import render_all
    from hrkg.checks.references import reference_problems
    from hrkg.checks.scan import scan
    from hrkg.checks.shapes_files import file_problems
    from hrkg.checks.shapes_graph import ShapesGraph
    from hrkg.checks.shapes_targets import target_problems
    from hrkg.checks.shapes_terms import term_problems
    from hrkg.checks.vocabulary import vocabulary_of
    from hrkg.pipeline.assemble import ParseError, parse_turtle, shape_files
    from hrkg.project import ConfigError

    locator = Locator()
    try:
        settings = project.settings()
        shape_quads = {
            path: parse_turtle(path, "", 1000 + index)  # numbered as in parse_shapes
            for index, path in enumerate(shape_files(project))
        }
    except (ConfigError, ParseError) as err:
        raise MetaFailed(f"syntax error: {err}", syntax=True) from None
    declared, problems = read_declared(settings, project.config_file, locator)
    shapes = ShapesGraph(shape_quads)
    vocabulary = vocabulary_of(
        [*graphs.get(ns.GRAPH_ONTOLOGY, []), *graphs.get(ns.GRAPH_VOCAB, [])]
    )
    found = scan(assembled.quads)
    files = assembled.subject_files
    problems += file_problems(shapes, declared, locator)
    problems += term_problems(shapes, vocabulary, declared, locator)
    problems += target_problems(shapes, vocabulary, found.types, declared, files, locator)
    problems += reference_problems(found, declared, files, locator)
    problems += date_problems(found, files, locator)
    shape_subjects: dict[str, Sequence[Path]] = {}
    for path, quads in shape_quads.items():
        for q in quads:
            shape_subjects.setdefault(getattr(q.subject, "value", ""), [path])
    in_shapes = scan(q for quads in shape_quads.values() for q in quads)
    problems += date_problems(in_shapes, shape_subjects, locator)  # dates in the shapes too
    if problems:
        lines = render_all(problems, project.root)
        raise MetaFailed(
            f"validation would not check what the project declares: {len(lines)} problem(s)\n"
            + "\n".join(f"  {line}" for line in lines)
        )
