"""`hrkg query`: run a stored query (by name), any .rq file, stdin or `-e TEXT` on dist/store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg.paths import DIST_DIR, QUERIES_DIR

if TYPE_CHECKING:
    import pyoxigraph as ox

    from hrkg.sparql import QueryFile


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from hrkg.queries.output import FORMATS

    parser.add_argument("query", nargs="?", help="stored query name (e.g. 05-designation-status), "
                        "a path to a .rq file (the stored-query header is optional), or - for "
                        "stdin")
    parser.add_argument("-e", "--expression", metavar="QUERY", help="run this SPARQL text")
    parser.add_argument("--list", action="store_true", help="list the stored queries")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="bind a parameter (repeatable); an IRI parameter also takes a "
                        "name, slug or QID: actor=Zakharova, actor=wd:Q159")
    parser.add_argument("--format", choices=FORMATS, default="table",
                        help="table (fitted to the terminal), csv, tsv; json, xml, sparql-csv, "
                        "sparql-tsv (SPARQL results); turtle, ntriples, jsonld (graphs)")
    parser.add_argument("--truncate", action="store_true",
                        help="cut long cells with … instead of wrapping them (table only)")
    parser.add_argument("--dist", type=Path, default=DIST_DIR, help="built distribution folder")


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
    from hrkg.sparql import discover
    from hrkg.text import print_table

    rows = []
    for q in discover(QUERIES_DIR):
        params = ", ".join(f"{p.name}={p.default}" for p in q.params)
        flag = " (online only)" if q.online_only else ""
        rows.append((q.name, q.question + flag, params))
    print_table(["name", "question", "parameters (defaults)"], rows)
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
    from hrkg.queries.adhoc import read_query
    from hrkg.queries.lookup import LookupFailed, resolve_params
    from hrkg.queries.output import emit
    from hrkg.sparql import QueryFileError

    if args.list:
        return list_queries()
    if not args.query and args.expression is None:
        print("hrkg query: name a query, give a file, - (stdin) or -e QUERY; or use --list",
              file=sys.stderr)
        return 2
    try:
        params = parse_params(args.param)
        query = read_query(args.query, args.expression, params, resolve)
        bind_check(query, params)
    except (QueryFileError, ValueError) as err:
        print(f"hrkg query: {err}", file=sys.stderr)
        return 2
    if query.online_only:
        print(f"hrkg query: {query.name} needs the internet (Wikidata); run it on a SPARQL "
              "endpoint that can reach query.wikidata.org", file=sys.stderr)
        return 2
    store = open_store(args.dist)
    try:
        params = resolve_params(store, query, params)
    except LookupFailed as err:
        print(f"hrkg query: {query.name}: {err}", file=sys.stderr)
        return 2
    return emit(store, query, params, args.format, truncate=args.truncate)


def bind_check(query: QueryFile, params: dict[str, str]) -> None:
    """Unknown names and ill-formed dates or numbers fail before the store is opened.

    IRI parameters are checked later, by name lookup against the store (resolve_params).
    """
    from hrkg.sparql import bind_params

    kinds = {p.name: p.kind for p in query.params}
    bind_params(query, {k: v for k, v in params.items() if kinds.get(k.lstrip("?$")) != "iri"})
