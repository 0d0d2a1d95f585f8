"""`hrkg coverage`: every paragraph of every source is cited or explicitly excluded.

The real data must cover its source; a copy with one paragraph's evidence removed must fail
and name that paragraph; a span across a paragraph break must be reported.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib import URIRef

from conftest import PROJECT
from hrkg.checks import coverage
from hrkg.cli import command_parser
from hrkg.commands import coverage as coverage_command

ROOT = Path(__file__).resolve().parent.parent
SLUG = "hamas-relations-with-russia"
KG = "https://w3id.org/hrkg/id/"
SOURCE = KG + f"source-{SLUG}"
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
HRKG = rdflib.Namespace("https://w3id.org/hrkg/ontology#")
PROV_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")


@pytest.fixture(scope="module")
def text() -> str:
    path = PROJECT.sources_dir / f"{SLUG}.txt"
    if not path.exists():
        pytest.fail(f"source text {path} is missing")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def data_graph() -> rdflib.Graph:
    return coverage.load_data_graph(ROOT / "data")


def source_slugs() -> list[str]:
    """Sources with a local text; cited reports have none (tests/test_cited_reports.py)."""
    from hrkg.checks.cited import is_cited_report

    return [
        p.stem
        for p in sorted((ROOT / "data" / "sources").glob("*.ttl"))
        if not is_cited_report(rdflib.Graph().parse(p, format="turtle"), KG + f"source-{p.stem}")
    ]


@pytest.mark.parametrize("slug", source_slugs())
def test_real_data_covers_every_paragraph(slug: str, data_graph: rdflib.Graph) -> None:
    text = (PROJECT.sources_dir / f"{slug}.txt").read_text(encoding="utf-8")
    rows = coverage.compute_coverage(data_graph, text, KG + f"source-{slug}")
    assert rows, "no paragraphs found"
    uncovered = [f"¶{r.number} {r.first_words!r}" for r in rows if not r.covered]
    assert not uncovered, f"{slug}: uncovered paragraphs: {uncovered}"
    problems = coverage.span_problems(data_graph, text, KG + f"source-{slug}")
    assert not problems, problems


def test_paragraphs_are_the_article_body(text: str) -> None:
    paragraphs = coverage.split_paragraphs(text, "HAMAS Relations with Russia")
    assert len(paragraphs) == 34
    assert paragraphs[0].text.startswith("It is no longer possible")
    assert paragraphs[-1].text.startswith("Naturally, what can be considered")
    assert all(text[p.start : p.end] == p.text and "\n" not in p.text for p in paragraphs)
    assert not any("NEWSLETTER" in p.text or "UNITED24" in p.text for p in paragraphs)


def test_split_paragraphs_on_a_toy_page() -> None:
    page = "Menu\n\nTitle\n\nFirst para.\n\n  Second para.  \n\nNEWSLETTER\nJoin\n"
    paragraphs = coverage.split_paragraphs(page, "Title")
    assert [(p.number, p.text) for p in paragraphs] == [(1, "First para."), (2, "Second para.")]
    assert page[paragraphs[1].start : paragraphs[1].end] == "Second para."
    with pytest.raises(coverage.CoverageError):
        coverage.split_paragraphs(page, "Missing title")


def without_paragraph(graph: rdflib.Graph, text: str, number: int) -> rdflib.Graph:
    """A copy of the graph with every evidence span inside paragraph `number` removed."""
    paragraph = coverage.split_paragraphs(text, "HAMAS Relations with Russia")[number - 1]
    copy = rdflib.Graph()
    for triple in graph:
        copy.add(triple)
    for span in coverage.spans(copy, URIRef(SOURCE)):
        if paragraph.contains(span.start, span.end):
            node = URIRef(span.node)
            copy.remove((node, None, None))
            copy.remove((None, PROV_DERIVED, node))
    return copy


def test_dropping_a_paragraphs_evidence_fails_naming_it(
    data_graph: rdflib.Graph, text: str
) -> None:
    rows = coverage.compute_coverage(without_paragraph(data_graph, text, 16), text, SOURCE)
    assert [r.number for r in rows if not r.covered] == [16]
    assert rows[15].first_words.startswith("On 30 December 2008")


def test_an_excluded_passage_covers_its_paragraph(data_graph: rdflib.Graph, text: str) -> None:
    graph = without_paragraph(data_graph, text, 13)
    paragraph = coverage.split_paragraphs(text, "HAMAS Relations with Russia")[12]
    node, quote, position = URIRef(KG + "excluded-test"), rdflib.BNode(), rdflib.BNode()
    exact = " ".join(paragraph.text.split()[:10])
    graph.add((node, rdflib.RDF.type, HRKG.ExcludedPassage))
    graph.add((node, OA.hasSource, URIRef(SOURCE)))
    graph.add((node, HRKG.exclusionReason, rdflib.Literal("rhetoric only (test)")))
    graph.add((node, OA.hasSelector, quote))
    graph.add((quote, OA.exact, rdflib.Literal(exact)))
    graph.add((node, OA.hasSelector, position))
    graph.add((position, OA.start, rdflib.Literal(paragraph.start)))
    graph.add((position, OA.end, rdflib.Literal(paragraph.start + len(exact))))
    rows = coverage.compute_coverage(graph, text, SOURCE)
    assert rows[12].covered and rows[12].facts == 0
    assert rows[12].excluded == "rhetoric only (test)"
    assert coverage.span_problems(graph, text, SOURCE) == []


def test_a_span_across_a_paragraph_break_is_reported(data_graph: rdflib.Graph, text: str) -> None:
    graph = rdflib.Graph()
    for triple in data_graph:
        graph.add(triple)
    paragraphs = coverage.split_paragraphs(text, "HAMAS Relations with Russia")
    start, end = paragraphs[0].end - 10, paragraphs[1].start + 10
    node, quote, position = URIRef(KG + "evidence-straddling"), rdflib.BNode(), rdflib.BNode()
    graph.add((node, rdflib.RDF.type, HRKG.Evidence))
    graph.add((node, OA.hasSource, URIRef(SOURCE)))
    graph.add((node, OA.hasSelector, quote))
    graph.add((quote, OA.exact, rdflib.Literal(text[start:end])))
    graph.add((node, OA.hasSelector, position))
    graph.add((position, OA.start, rdflib.Literal(start)))
    graph.add((position, OA.end, rdflib.Literal(end)))
    problems = coverage.span_problems(graph, text, SOURCE)
    assert [(p.node, p.problem) for p in problems] == [
        (str(node), "not inside a single paragraph of the article body")
    ]


def run_cli(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser, _ = command_parser("coverage")
    args = parser.parse_args(["--project", str(root), "--sources-dir", str(PROJECT.sources_dir)])
    code = coverage_command.run(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_passes_on_the_real_data(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(ROOT, capsys)
    assert code == 0, err
    assert f"{SLUG}: 34 paragraphs" in out and "0 uncovered" in out


def test_cli_fails_and_names_the_dropped_paragraph(
    tmp_path: Path, data_graph: rdflib.Graph, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "data" / "entities", tmp_path / "data" / "entities")
    (tmp_path / "data" / "sources").mkdir(parents=True)
    (tmp_path / "hrkg.toml").write_text("")
    source_graph = rdflib.Graph().parse(ROOT / "data" / "sources" / f"{SLUG}.ttl")
    broken = without_paragraph(source_graph, text, 16)
    broken.serialize(tmp_path / "data" / "sources" / f"{SLUG}.ttl", format="turtle")
    code, out, err = run_cli(tmp_path, capsys)
    assert code == 1
    assert "¶16" in err and "On 30 December 2008" in err
    assert "UNCOVERED" in out
    assert "¶15" not in err and "¶17" not in err
