"""`hrkg serve`: a read-only SPARQL 1.1 Protocol endpoint over the built store, and a
query page (YASGUI, served from this machine) preloaded with the stored queries.

Queries run in worker processes that open dist/store read-only: a query that exceeds
`--timeout` has its worker killed and replaced, so the timeout really stops the work (a
thread cannot be stopped). Answers are cut at `--limit` rows or triples, marked by the
`X-HRKG-Truncated: true` response header. The default graph is the union of all named
graphs, as in every stored query; default-graph-uri / named-graph-uri narrow it.
Updates are refused (403), and the store is opened read-only anyway.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.connection
import queue
import sys
import threading
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import islice
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

WEBUI_DIR = Path(__file__).parent / "webui"
MAX_BODY = 1_000_000
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# media type -> (format key), in order of preference when the client accepts anything
SOLUTION_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "ntriples",
    "text/plain": "ntriples",
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/xml": "rdfxml",
}
FORMAT_PARAM = {  # ?format=... for links typed into a browser
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
CONTENT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}


# ---------------------------------------------------------------------------------------
# Answering one query (runs inside a worker process)


@dataclass
class Request:
    query: str
    accept: str
    limit: int
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes
    truncated: bool = False


def text_reply(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode())


def answer(store: Any, request: Request) -> Reply:
    """Run one query on a pyoxigraph store and serialise the answer as negotiated."""
    import pyoxigraph as ox

    options: dict[str, Any] = {}
    if request.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if request.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    try:
        result = store.query(request.query, **options)
    except SyntaxError as err:
        return text_reply(400, f"Query parse error: {err}")
    except (OSError, ValueError, RuntimeError) as err:
        return text_reply(400, f"Query failed: {err}")
    try:
        if isinstance(result, ox.QueryBoolean):
            return boolean_reply(bool(result), request.accept)
        if isinstance(result, ox.QuerySolutions):
            return solutions_reply(result, request.accept, request.limit)
        return graph_reply(result, request.accept, request.limit)
    except (OSError, ValueError, RuntimeError) as err:
        return text_reply(500, f"Query failed while reading results: {err}")


def negotiate(accept: str, offers: dict[str, str]) -> str | None:
    """The offered media type the client prefers (q-values, then our order), or None."""
    ranges = []
    for part in accept.split(",") if accept.strip() else ["*/*"]:
        pieces = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in pieces[1:]:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranges.append((pieces[0].lower(), quality))
    best: tuple[float, int, str] | None = None
    for order, offer in enumerate(offers):
        quality = -1.0
        specificity = -1
        for media, q in ranges:
            major = offer.split("/")[0]
            level = (
                2
                if media == offer
                else 1
                if media == f"{major}/*"
                else 0
                if (media == "*/*")
                else -1
            )
            if level > specificity:
                specificity, quality = level, q
        if quality > 0 and (best is None or (quality, -order) > (best[0], -best[1])):
            best = (quality, order, offer)
    return best[2] if best else None


def not_acceptable(offers: Iterable[str]) -> Reply:
    return text_reply(406, "Not Acceptable. This answer can be sent as: " + ", ".join(offers))


def boolean_reply(value: bool, accept: str) -> Reply:
    offers = SOLUTION_TYPES
    media = negotiate(accept, offers)
    if media is None:
        return not_acceptable(offers)
    kind = offers[media]
    text = "true" if value else "false"
    if kind == "json":
        body = json.dumps({"head": {}, "boolean": value}).encode()
    elif kind == "xml":
        body = (
            f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{text}</boolean></sparql>\n"
        ).encode()
    else:
        body = f"_askResult\r\n{text}\r\n".encode()
    return Reply(200, CONTENT_TYPES[kind], body)


def solutions_reply(solutions: Any, accept: str, limit: int) -> Reply:
    media = negotiate(accept, SOLUTION_TYPES)
    if media is None:
        return not_acceptable(SOLUTION_TYPES)
    kind = SOLUTION_TYPES[media]
    names = [v.value for v in solutions.variables]
    rows = list(islice(solutions, limit + 1))
    truncated = len(rows) > limit
    rows = [[row[name] for name in names] for row in rows[:limit]]
    writer = {"json": results_json, "xml": results_xml, "csv": results_csv, "tsv": results_tsv}[
        kind
    ]
    return Reply(200, CONTENT_TYPES[kind], writer(names, rows), truncated)


def graph_reply(triples: Any, accept: str, limit: int) -> Reply:
    import pyoxigraph as ox

    from hrkg.rdf import PREFIXES

    media = negotiate(accept, GRAPH_TYPES)
    if media is None:
        return not_acceptable(GRAPH_TYPES)
    kind = GRAPH_TYPES[media]
    found = list(islice(triples, limit + 1))
    formats = {
        "turtle": ox.RdfFormat.TURTLE,
        "ntriples": ox.RdfFormat.N_TRIPLES,
        "jsonld": ox.RdfFormat.JSON_LD,
        "rdfxml": ox.RdfFormat.RDF_XML,
    }
    prefixes = PREFIXES if kind in ("turtle", "rdfxml") else None
    body = ox.serialize(found[:limit], format=formats[kind], prefixes=prefixes) or b""
    return Reply(200, CONTENT_TYPES[kind], body, len(found) > limit)


def term_json(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANGSTRING):
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def results_json(names: list[str], rows: list[list[Any]]) -> bytes:
    bindings = [
        {n: term_json(t) for n, t in zip(names, row, strict=True) if t is not None} for row in rows
    ]
    return json.dumps(
        {"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False
    ).encode()


def term_xml(term: Any) -> str:
    data = term_json(term)
    value = escape(data["value"])
    if data["type"] == "uri":
        return f"<uri>{value}</uri>"
    if data["type"] == "bnode":
        return f"<bnode>{value}</bnode>"
    if "xml:lang" in data:
        return f"<literal xml:lang={quoteattr(data['xml:lang'])}>{value}</literal>"
    if "datatype" in data:
        return f"<literal datatype={quoteattr(data['datatype'])}>{value}</literal>"
    return f"<literal>{value}</literal>"


def results_xml(names: list[str], rows: list[list[Any]]) -> bytes:
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
        "<head>",
    ]
    out += [f"<variable name={quoteattr(n)}/>" for n in names]
    out += ["</head>", "<results>"]
    for row in rows:
        cells = "".join(
            f"<binding name={quoteattr(n)}>{term_xml(t)}</binding>"
            for n, t in zip(names, row, strict=True)
            if t is not None
        )
        out.append(f"<result>{cells}</result>")
    out += ["</results>", "</sparql>", ""]
    return "\n".join(out).encode()


def csv_field(term: Any) -> str:
    """CSV keeps only values (SPARQL 1.1 CSV results); quote when needed (RFC 4180)."""
    import pyoxigraph as ox

    if term is None:
        return ""
    text = f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return str(text)


def results_csv(names: list[str], rows: list[list[Any]]) -> bytes:
    lines = [",".join(names)] + [",".join(csv_field(t) for t in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def results_tsv(names: list[str], rows: list[list[Any]]) -> bytes:
    """TSV uses N-Triples/Turtle term syntax, which pyoxigraph's str() gives (escaped)."""
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


# ---------------------------------------------------------------------------------------
# Worker processes


def worker_main(store_path: str, conn: multiprocessing.connection.Connection) -> None:
    """Entry point of a worker: open the store read-only, answer requests until EOF."""
    import pyoxigraph as ox

    store = ox.Store.read_only(store_path)
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(answer(store, request))


class Worker:
    """One query process; killed (by its own PID) when a query runs out of time."""

    def __init__(self, store: Path) -> None:
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(
            target=worker_main, args=(str(store), child), daemon=True, name="hrkg-serve-worker"
        )
        self.process.start()
        child.close()
        if not self.conn.poll(60) or self.conn.recv() != "ready":
            self.kill()
            raise RuntimeError(f"query worker could not open {store}")

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """A fixed number of workers; a request borrows one, a timeout replaces it."""

    def __init__(self, store: Path, size: int) -> None:
        self.store = store
        self.idle: queue.Queue[Worker] = queue.Queue()
        self.all: list[Worker] = []
        for _ in range(max(1, size)):
            self._add()

    def _add(self) -> None:
        worker = Worker(self.store)
        self.all.append(worker)
        self.idle.put(worker)

    def run(self, request: Request, timeout: float) -> Reply:
        try:
            worker = self.idle.get(timeout=timeout)
        except queue.Empty:
            return text_reply(503, "All query workers are busy; try again shortly.")
        try:
            worker.conn.send(request)
            if worker.conn.poll(timeout):
                reply: Reply = worker.conn.recv()
                self.idle.put(worker)
                return reply
        except (EOFError, OSError):
            self._replace(worker)
            return text_reply(500, "The query worker failed; it has been restarted.")
        self._replace(worker)
        return text_reply(503, f"Query timed out after {timeout:g} s (server --timeout).")

    def _replace(self, worker: Worker) -> None:
        worker.kill()
        self.all.remove(worker)
        self._add()

    def close(self) -> None:
        for worker in self.all:
            worker.kill()
        self.all.clear()


# ---------------------------------------------------------------------------------------
# HTTP


@dataclass
class ServerConfig:
    store: Path
    queries: Path
    timeout: float = 10.0
    limit: int = 10_000
    workers: int = 2
    quiet: bool = True


class Server(ThreadingHTTPServer):
    """The HTTP server with its worker pool and settings."""

    daemon_threads = True
    config: ServerConfig
    pool: WorkerPool
    pages: Any = None  # serve.linked_data.LinkedData, made on the first page request

    _reconcile: Any = None

    def reconcile_store(self) -> Any:
        """A read-only store for the reconciliation service, opened on first use."""
        if self._reconcile is None:
            import pyoxigraph as ox

            self._reconcile = ox.Store.read_only(str(self.config.store))
        return self._reconcile

    def shutdown_all(self) -> None:
        self.server_close()
        self.pool.close()


def make_server(config: ServerConfig, host: str = "127.0.0.1", port: int = 0) -> Server:
    """Create (not start) the server; port 0 picks a free port."""
    server = Server((host, port), Handler)
    server.config = config
    try:
        server.pool = WorkerPool(config.store, config.workers)
    except RuntimeError:
        server.server_close()
        raise
    return server


def start_in_thread(
    config: ServerConfig, host: str = "127.0.0.1", port: int = 0
) -> tuple[Server, threading.Thread]:
    """For tests and embedding: serve in a daemon thread; stop with `stop(server)`."""
    server = make_server(config, host, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="hrkg-serve")
    thread.start()
    return server, thread


def stop(server: Server) -> None:
    server.shutdown()
    server.shutdown_all()


def stored_queries(folder: Path) -> list[dict[str, Any]]:
    """The stored queries for the page: title, question, parameters, and the text with
    the parameters' defaults bound (edit the VALUES line to ask about something else)."""
    from hrkg.queries.catalog import QueryFileError, load_query
    from hrkg.queries.inline import with_defaults

    out = []
    for path in sorted(folder.glob("*.rq")):
        try:
            query = load_query(path)
            text = with_defaults(query)
        except (QueryFileError, ValueError) as err:
            out.append(
                {
                    "name": path.stem,
                    "title": path.stem,
                    "question": f"(broken: {err})",
                    "params": [],
                    "onlineOnly": False,
                    "needsInferred": False,
                    "query": path.read_text("utf-8"),
                }
            )
            continue
        params = [
            f"{p.name} = {p.default} ({p.kind})" if p.default else f"{p.name} ({p.kind})"
            for p in query.params
        ]
        out.append(
            {
                "name": query.name,
                "title": query.title,
                "question": query.question,
                "params": params,
                "onlineOnly": query.online_only,
                "needsInferred": query.needs_inferred,
                "query": text,
            }
        )
    return out


STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain",
}


class Handler(BaseHTTPRequestHandler):
    """Routes: / (page), /webui/* (static), /queries.json, /sparql (+ /query), /reconcile/*."""

    server: Server
    server_version = "hrkg-serve"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.config.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/sparql", "/query"):
            self.sparql(urllib.parse.parse_qs(url.query, keep_blank_values=True))
        elif url.path == "/":
            self.static(WEBUI_DIR / "index.html")
        elif url.path.startswith("/webui/"):
            self.static(WEBUI_DIR / urllib.parse.unquote(url.path[len("/webui/") :]))
        elif url.path == "/reconcile" or url.path.startswith("/reconcile/"):
            self.reconcile(url.path, urllib.parse.parse_qs(url.query, keep_blank_values=True))
        elif url.path == "/queries.json":
            body = json.dumps(stored_queries(self.server.config.queries), indent=1).encode()
            self.send(Reply(200, "application/json", body))
        else:
            self.linked_data(url.path)

    def linked_data(self, path: str) -> None:
        """The site's pages, the dumps, and the IRIs dereferenced (serve/linked_data.py)."""
        from hrkg.serve.linked_data import LinkedData

        server = self.server
        if server.pages is None:
            server.pages = LinkedData.beside(server.config.store)
        answer = server.pages.respond(
            urllib.parse.unquote(path), self.headers.get("Accept") or "*/*"
        )
        if answer is None:
            self.send(text_reply(404, "Not found. The SPARQL endpoint is /sparql."))
        else:
            self.send(Reply(answer.status, answer.content_type, answer.body))

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        reconciling = url.path == "/reconcile" or url.path.startswith("/reconcile/")
        if url.path not in ("/sparql", "/query") and not reconciling:
            self.send(text_reply(404, "Not found. The SPARQL endpoint is /sparql."))
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.send(text_reply(413, f"Request body over {MAX_BODY} bytes."))
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if reconciling:
            for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
            self.reconcile(url.path, params)
        elif content_type == "application/sparql-update":
            self.send(read_only_reply())
        elif content_type == "application/sparql-query":
            params["query"] = [body]
            self.sparql(params)
        elif content_type in ("application/x-www-form-urlencoded", ""):
            for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
            self.sparql(params)
        else:
            self.send(
                text_reply(
                    415,
                    "Send application/sparql-query or a form (application/x-www-form-urlencoded).",
                )
            )

    def do_PUT(self) -> None:
        self.send(read_only_reply())

    do_DELETE = do_PUT
    do_PATCH = do_PUT

    def sparql(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            self.send(read_only_reply())
            return
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            self.send(
                text_reply(
                    400,
                    "Give exactly one `query` parameter (SPARQL 1.1 "
                    "Protocol). The query page is at /.",
                )
            )
            return
        accept = self.headers.get("Accept") or "*/*"
        if params.get("format"):
            accept = FORMAT_PARAM.get(params["format"][0].lower(), params["format"][0])
        config = self.server.config
        request = Request(
            queries[0],
            accept,
            config.limit,
            params.get("default-graph-uri", []),
            params.get("named-graph-uri", []),
        )
        self.send(self.server.pool.run(request, config.timeout))

    def reconcile(self, path: str, params: dict[str, list[str]]) -> None:
        """The reconciliation service (hrkg.serve.reconcile) on a read-only store."""
        from hrkg.serve.reconcile import handle

        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_address[1]}"
        status, kind, body = handle(
            self.server.reconcile_store(), self.command, path, params, base_url=f"http://{host}"
        )
        self.send(Reply(status, kind, body))

    def static(self, path: Path) -> None:
        root = WEBUI_DIR.resolve()
        target = path.resolve()
        if not target.is_relative_to(root) or not target.is_file():
            self.send(text_reply(404, "Not found."))
            return
        kind = STATIC_TYPES.get(target.suffix, "application/octet-stream")
        self.send(Reply(200, kind, target.read_bytes()))

    def send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Vary", "Accept")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if reply.truncated:
            self.send_header("X-HRKG-Truncated", "true")
            self.send_header("X-HRKG-Result-Limit", str(self.server.config.limit))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)


def read_only_reply() -> Reply:
    return text_reply(
        HTTPStatus.FORBIDDEN,
        "This endpoint is read-only: SPARQL Update and "
        "Graph Store writes are refused. Use `hrkg load`.",
    )
