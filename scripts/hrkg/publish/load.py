"""`hrkg load`: put the built dump into a triple store, replace-not-append, then verify.

The dump is first checked against the build's record (dist/manifest.json, see
hrkg.publish.manifest): a dump cut short, emptied or edited since the build is refused
before any store is touched. Default target: the embedded pyoxigraph store (dist/store),
rebuilt beside the old one and swapped in only after its counts match the record. Remote
endpoints (Graph Store Protocol, SPARQL Update) are hrkg.publish.remote's job.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg.publish.http import LoadError
from hrkg.publish.lock import held
from hrkg.publish.manifest import MANIFEST, ManifestError, check_bytes, check_graphs, read_manifest
from hrkg.publish.swap import staging_dir, swap_in
from hrkg.text import table

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["GraphReport", "LoadError", "format_table", "load_embedded", "read_dump"]


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


def read_dump(dump: Path, verify: bool = True) -> dict[str, list[ox.Triple]]:
    """Distinct triples of each named graph, in file order, checked against the build's
    record beside the dump (unless `verify` is off). The file is read once: the bytes
    checked are the bytes parsed. Default-graph triples are refused: the build puts
    everything into named graphs, and a GSP load needs a graph name."""
    import pyoxigraph as ox

    if not dump.is_file():
        raise LoadError(f"no dump at {dump}: run `hrkg build` first")
    try:
        data = dump.read_bytes()
    except OSError as err:
        raise LoadError(f"cannot read {dump}: {err.strerror or err}") from None
    try:
        manifest = read_manifest(dump.parent / MANIFEST) if verify else None
        if manifest is not None:
            check_bytes(manifest, dump.name, data)
        fmt = ox.RdfFormat.from_extension(dump.suffix.lstrip(".")) or ox.RdfFormat.N_QUADS
        graphs: dict[str, dict[ox.Triple, None]] = {}
        for quad in ox.parse(data, format=fmt):
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise LoadError(f"{dump} has triples outside named graphs; not loading")
            graphs.setdefault(quad.graph_name.value, {})[quad.triple] = None
        if manifest is not None:
            check_graphs(manifest, dump.name, {g: len(t) for g, t in graphs.items()})
    except ManifestError as err:
        raise LoadError(f"refusing {dump}: {err}") from None
    except SyntaxError as err:
        raise LoadError(f"cannot parse {dump}: {err}") from None
    if not graphs:
        raise LoadError(f"{dump} holds no triples; not loading (it would empty the store)")
    return {graph: list(triples) for graph, triples in graphs.items()}


# ---------------------------------------------------------------------------------------
# Embedded store


def load_embedded(
    graphs: dict[str, list[ox.Triple]], store_dir: Path, progress: Callable[[str], None]
) -> list[GraphReport]:
    """Build a new store beside `store_dir`, verify it, then swap it in.

    The old store stays untouched until the new one is complete and verified, so an
    interrupted load changes nothing; `store_dir` becomes a link to the new generation
    (hrkg.publish.swap), switched in one step; loads of one store queue on its lock. Restart
    `hrkg serve` afterwards.
    """
    store_dir = store_dir.parent.resolve() / store_dir.name  # the link itself, not its target
    with held(store_dir, "load"):
        return load_locked(graphs, store_dir, progress)


def load_locked(
    graphs: dict[str, list[ox.Triple]], store_dir: Path, progress: Callable[[str], None]
) -> list[GraphReport]:
    import pyoxigraph as ox

    fresh = staging_dir(store_dir)
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
    except OSError as err:  # the disk full, a read-only folder: the old store stays
        reason = err.strerror or err
        where = err.filename or fresh
        raise LoadError(f"cannot write {where}: {reason}; {store_dir} left as it was") from None
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
