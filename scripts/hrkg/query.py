"""`hrkg query`: run a stored query (by name) or any .rq file against dist/store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg.paths import DIST_DIR, QUERIES_DIR

if TYPE_CHECKING:
    import pyoxigraph as ox


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("query", nargs="?", help="stored query name (e.g. 05-designation-status) "
                        "or a path to a .rq file")
    parser.add_argument("--list", action="store_true", help="list the stored queries")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="bind a declared parameter (repeatable)")
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
    parser.add_argument("--dist", type=Path, default=DIST_DIR, help="built distribution folder")
    parser.add_argument("--allow-service", action="append", default=[], metavar="URL",
                        help="let the query call this SERVICE endpoint (repeatable; none by "
                             "default: no outbound requests)")


def resolve(name: str) -> Path:
    """A query given by file path, by exact stored name, or by a unique name prefix."""
    path = Path(name)
    if path.suffix == ".rq" and path.exists():
        return path
    exact = QUERIES_DIR / f"{name}.rq"
    if exact.exists():
        return exact
    matches = sorted(QUERIES_DIR.glob(f"{name}*.rq")) or sorted(QUERIES_DIR.glob(f"*{name}*.rq"))
    if len(matches) == 1:
        return matches[0]
    known = ", ".join(p.stem for p in sorted(QUERIES_DIR.glob("*.rq")))
    raise SystemExit(f"hrkg query: no single stored query matches {name!r}; known: {known}")


def parse_params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise SystemExit(f"hrkg query: --param wants NAME=VALUE, got {pair!r}")
        params[name.strip()] = value.strip()
    return params


def list_queries() -> int:
    from hrkg.report import table
    from hrkg.sparql import discover

    rows = []
    for q in discover(QUERIES_DIR):
        params = ", ".join(f"{p.name}={p.default}" for p in q.params)
        flag = " (online only)" if q.online_only else ""
        rows.append((q.name, q.question + flag, params))
    print(table(["name", "question", "parameters (defaults)"], rows))
    return 0


def open_store(dist: Path) -> ox.Store:
    """Open dist/store read-only, building the distribution first if it is missing."""
    import pyoxigraph as ox

    store_path = dist / "store"
    if not store_path.exists():
        from hrkg.cli import main as cli_main

        print("hrkg query: no built store yet; running hrkg build first", file=sys.stderr)
        code = cli_main(["build", "--out", str(dist)])
        if code != 0:
            raise SystemExit(code)
    return ox.Store.read_only(str(store_path))


def run(args: argparse.Namespace) -> int:
    from hrkg.sparql import (
        QueryFileError,
        bind_params,
        format_table,
        load_query,
        run_oxigraph,
        to_csv,
        to_json,
    )

    if args.list:
        return list_queries()
    if not args.query:
        print("hrkg query: name a query, or use --list", file=sys.stderr)
        return 2
    try:
        query = load_query(resolve(args.query))
        params = parse_params(args.param)
        bind_params(query, params)
    except (QueryFileError, ValueError) as err:
        print(f"hrkg query: {err}", file=sys.stderr)
        return 2
    from hrkg.queries.guard import refuse_service

    refused = refuse_service(query.text, args.allow_service)
    if refused:
        hint = " (it needs the internet)" if query.online_only else ""
        print(f"hrkg query: {query.name}{hint}: {refused}", file=sys.stderr)
        return 2
    store = open_store(args.dist)
    result = run_oxigraph(store, query, params, args.allow_service)
    if args.format == "csv":
        sys.stdout.write(to_csv(result))
    elif args.format == "json":
        sys.stdout.write(to_json(result))
    else:
        print(format_table(result))
        print(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return 0
