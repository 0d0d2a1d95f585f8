"""Scaled projects for `make bench-scale`: the real project with N renamed copies of the article.

Each copy is a distinct source: its own slug (`<slug>-copy-0042`), every IRI the article's data
file defines as a subject (statements, claims, evidence, events, the source document, …)
renamed with the same suffix, the shared entities, vocabularies and ontology kept, and its own
copy of the source text under the new slug, so every offset stays valid and coverage is checked
per copy. The other sources of the real project are left out: they point at the article's own
nodes, which no longer exist under their names. Stored queries keep running, but their expected
answers (tests/expected) no longer hold and are not copied.

Layout: DEST/project/ (an `hrkg.toml` project) and DEST/shared/sources/ (the texts), which is
where a project looks for its texts by default; the runner also passes HRKG_SOURCES_DIR.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
SHARED_SOURCES = ROOT.parent / "shared" / "sources"
ARTICLE = "hamas-relations-with-russia"
KG = "https://w3id.org/hrkg/id/"
DATE_NOTE = "https://w3id.org/hrkg/ontology#dateNote"
COPIED = ("ontology", "data/entities", "shapes", "queries")
PREFIX_RE = re.compile(r"^@prefix\s+([\w-]*):\s*<([^>]+)>\s*\.", re.MULTILINE)


@dataclass(frozen=True)
class Scaled:
    """A generated project: where it is, its sources folder, its slugs and its input size."""

    project: Path
    sources: Path
    slugs: list[str]
    triples: int


def copy_slug(index: int) -> str:
    return f"{ARTICLE}-copy-{index:04d}"


def suffix(index: int) -> str:
    return f"-copy-{index:04d}"


def _parse(path: Path) -> list[ox.Triple]:
    import pyoxigraph as ox

    return list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))


def shared_triples(root: Path = ROOT) -> int:
    """Triples of the graphs every copy shares: ontology, vocabularies, entities."""
    files = [*(root / "ontology").rglob("*.ttl"), *(root / "data" / "entities").glob("*.ttl")]
    return sum(len(_parse(p)) for p in files)


def article_triples(root: Path = ROOT) -> int:
    return len(_parse(root / "data" / "sources" / f"{ARTICLE}.ttl"))


def copies_for(target: int, root: Path = ROOT) -> int:
    """How many copies make a project of about `target` input triples (at least one)."""
    shared, per_copy = shared_triples(root), article_triples(root)
    return max(1, round((target - shared) / per_copy))


def own_iris(triples: list[ox.Triple]) -> set[str]:
    """The IRIs that belong to the source: every kg: IRI the file describes as a subject."""
    import pyoxigraph as ox

    return {
        t.subject.value
        for t in triples
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(KG)
    }


def renamed(triples: list[ox.Triple], own: set[str], index: int) -> list[ox.Triple]:
    """The triples with every IRI of `own` given copy `index`'s suffix (others unchanged)."""
    import pyoxigraph as ox

    end = suffix(index)
    cache: dict[str, ox.NamedNode] = {iri: ox.NamedNode(iri + end) for iri in own}

    def term(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> object:
        if isinstance(node, ox.NamedNode):
            return cache.get(node.value, node)
        return node

    return [ox.Triple(term(t.subject), term(t.predicate), term(t.object)) for t in triples]  # type: ignore[arg-type]


def prefixes_of(path: Path) -> dict[str, str]:
    return dict(PREFIX_RE.findall(path.read_text(encoding="utf-8")))


def write_turtle(triples: list[ox.Triple], path: Path, prefixes: dict[str, str]) -> None:
    import pyoxigraph as ox

    ox.serialize(triples, str(path), format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def declarations(root: Path) -> str:
    """The real project's [tool.hrkg] declarations as hrkg.toml text (the meta-checks need them:
    the shapes files, external terms, untargeted classes)."""
    lines = (root / "pyproject.toml").read_text(encoding="utf-8").splitlines()
    kept, inside = [], False
    for line in lines:
        if line.startswith("["):
            inside = line == "[tool.hrkg]" or line.startswith("[tool.hrkg.")
            if inside and line != "[tool.hrkg]":
                kept.append("[" + line.removeprefix("[tool.hrkg."))
            continue
        if inside:
            kept.append(line)
    return "\n".join(kept) + "\n"


def make_project(
    dest: Path, copies: int, root: Path = ROOT, texts: Path = SHARED_SOURCES
) -> Scaled:
    """Write a project of `copies` renamed copies of the article into DEST (made empty first)."""
    data = root / "data" / "sources" / f"{ARTICLE}.ttl"
    text = texts / f"{ARTICLE}.txt"
    if not text.is_file():
        raise FileNotFoundError(f"{text}: the article's source text is needed for the copies")
    if dest.exists():
        shutil.rmtree(dest)
    project, sources = dest / "project", dest / "shared" / "sources"
    for folder in COPIED:
        shutil.copytree(root / folder, project / folder)
    (project / "hrkg.toml").write_text(
        f"# a scaled project: {copies} renamed copies of data/sources/{ARTICLE}.ttl "
        "(bench/scaled.py); no tests/expected\n" + declarations(root),
        encoding="utf-8",
    )
    (project / "data" / "sources").mkdir(parents=True)
    sources.mkdir(parents=True)
    triples = _parse(data)
    own = own_iris(triples)
    prefixes = prefixes_of(data)
    counts = (root / "data" / "sources" / f"{ARTICLE}.counts.tsv").read_text(encoding="utf-8")
    slugs = []
    for index in range(copies):
        slug = copy_slug(index)
        slugs.append(slug)
        out = project / "data" / "sources" / f"{slug}.ttl"
        write_turtle(renamed(triples, own, index), out, prefixes)
        (out.with_suffix(".counts.tsv")).write_text(counts.replace(ARTICLE, slug), "utf-8")
        shutil.copyfile(text, sources / f"{slug}.txt")
    total = shared_triples(project) + copies * len(triples)
    return Scaled(project, sources, slugs, total)


def touch_source(project: Path, index: int, edit: int) -> Path:
    """Change one literal of copy `index` (its source document's date note), as an author
    would: the file's content changes, so a content-hash cache must see it. Returns the file."""
    import pyoxigraph as ox

    slug = copy_slug(index)
    path = project / "data" / "sources" / f"{slug}.ttl"
    document = KG + f"source-{slug}"
    triples = _parse(path)
    changed = []
    found = False
    for t in triples:
        if (
            not found
            and isinstance(t.subject, ox.NamedNode)
            and t.subject.value == document
            and t.predicate.value == DATE_NOTE
            and isinstance(t.object, ox.Literal)
        ):
            base = re.sub(r" \(edit \d+\)$", "", t.object.value)
            t = ox.Triple(t.subject, t.predicate, ox.Literal(f"{base} (edit {edit})"))
            found = True
        changed.append(t)
    if not found:
        raise ValueError(f"{path}: no hrkg:dateNote on {document} to change")
    write_turtle(changed, path, prefixes_of(ROOT / "data" / "sources" / f"{ARTICLE}.ttl"))
    return path
