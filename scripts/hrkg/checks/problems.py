"""One problem found by a meta-check: the file and line where it can be fixed, and what is wrong.

The meta-checks (docs/design.md, "Validation that cannot silently weaken") report a list of
these; the build prints one line per problem, `path:line: message`, sorted by file and line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """`line` is 1-based; 0 when the problem concerns the whole file (or no line was found)."""

    path: Path
    line: int
    message: str

    def render(self, root: Path) -> str:
        shown = self.path.relative_to(root) if self.path.is_relative_to(root) else self.path
        return f"{shown}:{self.line}: {self.message}"


def render_all(problems: list[Problem], root: Path) -> list[str]:
    """The problems as lines, sorted by file and line, each distinct line once."""
    return list(dict.fromkeys(p.render(root) for p in sorted(problems)))
