"""The routes beside the SPARQL endpoint: the Linked Data site with its dereferenced IRIs
(hrkg.serve.linked_data) and the W3C reconciliation service (hrkg.serve.reconcile).

Both read the built store in the server's own process (their work is small: a page lookup, a
description of one resource, a label index), opened read-only on first use.
"""

from __future__ import annotations

import threading
import urllib.parse
from pathlib import Path
from typing import Any, Protocol

from hrkg.serve.evaluate import Reply, text_reply
from hrkg.serve.routing import HttpRequest, Route


class HasStore(Protocol):
    """What the page routes need of the server's settings."""

    store: Path


class Serving(Protocol):
    """What the page routes need of the server (hrkg.serve.server.Server has it)."""

    @property
    def config(self) -> HasStore: ...


class LazyStore:
    """A read-only pyoxigraph store opened once, on first use, shared by the page routes."""

    def __init__(self, server: Serving) -> None:
        self.server = server
        self.lock = threading.Lock()
        self.store: Any = None
        self.pages: Any = None

    def get(self) -> Any:
        import pyoxigraph as ox

        with self.lock:
            if self.store is None:
                self.store = ox.Store.read_only(str(self.server.config.store))
            return self.store

    def linked_data(self) -> Any:
        from hrkg.serve.linked_data import LinkedData

        with self.lock:
            if self.pages is None:
                self.pages = LinkedData.beside(self.server.config.store)
            return self.pages


def page_routes(server: Serving) -> list[Route]:
    """/reconcile (manifest, queries, preview, suggest) and every other path as a site page."""
    lazy = LazyStore(server)

    def reconcile(request: HttpRequest) -> Reply:
        from hrkg.serve.reconcile import handle

        params = urllib.parse.parse_qs(request.query, keep_blank_values=True)
        if request.method == "POST":
            body = request.body.decode("utf-8", "replace")
            for key, values in urllib.parse.parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        status, kind, body_bytes = handle(
            lazy.get(), request.method, request.path, params, base_url=request.base_url
        )
        return Reply(status, kind, body_bytes)

    def site(request: HttpRequest) -> Reply:
        accept = request.headers.get("Accept") or "*/*"
        answer = lazy.linked_data().respond(request.path, accept)
        if answer is None:
            return text_reply(404, "Not found. The SPARQL endpoint is /sparql.", Vary="Accept")
        return Reply(answer.status, answer.content_type, answer.body, headers={"Vary": "Accept"})

    methods = ("GET", "HEAD", "POST")
    return [
        Route("/reconcile", reconcile, methods),
        Route("/reconcile/", reconcile, methods, prefix=True),
        Route("/", site, prefix=True),
    ]
