"""SHACL by parts (hrkg.pipeline.shacl_units / shacl_parts) gives exactly the results of one
pyshacl run over everything, and its cache re-validates only what changed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import FIXTURE_KG, PROJECT
from hrkg import rdf as ns
from hrkg.pipeline.assemble import assemble, parse_shapes
from hrkg.pipeline.shacl import shacl_validate
from hrkg.pipeline.shacl_parts import PartsReport, validate_parts
from hrkg.pipeline.shacl_report import ShapeResult
from hrkg.pipeline.shacl_units import plan_units
from hrkg.project import Project
from hrkg.rdf import to_rdflib_graph, to_store
from scaled_copies import edit_copy, scaled_project

Results = list[ShapeResult]


def whole(project: Project) -> Results:
    """The reference: one pyshacl run over all data, the ontology merged in."""
    graphs = assemble(project).by_graph()
    ontology = to_rdflib_graph(graphs.get(ns.GRAPH_ONTOLOGY, []))
    data = to_rdflib_graph([q for g, qs in graphs.items() if g != ns.GRAPH_ONTOLOGY for q in qs])
    return shacl_validate(data, ontology, parse_shapes(project))


def by_parts(project: Project, cache: Path | None = None) -> tuple[Results, PartsReport]:
    from hrkg.pipeline.build import part_local_sparql

    assembled = assemble(project)
    store = to_store(assembled.quads)
    shapes = parse_shapes(project)
    local = part_local_sparql(project)
    return validate_parts(assembled.by_graph(), shapes, store, cache, 2, local)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return Project(scaled_project(tmp_path_factory.mktemp("scaled"), 4))


def test_the_project_by_parts_equals_one_run() -> None:
    results, report = by_parts(PROJECT)
    assert results == whole(PROJECT)
    assert results, "the project has SHACL warnings: an empty list would prove nothing"
    # the article and the cited reports describing its meetings are one part; every report
    # that shares no node with it would be a part of its own
    assert report.parts >= 2 and not report.whole_reason


def test_the_fixture_kg_by_parts_equals_one_run() -> None:
    project = Project(FIXTURE_KG)
    assert by_parts(project)[0] == whole(project)


def test_a_scaled_project_by_parts_equals_one_run(scaled: Project) -> None:
    results, report = by_parts(scaled)
    assert report.parts == 5  # the shared graphs and four independent copies
    assert results == whole(scaled)
    per_copy = {r.focus[-4:] for r in results if re.search(r"-copy-\d{4}$", r.focus)}
    assert len(per_copy) == 4, "each copy reports its own warnings"


def edit_one_literal(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    changed = text.replace('rdfs:label "', 'rdfs:label "Edited: ', 1)
    assert changed != text
    path.write_text(changed, encoding="utf-8")


def test_the_cache_validates_only_what_changed(scaled: Project, tmp_path: Path) -> None:
    project_dir = tmp_path / "p"
    shutil.copytree(scaled.root, project_dir)
    project = Project(project_dir)
    cache = tmp_path / "cache"
    cold, first = by_parts(project, cache)
    assert (first.validated, first.cached) == (5, 0)
    warm, second = by_parts(project, cache)
    assert warm == cold and (second.validated, second.cached) == (0, 5)
    edit_copy(project_dir, 2)
    after, third = by_parts(project, cache)
    assert (third.validated, third.cached) == (1, 4) and not third.shared_changed
    assert after == by_parts(project)[0]  # the same as without any cache
    sources = project_dir / "data" / "sources"
    new = (sources / "hamas-relations-with-russia-copy-0003.ttl").read_text(encoding="utf-8")
    # a new source sorting first: the others' blank-node labels, and so their keys, hold
    (sources / "a-new-source.ttl").write_text(new.replace("copy-0003", "copy-0099"), "utf-8")
    _, added = by_parts(project, cache)
    assert (added.parts, added.validated, added.cached) == (6, 1, 5)
    edit_one_literal(project_dir / "data" / "entities" / "persons.ttl")
    _, fourth = by_parts(project, cache)
    assert (fourth.validated, fourth.cached, fourth.shared_changed) == (6, 0, True)
    entries = list(cache.glob("??/*.json"))
    assert len(entries) == 6, "entries of earlier builds are pruned"


def test_a_damaged_cache_entry_is_validated_again(scaled: Project, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold, _ = by_parts(scaled, cache)
    for entry in cache.glob("??/*.json"):
        entry.write_text("{ not json", encoding="utf-8")
    again, report = by_parts(scaled, cache)
    assert again == cold and report.validated == 5


KG, HRKG = ns.KG, "https://w3id.org/hrkg/ontology#"


def quad(s: str, p: str, o: str, graph: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), ox.NamedNode(graph))


SOURCE_A, SOURCE_B = ns.source_graph("a"), ns.source_graph("b")
ENTITY = quad(KG + "hamas", ns.RDF_TYPE, HRKG + "Organization", ns.GRAPH_ENTITIES)


def test_sources_sharing_a_node_are_one_part_entities_do_not_join() -> None:
    graphs = {
        ns.GRAPH_ENTITIES: [ENTITY],
        SOURCE_A: [quad(KG + "s1", HRKG + "speaker", KG + "hamas", SOURCE_A)],
        SOURCE_B: [quad(KG + "s2", HRKG + "speaker", KG + "hamas", SOURCE_B)],
        ns.source_graph("c"): [quad(KG + "s3", HRKG + "about", KG + "s1", ns.source_graph("c"))],
    }
    plan = plan_units(graphs, frozenset())
    assert [u.graphs for u in plan.units] == [(), (SOURCE_A, ns.source_graph("c")), (SOURCE_B,)]


@pytest.mark.parametrize(
    ("extra", "inverse", "reason"),
    [
        (quad(KG + "hamas", HRKG + "memberOf", KG + "x", SOURCE_A), frozenset(), "describes"),
        (quad(KG + "hamas", HRKG + "about", KG + "s1", ns.GRAPH_ENTITIES), frozenset(), "links to"),
        (
            quad(KG + "s1", HRKG + "asserts", KG + "hamas", SOURCE_A),
            frozenset({HRKG + "asserts"}),
            "backwards",
        ),
    ],
)
def test_data_that_cannot_be_split_is_one_part_and_says_why(
    extra: ox.Quad, inverse: frozenset[str], reason: str
) -> None:
    graphs: dict[str, list[ox.Quad]] = {
        ns.GRAPH_ENTITIES: [ENTITY],
        SOURCE_A: [quad(KG + "s1", HRKG + "speaker", KG + "hamas", SOURCE_A)],
        SOURCE_B: [quad(KG + "s2", HRKG + "speaker", KG + "hamas", SOURCE_B)],
    }
    graphs[ox_graph(extra)].append(extra)
    plan = plan_units(graphs, inverse)
    assert len(plan.units) == 1 and plan.units[0].keeps_shared
    assert reason in plan.whole_reason


def ox_graph(q: ox.Quad) -> str:
    return ns.graph_name(q)


# --- the review's cases: tiny datasets where a naive split would differ ------------------

MIN_NAME = "sh:property [ sh:path exo:name ; sh:minCount 1 ]"
PREFIXES = """@prefix ex: <https://w3id.org/hrkg/id/> . @prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix exo: <https://example.org/o#> .
"""


def graphs_of(parts: dict[str, str]) -> dict[str, list[ox.Quad]]:
    out = {}
    for name, turtle in parts.items():
        graph = ox.NamedNode(name)
        out[name] = [
            ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in ox.parse(PREFIXES + turtle, format=ox.RdfFormat.TURTLE)
        ]
    return out


def both_ways(parts: dict[str, str], shapes_turtle: str) -> tuple[Results, Results, str]:
    import rdflib

    graphs = graphs_of(parts)
    shapes = rdflib.Graph().parse(data=PREFIXES + shapes_turtle, format="turtle")
    ontology = to_rdflib_graph(graphs.get(ns.GRAPH_ONTOLOGY, []))
    data = to_rdflib_graph([q for g, qs in graphs.items() if g != ns.GRAPH_ONTOLOGY for q in qs])
    reference = shacl_validate(data, ontology, shapes)
    store = to_store([q for qs in graphs.values() for q in qs])
    split, report = validate_parts(graphs, shapes, store, None, workers=1)
    return reference, split, report.whole_reason


THREE = {
    ns.GRAPH_ENTITIES: "ex:h exo:ally ex:iran . ex:h a exo:T .",
    SOURCE_A: "ex:x exo:label 'x' . ex:s1 exo:about ex:h .",
    SOURCE_B: "ex:s2 exo:about ex:h .",
}


@pytest.mark.parametrize(
    "shape",
    [
        # a node only one source describes, targeted by name: reported once, not per part
        "ex:S a sh:NodeShape ; sh:targetNode ex:x ; " + MIN_NAME + " .",
        # an undescribed object of a shared triple (ex:iran): reported once
        "ex:S a sh:NodeShape ; sh:targetObjectsOf exo:ally ; " + MIN_NAME + " .",
        # a shared node, every part sees it
        "ex:S a sh:NodeShape ; sh:targetClass exo:T ; " + MIN_NAME + " .",
        # literal focus nodes
        "ex:S a sh:NodeShape ; sh:targetObjectsOf exo:label ; sh:minLength 5 .",
    ],
)
def test_each_focus_node_is_reported_by_one_part(shape: str) -> None:
    reference, split, reason = both_ways(THREE, shape)
    assert reference, "the case must produce results to compare"
    assert split == reference and not reason


def test_a_shared_blank_node_is_reported_once() -> None:
    parts = {**THREE, ns.GRAPH_ENTITIES: "[] a exo:T . ex:h a exo:U ."}
    shape = "ex:S a sh:NodeShape ; sh:targetClass exo:T ; " + MIN_NAME + " ."
    reference, split, _ = both_ways(parts, shape)
    assert len(reference) == 1 and split == reference


def test_an_inverse_path_into_a_source_through_an_object_only_node_is_one_part() -> None:
    parts = {
        ns.GRAPH_ENTITIES: "ex:n a exo:T ; exo:p ex:m .",
        SOURCE_A: "ex:y exo:q ex:m .",
        SOURCE_B: "ex:z exo:r ex:w .",
    }
    shape = """ex:S a sh:NodeShape ; sh:targetClass exo:T ;
        sh:property [ sh:path ( exo:p [ sh:inversePath exo:q ] ) ; sh:maxCount 0 ] ."""
    reference, split, reason = both_ways(parts, shape)
    assert reference and split == reference
    assert "backwards" in reason


def test_undeclared_sparql_in_pyshacl_makes_one_part() -> None:
    shape = (
        """ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ;
        sh:select "SELECT ?this WHERE { ?this <https://example.org/o#about> ?x }" ] ;
        """
        + MIN_NAME
        + " ."
    )
    reference, split, reason = both_ways(THREE, shape)
    assert split == reference and "part-local-sparql" in reason
