"""SHACL over the parts of the data (hrkg.pipeline.shacl_units), cached by content, in parallel.

Each part's core-SHACL results are stored under a hash of everything they depend on: the part's
own triples, the shared graphs, the ontology, the shapes and the engine versions. An unchanged
part costs a file read on the next build; a change to a shared input changes every key, so
everything is validated again, and the summary says so. Parts not in the cache are validated in
a process pool bounded by the cores. The SPARQL constraints hrkg runs itself run once over the
whole store, as they read across parts by design.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg import rdf
from hrkg import rdf as ns
from hrkg.cache import ContentCache, code_of, digest, write_atomically
from hrkg.pipeline import shacl_report, shacl_units
from hrkg.pipeline.shacl import result_order, validate_core
from hrkg.pipeline.shacl_report import ShapeResult
from hrkg.pipeline.shacl_units import inverse_predicates, plan_units, sparql_shapes

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib

ENGINES = ("pyshacl", "rdflib", "pyoxigraph", "hrkg")
POOL_THRESHOLD = 4  # fewer parts to validate than this: in this process (a pool costs ~1 s)


@dataclass(frozen=True)
class PartsReport:
    """What the partitioned validation did, for the build's output."""

    parts: int
    validated: int
    cached: int
    whole_reason: str
    shared_changed: bool


def versions() -> str:
    found = []
    for name in ENGINES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return ";".join(found)


def n_triples(quads: list[ox.Quad]) -> bytes:
    """The quads' triples as N-Triples in their given order (deterministic input bytes)."""
    import pyoxigraph as ox

    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def graph_of(*chunks: bytes) -> rdflib.Graph:
    import pyoxigraph as ox

    from hrkg.rdf import to_rdflib_graph

    quads = [
        ox.Quad(t.subject, t.predicate, t.object)
        for chunk in chunks
        for t in ox.parse(chunk, format=ox.RdfFormat.N_TRIPLES)
    ]
    return to_rdflib_graph(quads)


def validate_part(part_nt: bytes, shared_nt: bytes, ontology_nt: bytes, core_nt: bytes) -> str:
    """Core SHACL of one part (runs in a worker process); results as JSON text."""
    data, ontology, core = graph_of(shared_nt, part_nt), graph_of(ontology_nt), graph_of(core_nt)
    results = validate_core(data, ontology, core, inplace=True)
    return json.dumps([asdict(r) for r in results], sort_keys=True)


def run_parts(jobs: list[tuple[bytes, bytes, bytes, bytes]], workers: int) -> list[str]:
    """Validate parts, in a process pool when there are enough of them."""
    if len(jobs) < POOL_THRESHOLD or workers <= 1:
        return [validate_part(*job) for job in jobs]
    from hrkg.pipeline.workers import map_in_processes

    return map_in_processes(validate_part, jobs, workers)


def validate_parts(
    by_graph: dict[str, list[ox.Quad]],
    shapes: rdflib.Graph,
    store: ox.Store,
    cache_dir: Path | None,
    workers: int,
    part_local: frozenset[str] = frozenset(),
) -> tuple[list[ShapeResult], PartsReport]:
    """SHACL of the whole dataset, part by part; the same results as one pyshacl run.

    `store` holds every quad (named graphs; its union is the data and the ontology) for the
    SPARQL constraints. With `cache_dir` None nothing is read or written. `part_local` names
    the shapes (full IRIs) whose SPARQL the project declares part-local.
    """
    from hrkg.pipeline.shacl_sparql import run_constraints, split_shapes

    core, sparql_constraints = split_shapes(shapes)
    undeclared = tuple(s for s in sparql_shapes(core) if s not in part_local)
    plan = plan_units(by_graph, inverse_predicates(core), undeclared)
    core_nt = n_triples_of_graph(core)
    ontology_nt = n_triples(by_graph.get(ns.GRAPH_ONTOLOGY, []))
    shared_nt = n_triples([q for g in plan.shared_graphs for q in by_graph[g]])
    code = code_of(__file__, shacl_report.__file__, shacl_units.__file__, rdf.__file__)
    base_key = digest(versions().encode(), code, core_nt, ontology_nt, shared_nt)
    cache = ContentCache(cache_dir) if cache_dir is not None else None

    results: list[ShapeResult] = []
    todo: list[tuple[int, str, bytes]] = []
    used: set[str] = set()
    for index, unit in enumerate(plan.units):
        part_nt = n_triples([q for g in unit.graphs for q in by_graph[g]])
        key = digest(base_key.encode(), part_nt)
        used.add(key)
        found = read_entry(cache.get(key)) if cache is not None else None
        if found is None:
            todo.append((index, key, part_nt))
        else:
            results += [r for r in found if plan.owns(index, r.focus)]
    outputs = run_parts([(nt, shared_nt, ontology_nt, core_nt) for _, _, nt in todo], workers)
    for (index, key, _nt), text in zip(todo, outputs, strict=True):
        if cache is not None:
            cache.put(key, text)  # best effort: a cache that cannot be written costs time only
        results += [r for r in read_results_json(text) if plan.owns(index, r.focus)]
    shared_changed = False
    if cache is not None:
        shared_changed = remember_base(cache, base_key)
        cache.prune(used)
    results += run_constraints(store, sparql_constraints)
    report = PartsReport(
        parts=len(plan.units),
        validated=len(todo),
        cached=len(plan.units) - len(todo),
        whole_reason=plan.whole_reason,
        shared_changed=shared_changed,
    )
    return sorted(results, key=result_order), report


def read_results_json(text: str) -> list[ShapeResult]:
    return [ShapeResult(**row) for row in json.loads(text)]


def n_triples_of_graph(graph: rdflib.Graph) -> bytes:
    """An rdflib graph as sorted N-Triples (its hash must not depend on rdflib's set order)."""
    lines = sorted(graph.serialize(format="nt").splitlines())
    return ("\n".join(lines) + "\n").encode()


BASE_FILE = "shared-inputs.sha256"


def remember_base(cache: ContentCache, base_key: str) -> bool:
    """Record the shared inputs' key; True when a previous build had other shared inputs."""
    path = cache.folder / BASE_FILE
    try:
        previous = path.read_text(encoding="utf-8").strip()
    except OSError:
        previous = ""
    with contextlib.suppress(OSError):  # best effort, like every cache write
        write_atomically(path, base_key + "\n")
    return bool(previous) and previous != base_key


def read_entry(text: str | None) -> list[ShapeResult] | None:
    """A cached part's results; None when missing or damaged (then it is validated again)."""
    if text is None:
        return None
    try:
        return read_results_json(text)
    except (ValueError, TypeError):
        return None
