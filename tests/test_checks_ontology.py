"""The ontology and vocabulary quality checks (queries/checks/*-violation.rq) flag exactly what
they should.

Each check has a fixture, tests/fixtures/checks/<check>.ttl, with blocks commented
`# SHOULD TRIGGER` / `# SHOULD NOT TRIGGER`; the test asserts the exact set of IRIs the check
flags (its first result column), on rdflib and on pyoxigraph with the default graph as the union
of named graphs, the way the build runs it. The real ontology and vocabularies must pass every
check with zero rows.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

ROOT = Path(__file__).resolve().parent.parent
CHECKS_DIR = ROOT / "queries" / "checks"
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures" / "checks"
ONTOLOGY = ROOT / "ontology" / "hrkg.ttl"
VOCAB_FILES = sorted((ROOT / "ontology" / "vocab").glob("*.ttl"))

HRKG = "https://w3id.org/hrkg/ontology#"
KG = "https://w3id.org/hrkg/id/"
FIXTURE_VOCAB = "https://w3id.org/hrkg/vocab/fixture/"

# check name -> the IRIs its fixture's SHOULD TRIGGER blocks must flag, and nothing else
FLAGS = re.compile(r"^# Flags: <([^>]+)>\s*$", re.MULTILINE)


def expected_flags(name: str) -> set[str]:
    """The IRIs the fixture of a check says the check must flag (its "# Flags: <iri>" lines)."""
    text = (FIXTURES_DIR / f"{name}.ttl").read_text(encoding="utf-8")
    found = set(FLAGS.findall(text))
    assert found, f"{name}.ttl has no '# Flags: <iri>' line"
    return found


HEADER_FIELDS = ("Title", "Description", "Severity", "Columns")


def check_text(name: str) -> str:
    return (CHECKS_DIR / f"{name}.rq").read_text(encoding="utf-8")


def first_variable(query: str) -> str:
    """The first projected variable of a SELECT query (the flagged resource)."""
    match = re.search(r"SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?\?(\w+)", query, re.IGNORECASE)
    assert match, "the check has no SELECT with a variable"
    return match.group(1)


def flagged_rdflib(graph: rdflib.Graph, query: str) -> set[str]:
    """IRIs in the first column of the check's rows, run with rdflib."""
    return {str(row[0]) for row in graph.query(query)}  # type: ignore[index]


def flagged_oxigraph(files: list[Path], query: str) -> set[str]:
    """IRIs in the first column, run with pyoxigraph on named graphs with a union default graph."""
    store = ox.Store()
    for index, path in enumerate(files):
        store.load(
            path=str(path),
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(f"https://w3id.org/hrkg/graph/test-{index}"),
        )
    variable = first_variable(query)
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return {solution[variable].value for solution in solutions}


def rdflib_graph(files: list[Path]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in files:
        graph.parse(path, format="turtle")
    return graph


CHECK_NAMES = sorted(p.stem for p in CHECKS_DIR.glob("*-violation.rq"))


def test_every_check_file_has_a_fixture_and_expected_flags() -> None:
    fixtures = {p.stem for p in FIXTURES_DIR.glob("*-violation.ttl")}
    assert set(CHECK_NAMES) == fixtures, "each check needs tests/fixtures/checks/<check>.ttl"
    for name in CHECK_NAMES:
        assert expected_flags(name)


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in CHECK_NAMES])
def test_check_has_header(name: str) -> None:
    text = check_text(name)
    header = {}
    for line in text.splitlines():
        match = re.match(r"#\s*(\w+):\s*(.+)", line)
        if match:
            header[match.group(1)] = match.group(2).strip()
    for field in HEADER_FIELDS:
        assert header.get(field), f"{name}.rq lacks '# {field}:'"
    assert header["Severity"] in {"Error", "Warning"}
    assert header["Columns"].split() == ["?term", "?error"]
    assert first_variable(text) == "term"
    assert 'CONCAT("ERROR: "' in text
    assert not re.search(r"^\s*FROM\b", text, re.IGNORECASE | re.MULTILINE)


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in CHECK_NAMES])
def test_fixture_has_both_kinds_of_block(name: str) -> None:
    text = (FIXTURES_DIR / f"{name}.ttl").read_text(encoding="utf-8")
    assert "# SHOULD TRIGGER" in text
    assert "# SHOULD NOT TRIGGER" in text


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in CHECK_NAMES])
def test_check_flags_exactly_the_triggering_fixture_blocks_rdflib(name: str) -> None:
    graph = rdflib_graph([FIXTURES_DIR / f"{name}.ttl"])
    assert flagged_rdflib(graph, check_text(name)) == expected_flags(name)


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in CHECK_NAMES])
def test_check_flags_exactly_the_triggering_fixture_blocks_oxigraph(name: str) -> None:
    assert flagged_oxigraph([FIXTURES_DIR / f"{name}.ttl"], check_text(name)) == expected_flags(
        name
    )


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in CHECK_NAMES])
def test_error_column_explains_the_row(name: str) -> None:
    graph = rdflib_graph([FIXTURES_DIR / f"{name}.ttl"])
    rows = list(graph.query(check_text(name)))
    assert rows
    for row in rows:
        term, error = str(row[0]), str(row[1])  # type: ignore[index]
        assert error.startswith(f"ERROR: {term} ")


def test_header_check_flags_a_missing_ontology() -> None:
    graph = rdflib.Graph()
    graph.parse(data="<urn:x:a> <urn:x:b> <urn:x:c> .", format="turtle")
    flagged = flagged_rdflib(graph, check_text("ontology-header-violation"))
    assert flagged == {"https://w3id.org/hrkg/ontology"}


def test_header_check_flags_each_missing_property() -> None:
    graph = rdflib_graph([FIXTURES_DIR / "ontology-header-violation.ttl"])
    errors = {str(row[1]) for row in graph.query(check_text("ontology-header-violation"))}  # type: ignore[index]
    missing = {error.rsplit(" ", 1)[1] for error in errors}
    assert missing == {
        "http://purl.org/dc/terms/license",
        "http://purl.org/dc/terms/modified",
        "http://purl.org/vocab/vann/preferredNamespacePrefix",
    }


ALL_CHECKS = sorted(CHECKS_DIR.glob("*-violation.rq"))


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in ALL_CHECKS])
def test_real_ontology_and_vocab_pass_rdflib(path: Path) -> None:
    graph = rdflib_graph([ONTOLOGY, *VOCAB_FILES])
    rows = [str(row[1]) for row in graph.query(path.read_text(encoding="utf-8"))]  # type: ignore[index]
    assert rows == []


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in ALL_CHECKS])
def test_real_ontology_and_vocab_pass_oxigraph(path: Path) -> None:
    assert flagged_oxigraph([ONTOLOGY, *VOCAB_FILES], path.read_text(encoding="utf-8")) == set()


def test_every_expected_check_exists() -> None:
    assert VOCAB_FILES, "no vocabulary files found"
    for name in CHECK_NAMES:
        assert (CHECKS_DIR / f"{name}.rq").is_file(), name
