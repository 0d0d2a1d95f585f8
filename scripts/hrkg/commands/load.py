"""`hrkg load`: the build's dump, checked against its record, into the embedded store or any
SPARQL 1.1 endpoint (all graphs or none), counts read back."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from hrkg.commands.common import dist_of, project_of

HELP = "load the dumps into a triple store"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dump",
        type=Path,
        default=None,
        help="N-Quads or TriG dump to load (default: dist/hrkg.nq)",
    )
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help="embedded pyoxigraph store to (re)build (default: dist/store)",
    )
    parser.add_argument(
        "--endpoint",
        metavar="URL",
        help="SPARQL 1.1 Graph Store Protocol endpoint (one PUT per graph)",
    )
    parser.add_argument(
        "--update-endpoint",
        metavar="URL",
        help="SPARQL 1.1 Update endpoint, used when the Graph Store Protocol "
        "is refused or not given",
    )
    parser.add_argument(
        "--query-endpoint",
        metavar="URL",
        help="SPARQL query endpoint for the read-back counts "
        "(default: the update endpoint, else the GSP endpoint)",
    )
    parser.add_argument(
        "--protocol",
        choices=("auto", "gsp", "update"),
        default="auto",
        help="auto: GSP, falling back to Update when refused (default)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=1000,
        help="triples per SPARQL Update request (default 1000)",
    )
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds per HTTP request (default 120)"
    )
    parser.add_argument(
        "--dist",
        type=Path,
        default=None,
        help="built distribution folder (default: the project's dist/)",
    )
    parser.add_argument(
        "--prune",
        action="store_true",
        help="also drop the store's graphs in the dump's graph namespace that the dump "
        "no longer has",
    )
    parser.add_argument(
        "--no-verify-dump",
        dest="verify_dump",
        action="store_false",
        help="load a dump that has no build record (manifest.json) beside it, unchecked",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines")


def run(args: argparse.Namespace) -> int:
    from hrkg.publish.http import redact_text
    from hrkg.publish.load import LoadError, format_table, load_embedded, read_dump
    from hrkg.publish.remote import load_remote

    project = project_of(args)
    dist = dist_of(args, project).resolve()  # one generation: the dump read, the store written
    args.dump = args.dump or dist / "hrkg.nq"
    args.store = args.store or dist / "store"
    progress = (lambda _msg: None) if args.quiet else _progress
    if not args.verify_dump:
        progress(f"warning: {args.dump} is loaded without checking it against the build's record")
    try:
        graphs = read_dump(args.dump, verify=args.verify_dump)
    except LoadError as err:
        print(f"hrkg load: {redact_text(str(err))}", file=sys.stderr)
        return 2
    progress(
        f"read {args.dump}: {sum(len(t) for t in graphs.values())} triples in {len(graphs)} graphs"
    )
    started = time.perf_counter()
    try:
        if args.endpoint or args.update_endpoint:
            reports = load_remote(graphs, args, progress)
        else:
            reports = load_embedded(graphs, args.store, progress)
    except LoadError as err:
        message = redact_text(str(err))
        if "HTTP 401" in message or "HTTP 403" in message:
            message += (
                " (check the credentials: HRKG_ENDPOINT_USER and HRKG_ENDPOINT_PASSWORD in the"
                " environment)"
            )
        print(f"hrkg load: {message}", file=sys.stderr)
        return 1
    print(format_table(reports))
    seconds = time.perf_counter() - started
    bad = [r for r in reports if r.status != "ok"]
    summary = "FAILED" if bad else "ok"
    print(f"{summary}: {len(reports) - len(bad)}/{len(reports)} graphs verified in {seconds:.2f} s")
    return 1 if bad else 0


def _progress(message: str) -> None:
    from hrkg.publish.http import redact_text

    print(redact_text(message), file=sys.stderr, flush=True)
