"""`hrkg load --endpoint/--update-endpoint`: a remote store loaded all or nothing.

With an Update endpoint the load is atomic: every graph is first staged into a temporary
graph (by Graph Store Protocol PUT, or by batches of SPARQL Update INSERT when GSP is
refused or absent), each staged graph's count is checked, and one Update request then MOVEs
them all onto their real names (and drops the pruned graphs). SPARQL 1.1 Update §3 says a
request SHOULD be atomic; Oxigraph runs it in one transaction, so a failure or a kill at any
point leaves every graph as it was. With the Graph Store Protocol alone (no MOVE exists)
each graph's old content is fetched first and PUT back when a later graph fails; a server
that dies mid-load cannot be rolled back, and the error says which graphs changed.

Temporary graphs (urn:hrkg:load:<run>:<n>) are dropped on every path; those of a run that
died are dropped by the next one. Counts are read back with SELECT COUNT, or by GSP GET where
the query endpoint refuses (Oxigraph's /store answers 415 to a query).
"""

from __future__ import annotations

import argparse
import json
import os
import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hrkg.publish.http import Client, LoadError, check_url, redact, snippet, with_param
from hrkg.publish.load import GraphReport, count_query

if TYPE_CHECKING:
    import pyoxigraph as ox

TEMP_PREFIX = "urn:hrkg:load:"
# HTTP answers that mean "this endpoint does not do that protocol"
REFUSED = {400, 403, 404, 405, 406, 415, 501}
# N-Triples is the exact media type; every Turtle store takes it as Turtle too
MEDIA_TYPES = ("application/n-triples", "text/turtle; charset=utf-8")


@dataclass
class Target:
    """The endpoints of one remote store and what they turned out to accept."""

    client: Client
    gsp: str | None
    update: str | None
    query: str | None
    batch_size: int
    progress: Callable[[str], None]
    use_gsp: bool
    fallback: bool  # may switch from GSP to Update when GSP is refused
    media_type: str = MEDIA_TYPES[0]
    count_by_get: bool = False
    created: list[str] = field(default_factory=list)

    # --- Graph Store Protocol -------------------------------------------------------------

    def put(self, graph: str, body: bytes) -> tuple[int, bytes]:
        """PUT `body` as `graph`; a 415 for N-Triples is retried once as Turtle."""
        assert self.gsp
        url = with_param(self.gsp, "graph", graph)
        status, answer = self.client.send("PUT", url, body, self.media_type)
        if status == 415 and self.media_type == MEDIA_TYPES[0]:
            self.media_type = MEDIA_TYPES[1]
            status, answer = self.client.send("PUT", url, body, self.media_type)
        return status, answer

    def get(self, graph: str) -> list[ox.Triple] | None:
        """The graph's triples, None when the store has no such graph. Asked for N-Triples;
        read as Turtle, which N-Triples is a subset of, in case the store sends Turtle."""
        import pyoxigraph as ox

        assert self.gsp
        status, answer = self.client.send(
            "GET",
            with_param(self.gsp, "graph", graph),
            accept="application/n-triples, text/turtle;q=0.9",
        )
        if status == 404:
            return None
        if not 200 <= status < 300:
            raise LoadError(f"GET {graph} from {redact(self.gsp)}: HTTP {status} {snippet(answer)}")
        try:
            return [q.triple for q in ox.parse(answer, format=ox.RdfFormat.TURTLE)]
        except SyntaxError as err:
            raise LoadError(f"unreadable graph {graph} from {redact(self.gsp)}: {err}") from None

    def delete(self, graph: str) -> None:
        assert self.gsp
        status, answer = self.client.send("DELETE", with_param(self.gsp, "graph", graph))
        if not (200 <= status < 300 or status == 404):
            raise LoadError(f"DELETE {graph}: HTTP {status} {snippet(answer)}")

    # --- SPARQL Update and Query ----------------------------------------------------------

    def run_update(self, update: str) -> None:
        assert self.update
        body = urllib.parse.urlencode({"update": update}).encode()
        status, answer = self.client.send(
            "POST", self.update, body, "application/x-www-form-urlencoded"
        )
        if not 200 <= status < 300:
            raise LoadError(
                f"SPARQL Update refused by {redact(self.update)}: HTTP {status} {snippet(answer)}"
            )

    def select(self, query: str) -> list[dict[str, str]] | None:
        """Rows of a SELECT (variable -> value), None when no endpoint answers queries."""
        if not self.query:
            return None
        body = urllib.parse.urlencode({"query": query}).encode()
        status, answer = self.client.send(
            "POST",
            self.query,
            body,
            "application/x-www-form-urlencoded",
            accept="application/sparql-results+json",
        )
        if status in REFUSED:
            return None
        if status != 200:
            raise LoadError(
                f"query refused by {redact(self.query)}: HTTP {status} {snippet(answer)}"
            )
        try:
            rows = json.loads(answer)["results"]["bindings"]
            return [{k: str(v["value"]) for k, v in row.items()} for row in rows]
        except (ValueError, KeyError, TypeError) as err:
            raise LoadError(f"unreadable answer from {redact(self.query)}: {err}") from None

    def count(self, graph: str) -> int:
        """Triples in `graph`: by SELECT COUNT, else by GSP GET and counting lines."""
        if not self.count_by_get:
            rows = self.select(count_query(graph))
            if rows is not None:
                return int(rows[0]["n"]) if rows else 0
            if not self.gsp:
                raise LoadError("no endpoint answers the count query: give --query-endpoint")
            self.count_by_get = True
        triples = self.get(graph)
        return 0 if triples is None else len(set(triples))

    def graphs(self, prefix: str) -> list[str] | None:
        """Named graphs of the store whose IRI starts with `prefix` (None: cannot list)."""
        literal = json.dumps(prefix)
        rows = self.select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER STRSTARTS(STR(?g), {literal}) }}"
        )
        return None if rows is None else sorted(row["g"] for row in rows)

    def drop(self, graph: str) -> None:
        if self.update:
            self.run_update(f"DROP SILENT GRAPH <{graph}>")
        else:
            self.delete(graph)


# ---------------------------------------------------------------------------------------
# The load


def target_of(args: argparse.Namespace, progress: Callable[[str], None]) -> Target:
    endpoint = check_url(args.endpoint) if args.endpoint else None
    update = check_url(args.update_endpoint) if args.update_endpoint else None
    query = check_url(args.query_endpoint) if args.query_endpoint else (update or endpoint)
    if args.protocol == "update" and not update:
        raise LoadError("--protocol update needs --update-endpoint")
    if args.protocol == "gsp" and not endpoint:
        raise LoadError("--protocol gsp needs --endpoint")
    if getattr(args, "prune", False) and not (args.query_endpoint or update or endpoint):
        raise LoadError("--prune needs an endpoint that answers queries")
    urls = [u for u in (endpoint, update, query) if u]
    return Target(
        client=Client(urls, args.timeout),
        gsp=endpoint,
        update=update if args.protocol != "gsp" else None,
        query=query,
        batch_size=args.batch_size,
        progress=progress,
        use_gsp=endpoint is not None and args.protocol != "update",
        fallback=args.protocol == "auto" and update is not None,
    )


def load_remote(
    graphs: dict[str, list[ox.Triple]], args: argparse.Namespace, progress: Callable[[str], None]
) -> list[GraphReport]:
    """Load every graph or none, then read every count back: one report per graph and per
    pruned graph. A failure before the commit raises LoadError saying the store was left
    as it was (or, with GSP alone, what the rollback did)."""
    target = target_of(args, progress)
    warn_shared_blank_nodes(graphs, progress)
    started = time.perf_counter()
    try:
        drop_stale(target)
        pruned = to_prune(target, graphs) if getattr(args, "prune", False) else []
        if target.update:
            method = stage_and_move(target, graphs, pruned)
        else:
            method = put_with_rollback(target, graphs, pruned)
    except LoadError as err:
        kept = "" if "restore" in str(err).lower() else "; every graph was left as it was"
        raise LoadError(f"{err}{kept}") from None
    finally:
        clean_up(target)
    progress(f"  {len(graphs)} graphs via {method} in {time.perf_counter() - started:.2f} s")
    reports = [GraphReport(g, len(t), method=method) for g, t in graphs.items()]
    reports += [GraphReport(g, 0, method="pruned") for g in pruned]
    for report in reports:
        try:
            report.read_back = target.count(report.graph)
        except LoadError as err:  # loaded, but the count could not be read back
            report.error = f"loaded; count not read back: {err}"
    return reports


def stage_and_move(target: Target, graphs: dict[str, list[ox.Triple]], pruned: list[str]) -> str:
    """Stage each graph in a temporary graph, check its count, then one atomic request."""
    run = uuid.uuid4().hex
    temporary = {}
    methods = set()
    for index, (graph, triples) in enumerate(graphs.items()):
        temp = f"{TEMP_PREFIX}{run}:{index}"
        target.created.append(temp)
        temporary[graph] = temp
        methods.add(stage(target, graph, temp, triples))
        staged = target.count(temp)
        if staged != len(triples):
            raise LoadError(f"{graph}: the store holds {staged} of {len(triples)} staged triples")
        target.progress(f"  staged {graph}: {len(triples)} triples")
    operations = [f"MOVE GRAPH <{temporary[g]}> TO GRAPH <{g}>" for g in graphs]
    operations += [f"DROP SILENT GRAPH <{g}>" for g in pruned]
    if operations:
        target.run_update(" ;\n".join(operations))
    target.created.clear()  # moved onto the real graphs: nothing left to drop
    return "+".join(sorted(methods)) + "+MOVE" if methods else "MOVE"


def stage(target: Target, graph: str, temp: str, triples: list[ox.Triple]) -> str:
    """Put `triples` into the temporary graph `temp`; returns the method used."""
    if target.use_gsp:
        status, answer = target.put(temp, ntriples(triples))
        if 200 <= status < 300:
            return "GSP PUT"
        if status in REFUSED and target.fallback:
            target.progress(f"Graph Store Protocol refused (HTTP {status}); using SPARQL Update")
            target.use_gsp = False
        else:
            raise LoadError(
                f"PUT {graph}: HTTP {status} {snippet(answer)}"
                + (" (check the credentials)" if status == 401 else "")
            )
    for batch in batches(triples, target.batch_size):
        target.run_update(insert(temp, batch))
    return "Update"


def put_with_rollback(target: Target, graphs: dict[str, list[ox.Triple]], pruned: list[str]) -> str:
    """Graph Store Protocol only: PUT each graph, verify it, and on any failure put back
    the old content of every graph already changed."""
    backups = {g: target.get(g) for g in [*graphs, *pruned]}
    changed: list[str] = []
    try:
        for graph, triples in graphs.items():
            changed.append(graph)
            status, answer = target.put(graph, ntriples(triples))
            if not 200 <= status < 300:
                raise LoadError(
                    f"PUT {graph}: HTTP {status} {snippet(answer)}"
                    + (" (check the credentials)" if status == 401 else "")
                )
            held = target.count(graph)
            if held != len(triples):
                raise LoadError(f"{graph}: the store holds {held} of {len(triples)} triples")
            target.progress(f"  {graph}: {len(triples)} triples")
        for graph in pruned:
            changed.append(graph)
            target.delete(graph)
    except LoadError as err:
        raise LoadError(f"{err}; {roll_back(target, changed, backups)}") from None
    return "GSP PUT"


def roll_back(
    target: Target, changed: list[str], backups: dict[str, list[ox.Triple] | None]
) -> str:
    """Put the old content back; says what it did, and which graphs it could not restore."""
    failed = []
    for graph in changed:
        old = backups[graph]
        try:
            if old is None:
                target.delete(graph)
            else:
                status, _ = target.put(graph, ntriples(old))
                if not 200 <= status < 300:
                    raise LoadError(f"HTTP {status}")
        except LoadError:
            failed.append(graph)
    if failed:
        return f"COULD NOT RESTORE {len(failed)} graph(s): {', '.join(failed)}"
    return f"the {len(changed)} graph(s) already changed were restored"


def drop_stale(target: Target) -> None:
    """Drop temporary graphs left by loads that died (needs an endpoint answering queries)."""
    for graph in target.graphs(TEMP_PREFIX) or []:
        target.progress(f"dropping {graph}, left by an earlier load that broke off")
        target.drop(graph)


def to_prune(target: Target, graphs: dict[str, list[ox.Triple]]) -> list[str]:
    """Graphs of the store in the dump's graph namespace that the dump no longer has."""
    namespace = graph_namespace(list(graphs))
    if not namespace:
        raise LoadError("--prune: the dump's graphs share no namespace to prune within")
    present = target.graphs(namespace)
    if present is None:
        raise LoadError("--prune needs an endpoint that answers queries (--query-endpoint)")
    return [g for g in present if g not in graphs]


def graph_namespace(names: list[str]) -> str:
    """The common start of the graph IRIs, cut after its last '/' or '#'."""
    if not names:
        return ""
    first, last = min(names), max(names)
    common = os.path.commonprefix([first, last])  # noqa: RUF071 - IRIs, not paths
    cut = max(common.rfind("/"), common.rfind("#"))
    namespace = common[: cut + 1]
    return namespace if "://" in namespace and not namespace.endswith("://") else ""


def clean_up(target: Target) -> None:
    """Drop the temporary graphs this run made that still exist (after MOVE none do)."""
    left = []
    for graph in target.created:
        try:
            target.drop(graph)
        except LoadError:
            left.append(graph)
    if left:
        target.progress(
            f"warning: {len(left)} temporary graph(s) could not be dropped now; "
            "the next `hrkg load` drops them"
        )
    target.created.clear()


# ---------------------------------------------------------------------------------------
# N-Triples and Update bodies


def ntriples(triples: Iterable[ox.Triple]) -> bytes:
    import pyoxigraph as ox

    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b""


def warn_shared_blank_nodes(
    graphs: dict[str, list[ox.Triple]], progress: Callable[[str], None]
) -> None:
    """Blank nodes used in more than one graph: per-graph loading would split them."""
    import pyoxigraph as ox

    seen: dict[str, str] = {}
    shared: set[str] = set()
    for graph, triples in graphs.items():
        for triple in triples:
            for term in (triple.subject, triple.object):
                if isinstance(term, ox.BlankNode) and seen.setdefault(term.value, graph) != graph:
                    shared.add(term.value)
    if shared:
        progress(
            f"warning: {len(shared)} blank nodes occur in more than one graph; "
            "loading graph by graph gives each graph its own copy"
        )


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
