"""The routing table: a path (or a path prefix) and the methods it answers, to a function.

Other pages plug in by adding routes (e.g. Linked Data pages under /id/, a reconciliation
service under /reconcile), through `ServerConfig.extra_routes` or, for a page that needs
the store, a factory given the server (its `pool` runs queries in the workers):

    def linked_data(server: Server) -> list[Route]:
        return [Route("/id/", lambda request: id_page(server.pool, request), prefix=True)]

    ServerConfig(store=..., route_factories=[linked_data])

A handler takes an `HttpRequest` and returns a `Reply` (hrkg.serve.evaluate); it never
touches the socket. Exact paths win over prefixes; the longest prefix wins among prefixes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import Message

from hrkg.serve.evaluate import Reply


@dataclass(frozen=True)
class HttpRequest:
    """What a route sees of one request (the body is already read and size-checked)."""

    method: str
    path: str  # decoded path, without the query string
    query: str  # raw query string
    headers: Message
    body: bytes
    base_url: str  # scheme://host[:port] as the client named this server (Host checked)
    client: str = ""  # who is asking (hrkg.serve.fair.client_key): its fair share of workers


RouteHandler = Callable[[HttpRequest], Reply]


@dataclass(frozen=True)
class Route:
    """`path` exact, or every path below it when `prefix` is set (path ends with '/')."""

    path: str
    handler: RouteHandler
    methods: tuple[str, ...] = ("GET", "HEAD")
    prefix: bool = False

    def matches(self, path: str) -> bool:
        return path.startswith(self.path) if self.prefix else path == self.path


def find_route(routes: Sequence[Route], path: str) -> Route | None:
    """The first exact route for `path`, else the longest matching prefix route."""
    for route in routes:
        if not route.prefix and route.matches(path):
            return route
    prefixed = [r for r in routes if r.prefix and r.matches(path)]
    return max(prefixed, key=lambda r: len(r.path)) if prefixed else None
