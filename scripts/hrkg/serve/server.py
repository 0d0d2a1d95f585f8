"""The HTTP server behind `hrkg serve`: a thread per open connection, requests read strictly
(Host allow-list, strict Content-Length, a deadline for a request's line and headers, a cap
on open connections, a listen backlog of 1024), then handed to a route (routing.py); CORS
headers only for the origins configured. The answers themselves come from the routes.

Connections are handed to handler threads started ahead (a spare is always waiting, up to
the connection cap), not to a thread started per connection: `Thread.start` waits until
the new thread holds the GIL, and with a hundred busy connections the accept loop lost that
draw for seconds (new clients waited up to 5 s for their first answer; bench/soak.py).

The store path is resolved once at start (dist/ may be a link to a versioned folder); a
watchdog thread notices when it names a new complete store and switches the worker pool to
it, dropping the cached answers (hrkg.serve.store_watch).
"""

from __future__ import annotations

import contextlib
import dataclasses
import queue
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from hrkg.serve.cache import AnswerCache
from hrkg.serve.endpoint import EndpointConfig, SparqlEndpoint
from hrkg.serve.evaluate import Reply, text_reply
from hrkg.serve.fair import client_key
from hrkg.serve.page import queries_reply, static_reply
from hrkg.serve.pages import page_routes
from hrkg.serve.routing import HttpRequest, Route, find_route
from hrkg.serve.store_watch import StoreWatch
from hrkg.serve.workers import WorkerPool

MAX_BODY = 1_000_000
CACHE_BYTES = 64 << 20
SPARE_HANDLERS = 64  # handler threads started with the server
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
BODY_METHODS = ("POST", "PUT", "PATCH")


@dataclass
class ServerConfig:
    store: Path
    queries: Path | None = None  # the stored queries the page lists (None: none)
    timeout: float = 10.0
    queue_wait: float = 30.0
    limit: int = 10_000
    workers: int = 2
    per_client: int | None = None  # one client's evaluating queries (None: workers + 1)
    cache_bytes: int = CACHE_BYTES  # the answer cache's bound (0: no cache)
    quiet: bool = True
    allowed_services: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    header_timeout: float = 10.0
    max_connections: int = 512
    max_body: int = MAX_BODY
    extra_routes: list[Route] = field(default_factory=list)
    route_factories: list[Callable[[Server], Sequence[Route]]] = field(default_factory=list)


def default_routes(server: Server) -> list[Route]:
    """The endpoint, the query page and its assets, the stored-query list (the site's pages
    and the reconciliation service come after these: hrkg.serve.pages)."""
    config = server.config
    sparql_methods = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH")
    return [
        Route("/sparql", server.endpoint.handle, sparql_methods),
        Route("/query", server.endpoint.handle, sparql_methods),
        Route("/", lambda _r: static_reply("index.html")),
        Route("/queries.json", lambda _r: queries_reply(config.queries)),
        Route("/webui/", lambda r: static_reply(r.path[len("/webui/") :]), prefix=True),
    ]


class Server(ThreadingHTTPServer):
    """The HTTP server with its worker pool, routes and limits."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 1024  # the listen backlog: bursts wait instead of being reset
    config: ServerConfig
    pool: WorkerPool
    endpoint: SparqlEndpoint
    store_watch: StoreWatch
    routes: list[Route]

    def setup_limits(self) -> None:
        self.slots = threading.BoundedSemaphore(self.config.max_connections)
        self.reading: dict[socket.socket, float] = {}
        self.reading_lock = threading.Lock()
        self.stopping = threading.Event()
        self.handoff: queue.SimpleQueue[tuple[Any, Any] | None] = queue.SimpleQueue()
        self.threads_lock = threading.Lock()
        self.spare = 0  # handler threads waiting for a connection
        self.handlers = 0  # handler threads started
        for _ in range(SPARE_HANDLERS):
            self._start_handler()
        threading.Thread(target=self._watchdog, daemon=True, name="hrkg-serve-watch").start()

    def _start_handler(self) -> None:
        with self.threads_lock:
            self.handlers += 1
        threading.Thread(target=self._handler_loop, daemon=True, name="hrkg-serve-conn").start()

    def _handler_loop(self) -> None:
        """Serve connections one after another; start spares before taking one on."""
        while True:
            with self.threads_lock:
                self.spare += 1
            item = self.handoff.get()
            with self.threads_lock:
                self.spare -= 1
                # as many new spares as connections wait beyond the spares left
                wanted = 0 if item is None else self.handoff.qsize() + 1 - self.spare
                more = max(0, min(wanted, self.config.max_connections - self.handlers))
            if item is None:
                return
            for _ in range(more):
                self._start_handler()
            self.process_request_thread(*item)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                    b"Retry-After: 1\r\nConnection: close\r\n\r\n"
                )
            self.shutdown_request(request)
            return
        self.handoff.put((request, client_address))

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.unwatch(request)
            self.slots.release()

    def watch(self, connection: socket.socket) -> None:
        with self.reading_lock:
            self.reading[connection] = time.monotonic()

    def unwatch(self, connection: socket.socket) -> None:
        with self.reading_lock:
            self.reading.pop(connection, None)

    def _watchdog(self) -> None:
        """Close connections that take too long to send a request (idle or trickling)."""
        while not self.stopping.wait(0.5):
            limit = time.monotonic() - self.config.header_timeout
            with self.reading_lock:
                late = [c for c, started in self.reading.items() if started < limit]
                for connection in late:
                    self.reading.pop(connection, None)
            for connection in late:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
            self.follow_store()

    def follow_store(self) -> None:
        """A new build under the configured path: serve it, forget the old answers."""
        folder = self.store_watch.changed()
        if folder is not None:
            self.pool.switch(folder)
            self.endpoint.cache.clear()
            if not self.config.quiet:
                print(f"hrkg serve: now serving {folder}", file=sys.stderr)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away is no error; anything else is one line, no traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return
        print(
            f"hrkg serve: error answering {client_address[0]}: {type(error).__name__}: {error}",
            file=sys.stderr,
        )

    def shutdown_all(self) -> None:
        self.stopping.set()
        with self.threads_lock:
            handlers = self.handlers
        for _ in range(handlers):  # the idle ones end; busy ones are daemons, as before
            self.handoff.put(None)
        self.server_close()
        self.pool.close()


def make_server(config: ServerConfig, host: str = "127.0.0.1", port: int = 0) -> Server:
    """Create (not start) the server; port 0 picks a free port."""
    server = Server((host, port), Handler)
    server.store_watch = StoreWatch(config.store)
    config = dataclasses.replace(config, store=server.store_watch.folder)
    server.config = config
    try:
        server.pool = WorkerPool(config.store, config.workers, per_client=config.per_client)
    except RuntimeError:
        server.server_close()
        raise
    server.endpoint = SparqlEndpoint(
        server.pool,
        EndpointConfig(
            timeout=config.timeout,
            queue_wait=config.queue_wait,
            limit=config.limit,
            allowed_services=config.allowed_services,
        ),
        AnswerCache(config.cache_bytes),
    )
    server.routes = default_routes(server) + list(config.extra_routes) + page_routes(server)
    for factory in config.route_factories:
        server.routes += list(factory(server))
    server.setup_limits()
    return server


def start_in_thread(
    config: ServerConfig, host: str = "127.0.0.1", port: int = 0
) -> tuple[Server, threading.Thread]:
    """For tests and embedding: serve in a daemon thread; stop with `stop(server)`."""
    server = make_server(config, host, port)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True, name="hrkg-serve"
    )
    thread.start()
    return server, thread


def stop(server: Server) -> None:
    server.shutdown()
    server.shutdown_all()


# ---------------------------------------------------------------------------------------
# One connection


class Handler(BaseHTTPRequestHandler):
    """Reads a request strictly, checks Host and body, and hands it to its route."""

    server: Server
    server_version = "hrkg-serve"
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # headers and body leave in one write, flushed per request

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.config.header_timeout)
        # no Nagle: a small answer must not wait for the client's delayed ACK (40 ms)
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle_one_request(self) -> None:
        self.server.watch(self.connection)
        super().handle_one_request()

    def finish(self) -> None:
        with contextlib.suppress(OSError):  # the client may have gone: nothing to flush to
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.config.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def do_GET(self) -> None:
        self.dispatch()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def dispatch(self) -> None:
        base_url = self.checked_host()
        if base_url is None:
            return
        body = self.read_body()
        self.server.unwatch(self.connection)
        if body is None:
            return
        url = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(url.path)
        if self.command == "OPTIONS":
            self.options(path)
            return
        route = find_route(self.server.routes, path)
        if route is None:
            self.send(
                text_reply(404, "Not found. The SPARQL endpoint is /sparql; the query page is /.")
            )
            return
        if self.command not in route.methods:
            allow = ", ".join((*route.methods, "OPTIONS"))
            self.send(
                text_reply(
                    405, f"{self.command} is not allowed here (Allow: {allow}).", Allow=allow
                )
            )
            return
        request = HttpRequest(
            self.command,
            path,
            url.query,
            self.headers,
            body,
            base_url,
            client_key(self.client_address),
        )
        try:
            reply = route.handler(request)
        except Exception as err:  # a route's bug must not kill the connection silently
            print(
                f"hrkg serve: {self.command} {path}: {type(err).__name__}: {err}", file=sys.stderr
            )
            reply = text_reply(500, "Internal error while answering; see the server log.")
        self.send(reply)

    def checked_host(self) -> str | None:
        """scheme://host[:port] from the Host header, if it names this machine; else reply."""
        host = (self.headers.get("Host") or "").strip()
        if not host:
            self.refuse(400, "A request needs a Host header.")
            return None
        name, port = host, ""
        if host.startswith("[") and "]" in host:
            name, port = host[1 : host.index("]")], host[host.index("]") + 1 :].removeprefix(":")
        elif host.count(":") == 1:
            name, port = host.split(":")
        if port and not port.isdigit():
            self.refuse(400, f"Invalid Host header: {host!r}.")
            return None
        allowed = {*LOCAL_NAMES, *(h.lower() for h in self.server.config.allowed_hosts)}
        if name.lower() not in allowed:
            self.refuse(
                403,
                f"Host {name!r} is not one this server answers to (start it with "
                "--allow-host NAME to add one).",
            )
            return None
        return f"http://{host}"

    def read_body(self) -> bytes | None:
        """The body, by a strict Content-Length; None after replying with an error."""
        if self.headers.get("Transfer-Encoding"):
            self.refuse(411, "Chunked bodies are not accepted; send a Content-Length.")
            return None
        values = self.headers.get_all("Content-Length") or []
        if not values:
            if self.command in BODY_METHODS:
                self.refuse(411, f"A {self.command} needs a Content-Length.")
                return None
            return b""
        if len(set(values)) != 1 or not values[0].strip().isdigit():
            self.refuse(400, f"Invalid Content-Length: {', '.join(values)!r}.")
            return None
        length = int(values[0])
        if length > self.server.config.max_body:
            self.refuse(413, f"Request body over {self.server.config.max_body} bytes.")
            return None
        try:
            body = self.rfile.read(length)
        except OSError:
            self.close_connection = True
            return None
        if len(body) != length:
            self.close_connection = True
            return None
        return body

    def refuse(self, status: int, message: str) -> None:
        """An error before the body was read: answer, then close (the body may follow)."""
        self.close_connection = True
        self.send(text_reply(status, message, Connection="close"))

    def options(self, path: str) -> None:
        route = None if path == "*" else find_route(self.server.routes, path)
        methods = (
            ("GET", "HEAD", "POST", "OPTIONS") if route is None else (*route.methods, "OPTIONS")
        )
        headers = {"Allow": ", ".join(methods)}
        if self.cors_origin():
            headers.update(
                {
                    "Access-Control-Allow-Methods": ", ".join(methods),
                    "Access-Control-Allow-Headers": "Accept, Content-Type",
                    "Access-Control-Max-Age": "600",
                }
            )
        self.send(Reply(204, "text/plain; charset=utf-8", b"", headers=headers))

    def cors_origin(self) -> str | None:
        allowed = self.server.config.cors_origins
        origin = self.headers.get("Origin")
        if not allowed or not origin:
            return None
        if "*" in allowed:
            return "*"
        return origin if origin in allowed else None

    def send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        if reply.status != 204:
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Vary", "Accept, Origin" if self.server.config.cors_origins else "Accept")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        origin = self.cors_origin()
        if origin:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header(
                "Access-Control-Expose-Headers", "X-HRKG-Truncated, X-HRKG-Result-Limit"
            )
        if reply.truncated:
            self.send_header("X-HRKG-Truncated", "true")
            self.send_header("X-HRKG-Result-Limit", str(self.server.config.limit))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD" and reply.status != 204:
            with contextlib.suppress(OSError):
                self.wfile.write(reply.body)
