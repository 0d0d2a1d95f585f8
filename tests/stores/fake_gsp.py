"""A Graph Store Protocol server in memory on 127.0.0.1, with faults on demand.

It does GET/PUT/DELETE `?graph=` with N-Triples or Turtle bodies and nothing else (a query
POST is answered 415, as Oxigraph's /store does), so the loader must count by GET and roll
back by PUT. `fault(method, graph, headers)` may return (status, body) to answer instead:
415 or 500 at a chosen request, or a body that echoes the request's headers.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Fault = Callable[[str, str, dict[str, str]], tuple[int, bytes] | None]
TYPES = {"application/n-triples", "text/turtle"}


@dataclass
class FakeStore:
    graphs: dict[str, frozenset[str]] = field(default_factory=dict)  # graph -> N-Triples lines
    fault: Fault | None = None
    accepted_types: set[str] = field(default_factory=lambda: set(TYPES))
    requests: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""


class Handler(BaseHTTPRequestHandler):
    """Serves the class attribute `store` (set per server by handler_for)."""

    store: FakeStore

    def log_message(self, format: str, *args: object) -> None:
        pass

    def answer(self, status: int, body: bytes = b"", kind: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def graph(self) -> str:
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        return query.get("graph", [""])[0]

    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def faulted(self, method: str) -> bool:
        self.store.requests.append((method, self.graph()))
        if self.store.fault is None:
            return False
        answer = self.store.fault(method, self.graph(), dict(self.headers.items()))
        if answer is None:
            return False
        self.body()
        self.answer(*answer)
        return True

    def do_GET(self) -> None:
        if self.faulted("GET"):
            return
        lines = self.store.graphs.get(self.graph())
        if lines is None:
            self.answer(404, b"no such graph")
        else:
            self.answer(200, "".join(sorted(lines)).encode(), "application/n-triples")

    def do_PUT(self) -> None:
        import pyoxigraph as ox

        if self.faulted("PUT"):
            return
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        data = self.body()
        if kind not in self.store.accepted_types:
            self.answer(415, f"unsupported media type {kind}".encode())
            return
        fmt = ox.RdfFormat.N_TRIPLES if kind == "application/n-triples" else ox.RdfFormat.TURTLE
        triples = ox.serialize(list(ox.parse(data, format=fmt)), format=ox.RdfFormat.N_TRIPLES)
        lines = (triples or b"").decode().splitlines(keepends=True)
        created = self.graph() not in self.store.graphs
        self.store.graphs[self.graph()] = frozenset(lines)
        self.answer(201 if created else 204)

    def do_DELETE(self) -> None:
        if self.faulted("DELETE"):
            return
        if self.store.graphs.pop(self.graph(), None) is None:
            self.answer(404, b"no such graph")
        else:
            self.answer(204)

    def do_POST(self) -> None:
        if self.faulted("POST"):
            return
        self.body()
        self.answer(415, b"queries are not supported here")


def handler_for(store: FakeStore) -> type[BaseHTTPRequestHandler]:
    return type("FakeHandler", (Handler,), {"store": store})


@contextmanager
def fake_gsp() -> Iterator[FakeStore]:
    """A running FakeStore (its `url` is the GSP endpoint), stopped on exit."""
    store = FakeStore()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(store))
    store.url = f"http://127.0.0.1:{server.server_address[1]}/store"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield store
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
