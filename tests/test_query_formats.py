"""hrkg query output: standard SPARQL results and RDF formats, ad-hoc queries (file, stdin, -e)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib

from hrkg.cli import main

ROOT = Path(__file__).resolve().parent.parent
KG = "https://w3id.org/hrkg/id/"
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"
STATES = (
    "SELECT ?state WHERE { ?state a <https://w3id.org/hrkg/ontology#State> } "
    "ORDER BY ?state LIMIT 2"
)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from hrkg.pipeline.assemble import assemble
    from hrkg.project import Project
    from hrkg.rdf import to_store

    out = tmp_path_factory.mktemp("formats") / "dist"
    out.mkdir()
    store = to_store(assemble(Project(ROOT)).quads, out / "store")
    del store
    return out


def run(dist: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["query", *args, "--dist", str(dist)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_is_sparql_results_json(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(dist, capsys, "16-claims-by", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["head"]["vars"][:2] == ["actor", "start"]
    first = data["results"]["bindings"][0]
    assert first["actor"] == {"type": "uri", "value": KG + "maria-zakharova"}
    assert first["start"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"


def test_xml_is_sparql_results_xml(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(dist, capsys, "-e", STATES, "--format", "xml")
    root = ET.fromstring(out)
    uris = [u.text for u in root.iter(f"{RESULTS_NS}uri")]
    assert code == 0 and uris == [KG + "afghanistan", KG + "china"]


def test_tsv_and_csv_are_the_table_model(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(dist, capsys, "-e", STATES, "--format", "tsv")
    assert code == 0 and out.splitlines() == ["state", "kg:afghanistan", "kg:china"]
    code, out, _ = run(dist, capsys, "-e", STATES, "--format", "sparql-csv")
    assert list(csv.reader(io.StringIO(out)))[1:] == [[KG + "afghanistan"], [KG + "china"]]


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld"])
def test_graph_results_serialise(fmt: str, dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        dist, capsys, "14-actor-profile", "--param", "actor=Zakharova", "--format", fmt
    )
    parser = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld"}[fmt]
    graph = rdflib.Graph().parse(data=out, format=parser)
    denies = rdflib.URIRef("https://w3id.org/hrkg/ontology#denies")
    denied = set(graph.objects(rdflib.URIRef(KG + "statement-2023-10-14-maria-zakharova"), denies))
    assert code == 0 and denied == {
        rdflib.URIRef(KG + "claim-russia-supplies-weapons-to-hamas-armed-formations"),
        rdflib.URIRef(KG + "claim-russia-helped-establish-arms-factory-in-gaza"),
    }


def test_format_must_fit_the_form(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(dist, capsys, "16-claims-by", "--format", "turtle")
    assert code == 2 and "not a graph" in err
    code, _, err = run(dist, capsys, "14-actor-profile", "--format", "json")
    assert code == 2 and "is a graph" in err


def test_adhoc_file_without_header(
    dist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scratch.rq"
    path.write_text(STATES + "\n", encoding="utf-8")
    code, out, _ = run(dist, capsys, str(path), "--format", "csv")
    assert code == 0 and out.splitlines() == ["state", "kg:afghanistan", "kg:china"]


def test_adhoc_syntax_error_names_line(
    dist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("SELECT ?x WHERE {\n  ?x ?p\n}\n", encoding="utf-8")
    code, _, err = run(dist, capsys, str(path))
    assert code == 2 and f"{path}:" in err and "syntax error" in err


def test_stored_header_still_checked(
    dist: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("# Title: x\n# Colour: red\nSELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    code, _, err = run(dist, capsys, str(path))
    assert code == 2 and "unknown header key" in err


def test_stdin_with_a_parameter(
    dist: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?who ?label WHERE { ?who rdfs:label ?label }"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code, out, _ = run(dist, capsys, "-", "--param", "who=kg:alexander-ben-zvi", "--format", "csv")
    assert code == 0
    assert out.splitlines() == ["who,label", "kg:alexander-ben-zvi,Alexander Ben Zvi"]


def test_inline_ask(dist: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(dist, capsys, "-e", "ASK { ?s ?p ?o }", "--format", "json")
    assert code == 0 and json.loads(out) == {"head": {}, "boolean": True}
