"""`hrkg coverage`: each paragraph of each source with the facts that cite it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hrkg import rdf as ns
from hrkg.commands.common import project_of

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
    data_files = sorted(project.sources_data_dir.glob("*.ttl"))
    slugs = [p.stem for p in data_files]
    if args.source:
        unknown = sorted(set(args.source) - set(slugs))
        if unknown:
            print(f"hrkg coverage: no data file for {', '.join(unknown)}", file=sys.stderr)
            return 2
        slugs = [s for s in slugs if s in args.source]
    if not slugs:
        print("hrkg coverage: no sources in data/sources/", file=sys.stderr)
        return 2
    try:
        graph = load_data_graph(project.root / "data")
    except CoverageError as err:
        print(f"hrkg coverage: {err}", file=sys.stderr)
        return 2
    failed = False
    for slug in slugs:
        text_path = sources_dir / f"{slug}.txt"
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
