"""`hrkg docs` renders readable HTML for the ontology (pyLODE OntPub) and its vocabularies."""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, SKOS, Namespace

from hrkg.cli import command_parser
from hrkg.commands import docs
from hrkg.publish import docs as docs_pages

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "hrkg.ttl"
VOCAB_FILES = sorted((ROOT / "ontology" / "vocab").glob("*.ttl"))
HRKG = Namespace("https://w3id.org/hrkg/ontology#")


def visible_text(page: str) -> str:
    """The page's text with tags removed and whitespace collapsed, for phrase matching."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    return re.sub(r" ([.,;])", r"\1", text)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("docs")
    index = docs_pages.render_docs(ONTOLOGY_FILE, VOCAB_FILES, out)
    assert index == out / "index.html"
    return out


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")


def test_index_names_classes_with_labels_and_definitions(
    rendered: Path, ontology: rdflib.Graph
) -> None:
    text = visible_text((rendered / "index.html").read_text(encoding="utf-8"))
    for name in (
        "Person",
        "PoliticalOrganization",
        "Statement",
        "Designation",
        "Claim",
        "Evidence",
        "WeaponSystem",
    ):
        term = HRKG[name]
        label = str(ontology.value(term, RDFS.label))
        definition = str(ontology.value(term, SKOS.definition))
        assert str(term) in text, name
        assert label in text, label
        assert definition in text, definition


def test_index_documents_every_hrkg_term(rendered: Path, ontology: rdflib.Graph) -> None:
    page = (rendered / "index.html").read_text(encoding="utf-8")
    terms = {
        s
        for s in ontology.subjects(RDF.type, None)
        if isinstance(s, rdflib.URIRef) and str(s).startswith(str(HRKG))
    }
    assert len(terms) > 80
    for term in terms:
        assert f"<code>{term}</code>" in page, term


def test_index_leaves_out_external_declarations(rendered: Path) -> None:
    page = (rendered / "index.html").read_text(encoding="utf-8")
    assert "<code>http://www.w3.org/ns/prov#Agent</code>" not in page
    assert "<code>http://www.w3.org/2004/02/skos/core#exactMatch</code>" not in page


def test_index_shows_notes_pylode_would_not(rendered: Path) -> None:
    text = visible_text((rendered / "index.html").read_text(encoding="utf-8"))
    assert "Inferred by the OWL property chain has participation then participant agent." in text
    assert "Inverse of asserts." in text
    assert "Wikidata close match: P710." in text
    assert (
        "Disjoint with event, informal group, organization, place, state, weapon system." in text
    )  # on person
    # the comment is shown apart from the definition, not merged into it
    assert "Values come from the scheme participant roles." in text


def test_metadata_is_on_the_index(rendered: Path) -> None:
    text = visible_text((rendered / "index.html").read_text(encoding="utf-8"))
    for phrase in (
        "hamas-russia-kg ontology",
        "https://w3id.org/hrkg/ontology/0.2.0",
        "0.2.0",
        "hamas-russia-kg contributors",
        "https://creativecommons.org/licenses/by/4.0/",
    ):
        assert phrase in text


def test_vocabulary_pages(rendered: Path) -> None:
    overview = (rendered / docs_pages.VOCAB_PAGE).read_text(encoding="utf-8")
    text = visible_text(overview)
    for path in VOCAB_FILES:
        graph = rdflib.Graph().parse(path, format="turtle")
        page = rendered / "vocab" / f"{path.stem}.html"
        assert page.is_file(), page
        page_text = visible_text(page.read_text(encoding="utf-8"))
        assert f'href="vocab/{path.stem}.html"' in overview
        for concept in graph.subjects(RDF.type, SKOS.Concept):
            label = str(graph.value(concept, SKOS.prefLabel))
            definition = str(graph.value(concept, SKOS.definition))
            assert str(concept) in text and label in text and definition in text, concept
            assert definition in page_text, concept
    index = (rendered / "index.html").read_text(encoding="utf-8")
    assert f'href="{docs_pages.VOCAB_PAGE}"' in index
    assert 'href="vocab/participant-role.html"' in index


def test_import_keeps_root_logging() -> None:
    """pyLODE's import calls logging.basicConfig(level=DEBUG); the wrapper undoes it."""
    code = (
        "import logging, sys\n"
        "from hrkg.publish.docs import import_pylode\n"
        "import_pylode()\n"
        "root = logging.getLogger()\n"
        "print(root.level, len(root.handlers), 'pylode' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.split() == [str(logging.WARNING), "0", "True"]


def test_run_writes_to_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser, _ = command_parser("docs")
    args = parser.parse_args(["--out", str(tmp_path / "site")])
    assert docs.run(args) == 0
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / docs_pages.VOCAB_PAGE).is_file()
    assert "wrote" in capsys.readouterr().out


def test_default_out_is_the_projects_dist_docs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "kg"
    shutil.copytree(ROOT / "ontology", project / "ontology")
    (project / "hrkg.toml").write_text("")
    monkeypatch.chdir(project / "ontology")
    parser, _ = command_parser("docs")
    assert docs.run(parser.parse_args([])) == 0
    assert (project / "dist" / "docs" / "index.html").is_file()
