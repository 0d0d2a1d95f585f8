"""Render the whole site from a built store: one page per resource, the index pages, the
timeline, the network, the search page and the downloads, all from Jinja2 templates.

The site is written into a temporary sibling of `<out>/site` and renamed into place, so a
failure never leaves half a site. Output depends only on the graph and the source texts:
sorted everywhere, no clock, no random numbers.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hrkg import rdf as ns
from hrkg.publish.site import indexes, urls
from hrkg.publish.site.describe import Describer, Page
from hrkg.publish.site.evidence import read_sources, segments, span_of
from hrkg.publish.site.graph import OWL, SKOS, SiteGraph, local_name
from hrkg.publish.site.network import KINDS, build_network
from hrkg.publish.site.timeline import build_timeline
from hrkg.publish.site.values import Namer, name, sort_by_name

if TYPE_CHECKING:
    import jinja2
    import pyoxigraph as ox

H = ns.HRKG
STATIC_DIR = Path(__file__).with_name("static")


@dataclass(frozen=True)
class SiteReport:
    """What was written: where, how many pages and bytes, and how long it took."""

    site_dir: Path
    pages: int
    files: int
    bytes: int
    seconds: float
    cpu_seconds: float  # this process's CPU time: the measure that a busy machine skews least


@functools.cache
def environment() -> jinja2.Environment:
    """The template environment (compiled once per process; templates are package data)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hrkg.publish.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["page"] = urls.page_of
    return env


def render_site(store: ox.Store, out_dir: Path, sources_dir: Path | None) -> SiteReport:
    """Write `<out_dir>/site/` from `store`; source texts are read from `sources_dir`.

    The downloads page lists the dumps already in `out_dir` (the build writes them first).
    """
    started, cpu = time.perf_counter(), time.process_time()
    graph = SiteGraph.from_store(store)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-new-", dir=out_dir))
    try:
        writer = Writer(graph, read_sources(graph, sources_dir), staging, environment())
        writer.write_all(out_dir)
        target = out_dir / "site"
        old = None
        if target.exists():
            old = out_dir / f".site-old-{os.getpid()}"
            target.rename(old)
        staging.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = [p for p in target.rglob("*") if p.is_file()]
    return SiteReport(
        target,
        writer.pages,
        len(files),
        sum(p.stat().st_size for p in files),
        time.perf_counter() - started,
        time.process_time() - cpu,
    )


class Writer:
    """Renders templates into the staging folder; counts the pages it writes."""

    def __init__(
        self, graph: SiteGraph, sources: dict[str, Any], root: Path, env: jinja2.Environment
    ) -> None:
        self.graph = graph
        self.sources = sources
        self.root = root
        self.env = env
        self.describer = Describer(graph, sources)
        self.timeline = build_timeline(graph)
        self.on_timeline = {ns.KG + slug for slug, _ in self.timeline.actors}
        self.pages = 0

    def write(self, path: str, template: str, **context: Any) -> None:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        context.setdefault("n", Namer(self.graph, path))
        html = self.env.get_template(template).render(**context)
        target.write_text(html, encoding="utf-8")
        self.pages += 1

    def write_all(self, out_dir: Path) -> None:
        shutil.copytree(STATIC_DIR, self.root / "static")
        ontology_terms = []
        for iri in self.graph.subject_iris():
            if urls.file_of(iri) == urls.ONTOLOGY_PAGE:
                ontology_terms.append(iri)
                continue
            self.resource(iri)
        self.ontology(ontology_terms)
        g = self.graph
        for path, title, intro, sections in indexes.listings(g, self.describer):
            self.write(path, "listing.html", title=title, intro=intro, sections=sections)
        self.write(
            "designations.html",
            "designations.html",
            title="Designations: authority × designated actor",
            **indexes.designation_matrix(g, Namer(g, "designations.html")),
        )
        self.write("timeline.html", "timeline.html", title="Timeline", timeline=self.timeline)
        self.network()
        self.write(
            "search.html", "search.html", title="Search names", entries=indexes.search_entries(g)
        )
        self.write(
            "downloads.html",
            "downloads.html",
            title="Downloads",
            dumps=indexes.downloads(out_dir, "downloads.html"),
        )
        self.write("index.html", "home.html", title="Home", counts=indexes.counts(g))

    def resource(self, iri: str) -> None:
        page = self.describer.page(iri)
        context: dict[str, Any] = {
            "page": page,
            "title": page.title,
            "is_claim": self.graph.is_a(iri, H + "Claim"),
            "timeline_actor": local_name(iri) if iri in self.on_timeline else "",
            "text": self.source_text(page),
        }
        self.write(page.path, "resource.html", **context)

    def source_text(self, page: Page) -> dict[str, Any] | None:
        """For a source document with local text: its paragraphs with cited spans marked."""
        source = self.sources.get(page.iri)
        if source is None:
            return None
        g = self.graph
        n = Namer(g, page.path)
        spans = [span_of(g, e) for e in g.subjects("http://www.w3.org/ns/oa#hasSource", page.iri)]
        cited = [s for s in spans if not g.is_a(s.iri, H + "ExcludedPassage")]
        excluded = [s for s in spans if g.is_a(s.iri, H + "ExcludedPassage")]
        paragraphs = []
        for paragraph in source.paragraphs:
            number, first, last, _ = paragraph
            inside = [
                s
                for s in cited
                if s.start is not None and s.end is not None and first <= s.start and s.end <= last
            ]
            facts = sort_by_name(
                g,
                [
                    f
                    for s in inside
                    for f in g.subjects("http://www.w3.org/ns/prov#wasDerivedFrom", s.iri)
                ],
            )
            reasons = [
                g.one(s.iri, H + "exclusionReason") or "no reason given"
                for s in excluded
                if s.start is not None and first <= s.start <= last
            ]
            paragraphs.append(
                {
                    "number": number,
                    "segments": segments(paragraph, inside),
                    "facts": [n.link(f) for f in facts],
                    "excluded": "; ".join(sorted(reasons)),
                }
            )
        return {"paragraphs": paragraphs, "cited": sum(1 for p in paragraphs if p["facts"])}

    def ontology(self, terms: list[str]) -> None:
        g = self.graph
        n = Namer(g, urls.ONTOLOGY_PAGE)
        kinds = (
            ("classes", "Classes", OWL + "Class"),
            ("object-properties", "Object properties", OWL + "ObjectProperty"),
            ("datatype-properties", "Datatype properties", OWL + "DatatypeProperty"),
            ("annotation-properties", "Annotation properties", OWL + "AnnotationProperty"),
        )
        groups: list[dict[str, Any]] = [{"anchor": a, "title": t, "terms": []} for a, t, _ in kinds]
        others: dict[str, Any] = {"anchor": "other-terms", "title": "Other terms", "terms": []}
        external: dict[str, Any] = {
            "anchor": "external-terms",
            "title": "External terms used and aligned to",
            "terms": [],
        }
        header: dict[str, Any] = {"anchor": "header", "title": "The ontology", "terms": []}
        for iri in terms:
            page = self.describer.page(iri)
            page.fields = [(label, vs) for label, vs in page.fields]
            fragment = urls.page_of(iri).partition("#")[2]
            entry = {"anchor": fragment or "ontology", "page": page, "short": short(iri)}
            if iri == ns.ONTOLOGY_IRI:
                header["terms"].append(entry)
            elif not iri.startswith(ns.HRKG):
                external["terms"].append(entry)
            else:
                for group, (_a, _t, cls) in zip(groups, kinds, strict=True):
                    if cls in g.types(iri):
                        group["terms"].append(entry)
                        break
                else:
                    others["terms"].append(entry)
        schemes = [n.link(s) for s in sort_by_name(g, g.instances(SKOS + "ConceptScheme"))]
        self.write(
            urls.ONTOLOGY_PAGE,
            "ontology.html",
            title="Ontology",
            n=n,
            schemes=schemes,
            groups=[header, *groups, others, external],
        )

    def network(self) -> None:
        g = self.graph
        n = Namer(g, "network.html")
        net = build_network(g)
        pairs: dict[tuple[str, ...], list[int]] = {}
        for number, edge in enumerate(net.edges):
            pairs.setdefault(tuple(sorted((edge.source, edge.target))), []).append(number)
        drawn = []
        for number, edge in enumerate(net.edges):
            siblings = pairs[tuple(sorted((edge.source, edge.target)))]
            offset = (siblings.index(number) - (len(siblings) - 1) / 2) * 4.0
            x1, y1, x2, y2 = edge_line(
                net.position(edge.source),
                net.position(edge.target),
                offset,
                arrow=edge.kind != "met",
            )
            detail = f" ({edge.detail})" if edge.detail else ""
            drawn.append(
                {
                    "x1": x1,
                    "y1": y1,
                    "x2": x2,
                    "y2": y2,
                    "kind_index": KINDS.index(edge.kind) + 1,
                    "directed": edge.kind != "met",
                    "href": n.href(urls.page_of(edge.fact)),
                    "text": f"{name(g, edge.source)} — {edge.kind}{detail} — "
                    f"{name(g, edge.target)}: {name(g, edge.fact)}",
                }
            )
        nodes = [
            {
                "href": n.href(urls.page_of(iri)),
                "name": label,
                "x": x,
                "y": y,
                "ty": round(y - 11, 1),
                "anchor": label_anchor(x, label, net.size),
            }
            for iri, label, x, y in net.nodes
        ]
        listing = indexes.edge_table(g, n, net.edges)
        self.write(
            "network.html",
            "network.html",
            title="Actor network",
            n=n,
            net=net,
            drawn=drawn,
            nodes=nodes,
            kinds=KINDS,
            listing=listing,
        )


def label_anchor(x: float, label: str, size: float) -> str:
    """Centre a node's label unless it would run off the picture (about 6 px a letter)."""
    half = len(label) * 3.2
    return "end" if x + half > size - 4 else "start" if x - half < 4 else "middle"


def edge_line(
    start: tuple[float, float], end: tuple[float, float], offset: float, arrow: bool
) -> tuple[float, float, float, float]:
    """An edge's line: moved sideways by `offset` (parallel edges stay apart) and stopped
    short of the target node so that its arrowhead shows."""
    import math

    (x1, y1), (x2, y2) = start, end
    length = max(math.hypot(x2 - x1, y2 - y1), 0.01)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    px, py = -uy * offset, ux * offset
    back = 10.0 if arrow else 0.0
    return (
        round(x1 + px, 1),
        round(y1 + py, 1),
        round(x2 + px - ux * back, 1),
        round(y2 + py - uy * back, 1),
    )


def short(iri: str) -> str:
    for prefix, base in ns.PREFIXES.items():
        if iri.startswith(base) and local_name(iri) == iri[len(base) :]:
            return f"{prefix}:{iri[len(base) :]}"
    return iri
