"""The build's SHACL report: one block per focus node with the file and line it is written on,
each file read once however many of its subjects have results."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hrkg.pipeline.assemble import SubjectLines, locate_subject
from hrkg.pipeline.shacl_report import ShapeResult, format_report

KG = "https://w3id.org/hrkg/id/"
SHAPES = "https://w3id.org/hrkg/shapes#"
ROOT = Path(__file__).resolve().parent.parent
DATA_FILES = {p.name: p for p in (ROOT / "data").rglob("*.ttl")}

PEOPLE = """@prefix kg: <https://w3id.org/hrkg/id/> .
@prefix hrkg: <https://w3id.org/hrkg/ontology#> .

kg:alice a hrkg:Person .
kg:alice-smith a hrkg:Person .
<https://w3id.org/hrkg/id/bob> a hrkg:Person .
"""


def result(focus: str, message: str = "needs a label") -> ShapeResult:
    return ShapeResult(
        focus=KG + focus,
        path="http://www.w3.org/2000/01/rdf-schema#label",
        value="",
        source_shape=SHAPES + "Actor-label",
        severity="Warning",
        message=message,
        component="MinCountConstraintComponent",
    )


def test_each_focus_is_named_with_its_file_and_line_and_each_file_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = tmp_path / "data" / "people.ttl"
    people.parent.mkdir()
    people.write_text(PEOPLE, encoding="utf-8")
    missing = tmp_path / "data" / "gone.ttl"
    files = {
        KG + "alice-smith": [people],
        KG + "alice": [people],
        KG + "bob": [people, missing],
        KG + "carol": [],
    }
    reads: list[Path] = []
    read_text = Path.read_text

    def counting(self: Path, *args: object, **kwargs: object) -> str:
        reads.append(self)
        return read_text(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_text", counting)
    results = [result(name) for name in ("alice-smith", "alice", "bob", "carol")]
    results.append(result("alice", "needs a comment"))
    report = format_report(results, files, tmp_path).splitlines()
    assert [line for line in report if not line.startswith(" ")] == [
        "kg:alice-smith  (data/people.ttl:5)",
        "kg:alice  (data/people.ttl:4)",
        "kg:bob  (data/people.ttl:6, data/gone.ttl)",
        "kg:carol  (file unknown)",
    ]
    assert sorted(reads) == sorted([people, missing])
    assert "  WARNING   rdfs:label: needs a comment" in report


def test_locate_subject_gives_the_same_line_from_given_lines(tmp_path: Path) -> None:
    path = tmp_path / "people.ttl"
    path.write_text(PEOPLE, encoding="utf-8")
    lines = PEOPLE.splitlines()
    for name, line in (("alice-smith", 5), ("bob", 6), ("nobody", 0)):
        assert locate_subject(KG + name, path) == line
        assert locate_subject(KG + name, path, lines) == line


def scan_for_subject(iri: str, lines: list[str]) -> int:
    """The definition SubjectLines indexes: the first line starting with `<iri>` or with
    `prefix:local` and a word boundary, tried line by line."""
    local = iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    patterns = [
        re.compile(rf"^\s*<{re.escape(iri)}>"),
        re.compile(rf"^\s*\w*:{re.escape(local)}\b"),
    ]
    for number, line in enumerate(lines, start=1):
        if any(p.search(line) for p in patterns):
            return number
    return 0


TRICKY = """@prefix kg: <https://w3id.org/hrkg/id/> .
PREFIX x: <https://example.org/>
kg:alice-smith a hrkg:Person .
  kg:alice a hrkg:Person .
:bare a hrkg:Person .
\tkg: a hrkg:Thing .
kg:dotted.name-2024_x a hrkg:Thing ;
    hrkg:knows kg:bob .
<https://w3id.org/hrkg/id/bob> a hrkg:Person .
<https://w3id.org/hrkg/id/bob-2>a hrkg:Person .
kg:café-ü a hrkg:Place .
_:b0 a hrkg:Thing .
"""


@pytest.mark.parametrize("source", ["tricky", *sorted(DATA_FILES)])
def test_subject_lines_agree_with_a_line_by_line_scan(source: str) -> None:
    text = TRICKY if source == "tricky" else DATA_FILES[source].read_text(encoding="utf-8")
    lines = text.splitlines()
    index = SubjectLines(lines)
    names = set(re.findall(r"[\w:.\-/#<>é]+", text)) | {"", "alice", "alice-smith-2", "b0"}
    iris = {KG + n.split(":", 1)[-1].strip("<>.") for n in names}
    iris |= {n.strip("<>") for n in names if n.startswith("<")}
    found = 0
    for iri in sorted(iris):
        expected = scan_for_subject(iri, lines)
        assert index.line_of(iri) == expected, iri
        found += expected > 0
    assert found > 5
