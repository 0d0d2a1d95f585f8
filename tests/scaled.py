"""A scaled copy of the project for tests: the article's data file as N renamed sources.

Each copy gets its own slug, its own kg: IRIs for everything the article's file describes (the
source document becomes kg:source-<new slug>), the shared entities unchanged, and its own copy
of the source text, so offsets and coverage hold per copy.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "hamas-relations-with-russia"
KG = "https://w3id.org/hrkg/id/"


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
