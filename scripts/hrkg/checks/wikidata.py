"""`hrkg wikidata`: check that every Wikidata link of the graph is backed by recorded evidence.

A `skos:exactMatch wd:Q…` is only as good as the look-up that confirmed it: QIDs recalled from
memory are often wrong. data/entities/wikidata-evidence.tsv records, for every curated entity,
the QID, whether it was confirmed, and where the pairing of QID and name was seen. This module
keeps the Turtle and that file consistent (offline, the default, and what the build calls), and
with `--online` compares our labels with Wikidata's English labels.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg import __version__
from hrkg.rdf import (
    GRAPH_ENTITIES,
    KG,
    RDF_TYPE,
    SKOS_EXACT_MATCH,
    WIKIDATA_ENTITY,
    source_graph,
)

if TYPE_CHECKING:
    import pyoxigraph as ox

API_URL = "https://www.wikidata.org/w/api.php"
USER_AGENT = (
    f"hamas-russia-kg/{__version__} (hrkg wikidata --online; https://w3id.org/hrkg/) python-urllib"
)
BATCH_SIZE = 50  # wbgetentities accepts at most 50 ids per request

EVIDENCE_PATH = Path("data") / "entities" / "wikidata-evidence.tsv"
ENTITIES_PATH = Path("data") / "entities"
HEADER = ("slug", "qid", "status", "strength", "evidence_source", "snippet")
STATUSES = ("confirmed", "unconfirmed", "no-item")
STRENGTHS = ("two-sources", "one-source")
# one evidence source: owner/repo:path[@commit], an http(s) URL, or stored-file:<id> for a file
# the search index holds but cannot name (it does not count towards the strength)
SOURCE_RE = re.compile(
    r"(?P<repo>[A-Za-z0-9][\w.-]*/[\w.-]+):(?P<path>[^@\s;]+)(?:@(?P<commit>[0-9a-f]{7,40}))?"
    r"|(?P<url>https?://\S+)|stored-file:(?P<stored>[0-9]+)"
)
MAX_SNIPPET = 200
QID_RE = re.compile(r"Q[1-9][0-9]*")
ENTITY_IRI_RE = re.compile(r"http://www\.wikidata\.org/entity/(Q[1-9][0-9]*)")

_SOURCE_GRAPHS = source_graph("")

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_OFFLINE = 3


@dataclass(frozen=True)
class EvidenceRow:
    """One row of wikidata-evidence.tsv, with its 1-based line number for messages."""

    line: int
    slug: str
    qid: str
    status: str
    strength: str
    source: str
    snippet: str

    @property
    def sources(self) -> list[str]:
        """The evidence sources, in the order the row gives them."""
        return [s.strip() for s in self.source.split(";") if s.strip()]

    @property
    def named_sources(self) -> list[str]:
        """Sources a reader can open again: a repository path or a URL."""
        return [s for s in self.sources if not s.startswith("stored-file:")]


@dataclass(frozen=True)
class Link:
    """One `skos:exactMatch` triple found in a data file."""

    file: str
    subject: str
    target: str


@dataclass(frozen=True)
class Problem:
    """A finding: where (file[:line]), about whom (kg:slug or an IRI), and what is wrong."""

    where: str
    subject: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.subject}: {self.text}"


def _short(iri: str) -> str:
    """kg:slug for the graph's own resources, the IRI otherwise (messages stay readable)."""
    return "kg:" + iri[len(KG) :] if iri.startswith(KG) else iri


def read_evidence(path: Path, shown: str) -> tuple[list[EvidenceRow], list[Problem]]:  # noqa: C901
    """Parse the evidence TSV strictly: a malformed row is reported, never silently skipped."""
    rows: list[EvidenceRow] = []
    problems: list[Problem] = []
    if not path.is_file():
        return rows, [Problem(shown, "(file)", "evidence file is missing")]
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return rows, [Problem(f"{shown}:{line}", "(file)", "is not UTF-8 text")]
    with io.StringIO(text, newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or tuple(header) != HEADER:
            problems.append(
                Problem(f"{shown}:1", "(header)", f"header must be {'<TAB>'.join(HEADER)}")
            )
        for number, fields in enumerate(reader, start=2):
            where = f"{shown}:{number}"
            if not fields or fields == [""]:
                problems.append(Problem(where, "(row)", "empty line"))
                continue
            if len(fields) != len(HEADER):
                problems.append(
                    Problem(where, "(row)", f"has {len(fields)} fields, expected {len(HEADER)}")
                )
                continue
            slug, qid, status, strength, source, snippet = (f.strip() for f in fields)
            subject = f"kg:{slug}"
            row = EvidenceRow(number, slug, qid, status, strength, source, snippet)
            problems.extend(_source_problems(row, where))
            if status not in STATUSES:
                problems.append(
                    Problem(where, subject, f"status {status!r} is not one of {STATUSES}")
                )
            if status == "confirmed":
                if not QID_RE.fullmatch(qid):
                    problems.append(Problem(where, subject, f"confirmed QID {qid!r} is malformed"))
                if not source:
                    problems.append(Problem(where, subject, "confirmed without an evidence_source"))
                if not snippet:
                    problems.append(Problem(where, subject, "confirmed without a snippet"))
            elif qid:
                problems.append(Problem(where, subject, f"status {status} must leave qid empty"))
            if status == "no-item" and not snippet:
                problems.append(Problem(where, subject, "no-item needs a reason in snippet"))
            if len(snippet) > MAX_SNIPPET:
                problems.append(
                    Problem(where, subject, f"snippet longer than {MAX_SNIPPET} characters")
                )
            rows.append(row)
    return rows, problems


def _source_problems(row: EvidenceRow, where: str) -> list[Problem]:
    """The strength column and the evidence sources must agree with each other and the status."""
    subject = f"kg:{row.slug}"
    problems = []
    for source in row.sources if row.status == "confirmed" else []:
        if not SOURCE_RE.fullmatch(source):
            problems.append(
                Problem(
                    where,
                    subject,
                    f"evidence source {source!r} is neither "
                    "owner/repo:path[@commit], a URL nor stored-file:<id>",
                )
            )
    if row.status != "confirmed":
        if row.strength:
            problems.append(
                Problem(where, subject, f"status {row.status} must leave strength empty")
            )
        return problems
    named = len(row.named_sources)
    if row.strength not in STRENGTHS:
        problems.append(
            Problem(where, subject, f"strength {row.strength!r} is not one of {STRENGTHS}")
        )
    elif row.strength == "two-sources" and named < 2:
        problems.append(Problem(where, subject, f"two-sources but {named} named source(s)"))
    elif row.strength == "one-source" and named >= 2:
        problems.append(Problem(where, subject, f"one-source but {named} named sources"))
    return problems


@dataclass(frozen=True)
class DataFacts:
    """What the check needs of the data files: the curated entities and every exactMatch."""

    entities: dict[str, str]  # slug -> the file of data/entities that types it
    links: list[Link]
    problems: list[Problem]  # files that do not parse


def _data_files(root: Path) -> list[Path]:
    return sorted((root / "data").rglob("*.ttl"))


def _kg_iri(term: object) -> str | None:
    """The IRI of one of the graph's own resources (kg:…), None for anything else."""
    import pyoxigraph as ox

    return term.value if isinstance(term, ox.NamedNode) and term.value.startswith(KG) else None


def collect_graph(root: Path) -> DataFacts:
    """Entities (slug -> file) typed in data/entities, and every exactMatch in data/: each
    file parsed on its own (`hrkg wikidata`; the build hands over its quads instead)."""
    import pyoxigraph as ox

    entities: dict[str, str] = {}
    links: dict[Link, None] = {}  # ordered and duplicate-free, as a graph per file is
    problems: list[Problem] = []
    entities_dir = root / ENTITIES_PATH
    for path in _data_files(root):
        shown = path.relative_to(root).as_posix()
        try:
            triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        except SyntaxError as err:
            where = f"{shown}:{err.lineno}" if err.lineno else shown
            problems.append(Problem(where, "(file)", f"does not parse: {err.msg}"))
            continue
        except (OSError, ValueError) as err:
            problems.append(Problem(shown, "(file)", f"does not parse: {err}"))
            continue
        for t in triples:
            predicate = t.predicate.value
            if predicate == RDF_TYPE and path.parent == entities_dir:
                iri = _kg_iri(t.subject)
                if iri is not None:
                    entities.setdefault(iri[len(KG) :], shown)
            elif predicate == SKOS_EXACT_MATCH:
                links[Link(shown, _term_value(t.subject), _term_value(t.object))] = None
    return DataFacts(entities, list(links), problems)


def facts_from_quads(
    quads: Iterable[ox.Quad], subject_files: Mapping[str, Sequence[Path]], root: Path
) -> DataFacts:
    """The same facts from quads the build has already parsed, in one pass over them.

    Only the graphs of data/ count (entities and sources, as `collect_graph` reads them). A
    quad does not say which file it came from; `subject_files` (subject -> the files writing
    it as a subject) does: the files of the quad's graph that write the subject. When several
    files of one graph write it, all of them are named.
    """
    entities_dir = root / ENTITIES_PATH
    sources_dir = root / "data" / "sources"

    def graph_of(path: Path) -> str | None:
        if path.parent == entities_dir:
            return GRAPH_ENTITIES
        if path.parent == sources_dir:
            return source_graph(path.stem)
        return None

    def files(subject: str, graph: str) -> list[str]:
        return [_shown(p, root) for p in subject_files.get(subject, []) if graph_of(p) == graph]

    entities: dict[str, str] = {}
    links: dict[Link, None] = {}
    for q in quads:
        predicate = q.predicate.value
        if predicate == RDF_TYPE:
            iri = _kg_iri(q.subject) if _graph(q) == GRAPH_ENTITIES else None
            if iri is not None and iri[len(KG) :] not in entities:
                entity_files = files(iri, GRAPH_ENTITIES)
                entities[iri[len(KG) :]] = entity_files[0] if entity_files else "data/"
        elif predicate == SKOS_EXACT_MATCH:
            graph = _graph(q)
            if graph != GRAPH_ENTITIES and not graph.startswith(_SOURCE_GRAPHS):
                continue
            subject = _term_value(q.subject)
            where = ", ".join(files(subject, graph)) or graph
            links[Link(where, subject, _term_value(q.object))] = None
    return DataFacts(dict(sorted(entities.items())), list(links), [])


def _graph(q: ox.Quad) -> str:
    return getattr(q.graph_name, "value", "")


def _term_value(term: object) -> str:
    """The IRI, blank-node label or lexical form (what rdflib's str() gave)."""
    return str(getattr(term, "value", term))


def _shown(path: Path, root: Path) -> str:
    return (path.relative_to(root) if path.is_relative_to(root) else path).as_posix()


def find_problems(root: Path) -> tuple[list[Problem], list[EvidenceRow], dict[str, str]]:
    """Every inconsistency between the Turtle's Wikidata links and the evidence file."""
    facts = collect_graph(root)
    problems, rows = compare_with_evidence(root, facts)
    return problems, rows, facts.entities


def compare_with_evidence(  # noqa: C901
    root: Path, facts: DataFacts
) -> tuple[list[Problem], list[EvidenceRow]]:
    """The problems of the evidence file itself, and where it and the data disagree."""
    tsv_shown = EVIDENCE_PATH.as_posix()
    rows, problems = read_evidence(root / EVIDENCE_PATH, tsv_shown)
    entities, links = facts.entities, facts.links
    problems.extend(facts.problems)

    by_slug: dict[str, EvidenceRow] = {}
    for row in rows:
        if row.slug in by_slug:
            problems.append(
                Problem(
                    f"{tsv_shown}:{row.line}",
                    f"kg:{row.slug}",
                    f"duplicate row (first on line {by_slug[row.slug].line})",
                )
            )
            continue
        by_slug[row.slug] = row
        if row.slug not in entities:
            problems.append(
                Problem(
                    f"{tsv_shown}:{row.line}",
                    f"kg:{row.slug}",
                    "names no entity typed in data/entities",
                )
            )
    for slug, shown in sorted(entities.items()):
        if slug not in by_slug:
            problems.append(Problem(shown, f"kg:{slug}", f"has no row in {tsv_shown}"))

    linked: dict[str, set[str]] = defaultdict(set)  # subject IRI -> QIDs
    users: dict[str, set[str]] = defaultdict(set)  # QID -> subject IRIs
    for link in links:
        subject = _short(link.subject)
        match = ENTITY_IRI_RE.fullmatch(link.target)
        if match is None:
            problems.append(
                Problem(
                    link.file,
                    subject,
                    f"skos:exactMatch <{link.target}> is not a Wikidata entity IRI "
                    f"({WIKIDATA_ENTITY}Q…)",
                )
            )
            continue
        qid = match.group(1)
        linked[link.subject].add(qid)
        users[qid].add(link.subject)
        link_slug = link.subject[len(KG) :] if link.subject.startswith(KG) else None
        link_row = by_slug.get(link_slug) if link_slug else None
        if link_row is None or link_row.status != "confirmed":
            problems.append(
                Problem(
                    link.file,
                    subject,
                    f"skos:exactMatch wd:{qid} has no confirmed row in {tsv_shown}",
                )
            )
        elif link_row.qid != qid:
            problems.append(
                Problem(
                    f"{tsv_shown}:{link_row.line}",
                    subject,
                    f"evidence confirms {link_row.qid} but {link.file} links wd:{qid}",
                )
            )
    for qid, subjects in sorted(users.items()):
        if len(subjects) > 1:
            names = ", ".join(sorted(_short(s) for s in subjects))
            problems.append(Problem("data/", f"wd:{qid}", f"is used by several entities: {names}"))
    for row in rows:
        if row.status == "confirmed" and QID_RE.fullmatch(row.qid):
            if row.qid not in linked.get(KG + row.slug, set()):
                problems.append(
                    Problem(
                        f"{tsv_shown}:{row.line}",
                        f"kg:{row.slug}",
                        f"confirmed as {row.qid} but has no skos:exactMatch wd:{row.qid}",
                    )
                )
            others = sorted(
                r.slug
                for r in rows
                if r.qid == row.qid and r.slug != row.slug and r.status == "confirmed"
            )
            if others and row.slug < others[0]:
                problems.append(
                    Problem(
                        f"{tsv_shown}:{row.line}",
                        f"wd:{row.qid}",
                        f"is confirmed for several entities: {row.slug}, {', '.join(others)}",
                    )
                )
    return problems, rows


def check_links(root: Path) -> list[str]:
    """Problem messages: empty when every Wikidata link is backed by evidence (reads data/)."""
    problems, _rows, _entities = find_problems(root)
    return [str(p) for p in problems]


def check_parsed_links(
    quads: Iterable[ox.Quad], subject_files: Mapping[str, Sequence[Path]], root: Path
) -> list[str]:
    """check_links for the build, from the quads it parsed: no data file is read again."""
    problems, _rows = compare_with_evidence(root, facts_from_quads(quads, subject_files, root))
    return [str(p) for p in problems]


def link_counts(root: Path) -> dict[str, int]:
    """How many entities are linked, unconfirmed and recorded as having no item (build summary)."""
    rows, _problems = read_evidence(root / EVIDENCE_PATH, EVIDENCE_PATH.as_posix())
    counts = {status: sum(1 for r in rows if r.status == status) for status in STATUSES}
    return {
        "linked": counts["confirmed"],
        "unconfirmed": counts["unconfirmed"],
        "no-item": counts["no-item"],
    }


def no_item_iris(root: Path) -> set[str]:
    """IRIs of the entities recorded as having no Wikidata item: "should be linked" does not
    apply to them, so the build drops those SHACL warnings instead of contradicting the record."""
    rows, _problems = read_evidence(root / EVIDENCE_PATH, EVIDENCE_PATH.as_posix())
    return {KG + r.slug for r in rows if r.status == "no-item"}


# ---------------------------------------------------------------- online comparison

Fetcher = Callable[[str], bytes]


def _urlopen_fetch(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        data: bytes = response.read()
    return data


class WikidataUnreachable(RuntimeError):
    """The API could not be asked (no network, DNS failure, timeout, HTTP error)."""


def fetch_english_labels(qids: Iterable[str], fetch: Fetcher) -> dict[str, str | None]:
    """QID -> English label (None for a missing or labelless item), batched by 50."""
    wanted = sorted(set(qids), key=lambda q: int(q[1:]))
    labels: dict[str, str | None] = {}
    for start in range(0, len(wanted), BATCH_SIZE):
        batch = wanted[start : start + BATCH_SIZE]
        query = urllib.parse.urlencode(
            {
                "action": "wbgetentities",
                "ids": "|".join(batch),
                "props": "labels",
                "languages": "en",
                "format": "json",
            }
        )
        try:
            payload = json.loads(fetch(f"{API_URL}?{query}"))
        except (urllib.error.URLError, OSError, TimeoutError) as err:
            raise WikidataUnreachable(str(err)) from err
        except ValueError as err:
            raise WikidataUnreachable(f"the API's answer is not JSON: {err}") from err
        entities = payload.get("entities", {})
        for qid in batch:
            entity = entities.get(qid, {})
            label = entity.get("labels", {}).get("en", {}).get("value")
            labels[qid] = None if "missing" in entity else label
    return labels


def our_labels(root: Path) -> dict[str, set[str]]:
    """slug -> every English rdfs:label and skos:altLabel we give it (case-folded)."""
    from rdflib import RDFS, Graph, Literal, URIRef

    alt = URIRef("http://www.w3.org/2004/02/skos/core#altLabel")
    graph = Graph()
    for path in sorted((root / ENTITIES_PATH).glob("*.ttl")):
        graph.parse(path, format="turtle")
    names: dict[str, set[str]] = defaultdict(set)
    for prop in (RDFS.label, alt):
        for subject, value in graph.subject_objects(prop):
            if str(subject).startswith(KG) and isinstance(value, Literal):
                names[str(subject)[len(KG) :]].add(str(value).casefold())
    return names


def compare_online(root: Path, rows: list[EvidenceRow], fetch: Fetcher) -> list[str]:
    """Mismatches between Wikidata's English labels and ours (WikidataUnreachable when offline)."""
    confirmed = [r for r in rows if r.status == "confirmed" and QID_RE.fullmatch(r.qid)]
    labels = fetch_english_labels((r.qid for r in confirmed), fetch)
    names = our_labels(root)
    findings: list[str] = []
    for row in confirmed:
        label = labels.get(row.qid)
        if label is None:
            findings.append(f"kg:{row.slug}: wd:{row.qid} is missing or has no English label")
        elif label.casefold() not in names.get(row.slug, set()):
            ours = sorted(names.get(row.slug, set()))
            findings.append(
                f"kg:{row.slug}: Wikidata's English label of {row.qid} is {label!r}, "
                f"not among our labels {ours}"
            )
    return findings
