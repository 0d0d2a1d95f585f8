"""End-to-end and failure-mode tests of `hrkg build` on the miniature fixture KG."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from hrkg.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "kg"
DUMPS = ["hrkg.trig", "hrkg.nq", "hrkg.ttl", "hrkg.nt", "hrkg.jsonld", "hrkg-inferred.nt"]
G = "https://w3id.org/hrkg/graph/"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "kg"
    shutil.copytree(FIXTURE, root)
    return root


def build(root: Path, out: Path) -> int:
    return main(["build", "--project", str(root), "--out", str(out), "--quiet"])


def tree_digest(folder: Path) -> dict[str, str]:
    """Content hash of every file under `folder` (store files included)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def built(project: Path, fixture_build: Path) -> tuple[Path, Path]:
    """A fresh copy of the fixture project with a copy of its built dist/ (built once)."""
    out = project / "dist"
    shutil.copytree(fixture_build, out)
    return project, out


def test_build_writes_every_dump_and_the_store(fixture_build: Path) -> None:
    out = fixture_build
    for name in [*DUMPS, "void.ttl", "hrkg.context.jsonld"]:
        assert (out / name).stat().st_size > 0, name
    assert (out / "store").is_dir()
    assert not list(out.parent.glob(".dist.new-*")), "staging folder left behind"
    assert not list(out.parent.glob(".dist.link-*")), "temporary link left behind"


def test_inferred_graph_holds_the_property_chain_and_no_noise(fixture_build: Path) -> None:
    out = fixture_build
    inferred = rdflib.Graph().parse(out / "hrkg-inferred.nt")
    participant = rdflib.URIRef("https://w3id.org/hrkg/ontology#participant")
    meeting = rdflib.URIRef("https://w3id.org/hrkg/id/meeting-1")
    assert set(inferred.objects(meeting, participant)) == {
        rdflib.URIRef("https://w3id.org/hrkg/id/alice"),
        rdflib.URIRef("https://w3id.org/hrkg/id/bob"),
    }
    for s, p, o in inferred:
        assert str(s).startswith("https://w3id.org/hrkg/"), s
        assert not (p == rdflib.OWL.sameAs and s == o)
        assert o not in (rdflib.OWL.Thing, rdflib.RDFS.Resource)


def test_round_trip_every_dump_is_isomorphic_to_the_dataset(fixture_build: Path) -> None:
    out = fixture_build
    reference = rdflib.Dataset()
    reference.parse(out / "hrkg.nq", format="nquads")
    names = {str(g.identifier) for g in reference.graphs() if len(g)}
    assert {
        G + "ontology",
        G + "vocab",
        G + "entities",
        G + "source/fixture-source",
        G + "inferred",
    } <= names
    for fmt, name in [("trig", "hrkg.trig"), ("json-ld", "hrkg.jsonld")]:
        other = rdflib.Dataset()
        other.parse(out / name, format=fmt)
        for graph_name in names:
            g = rdflib.URIRef(graph_name)
            assert isomorphic(reference.graph(g), other.graph(g)), (name, graph_name)
    merged = rdflib.Graph()
    for s, p, o, _g in reference.quads((None, None, None, None)):
        merged.add((s, p, o))
    for fmt, name in [("turtle", "hrkg.ttl"), ("nt", "hrkg.nt")]:
        assert isomorphic(merged, rdflib.Graph().parse(out / name, format=fmt)), name


def test_void_counts_triples_per_graph(fixture_build: Path) -> None:
    out = fixture_build
    void = rdflib.Graph().parse(out / "void.ttl")
    ns_void = rdflib.Namespace("http://rdfs.org/ns/void#")
    quads = rdflib.Dataset()
    quads.parse(out / "hrkg.nq", format="nquads")
    for graph in quads.graphs():
        if not len(graph):
            continue
        count = void.value(graph.identifier, ns_void.triples)
        assert isinstance(count, rdflib.Literal) and count.toPython() == len(graph)


def test_two_builds_are_byte_identical_but_for_the_issued_date(project: Path) -> None:
    first, second = project / "one", project / "two"
    assert build(project, first) == 0
    assert build(project, second) == 0
    for name in [*DUMPS, "hrkg.context.jsonld"]:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name

    def without_issued(path: Path) -> list[str]:
        return [line for line in path.read_text().splitlines() if "issued" not in line]

    assert without_issued(first / "void.ttl") == without_issued(second / "void.ttl")


def assert_failure_leaves_dist(
    project: Path, capsys: pytest.CaptureFixture[str], code: int, *needles: str
) -> None:
    out = project / "dist"
    before = tree_digest(out)
    assert build(project, out) == code
    err = capsys.readouterr().err
    for needle in needles:
        assert needle in err, (needle, err)
    assert tree_digest(out) == before
    assert not list(project.glob(".dist.new-*"))


def test_syntax_error_names_file_line_column_and_exits_2(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project, _ = built
    path = project / "data" / "entities" / "actors.ttl"
    path.write_text(path.read_text() + 'kg:carol a hrkg:Person ; rdfs:label "Carol .\n')
    assert_failure_leaves_dist(project, capsys, 2, "actors.ttl:7:", "syntax error")


def test_shacl_violation_is_reported_by_focus_node_with_file_and_message(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project, _ = built
    path = project / "data" / "entities" / "actors.ttl"
    path.write_text(path.read_text() + "kg:carol a hrkg:Person .\n")
    assert_failure_leaves_dist(
        project,
        capsys,
        1,
        "kg:carol",
        "data/entities/actors.ttl:7",
        "An actor needs a label.",
        "1 violation",
    )


def test_failing_check_query_shows_its_rows(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project, _ = built
    path = project / "data" / "sources" / "fixture-source.ttl"
    path.write_text(path.read_text() + "kg:meeting-2 a hrkg:Event .\n")
    assert_failure_leaves_dist(
        project,
        capsys,
        1,
        "label-missing-violation.rq",
        "ERROR: https://w3id.org/hrkg/id/meeting-2 has no rdfs:label",
    )


def test_malformed_stored_query_fails_naming_the_file(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project, _ = built
    (project / "queries" / "02-broken.rq").write_text(
        "# Title: Broken\n# Question: Does a syntax error stop the build?\n"
        "SELECT ?x WHERE { ?x ?y \n"
    )
    assert_failure_leaves_dist(project, capsys, 2, "02-broken.rq:3: column 19: SPARQL syntax error")


def test_wrong_expected_answer_fails(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project, _ = built
    expected = project / "tests" / "expected" / "01-participants.csv"
    expected.write_text("event,person,label\nkg:meeting-1,kg:alice,Alice\n")
    assert_failure_leaves_dist(project, capsys, 1, "01-participants", "kg:bob")


def test_disjoint_classes_clash_fails_the_build(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project, _ = built
    path = project / "data" / "entities" / "actors.ttl"
    path.write_text(path.read_text() + "kg:acme a hrkg:Person .\n")
    assert_failure_leaves_dist(project, capsys, 1, "kg:acme is both")


def test_validate_stops_before_writing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--project", str(project), "--quiet"]) == 0
    assert "valid" in capsys.readouterr().out
    assert not (project / "dist").exists()


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys\nfrom hrkg.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('rdflib', 'pyoxigraph', 'pyshacl', 'owlrl', 'pylode') "
        "if m in sys.modules]\nprint('HEAVY:' + ','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "build" in done.stdout and "validate" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "HEAVY:"


def test_uncovered_paragraph_fails_the_build(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project, _ = built
    sources = project / "sources"
    sources.mkdir()
    text = (FIXTURE.parent / "sources" / "fixture-source.txt").read_text()
    extra = "\n\nA second paragraph.\n\nNEWSLETTER"
    (sources / "fixture-source.txt").write_text(text.replace("\n\nNEWSLETTER", extra))
    monkeypatch.setenv("HRKG_SOURCES_DIR", str(sources))
    assert_failure_leaves_dist(
        project,
        capsys,
        1,
        "coverage of data/sources/fixture-source.ttl",
        "'A second paragraph.') is neither cited by evidence nor marked as a hrkg:ExcludedPassage",
    )


def test_unconfirmed_wikidata_link_fails_the_build(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project, _ = built
    path = project / "data" / "entities" / "actors.ttl"
    path.write_text(
        path.read_text() + "kg:alice <http://www.w3.org/2004/02/skos/core#exactMatch> "
        "<http://www.wikidata.org/entity/Q42> .\n"
    )
    assert_failure_leaves_dist(project, capsys, 1, "Wikidata links", "kg:alice")


def test_docs_are_rendered_and_reused_only_while_their_inputs_are_unchanged(
    built: tuple[Path, Path],
) -> None:
    project, out = built
    key_file = out / "docs" / ".source-key"
    assert "participant" in (out / "docs" / "index.html").read_text()
    first_key = key_file.read_text()
    assert build(project, out) == 0
    assert key_file.read_text() == first_key
    ontology = project / "ontology" / "hrkg.ttl"
    ontology.write_text(
        ontology.read_text().replace('"fixture ontology"@en', '"fixture ontology, renamed"@en')
    )
    assert build(project, out) == 0
    assert key_file.read_text() != first_key
    assert "fixture ontology, renamed" in (out / "docs" / "index.html").read_text()
