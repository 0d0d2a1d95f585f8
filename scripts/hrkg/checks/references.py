"""Every kg: IRI used as an object is described somewhere, or is a declared external.

A misspelt reference (`kg:hamsa` for `kg:hamas`) points at nothing; where no shape constrains
the property's class (hrkg:about, org:linkedTo …) SHACL cannot see it. Described means: the
subject of at least one triple in some graph of the build.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path

from hrkg import rdf as ns
from hrkg.checks.declared import Declared
from hrkg.checks.locate import Locator
from hrkg.checks.problems import Problem
from hrkg.checks.scan import Scan

MAX_HINTS = 20  # "did you mean" compares with every described IRI: only for the first few


def reference_problems(
    found: Scan,
    declared: Declared,
    subject_files: Mapping[str, Sequence[Path]],
    locator: Locator,
) -> list[Problem]:
    """Undescribed kg: objects (at the line using them), and externals that are described."""
    externals = declared.external_resources
    problems: list[Problem] = []
    kg_described = sorted(iri for iri in found.described if iri.startswith(ns.KG))
    for iri, quad in found.kg_objects.items():
        if iri in found.described or iri in externals.reasons:
            continue
        subject = quad.subject.value  # type: ignore[union-attr]
        path, line = locator.where(subject_files.get(subject, []), iri)
        more = found.uses[iri] - 1
        also = f" (and {more} more use{'s' if more > 1 else ''})" if more else ""
        candidates = kg_described if len(problems) < MAX_HINTS else []
        close = difflib.get_close_matches(iri, candidates, n=1, cutoff=0.8)
        hint = f"; did you mean {ns.shorten(close[0])}?" if close else ""
        problems.append(
            Problem(
                path,
                line,
                f"{ns.shorten(quad.predicate.value)} {ns.shorten(iri)}: no triple describes "
                f"{ns.shorten(iri)}{also}{hint} (list it in {externals.key} if it is "
                "described elsewhere)",
            )
        )
    problems += [
        declared.stale(externals, iri, locator, "is described in the graph")
        for iri in sorted(externals.reasons)
        if iri in found.described
    ]
    return problems
