"""Content negotiation: which serialisation of an answer a client gets.

Each result kind (solutions, boolean, graph) offers its media types in order of preference;
aliases (application/json for SPARQL JSON, text/xml, text/plain ...) are honoured when named
exactly but never match a wildcard, so `Accept: text/*` gets TSV or Turtle, not XML.
`?format=json|xml|csv|tsv|turtle|...` (or a media type) overrides the Accept header and is
read per kind: `format=json` is SPARQL JSON for a SELECT and JSON-LD for a CONSTRUCT.
"""

from __future__ import annotations

from dataclasses import dataclass

SOLUTIONS = "solutions"
BOOLEAN = "boolean"
GRAPH = "graph"


@dataclass(frozen=True)
class Format:
    """One serialisation: a key the serialiser understands and the Content-Type sent."""

    key: str
    media_type: str
    content_type: str


JSON = Format("json", "application/sparql-results+json", "application/sparql-results+json")
XML = Format("xml", "application/sparql-results+xml", "application/sparql-results+xml")
CSV = Format("csv", "text/csv", "text/csv; charset=utf-8")
TSV = Format("tsv", "text/tab-separated-values", "text/tab-separated-values; charset=utf-8")
TURTLE = Format("turtle", "text/turtle", "text/turtle; charset=utf-8")
NTRIPLES = Format("ntriples", "application/n-triples", "application/n-triples")
RDFXML = Format("rdfxml", "application/rdf+xml", "application/rdf+xml")
JSONLD = Format("jsonld", "application/ld+json", "application/ld+json")

# per kind: the offers in order of preference, then aliases (exact match only)
OFFERS: dict[str, list[Format]] = {
    SOLUTIONS: [JSON, XML, TSV, CSV],
    BOOLEAN: [JSON, XML, TSV, CSV],
    GRAPH: [TURTLE, NTRIPLES, RDFXML, JSONLD],
}
ALIASES: dict[str, dict[str, Format]] = {
    SOLUTIONS: {"application/json": JSON, "application/xml": XML, "text/xml": XML},
    BOOLEAN: {"application/json": JSON, "application/xml": XML, "text/xml": XML},
    GRAPH: {
        "application/x-turtle": TURTLE,
        "text/plain": NTRIPLES,
        "application/xml": RDFXML,
        "text/xml": RDFXML,
        "application/json": JSONLD,
    },
}
# ?format= keywords, per kind
KEYWORDS: dict[str, dict[str, Format]] = {
    SOLUTIONS: {"json": JSON, "xml": XML, "csv": CSV, "tsv": TSV},
    BOOLEAN: {"json": JSON, "xml": XML, "csv": CSV, "tsv": TSV},
    GRAPH: {
        "json": JSONLD,
        "jsonld": JSONLD,
        "json-ld": JSONLD,
        "xml": RDFXML,
        "rdfxml": RDFXML,
        "rdf": RDFXML,
        "turtle": TURTLE,
        "ttl": TURTLE,
        "nt": NTRIPLES,
        "ntriples": NTRIPLES,
        "n-triples": NTRIPLES,
    },
}
KNOWN_KEYWORDS = sorted({k for table in KEYWORDS.values() for k in table})


class NotAcceptable(Exception):
    """No serialisation the client accepts can be sent; str() says what can."""


def not_acceptable(kind: str, asked: str) -> NotAcceptable:
    offers = ", ".join(f.media_type for f in OFFERS[kind])
    return NotAcceptable(
        f"Not Acceptable: {asked!r} cannot be sent for this {kind} answer. "
        f"It can be sent as: {offers} (or ?format=...)."
    )


def parse_accept(header: str) -> list[tuple[str, float]]:
    """(media range, quality) pairs; a malformed q counts as 0."""
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = min(1.0, max(0.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((pieces[0].lower(), quality))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]], wildcards: bool) -> float:
    """The quality the client gives `media`: the most specific matching range wins."""
    best_level, best_q = -1, 0.0
    major = media.split("/")[0]
    for pattern, q in ranges:
        if pattern == media:
            level = 2
        elif wildcards and pattern == f"{major}/*":
            level = 1
        elif wildcards and pattern == "*/*":
            level = 0
        else:
            continue
        if level > best_level:
            best_level, best_q = level, q
    return best_q


def choose(kind: str, accept: str | None, format_param: str | None = None) -> Format:
    """The format to send for a result of `kind`; raises NotAcceptable."""
    if format_param:
        wanted = format_param.strip().lower()
        by_keyword = KEYWORDS[kind].get(wanted)
        if by_keyword:
            return by_keyword
        for offer in OFFERS[kind]:
            if offer.media_type == wanted.split(";")[0].strip():
                return offer
        alias = ALIASES[kind].get(wanted.split(";")[0].strip())
        if alias:
            return alias
        raise not_acceptable(kind, f"format={format_param}")
    ranges = parse_accept(accept or "") or [("*/*", 1.0)]
    best: tuple[float, int, Format] | None = None
    for order, offer in enumerate(OFFERS[kind]):
        q = _quality(offer.media_type, ranges, wildcards=True)
        if q > 0 and (best is None or q > best[0]):
            best = (q, order, offer)
    for media, offer in ALIASES[kind].items():
        q = _quality(media, ranges, wildcards=False)
        if q > 0 and (best is None or q > best[0]):
            best = (q, len(OFFERS[kind]), offer)
    if best is None:
        raise not_acceptable(kind, accept or "")
    return best[2]


def valid_format_keyword(value: str) -> bool:
    """Whether ?format= names something any result kind can be sent as."""
    wanted = value.strip().lower()
    if wanted in KNOWN_KEYWORDS:
        return True
    media = wanted.split(";")[0].strip()
    return any(media == f.media_type for offers in OFFERS.values() for f in offers) or any(
        media in table for table in ALIASES.values()
    )
