"""The closure step: what it keeps, what it skips, and that skipping changes nothing."""

from __future__ import annotations

from pathlib import Path

import rdflib

from hrkg.pipeline.assemble import Assembled, assemble
from hrkg.pipeline.reason import closure, new_own_triples, reasoning_input
from hrkg.project import Project
from hrkg.rdf import GRAPH_ONTOLOGY, to_rdflib_graph

FIXTURE = Project(Path(__file__).parent / "fixtures" / "kg")
HRKG = rdflib.Namespace("https://w3id.org/hrkg/ontology#")
KG = rdflib.Namespace("https://w3id.org/hrkg/id/")


def graphs(project: Project) -> tuple[rdflib.Graph, rdflib.Graph]:
    assembled = assemble(project)
    return (to_rdflib_graph(assembled.quads), to_rdflib_graph(assembled.by_graph()[GRAPH_ONTOLOGY]))


def test_input_skips_undescribed_literals_and_keeps_described_ones() -> None:
    base, ontology = graphs(FIXTURE)
    kept = reasoning_input(base, ontology)
    assert (KG.alice, rdflib.RDFS.label, rdflib.Literal("Alice", lang="en")) not in kept
    assert any(kept.triples((KG["meeting-1"], HRKG.date, None)))  # hrkg:date has a range
    assert set(ontology) <= set(kept)  # the ontology's own literals stay


def test_skipping_changes_no_inference_on_the_real_graph(
    real_assembled: Assembled, real_base: rdflib.Graph, real_inferred: rdflib.Graph
) -> None:
    base = real_base
    ontology = to_rdflib_graph(real_assembled.by_graph()[GRAPH_ONTOLOGY])
    full = real_inferred
    trimmed = new_own_triples(base, closure(reasoning_input(base, ontology)))
    assert len(full) > 100
    assert set(full) == set(trimmed)
