"""`hrkg serve`, the command: a read-only SPARQL 1.1 Protocol endpoint over the built
store, the query page (YASGUI, served from this machine) with the stored queries, and a
routing table that other pages extend (routing.py; the HTTP server is server.py).

Queries run in worker processes (workers.py) that open the store read-only; a query over
`--timeout` has its worker killed and replaced, so the work really stops. Answers are cut
at `--limit` rows or triples, marked by the `X-HRKG-Truncated: true` header.

Safe by default: binds 127.0.0.1 (another address needs --public and prints a warning),
answers only Host names of this machine (--allow-host adds more: no DNS rebinding), makes
no outbound request (SERVICE needs --allow-service URL), refuses updates (403), sends no
CORS headers unless --cors ORIGIN, and bounds everything a client controls: body size and
a strict Content-Length, the time to send a request's headers, open connections, and a
listen backlog of 1024 so bursts are queued rather than reset. Fair under load: each client
may have --per-client queries evaluating, the rest wait in its own line, served round-robin;
complete answers are cached (--cache-mb) until the store changes.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import signal
import sys
from pathlib import Path
from types import FrameType

from hrkg.commands.common import project_of
from hrkg.serve.endpoint import store_ready
from hrkg.serve.page import WEBUI_DIR
from hrkg.serve.server import ServerConfig, make_server


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=7878, help="TCP port (default 7878)")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    parser.add_argument(
        "--public",
        action="store_true",
        help="allow a --host other than loopback (others can then query)",
    )
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds a query may run (default 10)"
    )
    parser.add_argument(
        "--queue-wait",
        type=float,
        default=30.0,
        help="seconds a query may wait for a free worker before a 503 (default 30)",
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
    parser.add_argument(
        "--per-client",
        type=int,
        default=None,
        metavar="N",
        help="queries one client (remote address) may have evaluating at once; its others "
        "wait their turn, served round-robin across clients (default: --workers + 1)",
    )
    parser.add_argument(
        "--cache-mb",
        type=float,
        default=64.0,
        metavar="MB",
        help="memory for cached complete answers, forgotten when the store changes "
        "(default 64; 0 turns the cache off)",
    )
    parser.add_argument(
        "--allow-service",
        action="append",
        default=[],
        metavar="URL",
        help="let queries call this SERVICE endpoint (repeatable; none by "
        "default: no outbound requests)",
    )
    parser.add_argument(
        "--cors",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="send CORS headers to this origin, or '*' for any (repeatable; default: none)",
    )
    parser.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests whose Host header is NAME (default: only "
        "localhost names and the bound address)",
    )
    parser.add_argument("--quiet", action="store_true", help="no request log")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    project = project_of(args)
    args.store = args.store or project.dist_dir / "store"
    args.queries = args.queries or project.queries_dir
    bad = [
        f"--{name} must be {rule}"
        for name, ok, rule in (
            ("port", 0 <= args.port <= 65535, "0-65535"),
            ("timeout", args.timeout > 0, "> 0"),
            ("queue-wait", args.queue_wait > 0, "> 0"),
            ("limit", args.limit > 0, "> 0"),
            ("workers", args.workers > 0, "> 0"),
            ("per-client", args.per_client is None or args.per_client > 0, "> 0"),
            ("cache-mb", args.cache_mb >= 0, ">= 0"),
        )
        if not ok
    ]
    if bad:
        print(f"hrkg serve: {'; '.join(bad)}", file=sys.stderr)
        return 2
    if not store_ready(args.store):
        print(f"hrkg serve: no store at {args.store}: run `hrkg build` first", file=sys.stderr)
        return 2
    if not is_loopback(args.host):
        if not args.public:
            print(
                f"hrkg serve: --host {args.host} would let other machines query this "
                "server; add --public if that is what you want",
                file=sys.stderr,
            )
            return 2
        print(
            f"hrkg serve: warning: listening on {args.host}, reachable from other machines",
            file=sys.stderr,
        )
    hosts = tuple(args.allow_host) + (() if is_loopback(args.host) else (args.host,))
    config = ServerConfig(
        store=args.store,
        queries=args.queries,
        timeout=args.timeout,
        queue_wait=args.queue_wait,
        limit=args.limit,
        workers=args.workers,
        per_client=args.per_client,
        cache_bytes=int(args.cache_mb * (1 << 20)),
        quiet=args.quiet,
        allowed_services=tuple(args.allow_service),
        cors_origins=tuple(args.cors),
        allowed_hosts=hosts,
    )
    try:
        server = make_server(config, args.host, args.port)
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            print(
                f"hrkg serve: port {args.port} on {args.host} is in use; pick another "
                "with --port N",
                file=sys.stderr,
            )
        else:
            print(
                f"hrkg serve: cannot listen on {args.host}:{args.port}: {err.strerror or err}",
                file=sys.stderr,
            )
        return 2
    except RuntimeError as err:
        print(f"hrkg serve: {err}", file=sys.stderr)
        return 1
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

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown_all()
    return 0
