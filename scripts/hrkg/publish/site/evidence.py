"""Evidence in context: the paragraph of the source around each cited span, and the source
text cut into segments so that every cited span can be marked (spans may overlap).

Paragraphs are those of `hrkg coverage` (coverage.split_paragraphs), so the site and the
coverage check agree on what a paragraph is. A source whose text is not in the sources folder
(or evidence without offsets) is shown as its quote and the source's URL.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from hrkg import rdf as ns
from hrkg.publish.site.graph import DCTERMS, OA, SiteGraph


@dataclass(frozen=True)
class Span:
    """One evidence node: its quote, its offsets (if any) and its source document."""

    iri: str
    source: str | None
    exact: str | None
    start: int | None
    end: int | None


@dataclass(frozen=True)
class InContext:
    """One paragraph with the spans cited by a page marked: pieces of (text, span or None)."""

    source: str
    paragraph: int
    spans: tuple[Span, ...]
    pieces: tuple[tuple[str, Span | None], ...]


@dataclass(frozen=True)
class Segment:
    """A run of a source paragraph covered by the same set of spans (empty set: not cited)."""

    text: str
    spans: tuple[str, ...]
    starts: tuple[str, ...]  # spans that begin here (their anchors go before the text)


@dataclass
class SourceText:
    """A source document's paragraphs, read from the local text file."""

    iri: str
    paragraphs: list[tuple[int, int, int, str]] = field(default_factory=list)
    text: str = ""

    def paragraph_of(self, start: int, end: int) -> tuple[int, int, int, str] | None:
        for paragraph in self.paragraphs:
            if paragraph[1] <= start and end <= paragraph[2]:
                return paragraph
        return None


def span_of(graph: SiteGraph, iri: str) -> Span:
    """The quote, offsets and source of one evidence node (selectors are blank nodes)."""
    exact: str | None = None
    start: int | None = None
    end: int | None = None
    for selector in graph.objects(iri, OA + "hasSelector"):
        for value in graph.objects(selector, OA + "exact"):
            exact = value.value
        for value in graph.objects(selector, OA + "start"):
            start = int(value.value)
        for value in graph.objects(selector, OA + "end"):
            end = int(value.value)
    return Span(iri, graph.one(iri, OA + "hasSource"), exact, start, end)


def read_sources(graph: SiteGraph, sources_dir: Path | None) -> dict[str, SourceText]:
    """Every source document whose text `<slug>.txt` is in `sources_dir`, split into paragraphs.

    The document kg:source-<slug> names its text file; its dcterms:title opens the body.
    """
    from hrkg.checks.coverage import CoverageError, split_paragraphs

    texts: dict[str, SourceText] = {}
    if sources_dir is None:
        return texts
    for document in graph.instances(ns.HRKG + "SourceDocument"):
        slug = (
            document[len(ns.KG + "source-") :] if document.startswith(ns.KG + "source-") else None
        )
        title = graph.one(document, DCTERMS + "title")
        if slug is None or title is None:
            continue
        path = sources_dir / f"{slug}.txt"
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        try:
            paragraphs = split_paragraphs(text, title)
        except CoverageError:
            continue
        texts[document] = SourceText(
            document, [(p.number, p.start, p.end, p.text) for p in paragraphs], text
        )
    return texts


def locate(
    span: Span, sources: dict[str, SourceText]
) -> tuple[SourceText, tuple[int, int, int, str]] | None:
    """The source text and paragraph holding the span, or None (no text, no offsets)."""
    if span.source is None or span.start is None or span.end is None:
        return None
    source = sources.get(span.source)
    if source is None:
        return None
    paragraph = source.paragraph_of(span.start, span.end)
    return None if paragraph is None else (source, paragraph)


def in_context(span: Span, sources: dict[str, SourceText]) -> InContext | None:
    """The span inside its paragraph, or None when the text or the offsets are missing."""
    views = in_paragraphs([span], sources)
    return views[0] if views else None


def in_paragraphs(spans: list[Span], sources: dict[str, SourceText]) -> list[InContext]:
    """The paragraphs holding `spans`, in text order, each span marked once.

    Spans of one paragraph that do not overlap share one copy of it; an overlapping span
    gets a copy of its own, so every mark holds exactly the span's words.
    """
    groups: dict[tuple[str, int], list[list[Span]]] = {}
    for span in sorted(spans, key=lambda s: (s.source or "", s.start or 0, s.end or 0, s.iri)):
        found = locate(span, sources)
        if found is None:
            continue
        source, paragraph = found
        copies = groups.setdefault((source.iri, paragraph[0]), [])
        for copy in copies:
            if all((other.end or 0) <= (span.start or 0) for other in copy):
                copy.append(span)
                break
        else:
            copies.append([span])
    views = []
    for (source_iri, number), copies in sorted(groups.items()):
        source = sources[source_iri]
        _, first, last, _ = source.paragraphs[number - 1]
        for copy in copies:
            pieces: list[tuple[str, Span | None]] = []
            at = first
            for span in copy:
                assert span.start is not None and span.end is not None
                pieces.append((source.text[at : span.start], None))
                pieces.append((source.text[span.start : span.end], span))
                at = span.end
            pieces.append((source.text[at:last], None))
            views.append(InContext(source_iri, number, tuple(copy), tuple(pieces)))
    return views


def segments(paragraph: tuple[int, int, int, str], spans: list[Span]) -> list[Segment]:
    """Cut one paragraph at every span boundary; each piece lists the spans covering it."""
    _, first, last, text = paragraph
    inside = [
        s
        for s in spans
        if s.start is not None and s.end is not None and first <= s.start and s.end <= last
    ]
    cuts = sorted(
        {first, last}
        | {s.start for s in inside if s.start is not None}
        | {s.end for s in inside if s.end is not None}
    )
    out: list[Segment] = []
    for left, right in itertools.pairwise(cuts):
        if right <= left:
            continue
        covering = tuple(
            sorted(
                s.iri
                for s in inside
                if s.start is not None and s.end is not None and s.start <= left and right <= s.end
            )
        )
        starting = tuple(sorted(s.iri for s in inside if s.start == left))
        out.append(Segment(text[left - first : right - first], covering, starting))
    # zero-length spans still get their anchor
    for span in inside:
        if span.start == span.end and not any(span.iri in seg.starts for seg in out):
            out.append(Segment("", (), (span.iri,)))
    return out
