"""`hrkg coverage`: each paragraph of each source with the facts that cite it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg import rdf as ns
from hrkg.commands.common import project_of

if TYPE_CHECKING:
    import rdflib

HELP = "which facts cite each paragraph of each source"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--source",
        action="append",
        metavar="SLUG",
        help="only this source (data/sources/SLUG.ttl); repeatable",
    )
    parser.add_argument(
        "--sources-dir",
        type=Path,
        default=None,
        help="folder of the source texts (default: ../shared/sources, or $HRKG_SOURCES_DIR)",
    )
    parser.add_argument(
        "--facts", action="store_true", help="also list the facts citing each paragraph"
    )


def cited_report_checked(graph: rdflib.Graph, slug: str) -> bool:
    """Whether `slug` is a cited report (no local text by design), reported in one line."""
    from hrkg.checks.cited import is_cited_report

    if not is_cited_report(graph, ns.KG + f"source-{slug}"):
        return False
    print(f"{slug}: cited report, quoted without a local text (no paragraphs, no offsets)\n")
    return True


def cited_report_errors(graph: rdflib.Graph, slug: str) -> list[str]:
    """Print and return the problems of a cited report's evidence (hrkg.checks.cited)."""
    from hrkg.checks.cited import cited_problems

    errors = cited_problems(graph, ns.KG + f"source-{slug}")
    for line in errors:
        print(f"ERROR: {slug}: {line}", file=sys.stderr)
    return errors


def chosen_sources(folder: Path, wanted: list[str] | None) -> list[str] | str:
    """The slugs to report (all, or those asked for), or a message saying what is wrong."""
    slugs = [p.stem for p in sorted(folder.glob("*.ttl"))]
    if wanted:
        unknown = sorted(set(wanted) - set(slugs))
        if unknown:
            return f"no data file for {', '.join(unknown)}"
        slugs = [s for s in slugs if s in wanted]
    return slugs or "no sources in data/sources/"


def run(args: argparse.Namespace) -> int:
    from hrkg.checks.coverage import (
        CoverageError,
        compute_coverage,
        error_lines,
        format_rows,
        load_data_graph,
        span_problems,
    )

    project = project_of(args)
    sources_dir: Path = args.sources_dir or project.sources_dir
    slugs = chosen_sources(project.sources_data_dir, args.source)
    if isinstance(slugs, str):
        print(f"hrkg coverage: {slugs}", file=sys.stderr)
        return 2
    try:
        graph = load_data_graph(project.root / "data")
    except CoverageError as err:
        print(f"hrkg coverage: {err}", file=sys.stderr)
        return 2
    failed = False
    for slug in slugs:
        text_path = sources_dir / f"{slug}.txt"
        if not text_path.exists() and cited_report_checked(graph, slug):
            failed = failed or bool(cited_report_errors(graph, slug))
            continue
        try:
            text = text_path.read_text(encoding="utf-8")
            source = ns.KG + f"source-{slug}"
            rows = compute_coverage(graph, text, source)
            problems = span_problems(graph, text, source)
        except OSError as err:
            print(f"hrkg coverage: {slug}: cannot read the source text: {err}", file=sys.stderr)
            return 2
        except UnicodeDecodeError as err:
            print(f"hrkg coverage: {text_path} is not UTF-8 text ({err.reason})", file=sys.stderr)
            return 1
        except CoverageError as err:
            print(f"hrkg coverage: {slug}: {err}", file=sys.stderr)
            return 2
        uncovered = [r for r in rows if not r.covered]
        excluded = sum(1 for r in rows if r.excluded is not None)
        print(
            f"{slug}: {len(rows)} paragraphs, {len(rows) - len(uncovered) - excluded} cited, "
            f"{excluded} excluded, {len(uncovered)} uncovered"
        )
        print(format_rows(rows))
        if args.facts:
            for r in rows:
                print(f"\n¶{r.number}: " + (", ".join(ns.shorten(i) for i in r.fact_iris) or "-"))
        errors = error_lines(slug, rows, problems)
        for line in errors:
            print(f"ERROR: {line}", file=sys.stderr)
        failed = failed or bool(errors)
        print()
    return 1 if failed else 0
