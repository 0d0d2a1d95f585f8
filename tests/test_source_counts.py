"""Each source yields at least the facts counted for it by hand (zavod-style count assertions).

data/sources/<slug>.counts.tsv lists, per class, the minimum number of nodes the source file
must type with it. An edit that silently loses half a source's statements or claims fails
here; every source file must have its counts file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib import RDF, URIRef

ROOT = Path(__file__).resolve().parent.parent
SOURCES_DATA = ROOT / "data" / "sources"
PREFIXES = {"hrkg:": "https://w3id.org/hrkg/ontology#"}
HEADER = ["class", "minimum"]


class CountsFileError(ValueError):
    """A counts file that does not follow the format (interpreted strictly, never skipped)."""


def read_counts(path: Path) -> dict[str, int]:
    """class IRI -> minimum, from a tab-separated file with '#' comment lines and a header."""
    rows = [
        line.split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    if not rows or rows[0] != HEADER:
        raise CountsFileError(f"{path.name}: first row must be {HEADER}")
    counts: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != 2:
            raise CountsFileError(f"{path.name}: row {number} needs 2 tab-separated fields: {row}")
        name, minimum = row
        prefix = next((p for p in PREFIXES if name.startswith(p)), None)
        if prefix is None:
            raise CountsFileError(f"{path.name}: row {number}: unknown prefix in {name!r}")
        if not minimum.isdigit():
            raise CountsFileError(f"{path.name}: row {number}: {minimum!r} is not a count")
        iri = PREFIXES[prefix] + name[len(prefix) :]
        if iri in counts:
            raise CountsFileError(f"{path.name}: row {number}: {name} listed twice")
        counts[iri] = int(minimum)
    return counts


def count_of(graph: rdflib.Graph, cls: str) -> int:
    return len(set(graph.subjects(RDF.type, URIRef(cls))))


def shortfalls(graph: rdflib.Graph, expected: dict[str, int]) -> list[str]:
    """Each class with fewer nodes than expected, as 'class: found < minimum'."""
    return [
        f"{cls}: {found} < {minimum}"
        for cls, minimum in sorted(expected.items())
        if (found := count_of(graph, cls)) < minimum
    ]


def cases() -> list[Any]:
    params = []
    for path in sorted(SOURCES_DATA.glob("*.ttl")):
        counts_path = path.with_suffix(".counts.tsv")
        if not counts_path.exists():
            params.append(pytest.param(path, None, 0, id=f"{path.stem}:counts-file"))
            continue
        for cls, minimum in read_counts(counts_path).items():
            short = cls.replace(PREFIXES["hrkg:"], "hrkg:")
            params.append(pytest.param(path, cls, minimum, id=f"{path.stem}:{short}"))
    return params


_graphs: dict[Path, rdflib.Graph] = {}


def graph_of(path: Path) -> rdflib.Graph:
    if path not in _graphs:
        _graphs[path] = rdflib.Graph().parse(path, format="turtle")
    return _graphs[path]


def test_every_source_has_counts() -> None:
    sources = sorted(SOURCES_DATA.glob("*.ttl"))
    assert sources, "no data/sources/*.ttl"
    missing = [p.name for p in sources if not p.with_suffix(".counts.tsv").exists()]
    assert not missing, f"sources without a .counts.tsv: {missing}"


@pytest.mark.parametrize(("path", "cls", "minimum"), cases())
def test_source_yields_at_least_its_counted_facts(
    path: Path, cls: str | None, minimum: int
) -> None:
    assert cls is not None, f"{path.name} has no {path.stem}.counts.tsv"
    found = count_of(graph_of(path), cls)
    assert found >= minimum, f"{path.name}: {cls} has {found} nodes, expected at least {minimum}"


# --- the check itself can fail ---------------------------------------------------------------


def test_a_halved_source_fails(tmp_path: Path) -> None:
    path = SOURCES_DATA / "hamas-relations-with-russia.ttl"
    expected = read_counts(path.with_suffix(".counts.tsv"))
    graph = rdflib.Graph()
    for triple in graph_of(path):
        graph.add(triple)
    assert shortfalls(graph, expected) == []
    statement = PREFIXES["hrkg:"] + "Statement"
    statements = sorted(graph.subjects(RDF.type, URIRef(statement)), key=str)
    for node in statements[: len(statements) // 2]:
        graph.remove((node, None, None))
    assert shortfalls(graph, expected) == [
        f"{statement}: {len(statements) - len(statements) // 2} < {expected[statement]}"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kind\tminimum\n", "first row"),
        ("class\tminimum\nhrkg:Claim 3\n", "2 tab-separated"),
        ("class\tminimum\nfoo:Claim\t3\n", "unknown prefix"),
        ("class\tminimum\nhrkg:Claim\tmany\n", "not a count"),
        ("class\tminimum\nhrkg:Claim\t3\nhrkg:Claim\t4\n", "listed twice"),
    ],
    ids=["header", "fields", "prefix", "number", "duplicate"],
)
def test_malformed_counts_files_are_rejected(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "toy.counts.tsv"
    path.write_text("# comment\n" + content, encoding="utf-8")
    with pytest.raises(CountsFileError, match=message):
        read_counts(path)
