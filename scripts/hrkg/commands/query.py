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

    from hrkg.queries.catalog import QueryFile

HELP = "run a stored query or a .rq file"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from hrkg.queries.output import FORMATS

    parser.add_argument(
        "query",
        nargs="?",
        help="stored query name (e.g. 05-designation-status), a path to a .rq file (the "
        "stored-query header is optional), or - for stdin",
    )
    parser.add_argument("-e", "--expression", metavar="QUERY", help="run this SPARQL text")
    parser.add_argument("--list", action="store_true", help="list the stored queries")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a parameter (repeatable); an IRI parameter also takes a name, slug or QID: "
        "actor=Zakharova, actor=wd:Q159",
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table (fitted to the terminal), csv, tsv; json, xml, sparql-csv, sparql-tsv "
        "(SPARQL results); turtle, ntriples, jsonld (graphs)",
    )
    parser.add_argument(
        "--allow-service",
        action="append",
        default=[],
        metavar="URL",
        help="let the query call this SERVICE endpoint (repeatable; none by default: no "
        "outbound requests)",
    )
    parser.add_argument(
        "--truncate",
        action="store_true",
        help="cut long cells with … instead of wrapping them (table only)",
    )
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
    from hrkg.text import print_table

    try:
        queries = discover(project.queries_dir)
    except QueryFileError as err:
        return fail("query", err, 2)
    rows = []
    for q in queries:
        params = ", ".join(f"{p.name}={p.default}" for p in q.params)
        flag = " (online only)" if q.online_only else ""
        rows.append((q.name, q.question + flag, params))
    print_table(["name", "question", "parameters (defaults)"], rows)
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
    from hrkg.queries.adhoc import read_query
    from hrkg.queries.catalog import QueryFileError, resolve
    from hrkg.queries.lookup import LookupFailed, resolve_params
    from hrkg.queries.output import emit

    project = project_of(args)
    if args.list:
        return list_queries(project)
    if not args.query and args.expression is None:
        return fail("query", "name a query, give a file, - (stdin) or -e QUERY; or use --list", 2)
    try:
        params = parse_params(args.param)
        query = read_query(
            args.query, args.expression, params, lambda name: resolve(project.queries_dir, name)
        )
        bind_check(query, params)
    except (QueryFileError, ValueError) as err:
        return fail("query", err, 2)
    from hrkg.queries.guard import refuse_service

    refused = refuse_service(query.text, args.allow_service)
    if refused:
        hint = " (it needs the internet)" if query.online_only else ""
        return fail("query", f"{query.name}{hint}: {refused}", 2)
    store = built_store(project, dist_of(args, project))
    try:
        params = resolve_params(store, query, params)
    except LookupFailed as err:
        return fail("query", f"{query.name}: {err}", 2)
    return emit(
        store,
        query,
        params,
        args.format,
        truncate=args.truncate,
        allowed_services=args.allow_service,
    )


def bind_check(query: QueryFile, params: dict[str, str]) -> None:
    """Unknown names and ill-formed dates or numbers fail before the store is opened.

    IRI parameters are checked later, by name lookup against the store (resolve_params).
    """
    from hrkg.queries.params import bind_params

    kinds = {p.name: p.kind for p in query.params}
    bind_params(query, {k: v for k, v in params.items() if kinds.get(k.lstrip("?$")) != "iri"})
