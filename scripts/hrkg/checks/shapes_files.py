"""The shapes files validation expects are all there, each defining at least one shape.

shapes/*.ttl is found by glob, so a deleted file simply validates less and an emptied one
validates nothing. The project therefore declares the files by name (`shapes = [...]` in its
configuration); a declared file that is missing, a file that is not declared, and a file
defining no shape each fail.
"""

from __future__ import annotations

from hrkg.checks.declared import SHAPES, Declared
from hrkg.checks.locate import Locator
from hrkg.checks.problems import Problem
from hrkg.checks.shapes_graph import ShapesGraph


def file_problems(shapes: ShapesGraph, declared: Declared, locator: Locator) -> list[Problem]:
    """Missing, undeclared and shapeless shapes files."""
    config = declared.config
    if declared.shapes is None:
        return [
            Problem(
                config,
                locator.text_line(config, "[tool.hrkg]") or 1,
                f"no {SHAPES} list: declare the shapes files validation expects, "
                f'e.g. {SHAPES} = ["{next((p.name for p in shapes.files), "my-shapes.ttl")}"]',
            )
        ]
    problems: list[Problem] = []
    found = {p.name: p for p in shapes.files}
    for name in declared.shapes:
        if name not in found:
            problems.append(
                Problem(
                    config,
                    locator.text_line(config, f'"{name}"'),
                    f"shapes/{name} is declared in {SHAPES} but missing",
                )
            )
    for name, path in sorted(found.items()):
        if name not in declared.shapes:
            problems.append(
                Problem(path, 1, f"not declared in {SHAPES} of {config.name}: add it there")
            )
        elif not shapes.shapes_in(path):
            problems.append(
                Problem(path, 1, "defines no shape (no sh:NodeShape, target or sh:path)")
            )
    return problems
