"""The build's SHACL report: one block per focus node with the file and line it is written on,
each file read once however many of its subjects have results."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrkg.pipeline.assemble import locate_subject
from hrkg.pipeline.shacl_report import ShapeResult, format_report

KG = "https://w3id.org/hrkg/id/"
SHAPES = "https://w3id.org/hrkg/shapes#"

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
