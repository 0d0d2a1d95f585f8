"""`hrkg query`: run a stored query (by name) or any .rq file against the built store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg.commands.common import dist_of, fail, project_of
from hrkg.project import Project

if TYPE_CHECKING:
    import pyoxigraph as ox

HELP = "run a stored query or a .rq file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "query",
        nargs="?",
        help="stored query name (e.g. 05-designation-status) or a path to a .rq file",
    )
    parser.add_argument("--list", action="store_true", help="list the stored queries")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a declared parameter (repeatable)",
    )
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
    parser.add_argument(
        "--dist",
        type=Path,
        default=None,
        help="built distribution folder (default: the project's dist/)",
    )


def parse_params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise ValueError(f"--param wants NAME=VALUE, got {pair!r}")
        params[name.strip()] = value.strip()
    return params


def list_queries(project: Project) -> int:
    from hrkg.queries.catalog import QueryFileError, discover
    from hrkg.text import table

    try:
        queries = discover(project.queries_dir)
    except QueryFileError as err:
        return fail("query", err, 2)
    rows = []
    for q in queries:
        params = ", ".join(f"{p.name}={p.default}" for p in q.params)
        flag = " (online only)" if q.online_only else ""
        rows.append((q.name, q.question + flag, params))
    print(table(["name", "question", "parameters (defaults)"], rows))
    return 0


def built_store(project: Project, dist: Path) -> ox.Store:
    """The store of `dist`, building the distribution first when it is missing."""
    from hrkg.pipeline.build import BuildFailed, build
    from hrkg.queries.run import open_store
    from hrkg.text import Steps

    if not (dist / "store").exists():
        print("hrkg: no built store yet; running hrkg build first", file=sys.stderr)
        try:
            build(project, dist, Steps())
        except BuildFailed as err:
            raise SystemExit(f"hrkg build: {err}") from None
    return open_store(dist)


def run(args: argparse.Namespace) -> int:
    from hrkg.queries.catalog import QueryFileError, load_query, resolve
    from hrkg.queries.params import bind_params
    from hrkg.queries.results import format_table, to_csv, to_json
    from hrkg.queries.run import run_oxigraph

    project = project_of(args)
    if args.list:
        return list_queries(project)
    if not args.query:
        return fail("query", "name a query, or use --list", 2)
    try:
        query = load_query(resolve(project.queries_dir, args.query))
        params = parse_params(args.param)
        bind_params(query, params)
    except (QueryFileError, ValueError) as err:
        return fail("query", err, 2)
    if query.online_only:
        return fail(
            "query",
            f"{query.name} needs the internet (Wikidata); run it on a SPARQL "
            "endpoint that can reach query.wikidata.org",
            2,
        )
    result = run_oxigraph(built_store(project, dist_of(args, project)), query, params)
    if args.format == "csv":
        sys.stdout.write(to_csv(result))
    elif args.format == "json":
        sys.stdout.write(to_json(result))
    else:
        print(format_table(result))
        print(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return 0
