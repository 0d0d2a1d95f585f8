"""`hrkg serve`: a read-only SPARQL 1.1 endpoint with the query page, on 127.0.0.1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hrkg.commands.common import project_of

HELP = "serve a read-only SPARQL endpoint"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=7878, help="TCP port (default 7878)")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds a query may run (default 10)"
    )
    parser.add_argument(
        "--limit", type=int, default=10_000, help="most rows or triples returned (default 10000)"
    )
    parser.add_argument(
        "--store",
        type=Path,
        default=None,
        help="pyoxigraph store to serve (default: the project's dist/store)",
    )
    parser.add_argument(
        "--queries",
        type=Path,
        default=None,
        help="stored queries shown on the query page (default: the project's queries/)",
    )
    parser.add_argument("--workers", type=int, default=2, help="query worker processes (default 2)")
    parser.add_argument("--quiet", action="store_true", help="no request log")


def run(args: argparse.Namespace) -> int:
    from hrkg.serve.app import WEBUI_DIR, ServerConfig, make_server

    project = project_of(args)
    args.store = args.store or project.dist_dir / "store"
    args.queries = args.queries or project.queries_dir
    if not (args.store / "CURRENT").exists():
        print(f"hrkg serve: no store at {args.store}: run `hrkg build` first", file=sys.stderr)
        return 2
    config = ServerConfig(
        store=args.store,
        queries=args.queries,
        timeout=args.timeout,
        limit=args.limit,
        workers=args.workers,
        quiet=args.quiet,
    )
    server = make_server(config, args.host, args.port)
    host, port = str(server.server_address[0]), server.server_address[1]
    print(
        f"hrkg serve: http://{host}:{port}/ (SPARQL endpoint /sparql, read-only); Ctrl-C stops",
        file=sys.stderr,
    )
    if not (WEBUI_DIR / "vendor" / "yasgui" / "yasgui.min.js").exists():
        print(
            "hrkg serve: YASGUI not fetched (`make yasgui`); the page falls back to a plain form",
            file=sys.stderr,
        )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown_all()
    return 0
