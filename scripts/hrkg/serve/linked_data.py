"""Dereferencing the graph's IRIs: `/id/<slug>` answers a browser with the site's page and an
RDF client with the resource's description (Turtle, N-Triples or JSON-LD), by content
negotiation or by the suffixes `.ttl`, `.nt`, `.jsonld`; every answer says `Vary: Accept`.

`describe` is what "the resource's description" means here: every asserted triple with the
resource as subject or object, the blank nodes its own triples lead to (selectors, lists),
and the evidence it is derived from with that evidence's selectors. The inferred graph is
left out (it is a separate download). The functions are pure; `LinkedData` holds the paths
and a read-only store for the HTTP server.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg import rdf as ns
from hrkg.publish.site import urls

if TYPE_CHECKING:
    import pyoxigraph as ox

PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
HTML = "text/html"
RDF_TYPES = {  # media type -> (suffix, content type)
    "text/turtle": (".ttl", "text/turtle; charset=utf-8"),
    "application/n-triples": (".nt", "application/n-triples"),
    "application/ld+json": (".jsonld", "application/ld+json"),
}
OFFERS = {
    HTML: "html",
    "text/turtle": "rdf",
    "application/x-turtle": "rdf",
    "application/n-triples": "rdf",
    "text/plain": "rdf",
    "application/ld+json": "rdf",
    "application/json": "rdf",
}
ALIASES = {
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json": "application/ld+json",
}
SUFFIXES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".html": HTML,
}
STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
DUMP_TYPES = {
    "hrkg.trig": "application/trig",
    "hrkg.nq": "application/n-quads",
    "hrkg.ttl": "text/turtle; charset=utf-8",
    "hrkg.nt": "application/n-triples",
    "hrkg.jsonld": "application/ld+json",
    "hrkg.context.jsonld": "application/ld+json",
    "hrkg-inferred.nt": "application/n-triples",
    "void.ttl": "text/turtle; charset=utf-8",
}


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, Content-Type, body (the server adds Vary: Accept)."""

    status: int
    content_type: str
    body: bytes


def text_answer(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode())


def describe(store: ox.Store, iri: str) -> list[ox.Triple]:
    """The description of `iri`: see the module docstring. Sorted, without duplicates."""
    import pyoxigraph as ox

    inferred = ox.NamedNode(ns.GRAPH_INFERRED)
    node = ox.NamedNode(iri)
    found: set[ox.Triple] = set()

    def asserted(
        subject: ox.NamedNode | ox.BlankNode | None, obj: ox.NamedNode | ox.BlankNode | None
    ) -> list[ox.Triple]:
        return [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(subject, None, obj, None)
            if q.graph_name != inferred
        ]

    def closure(subject: ox.NamedNode | ox.BlankNode) -> None:
        """The subject's triples and, recursively, those of the blank nodes they reach."""
        todo = [subject]
        seen = set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for triple in asserted(current, None):
                found.add(triple)
                if isinstance(triple.object, ox.BlankNode):
                    todo.append(triple.object)

    closure(node)
    found.update(asserted(None, node))
    for triple in list(found):
        if (
            triple.subject == node
            and triple.predicate.value == PROV_DERIVED
            and isinstance(triple.object, ox.NamedNode)
        ):
            closure(triple.object)
    return sorted(found, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def serialize(triples: list[ox.Triple], media_type: str) -> bytes:
    import pyoxigraph as ox

    formats = {
        "text/turtle": ox.RdfFormat.TURTLE,
        "application/n-triples": ox.RdfFormat.N_TRIPLES,
        "application/ld+json": ox.RdfFormat.JSON_LD,
    }
    prefixes = ns.PREFIXES if media_type == "text/turtle" else None
    return ox.serialize(triples, format=formats[media_type], prefixes=prefixes) or b""


def choose(path: str, accept: str) -> tuple[str, str | None]:
    """(path without a format suffix, the media type asked for, or None if none fits)."""
    for suffix, media in SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], media
    chosen = negotiate(accept, list(OFFERS))
    return path, ALIASES.get(chosen, chosen) if chosen else None


def negotiate(accept: str, offers: list[str]) -> str | None:
    """The offer the Accept header ranks highest (RFC 9110 q-values; on a tie, the more
    specific range, then the order of `offers`), or None when it accepts none of them.

    Kept here, small, so this module does not depend on the endpoint's own negotiation.
    """
    ranges = []
    for part in (accept or "*/*").split(","):
        media, *params = [p.strip() for p in part.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if media:
            ranges.append((media.lower(), quality))
    best: tuple[float, int, str] | None = None
    for order, offer in enumerate(offers):
        kind = offer.split("/")[0]
        matches = [
            (2 if m == offer else 1 if m == f"{kind}/*" else 0, q)
            for m, q in ranges
            if m in (offer, f"{kind}/*", "*/*")
        ]
        if not matches:
            continue
        quality = max(matches)[1]  # the most specific range decides
        if quality > 0 and (best is None or (quality, -order) > (best[0], -best[1])):
            best = (quality, order, offer)
    return best[2] if best else None


@dataclass
class LinkedData:
    """The site folder, the distribution folder and the store the server answers from."""

    store_path: Path
    site_dir: Path
    dist_dir: Path

    def __post_init__(self) -> None:
        self._store: ox.Store | None = None
        self._lock = threading.Lock()

    @classmethod
    def beside(cls, store_path: Path) -> LinkedData:
        """The usual layout: dist/store, dist/site and the dumps in dist/."""
        return cls(store_path, store_path.parent / "site", store_path.parent)

    def store(self) -> ox.Store:
        import pyoxigraph as ox

        with self._lock:
            if self._store is None:
                self._store = ox.Store.read_only(str(self.store_path))
            return self._store

    def respond(self, path: str, accept: str) -> Answer | None:
        """The answer for a GET of `path`, or None when the path is not the site's."""
        if urls.iri_of(path) is not None:
            return self.resource(path, accept)
        relative = path.lstrip("/")
        if relative in DUMP_TYPES and (self.dist_dir / relative).is_file():
            return Answer(200, DUMP_TYPES[relative], (self.dist_dir / relative).read_bytes())
        target = self.site_file(relative or "index.html")
        if target is None:
            return None
        return Answer(
            200, STATIC_TYPES.get(target.suffix, "application/octet-stream"), target.read_bytes()
        )

    def site_file(self, relative: str) -> Path | None:
        root = self.site_dir.resolve()
        target = (root / relative).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return None
        return target

    def resource(self, path: str, accept: str) -> Answer:
        base, media = choose(path, accept)
        iri = urls.iri_of(base)
        assert iri is not None
        if media is None:
            return text_answer(
                406,
                "Not Acceptable. A resource is served as text/html, "
                "text/turtle, application/n-triples or application/ld+json.",
            )
        if media == HTML:
            page = self.site_file(urls.file_of(iri))
            if page is None:
                if not self.site_dir.is_dir():
                    return text_answer(404, f"No site at {self.site_dir}: run `hrkg build`.")
                return text_answer(404, f"No page for {iri}.")
            return Answer(200, STATIC_TYPES[".html"], page.read_bytes())
        triples = describe(self.store(), iri)
        if not triples:
            return text_answer(404, f"The graph says nothing about {iri}.")
        return Answer(200, RDF_TYPES[media][1], serialize(triples, media))
