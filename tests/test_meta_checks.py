"""The meta-checks (hrkg.checks: shapes_files, shapes_terms, shapes_targets, references, dates)
fail exactly where validation would otherwise be weaker than declared, and the real project
passes each of them.

Each invalid fixture is a folder tests/fixtures/meta/<case>/ of files laid over a copy of the
fixture KG (tests/fixtures/kg), and its expected.txt: one line per problem `hrkg validate`
must print, `path:line: message`; a line matches a problem line starting with it (` … ` skips
any text in between). Every problem must be expected, and every expected line found.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import FIXTURE_KG, PROJECT
from hrkg.cli import main

if TYPE_CHECKING:
    from hrkg.checks.declared import Declared
    from hrkg.checks.locate import Locator
    from hrkg.checks.scan import Scan
    from hrkg.checks.shapes_graph import ShapesGraph
    from hrkg.checks.vocabulary import Vocabulary
    from hrkg.pipeline.assemble import Assembled

META_FIXTURES = Path(__file__).parent / "fixtures" / "meta"
CASES = sorted(p.name for p in META_FIXTURES.iterdir() if p.is_dir())


def overlaid(case: str, tmp_path: Path) -> Path:
    """A copy of the fixture KG with the case's files laid over it."""
    root = tmp_path / "kg"
    shutil.copytree(FIXTURE_KG, root, ignore=shutil.ignore_patterns("dist"))
    source = META_FIXTURES / case
    for path in source.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = root / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return root


def expected_lines(case: str) -> list[str]:
    text = (META_FIXTURES / case / "expected.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def matches(expected: str, line: str) -> bool:
    first, *rest = expected.split(" … ")
    if not line.startswith(first):
        return False
    at = len(first)
    for part in rest:
        at = line.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def problem_lines(err: str) -> list[str]:
    """The indented problem lines under the meta-checks' header."""
    lines = err.splitlines()
    start = next(i for i, line in enumerate(lines) if "problem(s)" in line)
    return [line.strip() for line in lines[start + 1 :] if line.startswith("  ")]


def validate(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["validate", "--project", str(root), "--quiet"])
    return code, capsys.readouterr().err


def test_every_case_has_expectations() -> None:
    assert len(CASES) >= 9
    for case in CASES:
        assert expected_lines(case), case


@pytest.mark.parametrize("case", CASES)
def test_invalid_fixture_fails_with_exactly_the_expected_lines(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = validate(overlaid(case, tmp_path), capsys)
    assert code == 1, err
    assert "Traceback" not in err
    found = problem_lines(err)
    unmatched = list(found)
    for expected in expected_lines(case):
        hit = next((line for line in unmatched if matches(expected, line)), None)
        assert hit is not None, f"expected {expected!r} in:\n" + "\n".join(found)
        unmatched.remove(hit)
    assert not unmatched, "unexpected problems:\n" + "\n".join(unmatched)


def test_the_fixture_kg_passes_the_meta_checks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "kg"
    shutil.copytree(FIXTURE_KG, root, ignore=shutil.ignore_patterns("dist"))
    code, err = validate(root, capsys)
    assert "problem(s)" not in err
    assert code == 0, err


def test_a_toml_syntax_error_names_the_file_and_line_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "kg"
    shutil.copytree(FIXTURE_KG, root, ignore=shutil.ignore_patterns("dist"))
    (root / "hrkg.toml").write_text('shapes = ["fixture.ttl"]\n[external-terms]\n"rdfs:label" =\n')
    code, err = validate(root, capsys)
    assert code == 2
    assert "hrkg.toml:3: TOML syntax error" in err, err
    assert "Traceback" not in err


def test_a_non_utf8_config_is_a_syntax_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "kg"
    shutil.copytree(FIXTURE_KG, root, ignore=shutil.ignore_patterns("dist"))
    (root / "hrkg.toml").write_bytes(b'shapes = ["fixture.ttl"]\n# caf\xe9\n')
    code, err = validate(root, capsys)
    assert code == 2
    assert "hrkg.toml:2: not UTF-8" in err, err


# --------------------------------------------------------------------------- the real project


@dataclass(frozen=True)
class Real:
    """The real project's inputs as the meta step reads them (parsed once per module)."""

    assembled: Assembled
    locator: Locator
    declared: Declared
    shapes: ShapesGraph
    vocabulary: Vocabulary
    scan: Scan


@pytest.fixture(scope="module")
def real() -> Real:
    from hrkg.checks.declared import read_declared
    from hrkg.checks.locate import Locator
    from hrkg.checks.scan import scan
    from hrkg.checks.shapes_graph import ShapesGraph
    from hrkg.checks.vocabulary import vocabulary_of
    from hrkg.pipeline.assemble import assemble, parse_turtle, shape_files
    from hrkg.rdf import GRAPH_ONTOLOGY, GRAPH_VOCAB

    assembled = assemble(PROJECT)
    locator = Locator()
    declared, problems = read_declared(PROJECT.settings(), PROJECT.config_file, locator)
    assert problems == []
    graphs = assembled.by_graph()
    return Real(
        assembled,
        locator,
        declared,
        ShapesGraph({p: parse_turtle(p, "", i) for i, p in enumerate(shape_files(PROJECT))}),
        vocabulary_of([*graphs[GRAPH_ONTOLOGY], *graphs[GRAPH_VOCAB]]),
        scan(assembled.quads),
    )


def test_real_project_declares_every_shapes_file(real: Real) -> None:
    from hrkg.checks.shapes_files import file_problems

    assert real.declared.shapes is not None
    assert sorted(real.declared.shapes) == sorted(p.name for p in real.shapes.files)
    assert file_problems(real.shapes, real.declared, real.locator) == []


def test_real_shapes_use_only_declared_terms(real: Real) -> None:
    from hrkg.checks.shapes_terms import term_problems

    assert term_problems(real.shapes, real.vocabulary, real.declared, real.locator) == []


def test_real_classes_are_all_targeted(real: Real) -> None:
    from hrkg.checks.shapes_targets import target_problems

    files = real.assembled.subject_files
    problems = target_problems(
        real.shapes, real.vocabulary, real.scan.types, real.declared, files, real.locator
    )
    assert problems == []


def test_real_references_are_all_described(real: Real) -> None:
    from hrkg.checks.references import reference_problems

    assert len(real.scan.kg_objects) > 50
    files = real.assembled.subject_files
    assert reference_problems(real.scan, real.declared, files, real.locator) == []


def test_real_dates_are_all_calendar_dates(real: Real) -> None:
    from hrkg.checks.dates import date_problems

    assert len(real.scan.dates) >= 10  # distinct date literals: the scan sees them
    assert date_problems(real.scan, real.assembled.subject_files, real.locator) == []


XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize(
    ("datatype", "lexical", "valid"),
    [
        ("date", "2024-02-29", True),  # 2024 is a leap year
        ("date", "2023-02-29", False),
        ("date", "2024-02-30", False),
        ("date", "2000-02-29", True),  # divisible by 400
        ("date", "1900-02-29", False),  # by 100, not 400
        ("date", "0000-02-29", True),  # XML Schema 1.1: year 0 is 1 BCE, a leap year
        ("date", "-0001-02-29", False),
        ("date", "2024-04-31", False),
        ("date", "2024-12-31Z", True),
        ("date", "2024-12-31+14:00", True),
        ("date", "2024-12-31+14:01", False),
        ("date", "2024-3-2", False),
        ("date", "2024-00-10", False),
        ("date", " 2024-03-02", False),
        ("dateTime", "2024-02-29T24:00:00", True),
        ("dateTime", "2024-02-29T24:00:01", False),
        ("dateTime", "2024-02-30T10:00:00", False),
        ("dateTime", "2024-02-29T10:00:00.123-05:00", True),
        ("dateTimeStamp", "2024-02-29T10:00:00", False),  # needs a time zone
        ("gYearMonth", "2024-02", True),
        ("gYearMonth", "2024-13", False),
        ("gYear", "2024", True),
        ("gYear", "24", False),
    ],
)
def test_date_validity(datatype: str, lexical: str, valid: bool) -> None:
    from hrkg.checks.dates import date_error

    assert (date_error(XSD + datatype, lexical) is None) == valid
