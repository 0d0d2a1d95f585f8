"""Quality-check queries (queries/checks/*-violation.rq): any row returned is a problem.

A check with `# Severity: Warning` reports its rows; every other check fails the build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg.queries.catalog import discover
from hrkg.queries.results import format_table
from hrkg.queries.run import run_oxigraph

if TYPE_CHECKING:
    import pyoxigraph as ox

CHECK_PATTERN = "*-violation.rq"


@dataclass(frozen=True)
class CheckReport:
    """What the checks found: failing checks and warnings as readable blocks, and counts."""

    run: int = 0
    failures: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    warning_rows: int = 0


def run_violation_checks(store: ox.Store, checks_dir: Path) -> CheckReport:
    """Run every check query on `store`; raises QueryFileError for a malformed check file."""
    checks = discover(checks_dir, CHECK_PATTERN)
    failures: list[str] = []
    warnings: list[str] = []
    warning_rows = 0
    for check in checks:
        result = run_oxigraph(store, check)
        if not result.rows:
            continue
        text = f"{check.path.name} ({check.title}): {len(result.rows)} row(s)\n"
        text += format_table(result)
        if (check.severity or "Error").lower() == "warning":
            warning_rows += len(result.rows)
            warnings.append(text)
        else:
            failures.append(text)
    return CheckReport(len(checks), failures, warnings, warning_rows)
