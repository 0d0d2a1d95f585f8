"""`hrkg coverage`: which facts cite each paragraph of each source, and which paragraphs none.

A source is fully read only when every paragraph of its article body is either cited by at
least one evidence span or explicitly marked as a hrkg:ExcludedPassage with a reason; silently
skipped paragraphs are how facts get lost (zavod: never drop what you do not understand).
Evidence spans must also lie inside one paragraph, so a span cannot hide a paragraph break.

The source texts live outside the project (ROOT/../shared/sources/<slug>.txt, or the folder
in HRKG_SOURCES_DIR); the data file of a source is data/sources/<slug>.ttl and its source
document is kg:source-<slug>.
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg import rdf as ns
from hrkg.cache import ContentCache, code_of, digest
from hrkg.project import Project
from hrkg.rdf import DCTERMS_TITLE, OA, PROV_DERIVED, RDF_TYPE

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib

END_MARKER = "NEWSLETTER"
"""The first line of page chrome after the article body (GlobalSecurity.org pages)."""

FIRST_WORDS = 8


class CoverageError(Exception):
    """The source text or graph cannot be read as this module expects (exit code 2)."""


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the article body; `start`/`end` are str offsets (end exclusive)."""

    number: int
    start: int
    end: int
    text: str

    def contains(self, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end and start <= end


@dataclass
class ParagraphCoverage:
    """What the graph takes from one paragraph: the facts citing it, or why it is excluded."""

    number: int
    start: int
    end: int
    first_words: str
    facts: int = 0
    evidence: int = 0
    excluded: str | None = None
    fact_iris: list[str] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return self.facts > 0 or self.excluded is not None


@dataclass(frozen=True)
class Span:
    """An evidence or excluded-passage node with the character span it points at."""

    node: str
    kind: str  # "evidence" or "excluded"
    start: int
    end: int
    exact: str | None
    reason: str | None


@dataclass(frozen=True)
class SpanProblem:
    """A span that no single paragraph contains, or whose quoted text does not match."""

    node: str
    start: int
    end: int
    problem: str


def split_paragraphs(text: str, title: str, end_marker: str = END_MARKER) -> list[Paragraph]:
    """The non-empty lines between the title line and the end marker, with their offsets."""
    paragraphs: list[Paragraph] = []
    offset = 0
    in_body = False
    found_title = False
    for line in text.split("\n"):
        content = line.rstrip("\r")
        stripped = content.strip()
        if not in_body:
            if not found_title and stripped == title.strip():
                found_title = in_body = True
        elif stripped == end_marker:
            break
        elif stripped:
            lead = len(content) - len(content.lstrip())
            start = offset + lead
            end = offset + len(content.rstrip())
            paragraphs.append(Paragraph(len(paragraphs) + 1, start, end, text[start:end]))
        offset += len(line) + 1
    if not found_title:
        raise CoverageError(f"title line {title!r} not found in the source text")
    return paragraphs


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    words = text.split()
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


def source_node(graph: rdflib.Graph, source: str | None) -> rdflib.URIRef:
    """The source document to report on: the given one, or the graph's only one."""
    import rdflib

    if source is not None:
        return rdflib.URIRef(source if "://" in source else ns.KG + source)
    documents = sorted(
        set(graph.subjects(rdflib.URIRef(RDF_TYPE), rdflib.URIRef(ns.HRKG + "SourceDocument"))),
        key=str,
    )
    if len(documents) != 1:
        raise CoverageError(f"the graph holds {len(documents)} source documents; name one")
    node = documents[0]
    assert isinstance(node, rdflib.URIRef)
    return node


def spans(graph: rdflib.Graph, source: rdflib.URIRef) -> list[Span]:
    """Every evidence and excluded-passage node of `source` with its position selector."""
    import rdflib

    has_source = rdflib.URIRef(OA + "hasSource")
    excluded_class = rdflib.URIRef(ns.HRKG + "ExcludedPassage")
    result: list[Span] = []
    for node in sorted(set(graph.subjects(has_source, source)), key=str):
        starts, ends, exacts = [], [], []
        for selector in graph.objects(node, rdflib.URIRef(OA + "hasSelector")):
            starts += [int(str(v)) for v in graph.objects(selector, rdflib.URIRef(OA + "start"))]
            ends += [int(str(v)) for v in graph.objects(selector, rdflib.URIRef(OA + "end"))]
            exacts += [str(v) for v in graph.objects(selector, rdflib.URIRef(OA + "exact"))]
        if len(starts) != 1 or len(ends) != 1:
            raise CoverageError(f"{node} needs exactly one oa:start and one oa:end")
        is_excluded = (node, rdflib.URIRef(RDF_TYPE), excluded_class) in graph
        reasons = [str(r) for r in graph.objects(node, rdflib.URIRef(ns.HRKG + "exclusionReason"))]
        result.append(
            Span(
                node=str(node),
                kind="excluded" if is_excluded else "evidence",
                start=starts[0],
                end=ends[0],
                exact=exacts[0] if len(exacts) == 1 else None,
                reason="; ".join(sorted(reasons)) if is_excluded else None,
            )
        )
    return result


def source_title(graph: rdflib.Graph, source: rdflib.URIRef) -> str:
    import rdflib

    titles = [str(t) for t in graph.objects(source, rdflib.URIRef(DCTERMS_TITLE))]
    if len(titles) != 1:
        raise CoverageError(f"{source} needs exactly one dcterms:title (has {len(titles)})")
    return titles[0]


def compute_coverage(
    graph: rdflib.Graph,
    source_text: str,
    source: str | None = None,
    title: str | None = None,
) -> list[ParagraphCoverage]:
    """Per paragraph of the article body: the facts citing it and any exclusion reason.

    Facts are the nodes that cite an evidence span inside the paragraph through
    prov:wasDerivedFrom. Spans that lie in no single paragraph are left out here and
    reported by `span_problems`.
    """
    import rdflib

    node = source_node(graph, source)
    paragraphs = split_paragraphs(source_text, title or source_title(graph, node))
    rows = [ParagraphCoverage(p.number, p.start, p.end, first_words(p.text)) for p in paragraphs]
    derived = rdflib.URIRef(PROV_DERIVED)
    for span in spans(graph, node):
        home = next((p for p in paragraphs if p.contains(span.start, span.end)), None)
        if home is None:
            continue
        row = rows[home.number - 1]
        if span.kind == "excluded":
            row.excluded = span.reason or "(no reason given)"
            continue
        row.evidence += 1
        for fact in graph.subjects(derived, rdflib.URIRef(span.node)):
            if str(fact) not in row.fact_iris:
                row.fact_iris.append(str(fact))
    for row in rows:
        row.fact_iris.sort()
        row.facts = len(row.fact_iris)
    return rows


def span_problems(
    graph: rdflib.Graph,
    source_text: str,
    source: str | None = None,
    title: str | None = None,
) -> list[SpanProblem]:
    """Spans outside every paragraph (or across a break), and quotes that do not match."""
    node = source_node(graph, source)
    paragraphs = split_paragraphs(source_text, title or source_title(graph, node))
    problems: list[SpanProblem] = []
    for span in spans(graph, node):
        if not any(p.contains(span.start, span.end) for p in paragraphs):
            problems.append(
                SpanProblem(
                    span.node,
                    span.start,
                    span.end,
                    "not inside a single paragraph of the article body",
                )
            )
        if span.kind == "evidence" and span.exact is None:
            problems.append(
                SpanProblem(span.node, span.start, span.end, "needs exactly one oa:exact")
            )
        elif span.exact is not None and source_text[span.start : span.end] != span.exact:
            problems.append(
                SpanProblem(
                    span.node, span.start, span.end, "oa:exact differs from the text at its offsets"
                )
            )
    return problems


def error_lines(slug: str, rows: list[ParagraphCoverage], problems: list[SpanProblem]) -> list[str]:
    """One line per uncovered paragraph or broken span, as `hrkg coverage` and the build say it."""
    lines = [
        f"{slug} ¶{r.number} ({r.start}-{r.end}, {r.first_words!r}) is neither cited by "
        "evidence nor marked as a hrkg:ExcludedPassage"
        for r in rows
        if not r.covered
    ]
    lines += [f"{slug}: {ns.shorten(p.node)} [{p.start}:{p.end}] {p.problem}" for p in problems]
    return lines


def load_data_graph(data_dir: Path) -> rdflib.Graph:
    """Every Turtle file under data/, merged (entities are needed to name the facts' nodes)."""
    import rdflib

    graph = rdflib.Graph()
    for path in sorted(data_dir.rglob("*.ttl")):
        try:
            graph.parse(path, format="turtle")
        except Exception as err:  # rdflib raises several parser exception types
            raise CoverageError(f"{path}: {err}") from None
    return graph


def format_rows(rows: list[ParagraphCoverage]) -> str:
    from hrkg.text import table

    return table(
        ["¶", "offsets", "first words", "facts", "excluded"],
        [
            (
                r.number,
                f"{r.start}-{r.end}",
                r.first_words,
                r.facts,
                r.excluded or ("" if r.covered else "UNCOVERED"),
            )
            for r in rows
        ],
    )


@dataclass(frozen=True)
class SourceOutcome:
    """What the coverage check found for one source: failures, whether it was checked, and
    notes for the user (a text not at hand)."""

    failures: list[str]
    checked: bool
    notes: list[str]


def coverage_failures(
    project: Project, graphs: dict[str, list[ox.Quad]], cache: ContentCache | None = None
) -> tuple[list[str], int]:
    """Every paragraph of every source text must be cited or excluded (as `hrkg coverage`).

    `graphs` are the parsed quads grouped by named graph. A data file whose source text is not
    at hand (a clone without the shared sources folder) is reported and skipped: the build
    still works for a user who only has the data. A cited report (hrkg:CitedReport) has no text
    there by design: its quotes are checked instead. With `cache`, a source whose graph, text
    and checking code are unchanged is not checked again. Returns the failures and how many
    sources were checked.
    """
    failures: list[str] = []
    checked = 0
    used: set[str] = set()
    for path in sorted(project.sources_data_dir.glob("*.ttl")):
        quads = graphs.get(ns.source_graph(path.stem), [])
        outcome, key = cached_outcome(project, path, quads, cache)
        if key:
            used.add(key)
        failures += outcome.failures
        checked += outcome.checked
        for note in outcome.notes:
            print(note, file=sys.stderr)
    if cache is not None:
        cache.prune(used)
    return failures, checked


def cached_outcome(
    project: Project, path: Path, quads: list[ox.Quad], cache: ContentCache | None
) -> tuple[SourceOutcome, str]:
    """One source's outcome, from the cache when its inputs are unchanged; and its key."""
    import json

    import pyoxigraph as ox

    from hrkg import project as project_module
    from hrkg import rdf
    from hrkg.checks import cited

    if cache is None:
        return source_outcome(project, path, quads), ""
    text_path = project.source_text(path.stem)
    try:
        text = text_path.read_bytes() if text_path.is_file() else b"<no file>"
    except OSError:
        return source_outcome(project, path, quads), ""
    graph_nt = (
        ox.serialize(
            [ox.Triple(q.subject, q.predicate, q.object) for q in quads],
            format=ox.RdfFormat.N_TRIPLES,
        )
        or b""
    )
    where = f"{project.relative(path)}\n{text_path}\n{text_path.exists()}".encode()
    key = digest(
        code_of(__file__, cited.__file__, rdf.__file__, project_module.__file__),
        where,
        graph_nt,
        text,
    )
    found = cache.get(key)
    if found is not None:
        try:
            return SourceOutcome(**json.loads(found)), key
        except (ValueError, TypeError):
            pass  # damaged: check again
    outcome = source_outcome(project, path, quads)
    cache.put(key, json.dumps(asdict(outcome), sort_keys=True))
    return outcome, key


def source_outcome(project: Project, path: Path, quads: list[ox.Quad]) -> SourceOutcome:
    """The coverage check of one data/sources/<slug>.ttl (no printing: values only)."""
    import rdflib

    from hrkg.checks.cited import cited_problems, is_cited_report
    from hrkg.rdf import to_rdflib_graph

    slug = path.stem
    shown = project.relative(path)
    graph = to_rdflib_graph(quads)
    document = ns.KG + f"source-{slug}"

    def failed(message: str) -> SourceOutcome:
        return SourceOutcome([message], False, [])

    if (rdflib.URIRef(document), None, None) not in graph:
        return failed(
            f"{shown}: no {document} (each data/sources/<slug>.ttl describes kg:source-<slug>)"
        )
    text_path = project.source_text(slug)
    if text_path.exists() and not text_path.is_file():
        return failed(f"coverage of {slug}: {text_path} is not a file (a folder?)")
    cited = is_cited_report(graph, document)
    if cited and text_path.exists():
        return failed(
            f"{shown}: kg:source-{slug} is a hrkg:CitedReport, but its text is at "
            f"{text_path}: cite it with offsets as a plain hrkg:SourceDocument"
        )
    if cited:
        cited_lines = cited_problems(graph, document)
        found = [f"evidence of {shown}:\n" + "\n".join(f"  {line}" for line in cited_lines)]
        return SourceOutcome(found if cited_lines else [], True, [])
    if not text_path.is_file():
        return SourceOutcome(
            [], False, [f"coverage of {slug} not checked: no source text at {text_path}"]
        )
    try:
        text = text_path.read_text(encoding="utf-8")
        rows = compute_coverage(graph, text, document)
        problems = span_problems(graph, text, document)
    except UnicodeDecodeError as err:
        message = f"coverage of {slug}: {text_path} is not UTF-8 text ({err.reason})"
        return SourceOutcome([message], True, [])
    except OSError as err:  # unreadable: permissions, a vanished file
        message = f"coverage of {slug}: cannot read {text_path}: {err.strerror or err}"
        return SourceOutcome([message], True, [])
    except CoverageError as err:
        return SourceOutcome([f"coverage of {slug}: {err}"], True, [])
    lines = error_lines(slug, rows, problems)
    found = [f"coverage of {shown}:\n" + "\n".join(f"  {line}" for line in lines)]
    return SourceOutcome(found if lines else [], True, [])
