"""`hrkg load`: put the built dumps into a triple store, replace-not-append, then verify.

Default target: the embedded pyoxigraph store (dist/store), rebuilt beside the old one and
swapped in only after its counts check out. With `--endpoint`: any SPARQL 1.1 Graph Store
HTTP Protocol endpoint, one PUT per named graph (PUT replaces, so loading twice never
duplicates). When the store refuses the Graph Store Protocol, SPARQL 1.1 Update is used
instead (`--update-endpoint`): each graph goes in batches into a temporary graph, which is
then MOVEd onto the real one, so a load that breaks off leaves the old content in place.
Every graph's triple count is read back with SELECT (COUNT(*) ...) and compared.

Credentials come only from HRKG_ENDPOINT_USER / HRKG_ENDPOINT_PASSWORD (Basic or Digest,
whichever the server asks for); they are never printed, logged or put into URLs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg.publish.swap import swap_in
from hrkg.text import table

if TYPE_CHECKING:
    import pyoxigraph as ox

USER_ENV = "HRKG_ENDPOINT_USER"
PASSWORD_ENV = "HRKG_ENDPOINT_PASSWORD"
# HTTP answers that mean "this endpoint does not do the Graph Store Protocol"
GSP_REFUSED = {400, 403, 404, 405, 406, 415, 501}


class LoadError(RuntimeError):
    """A load step failed; the message is safe to print (no credentials)."""


@dataclass
class GraphReport:
    """One row of the result table."""

    graph: str
    sent: int
    read_back: int | None = None
    method: str = ""
    error: str = ""

    @property
    def status(self) -> str:
        if self.error:
            return "FAILED"
        return "ok" if self.read_back == self.sent else "MISMATCH"


# ---------------------------------------------------------------------------------------
# Reading the dump


def read_dump(dump: Path) -> dict[str, list[ox.Triple]]:
    """Triples of each named graph, in file order. Default-graph triples are refused:
    the build puts everything into named graphs, and a GSP load needs a graph name."""
    import pyoxigraph as ox

    if not dump.exists():
        raise LoadError(f"no dump at {dump}: run `hrkg build` first")
    graphs: dict[str, list[ox.Triple]] = {}
    try:
        for quad in ox.parse(path=str(dump)):
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise LoadError(f"{dump} has triples outside named graphs; not loading")
            graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
    except SyntaxError as err:
        raise LoadError(f"cannot parse {dump}: {err}") from err
    return graphs


def ntriples(triples: Iterable[ox.Triple]) -> bytes:
    import pyoxigraph as ox

    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""


def shared_blank_nodes(graphs: dict[str, list[ox.Triple]]) -> set[str]:
    """Blank nodes used in more than one graph: per-graph loading would split them."""
    import pyoxigraph as ox

    seen: dict[str, str] = {}
    shared: set[str] = set()
    for graph, triples in graphs.items():
        for triple in triples:
            for term in (triple.subject, triple.object):
                if isinstance(term, ox.BlankNode) and seen.setdefault(term.value, graph) != graph:
                    shared.add(term.value)
    return shared


# ---------------------------------------------------------------------------------------
# Embedded store


def load_embedded(
    graphs: dict[str, list[ox.Triple]], store_dir: Path, progress: Callable[[str], None]
) -> list[GraphReport]:
    """Build a new store beside `store_dir`, verify it, then swap it in.

    The old store stays untouched until the new one is complete and verified, so an
    interrupted load changes nothing. Restart `hrkg serve` afterwards.
    """
    import pyoxigraph as ox

    store_dir = store_dir.resolve()
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = store_dir.with_name(f".{store_dir.name}.new-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    reports = []
    try:
        store = ox.Store(str(fresh))
        for graph, triples in graphs.items():
            name = ox.NamedNode(graph)
            store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, name) for t in triples)
            progress(f"  {graph}: {len(triples)} triples")
        store.flush()
        for graph, triples in graphs.items():
            reports.append(
                GraphReport(graph, len(triples), count_embedded(store, graph), "embedded")
            )
        del store
        if all(r.status == "ok" for r in reports):
            swap_in(fresh, store_dir)
        else:
            progress(f"counts do not match; {store_dir} left as it was")
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    return reports


def count_embedded(store: ox.Store, graph: str) -> int:
    import pyoxigraph as ox

    solutions = store.query(count_query(graph))
    assert isinstance(solutions, ox.QuerySolutions)
    for solution in solutions:
        return int(solution["n"].value)
    return 0


def count_query(graph: str) -> str:
    return f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


# ---------------------------------------------------------------------------------------
# HTTP


def check_url(url: str) -> str:
    """Refuse URLs that carry credentials; they belong in the environment."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LoadError(f"not an http(s) URL: {redact(url)}")
    if parts.username or parts.password:
        raise LoadError(f"put credentials into {USER_ENV} / {PASSWORD_ENV}, not into the URL")
    return url


def redact(url: str) -> str:
    """The URL without any user-info part, safe to print."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, parts.query, ""))


class Client:
    """A small SPARQL-over-HTTP client on urllib, with optional Basic/Digest auth."""

    def __init__(self, urls: Iterable[str], timeout: float) -> None:
        handlers: list[urllib.request.BaseHandler] = []
        user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
        if user is not None and password is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in urls:
                manager.add_password(None, url, user, password)
            # Digest first: it ignores Basic challenges, while the Basic handler errors on
            # Digest ones.
            handlers += [
                urllib.request.HTTPDigestAuthHandler(manager),
                urllib.request.HTTPBasicAuthHandler(manager),
            ]
        self.opener = urllib.request.build_opener(*handlers)
        self.timeout = timeout

    def send(
        self,
        method: str,
        url: str,
        body: bytes | None,
        content_type: str | None,
        accept: str = "*/*",
    ) -> tuple[int, bytes]:
        """(status, body); HTTP errors come back as statuses, network errors raise."""
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()
        except (urllib.error.URLError, OSError, ValueError) as err:
            reason = getattr(err, "reason", err)
            raise LoadError(f"{method} {redact(url)} failed: {reason}") from None

    def put_graph(self, endpoint: str, graph: str, body: bytes) -> int:
        """Graph Store Protocol PUT (N-Triples is valid Turtle, which every store takes)."""
        status, _ = self.send(
            "PUT", with_param(endpoint, "graph", graph), body, "text/turtle; charset=utf-8"
        )
        return status

    def update(self, endpoint: str, update: str) -> None:
        body = urllib.parse.urlencode({"update": update}).encode()
        status, answer = self.send("POST", endpoint, body, "application/x-www-form-urlencoded")
        if not 200 <= status < 300:
            raise LoadError(
                f"SPARQL Update refused by {redact(endpoint)}: HTTP {status} {snippet(answer)}"
            )

    def count(self, endpoint: str, graph: str) -> int:
        body = urllib.parse.urlencode({"query": count_query(graph)}).encode()
        status, answer = self.send(
            "POST",
            endpoint,
            body,
            "application/x-www-form-urlencoded",
            accept="application/sparql-results+json",
        )
        if status != 200:
            raise LoadError(
                f"count query refused by {redact(endpoint)}: HTTP {status} {snippet(answer)}"
            )
        try:
            bindings = json.loads(answer)["results"]["bindings"]
            return int(bindings[0]["n"]["value"]) if bindings else 0
        except (ValueError, KeyError, IndexError) as err:
            raise LoadError(f"unreadable count from {redact(endpoint)}: {err}") from None


def with_param(url: str, name: str, value: str) -> str:
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}{urllib.parse.urlencode({name: value})}"


def snippet(body: bytes) -> str:
    return body[:300].decode("utf-8", "replace").strip()


# ---------------------------------------------------------------------------------------
# Remote stores


def load_remote(
    graphs: dict[str, list[ox.Triple]], args: argparse.Namespace, progress: Callable[[str], None]
) -> list[GraphReport]:
    """GSP PUT per graph (or SPARQL Update when refused), then read the counts back."""
    endpoint = check_url(args.endpoint) if args.endpoint else None
    update_endpoint = check_url(args.update_endpoint) if args.update_endpoint else None
    query_endpoint = check_url(args.query_endpoint or update_endpoint or endpoint or "")
    client = Client([u for u in (endpoint, update_endpoint, query_endpoint) if u], args.timeout)
    shared = shared_blank_nodes(graphs)
    if shared:
        progress(
            f"warning: {len(shared)} blank nodes occur in more than one graph; "
            "loading graph by graph gives each graph its own copy"
        )
    use_gsp = endpoint is not None and args.protocol in ("auto", "gsp")
    if args.protocol == "update" and not update_endpoint:
        raise LoadError("--protocol update needs --update-endpoint")
    if args.protocol == "gsp" and not endpoint:
        raise LoadError("--protocol gsp needs --endpoint")
    reports = []
    for graph, triples in graphs.items():
        report = GraphReport(graph, len(triples))
        reports.append(report)
        started = time.perf_counter()
        try:
            if use_gsp and endpoint:
                status = client.put_graph(endpoint, graph, ntriples(triples))
                if status in GSP_REFUSED and args.protocol == "auto" and update_endpoint:
                    progress(f"Graph Store Protocol refused (HTTP {status}); using SPARQL Update")
                    use_gsp = False
                elif not 200 <= status < 300:
                    raise LoadError(
                        f"PUT {graph}: HTTP {status}"
                        + (" (check the credentials)" if status == 401 else "")
                    )
                else:
                    report.method = "GSP PUT"
            if not use_gsp:
                if not update_endpoint:
                    raise LoadError(
                        "the Graph Store Protocol was refused and there is no --update-endpoint"
                    )
                update_graph(
                    client, update_endpoint, query_endpoint, graph, triples, args.batch_size
                )
                report.method = "Update+MOVE"
            report.read_back = client.count(query_endpoint, graph)
        except LoadError as err:
            report.error = str(err)
            progress(f"  {graph}: FAILED {err}")
            break
        progress(
            f"  {graph}: {len(triples)} triples via {report.method} "
            f"in {time.perf_counter() - started:.2f} s"
        )
    reports += [
        GraphReport(g, len(t), error="not attempted")
        for g, t in graphs.items()
        if g not in {r.graph for r in reports}
    ]
    return reports


def update_graph(
    client: Client,
    update_endpoint: str,
    query_endpoint: str,
    graph: str,
    triples: list[ox.Triple],
    batch_size: int,
) -> None:
    """Batches of INSERT into a temporary graph, check its count, then MOVE it onto
    `graph` (MOVE drops the target first). Until the MOVE the old content stays."""
    temporary = f"urn:uuid:{uuid.uuid4()}"
    client.update(update_endpoint, f"DROP SILENT GRAPH <{temporary}>")
    try:
        for batch in batches(triples, batch_size):
            client.update(update_endpoint, insert(temporary, batch))
        loaded = client.count(query_endpoint, temporary)
        if loaded != len(triples):
            raise LoadError(
                f"temporary graph holds {loaded} of {len(triples)} triples; {graph} left as it was"
            )
        client.update(update_endpoint, f"MOVE GRAPH <{temporary}> TO GRAPH <{graph}>")
    except LoadError:
        client.update(update_endpoint, f"DROP SILENT GRAPH <{temporary}>")
        raise


def insert(graph: str, batch: list[ox.Triple]) -> str:
    """INSERT DATA, or INSERT {...} WHERE {} when the batch has blank nodes: Virtuoso 7
    refuses blank nodes in INSERT DATA, and the template form is standard too."""
    import pyoxigraph as ox

    body = ntriples(batch).decode("utf-8")
    has_blank = any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in batch
    )
    if has_blank:
        return f"INSERT {{ GRAPH <{graph}> {{\n{body}}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}"


def batches(triples: list[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Batches of about `size` triples that never split a blank node's triples: each
    request gets fresh blank nodes, so connected blank-node triples must travel together."""
    batch: list[ox.Triple] = []
    for group in blank_node_groups(triples):
        if batch and len(batch) + len(group) > size:
            yield batch
            batch = []
        batch.extend(group)
    if batch:
        yield batch


def blank_node_groups(triples: list[ox.Triple]) -> list[list[ox.Triple]]:
    """Triples without blank nodes alone; those sharing blank nodes grouped together."""
    import pyoxigraph as ox

    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def blanks(triple: ox.Triple) -> list[str]:
        return [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]

    for triple in triples:
        nodes = blanks(triple)
        for other in nodes[1:]:
            parent[find(other)] = find(nodes[0])
    groups: dict[str, list[ox.Triple]] = {}
    single: list[list[ox.Triple]] = []
    for triple in triples:
        nodes = blanks(triple)
        if nodes:
            groups.setdefault(find(nodes[0]), []).append(triple)
        else:
            single.append([triple])
    return single + list(groups.values())


# ---------------------------------------------------------------------------------------
# Output


def format_table(reports: list[GraphReport]) -> str:
    """The result table: graph, triples sent, triples read back, method, status."""
    header = ("graph", "sent", "read back", "method", "status")
    rows = [
        (
            r.graph,
            str(r.sent),
            "" if r.read_back is None else str(r.read_back),
            r.method,
            r.status + (f" ({r.error})" if r.error else ""),
        )
        for r in reports
    ]
    return table(header, rows)
