"""Scaled copies of the project for tests and benchmarks: the article's source graph as N
renamed sources, each with its own statement, claim, evidence and source IRIs (and blank nodes),
all pointing at the same shared entities — as quads (`scaled_quads`) or as a project folder with
its own source texts (`scaled_project`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from hrkg import rdf as ns
from hrkg.rdf import graph_name

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "hamas-relations-with-russia"
KG = ns.KG


def scaled_quads(quads: list[ox.Quad], copies: int, slug: str = ARTICLE) -> list[ox.Quad]:
    """`quads` with `copies - 1` renamed copies of the source graph `slug` added."""
    source = ns.source_graph(slug)
    own = [q for q in quads if graph_name(q) == source]
    shared = {q.subject for q in quads if graph_name(q) != source}
    local = {
        q.subject
        for q in own
        if isinstance(q.subject, ox.NamedNode)
        and q.subject.value.startswith(ns.KG)
        and q.subject not in shared
    }
    out = list(quads)
    for n in range(1, copies):
        graph = ox.NamedNode(ns.source_graph(f"{slug}-copy-{n}"))

        def rename(term: ox.NamedNode | ox.BlankNode | ox.Literal, n: int = n) -> object:
            if isinstance(term, ox.BlankNode):
                return ox.BlankNode(f"{term.value}c{n}")
            if term in local:
                return ox.NamedNode(f"{term.value}-copy-{n}")
            return term

        out += [
            ox.Quad(rename(q.subject), q.predicate, rename(q.object), graph)  # type: ignore[arg-type]
            for q in own
        ]
    return out


def bench_scaled() -> Any:
    """bench/scaled.py, the one generator of scaled projects (loaded by path: bench/ is not a
    package, and its module name would clash with tests' own)."""
    import importlib.util

    if "bench_scaled" in sys.modules:
        return sys.modules["bench_scaled"]
    spec = importlib.util.spec_from_file_location("bench_scaled", ROOT / "bench" / "scaled.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_scaled"] = module
    spec.loader.exec_module(module)
    return module


def scaled_project(dest: Path, copies: int) -> Path:
    """A project folder of `copies` renamed copies of the article; returns the project, whose
    source texts are in `sources_of(dest)`, the folder HRKG_SOURCES_DIR must name."""
    return Path(bench_scaled().make_project(dest, copies).project)


def sources_of(dest: Path) -> Path:
    """The source-text folder of a project made by `scaled_project(dest, …)`."""
    return dest / "shared" / "sources"


def edit_copy(project: Path, index: int) -> Path:
    """Change one literal of copy `index`, as an author would; returns the file changed."""
    return Path(bench_scaled().touch_source(project, index, 1))
