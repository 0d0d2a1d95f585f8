"""The /sparql route: protocol rules, outbound-call refusal, input limits, the answer
cache (hrkg.serve.cache), then a worker, handed out fairly per client (hrkg.serve.fair).

Everything that can be refused is refused here, before a worker is involved, so a
malformed request costs no worker: bad protocol use (4xx from protocol.py), a query over
the size or nesting limits (a native parser may crash on thousands of nested braces), and
a SERVICE call to an endpoint not on the allow-list.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from hrkg.queries.guard import names_dataset, nesting_error, refuse_service
from hrkg.serve.cache import AnswerCache, answer_key
from hrkg.serve.description import description_reply
from hrkg.serve.evaluate import Job, Reply, text_reply
from hrkg.serve.protocol import DescribeService, ProtocolError, read_operation
from hrkg.serve.routing import HttpRequest
from hrkg.serve.workers import WorkerPool

MAX_QUERY_CHARS = 200_000
GRAPHS_QUERY = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"


@dataclass
class EndpointConfig:
    timeout: float = 10.0
    queue_wait: float = 30.0  # how long a request may wait for a free worker
    limit: int = 10_000
    allowed_services: tuple[str, ...] = ()


@dataclass
class SparqlEndpoint:
    """Answers SPARQL Protocol requests with the worker pool."""

    pool: WorkerPool
    config: EndpointConfig = field(default_factory=EndpointConfig)
    cache: AnswerCache = field(default_factory=lambda: AnswerCache(0))
    _graphs: tuple[int, list[str]] | None = None  # (store generation, graphs)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, request: HttpRequest) -> Reply:
        try:
            operation = read_operation(request.method, request.query, request.headers, request.body)
        except ProtocolError as err:
            return text_reply(err.status, err.message)
        accept = request.headers.get("Accept")
        endpoint_url = request.base_url + request.path
        if isinstance(operation, DescribeService):
            if operation.format is None and wants_html(accept):
                return Reply(
                    303,
                    "text/plain; charset=utf-8",
                    b"The query page is at /.\n",
                    headers={"Location": "/"},
                )
            return description_reply(
                endpoint_url,
                self.named_graphs(),
                accept,
                operation.format,
                self.config.allowed_services,
            )
        text = operation.query
        if len(text) > MAX_QUERY_CHARS:
            return text_reply(413, f"The query is over {MAX_QUERY_CHARS} characters.")
        job = Job(
            query=text,
            accept=accept,
            format=operation.format,
            default_graphs=operation.default_graphs,
            named_graphs=operation.named_graphs,
            protocol_dataset=operation.protocol_dataset,
            base_iri=endpoint_url,
            limit=self.config.limit,
        )
        # The cache first: the checks below are pure functions of the query text and the
        # endpoint URL, both in the key, and a query they refuse is never answered 200, so
        # never cached; they cost a millisecond of tokenising per request.
        key = answer_key(job, self.pool.generation)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        deep = nesting_error(text)
        if deep:
            return text_reply(400, f"Query refused: {deep}.")
        refused = refuse_service(text, self.config.allowed_services, endpoint_url)
        if refused:
            return text_reply(403, str(refused))
        job.union_default = not names_dataset(text)
        reply = self.pool.run(job, self.config.timeout, self.config.queue_wait, request.client)
        if reply.generation == key[0]:  # not answered by an old store's worker
            self.cache.put(key, reply)
        return reply

    def named_graphs(self) -> list[str]:
        """The store's named graphs (asked once, then kept: the store is read-only)."""
        with self._lock:
            if self._graphs is None or self._graphs[0] != self.pool.generation:
                reply = self.pool.run(
                    Job(GRAPHS_QUERY, format="json", limit=100_000), self.config.timeout
                )
                if reply.status != 200:
                    return []
                rows = json.loads(reply.body)["results"]["bindings"]
                self._graphs = (reply.generation, [row["g"]["value"] for row in rows if "g" in row])
            return list(self._graphs[1])


def wants_html(accept: str | None) -> bool:
    """A browser visiting the endpoint (text/html asked for by name): send it to the page."""
    from hrkg.serve.negotiation import parse_accept

    return any(media == "text/html" and q > 0 for media, q in parse_accept(accept or ""))


def store_ready(store: Path) -> bool:
    return (store / "CURRENT").exists()
