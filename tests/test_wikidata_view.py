"""The graph in Wikidata's model (hrkg.publish.wikidata) and the QuickStatements proposal.

Expected triples and commands are written by hand from the article: the United States and the
European Union designate Hamas, the Taliban is on Russia's list, Moscow does not list Hamas or
Hezbollah (no Wikidata form); the QIDs are those of data/entities/wikidata-evidence.tsv.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from hrkg.project import Project
from hrkg.publish.wikidata import GRAPH_WIKIDATA, View, report_text, wikidata_view, write_wikidata
from hrkg.publish.wikidata.mapping import parse_target, read_mapping
from hrkg.publish.wikidata.quickstatements import (
    HEADER,
    QuickStatementsError,
    parse_v1,
    quickstatements,
    statements_without_qid,
)

ROOT = Path(__file__).resolve().parent.parent
URL = "https://www.globalsecurity.org/military/world/para/hamas-forrel-ru.htm"
EU_US_QUOTE = (
    "Unlike the United States and the European Union, Moscow did not include the "
    "Hamas movement on the “terrorist list,”"
)
TALIBAN_QUOTE = (
    "as well as with the Taliban in Afghanistan, which is included on the "
    "“terrorism list.” Russian,"
)
KG = "https://w3id.org/hrkg/id/"
WD = "http://www.wikidata.org/entity/"


@pytest.fixture(scope="module")
def quads() -> list[ox.Quad]:
    from hrkg.pipeline.assemble import assemble

    return assemble(Project(ROOT)).quads


@pytest.fixture(scope="module")
def view(quads: list[ox.Quad]) -> View:
    return wikidata_view(quads)


def nt(text: str) -> set[ox.Triple]:
    return {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES)
    }


# --------------------------------------------------------------------------- the view


def test_two_facts_round_trip_as_written_by_hand(view: View) -> None:
    st, ref = KG + "wikidata/statement/", KG + "wikidata/reference/"
    expected = nt(f"""
<{WD}Q38799> <http://www.wikidata.org/prop/direct/P3461> <{WD}Q30> .
<{WD}Q38799> <http://www.wikidata.org/prop/P3461> <{st}designation-united-states-hamas> .
<{st}designation-united-states-hamas> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://wikiba.se/ontology#Statement> .
<{st}designation-united-states-hamas> <http://wikiba.se/ontology#rank> <http://wikiba.se/ontology#NormalRank> .
<{st}designation-united-states-hamas> <http://www.wikidata.org/prop/statement/P3461> <{WD}Q30> .
<{st}designation-united-states-hamas> <http://www.w3.org/ns/prov#wasDerivedFrom> <{ref}evidence-designation-hamas-us-eu-russia> .
<{ref}evidence-designation-hamas-us-eu-russia> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://wikiba.se/ontology#Reference> .
<{ref}evidence-designation-hamas-us-eu-russia> <http://www.wikidata.org/prop/reference/P854> <{URL}> .
<{ref}evidence-designation-hamas-us-eu-russia> <http://www.wikidata.org/prop/reference/P1683> "{EU_US_QUOTE}"@en .
<{WD}Q42418> <http://www.wikidata.org/prop/direct/P3461> <{WD}Q159> .
<{WD}Q42418> <http://www.wikidata.org/prop/P3461> <{st}designation-russia-taliban> .
<{st}designation-russia-taliban> <http://www.wikidata.org/prop/statement/P3461> <{WD}Q159> .
<{st}designation-russia-taliban> <http://www.w3.org/ns/prov#wasDerivedFrom> <{ref}evidence-taliban-list> .
<{ref}evidence-taliban-list> <http://www.wikidata.org/prop/reference/P1683> "{TALIBAN_QUOTE}"@en .
""")  # noqa: E501
    triples = set(view.triples())
    assert expected <= triples, sorted(str(t) for t in expected - triples)


def test_view_parses_back_and_lives_in_its_named_graph(view: View, tmp_path: Path) -> None:
    write_wikidata(view, tmp_path)
    parsed = nt((tmp_path / "hrkg-wikidata.nt").read_text(encoding="utf-8"))
    assert parsed == set(view.triples())
    assert {q.graph_name for q in view.quads()} == {ox.NamedNode(GRAPH_WIKIDATA)}
    # three statements (US-Hamas, EU-Hamas, Russia-Taliban) of six triples, two references
    # of three: counted by hand from the article's designations
    assert len(view.triples()) == 3 * 6 + 2 * 3


def test_no_truthy_triple_says_what_the_source_denies(view: View) -> None:
    truthy = {
        (t.subject.value, t.object.value)
        for t in view.triples()
        if isinstance(t.subject, ox.NamedNode)
        and isinstance(t.object, ox.NamedNode)
        and t.predicate.value.endswith("/direct/P3461")
    }
    assert truthy == {
        (WD + "Q38799", WD + "Q30"),
        (WD + "Q38799", WD + "Q458"),
        (WD + "Q42418", WD + "Q159"),
    }
    assert (WD + "Q38799", WD + "Q159") not in truthy  # Russia does not list Hamas
    assert all(s.source.startswith(KG + "designation-") for s in view.statements)


def test_report_names_what_has_no_wikidata_form(view: View) -> None:
    rows = {kind: (count, reason) for kind, count, reason in view.report()}
    # 41 statements and 85 claims (the article's and the nine cited reports'; each typed once
    # in data/sources/*.ttl); two explicit non-designations (Hamas, Hezbollah)
    assert rows["designation (designation status: not designated)"][0] == 2
    assert rows["claim"][0] == 85
    assert rows["statement"][0] == 41
    assert "no Wikidata form" in rows["designation (designation status: not designated)"][1]
    text = report_text(view)
    assert "| claim | 85 |" in text and "on list on designation" in text


def test_wdqs_queries_run_unchanged_on_the_view(view: View) -> None:
    from hrkg.queries.catalog import load_query
    from hrkg.queries.results import compare, read_expected
    from hrkg.queries.run import run_oxigraph

    store = ox.Store()
    store.extend(view.quads())
    for name in ("21-wdqs-designated-as-terrorist-by", "22-wdqs-designation-references"):
        result = run_oxigraph(store, load_query(ROOT / "queries" / f"{name}.rq"))
        expected = read_expected(ROOT / "tests" / "expected" / f"{name}.csv")
        assert compare(result, expected) == [], name


# --------------------------------------------------------------------------- the mapping


def test_the_mapping_is_the_ontology_annotations(quads: list[ox.Quad]) -> None:
    mapping = read_mapping(quads)
    hrkg = "https://w3id.org/hrkg/ontology#"
    assert mapping.class_pid == {hrkg + "Designation": "P3461"}
    assert {(t.role, t.pid) for t in mapping.property_targets[hrkg + "authority"]} == {
        ("ps", "P3461")
    }
    assert parse_target("http://www.wikidata.org/prop/qualifier/P580").role == "pq"  # type: ignore[union-attr]
    assert parse_target("http://www.wikidata.org/entity/Q5") is None
    # without the annotation of hrkg:authority, no statement can be made: nothing in Python
    # knows that the authority is the value of P3461
    stripped = [
        q
        for q in quads
        if not (
            q.subject.value == hrkg + "authority"  # type: ignore[union-attr]
            and q.predicate.value.endswith("closeMatch")
        )
    ]
    view = wikidata_view(stripped)
    assert view.statements == []
    reasons = {u.reason for u in view.unmapped if "designation" in u.kind}
    assert "no property of it matches ps:P3461" in reasons


FIXTURE = """
@prefix hrkg: <https://w3id.org/hrkg/ontology#> .
@prefix kg: <https://w3id.org/hrkg/id/> .
@prefix dsta: <https://w3id.org/hrkg/vocab/designation-status/> .
@prefix dcatg: <https://w3id.org/hrkg/vocab/designation-category/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
kg:x a hrkg:PoliticalOrganization ; skos:exactMatch wd:Q1001 .
kg:y a hrkg:State ; skos:exactMatch wd:Q1002 .
kg:z a hrkg:State .
kg:d1 a hrkg:Designation ; hrkg:designatedActor kg:x ; hrkg:authority kg:y ;
    hrkg:designationStatus dsta:designated ; hrkg:designationCategory dcatg:terrorist-organization ;
    hrkg:startDate "2001-02-03"^^xsd:date ; hrkg:notAfter "2005-06-07"^^xsd:date ;
    prov:wasDerivedFrom kg:e1 .
kg:d2 a hrkg:Designation ; hrkg:designatedActor kg:x ; hrkg:authority kg:y ;
    hrkg:designationStatus dsta:delisted ; prov:wasDerivedFrom kg:e1 .
kg:d3 a hrkg:Designation ; hrkg:designatedActor kg:x ; hrkg:authority kg:z ;
    hrkg:designationStatus dsta:designated ; prov:wasDerivedFrom kg:e1 .
"""


def test_qualifiers_and_what_stays_out_on_a_fixture(quads: list[ox.Quad]) -> None:
    ontology = [q for q in quads if q.graph_name.value.endswith(("/ontology", "/vocab"))]  # type: ignore[union-attr]
    graph = ox.NamedNode("https://w3id.org/hrkg/graph/source/fixture")
    data = [
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in ox.parse(FIXTURE.encode(), format=ox.RdfFormat.TURTLE)
    ]
    view = wikidata_view(ontology + data)
    assert [(s.subject, s.pid, s.value.qid) for s in view.statements] == [
        ("Q1001", "P3461", "Q1002")
    ]
    qualifiers = {(pid, v.term().value) for pid, v in view.statements[0].qualifiers}
    assert qualifiers == {("P580", "2001-02-03T00:00:00Z"), ("P1326", "2005-06-07T00:00:00Z")}
    unmapped = {u.node[len(KG) :]: u.reason for u in view.unmapped}
    assert unmapped == {
        "d2": "designation status 'delisted' has no Wikidata form",
        "d3": "its authority has no Wikidata item",
    }


# --------------------------------------------------------------------------- QuickStatements


def test_quickstatements_follow_v1_and_name_no_unlinked_target(view: View) -> None:
    text = quickstatements(view)
    assert text.splitlines()[: len(HEADER)] == list(HEADER)
    assert "A HUMAN MUST REVIEW" in text
    commands = parse_v1(text)
    assert statements_without_qid(commands) == []
    taliban = f'Q42418\tP3461\tQ159\tS854\t"{URL}"\tS1683\ten:"{TALIBAN_QUOTE}"'
    assert taliban in text.splitlines()
    assert sorted(c[:3] for c in commands) == [
        ["Q38799", "P3461", "Q30"],
        ["Q38799", "P3461", "Q458"],
        ["Q42418", "P3461", "Q159"],
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Q1\tP2",  # no value
        "kg:hamas\tP3461\tQ30",  # not an item
        'Q1\tS854\t"http://x"',  # a source instead of a property
        "Q1\tP2\tQ3\tS854",  # a dangling pair
        "Q1\tP2\tsome text",  # an unquoted string
        "Q1\tP2\t+2024-02-29/11",  # not a V1 time
    ],
)
def test_v1_grammar_rejects(line: str) -> None:
    with pytest.raises(QuickStatementsError):
        parse_v1(line)


def test_quickstatements_command_writes_a_file(tmp_path: Path) -> None:
    from hrkg.cli import command_parser

    parser, command = command_parser("wikidata")
    out = tmp_path / "proposal.tsv"
    args = parser.parse_args(["quickstatements", "--out", str(out), "--project", str(ROOT)])
    assert command.run(args) == 0  # type: ignore[attr-defined]
    assert len(parse_v1(out.read_text(encoding="utf-8"))) == 3
