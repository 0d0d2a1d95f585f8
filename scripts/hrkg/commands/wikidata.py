"""`hrkg wikidata`: every Wikidata link checked against the recorded evidence, and the
QuickStatements a Wikidata editor can review."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hrkg.checks.wikidata import (
    API_URL,
    EXIT_OFFLINE,
    EXIT_OK,
    EXIT_PROBLEMS,
    STATUSES,
    STRENGTHS,
    EvidenceRow,
    WikidataUnreachable,
    _urlopen_fetch,
    compare_online,
    find_problems,
)
from hrkg.commands.common import project_of

HELP = "check the Wikidata links; write QuickStatements for Wikidata editors"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags of `hrkg wikidata`."""
    parser.add_argument(
        "action",
        nargs="?",
        choices=("check", "quickstatements"),
        default="check",
        help="check: the links against the evidence file (default); "
        "quickstatements: write QuickStatements V1 commands that a human "
        "reviews before giving them to Wikidata (nothing is sent)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="quickstatements: the file to write (default: standard output)",
    )
    parser.add_argument(
        "--online",
        action="store_true",
        help="also compare our labels with Wikidata's English labels "
        "(needs the network; exit 3 when it is unreachable)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=20.0,
        help="seconds to wait for each Wikidata API request (with --online)",
    )


def _print_table(rows: list[EvidenceRow], entities: dict[str, str]) -> None:
    slugs = sorted(set(entities) | {r.slug for r in rows})
    by_slug = {r.slug: r for r in rows}
    width = max([len("slug"), *(len(s) for s in slugs)])
    print(f"{'slug':<{width}}  {'qid':<11}  {'status':<11}  strength")
    print(f"{'-' * width}  {'-' * 11}  {'-' * 11}  {'-' * 11}")
    for slug in slugs:
        row = by_slug.get(slug)
        qid, status, strength = (row.qid, row.status, row.strength) if row else ("", "(no row)", "")
        print(f"{slug:<{width}}  {qid or '-':<11}  {status:<11}  {strength or '-'}")


def run_quickstatements(root: Path, out: Path | None) -> int:
    """Build the Wikidata view from the project's input and print or write its commands."""
    from hrkg.pipeline.assemble import ParseError, assemble
    from hrkg.project import Project
    from hrkg.publish.wikidata import wikidata_view
    from hrkg.publish.wikidata.quickstatements import QuickStatementsError, quickstatements

    try:
        view = wikidata_view(assemble(Project(root)).quads)
        text = quickstatements(view)
    except (ParseError, QuickStatementsError) as err:
        print(f"hrkg wikidata quickstatements: {err}", file=sys.stderr)
        return EXIT_PROBLEMS
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(
            f"wrote {len(view.statements)} command(s) to {out}; review them before use",
            file=sys.stderr,
        )
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Run the offline check, then (with --online) the label comparison."""
    root: Path = project_of(args).root
    if getattr(args, "action", "check") == "quickstatements":
        return run_quickstatements(root, args.out)
    problems, rows, entities = find_problems(root)
    _print_table(rows, entities)
    counts = {status: sum(1 for r in rows if r.status == status) for status in STATUSES}
    print()
    print(
        f"{len(entities)} entities, {len(rows)} evidence rows: "
        + ", ".join(f"{counts[s]} {s}" for s in STATUSES)
        + f"; {len(problems)} problem(s)"
    )
    confirmed = [r for r in rows if r.status == "confirmed"]
    print(
        "strength of the confirmed links: "
        + ", ".join(f"{sum(1 for r in confirmed if r.strength == s)} {s}" for s in STRENGTHS)
    )
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    if args.online:
        timeout: float = args.timeout
        try:
            findings = compare_online(root, rows, lambda url: _urlopen_fetch(url, timeout))
        except WikidataUnreachable as err:
            print(
                f"hrkg wikidata: cannot reach the Wikidata API at {API_URL} ({err}); "
                "the network is closed or offline — the offline check above still holds",
                file=sys.stderr,
            )
            return EXIT_OFFLINE
        for finding in findings:
            print(f"LABEL: {finding}")
        print(f"online: {len(findings)} label mismatch(es) against Wikidata")
    return EXIT_PROBLEMS if problems else EXIT_OK
