"""Scaled copies of the project for tests and benchmarks: the article's source graph as N
renamed sources, each with its own statement, claim, evidence and source IRIs (and blank nodes),
all pointing at the same shared entities — as quads (`scaled_quads`) or as a project folder with
its own source texts (`scaled_project`)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

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


def scaled_project(target: Path, copies: int, sources_dir: Path) -> Path:
    """Write the project with `copies` renamed copies of the article into `target`; the
    source texts go to `target`/sources (pass it as HRKG_SOURCES_DIR). Expected query answers
    are left out: they describe the real project; so are the cited reports, which point at the
    article's own nodes."""
    for part in ("ontology", "shapes", "queries", "data/entities"):
        shutil.copytree(ROOT / part, target / part)
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    data = target / "data" / "sources"
    texts = target / "sources"
    data.mkdir(parents=True)
    texts.mkdir()
    original = ROOT / "data" / "sources" / f"{ARTICLE}.ttl"
    names = sorted(
        {
            t.subject.value.removeprefix(KG)
            for t in ox.parse(path=str(original), format=ox.RdfFormat.TURTLE)
            if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(KG)
        },
        key=len,
        reverse=True,
    )
    pattern = re.compile(r"\bkg:(" + "|".join(map(re.escape, names)) + r")(?![-\w])")
    turtle = original.read_text(encoding="utf-8")
    for index in range(copies):
        slug = f"{ARTICLE}-copy-{index:04d}"

        def rename(match: re.Match[str], slug: str = slug, index: int = index) -> str:
            name = match.group(1)
            return f"kg:source-{slug}" if name == f"source-{ARTICLE}" else f"kg:{name}-c{index:04d}"

        (data / f"{slug}.ttl").write_text(pattern.sub(rename, turtle), encoding="utf-8")
        counts = ROOT / "data" / "sources" / f"{ARTICLE}.counts.tsv"
        shutil.copy(counts, data / f"{slug}.counts.tsv")
        shutil.copy(sources_dir / f"{ARTICLE}.txt", texts / f"{slug}.txt")
    return texts
