"""The stored competency questions (queries/*.rq) on the real KG.

Every query has the documented header; every offline query gives the same normalised answer
on rdflib and on pyoxigraph, with and without the owlrl closure (graph …/inferred) unless it
reports graphs; queries marked `# Needs: inferred` run with the closure only; each answer
matches the expected CSV written by hand from the article in tests/expected/.

The data are loaded with the build's named-graph layout (hrkg.assemble), and the closure is
trimmed as the build trims it (hrkg.reason.new_own_triples), so these answers are the answers
`hrkg build` checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from hrkg import rdf as ns
from hrkg.pipeline.assemble import Assembled
from hrkg.queries.catalog import QueryFile, load_query
from hrkg.queries.results import Result, compare, read_expected
from hrkg.queries.run import run_oxigraph, run_rdflib

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
EXPECTED_DIR = Path(__file__).resolve().parent / "expected"
QUERY_PATHS = sorted(QUERIES_DIR.glob("*.rq"))
NAME = re.compile(r"^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*$")


def query_params(paths: list[Path]) -> list[object]:
    return [pytest.param(p, id=p.stem) for p in paths]


def offline(paths: list[Path]) -> list[Path]:
    return [p for p in paths if not load_query(p).online_only]


def reports_graphs(q: QueryFile) -> bool:
    """A query that names graphs (GRAPH ?g) reports the inferred graph as a graph of its own."""
    return re.search(r"\bGRAPH\s+[?$]", q.text, re.IGNORECASE) is not None


@dataclass
class Stores:
    """The KG in both engines, without and with the closure graph."""

    base_ox: ox.Store
    base_rdflib: rdflib.Dataset
    full_ox: ox.Store
    full_rdflib: rdflib.Dataset


@pytest.fixture(scope="module")
def stores(real_assembled: Assembled, real_inferred: rdflib.Graph) -> Stores:
    from hrkg.publish.wikidata import wikidata_view
    from hrkg.rdf import from_rdflib, to_rdflib_dataset, to_store

    quads = real_assembled.quads
    inferred = real_inferred
    quads = quads + wikidata_view(quads).quads()  # added after the closure, as the build does
    graph = ox.NamedNode(ns.GRAPH_INFERRED)
    full = quads + [
        ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), graph)  # type: ignore[arg-type]
        for s, p, o in inferred
    ]
    return Stores(
        to_store(quads), to_rdflib_dataset(quads), to_store(full), to_rdflib_dataset(full)
    )


# --------------------------------------------------------------------------- headers


def test_there_are_competency_questions() -> None:
    assert len(QUERY_PATHS) >= 15


@pytest.mark.parametrize("path", query_params(QUERY_PATHS))
def test_header(path: Path) -> None:
    q = load_query(path)  # raises on a missing Title/Question or bad syntax
    assert NAME.match(q.name), f"{path.name}: name must be NN-slug"
    assert q.title and q.question.endswith("?"), f"{path.name}: the question ends with '?'"
    assert q.severity is None, f"{path.name}: Severity is for checks only"
    if q.form == "SELECT":
        assert q.columns, f"{path.name}: a SELECT query declares its # Columns:"
    for p in q.params:
        assert p.default is not None, f"{path.name}: parameter {p.name} needs a default"
        if q.form == "SELECT":
            assert p.name in q.columns, f"{path.name}: parameter {p.name} must be projected"


@pytest.mark.parametrize("path", query_params(QUERY_PATHS))
def test_rdflib_parses_too(path: Path) -> None:
    from rdflib.plugins.sparql import prepareQuery

    prepareQuery(load_query(path).text)


def test_online_only_queries_are_marked() -> None:
    for path in QUERY_PATHS:
        q = load_query(path)
        uses_service = re.search(r"\bSERVICE\b", q.text) is not None
        assert uses_service == q.online_only, f"{path.name}: SERVICE iff # Online-only: yes"


@pytest.mark.parametrize("path", query_params(offline(QUERY_PATHS)))
def test_expected_answer_exists(path: Path) -> None:
    assert (EXPECTED_DIR / f"{path.stem}.csv").exists(), f"write tests/expected/{path.stem}.csv"


# --------------------------------------------------------------------------- engines agree


def assert_same(a: Result, b: Result, what: str) -> None:
    assert a.columns == b.columns, what
    if a.ordered:
        assert a.rows == b.rows, what
    else:
        assert sorted(a.rows) == sorted(b.rows), what


@pytest.mark.parametrize("path", query_params(offline(QUERY_PATHS)))
def test_engines_agree(path: Path, stores: Stores) -> None:
    q = load_query(path)
    full_ox = run_oxigraph(stores.full_ox, q)
    assert_same(full_ox, run_rdflib(stores.full_rdflib, q), "rdflib vs pyoxigraph, with closure")
    if q.columns:
        assert full_ox.columns == q.columns, f"{path.name}: # Columns: differs from the result"
    if q.needs_inferred:
        return
    base_ox = run_oxigraph(stores.base_ox, q)
    assert_same(base_ox, run_rdflib(stores.base_rdflib, q), "rdflib vs pyoxigraph, no closure")
    if not reports_graphs(q):
        assert_same(base_ox, full_ox, "the closure must not change this answer")


OTHER_PARAMS = [
    pytest.param(
        "02-meeting-participants",
        {"meeting": "kg:visit-2023-10-26-hamas-delegation-moscow"},
        id="02-visit",
    ),
    pytest.param("03-events-hosted-by", {"host": "kg:qatar"}, id="03-qatar"),
    pytest.param(
        "04-statements-by-members-about",
        {"organization": "kg:russian-foreign-ministry", "about": "kg:hamas"},
        id="04-mfa-about-hamas",
    ),
    pytest.param("05-designation-status", {"actor": "kg:taliban"}, id="05-taliban"),
    pytest.param("07-claims-about", {"actor": "kg:russia"}, id="07-russia"),
    pytest.param("08-weapons-held", {"actor": "kg:israel"}, id="08-israel"),
    pytest.param("09-positions-as-of", {"date": "2023-10-14"}, id="09-2023-10-14"),
    pytest.param(
        "10-evidence-for", {"resource": "kg:designation-russia-hamas"}, id="10-designation"
    ),
    pytest.param("14-actor-profile", {"actor": "kg:hamas"}, id="14-hamas"),
]


@pytest.mark.parametrize(("name", "params"), OTHER_PARAMS)
def test_engines_agree_on_other_parameters(
    name: str, params: dict[str, str], stores: Stores
) -> None:
    q = load_query(QUERIES_DIR / f"{name}.rq")
    a = run_oxigraph(stores.full_ox, q, params)
    assert_same(a, run_rdflib(stores.full_rdflib, q, params), f"{name} {params}")


# --------------------------------------------------------------------------- expected answers


@pytest.mark.parametrize("path", query_params(offline(QUERY_PATHS)))
def test_expected_answer(path: Path, stores: Stores) -> None:
    expected_path = EXPECTED_DIR / f"{path.stem}.csv"
    if not expected_path.exists():
        pytest.skip("no expected answer (test_expected_answer_exists fails for it)")
    q = load_query(path)
    # The build runs stored queries on the store with the closure: so do we.
    diffs = compare(run_oxigraph(stores.full_ox, q), read_expected(expected_path))
    assert not diffs, f"{path.name} vs {expected_path.name}:\n" + "\n".join(diffs)
