"""Where each IRI's page lives in the site, and back: the site mirrors the IRIs' paths.

`https://w3id.org/hrkg/id/hamas` is `id/hamas.html`, `…/vocab/<scheme>/<concept>` is
`vocab/<scheme>/<concept>.html`, `…/ontology#Person` is `ontology.html#Person`. Links between
pages are relative, so the folder works from disk (file://) as well as behind `hrkg serve`,
which answers `/id/hamas` with the page (or RDF, by content negotiation).
"""

from __future__ import annotations

import functools
import re

from hrkg import rdf as ns

ONTOLOGY_PAGE = "ontology.html"


@functools.lru_cache(maxsize=65536)
def page_of(iri: str) -> str:
    """The site path (with any #fragment) of the page describing `iri`.

    IRIs outside the project (terms of PROV, SKOS …) are described on the ontology page,
    under an anchor made from the IRI.
    """
    if iri.startswith(ns.KG) and safe(iri[len(ns.KG) :]):
        return f"id/{iri[len(ns.KG) :]}.html"
    if iri.startswith(ns.VOCAB) and safe(iri[len(ns.VOCAB) :]):
        return f"vocab/{iri[len(ns.VOCAB) :]}.html"
    if iri == ns.ONTOLOGY_IRI:
        return ONTOLOGY_PAGE
    if iri.startswith(ns.HRKG) and safe(iri[len(ns.HRKG) :]):
        return f"{ONTOLOGY_PAGE}#{iri[len(ns.HRKG) :]}"
    return f"{ONTOLOGY_PAGE}#{external_anchor(iri)}"


def file_of(iri: str) -> str:
    """The file that holds `iri`'s page (the path without the fragment)."""
    return page_of(iri).split("#", 1)[0]


def iri_of(path: str) -> str | None:
    """The IRI a request path names (`/id/hamas`, `/id/hamas.html`, `/vocab/a/b`), or None."""
    path = path.lstrip("/")
    for suffix in (".html", ".ttl", ".nt", ".jsonld"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    if path.startswith("id/") and safe(path[3:]):
        return ns.KG + path[3:]
    if path.startswith("vocab/") and safe(path[6:]):
        return ns.VOCAB + path[6:]
    if path == "ontology":
        return ns.ONTOLOGY_IRI
    return None


def safe(rest: str) -> bool:
    """True for slugs that are plain path segments (no '..', no query, no fragment)."""
    return (
        bool(rest)
        and re.fullmatch(r"[A-Za-z0-9_~.-]+(/[A-Za-z0-9_~.-]+)*", rest) is not None
        and ".." not in rest.split("/")
    )


def external_anchor(iri: str) -> str:
    """A stable anchor for an external IRI: 'ext-' and its characters made safe."""
    body = re.sub(r"^https?://(www\.)?", "", iri)
    return "ext-" + re.sub(r"[^A-Za-z0-9]+", "-", body).strip("-")


@functools.lru_cache(maxsize=65536)
def relative(from_file: str, target: str) -> str:
    """The link from the page at `from_file` to `target` (a site path, maybe with #).

    Both are plain relative paths inside the site (no '.' or '..' segments but a leading
    '../' in `target` for files beside the site).
    """
    path, _, fragment = target.partition("#")
    if path == from_file:
        link = ""
    else:
        here = from_file.split("/")[:-1]
        there = path.split("/")
        common = 0
        while common < min(len(here), len(there) - 1) and here[common] == there[common]:
            common += 1
        link = "/".join([".."] * (len(here) - common) + there[common:])
    return f"{link}#{fragment}" if fragment else (link or path.rsplit("/", 1)[-1])
