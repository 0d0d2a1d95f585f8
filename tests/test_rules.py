"""The compiled OWL 2 RL closure against owlrl, its reference: the same kept inferences and the
same disjointness clashes on the real project, the fixture KG, a scaled project, each rule
kind on a tiny ontology and random small graphs; and a loud refusal of what it does not cover.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from hrkg import rdf as ns
from hrkg.pipeline.assemble import Assembled, assemble
from hrkg.pipeline.build import BuildFailed, collect_closure, start_closure
from hrkg.pipeline.reason import DisjointClash, closure_worker
from hrkg.pipeline.reason_rules import rules_worker
from hrkg.pipeline.rules import UnsupportedAxiom
from hrkg.project import Project
from hrkg.rdf import from_rdflib
from hrkg.text import Steps
from scaled_copies import scaled_quads

FIXTURE = Project(Path(__file__).parent / "fixtures" / "kg")
PREFIXES = """
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix o:    <https://w3id.org/hrkg/ontology#> .
@prefix kg:   <https://w3id.org/hrkg/id/> .
"""
Result = tuple[set[str], list[DisjointClash]]


def nt(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def triples_of(quads: list[ox.Quad]) -> list[ox.Triple]:
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


def run(worker: object, everything: list[ox.Triple], ontology: list[ox.Triple]) -> Result:
    inferred, clashes = worker(nt(everything), nt(ontology))  # type: ignore[operator]
    return {str(t) for t in ox.parse(inferred, format=ox.RdfFormat.N_TRIPLES)}, clashes


def both(everything: list[ox.Triple], ontology: list[ox.Triple]) -> tuple[Result, Result]:
    """(owlrl's, the rules') kept inferences and clashes, through the build's two workers."""
    return run(closure_worker, everything, ontology), run(rules_worker, everything, ontology)


def assembled_both(assembled: Assembled) -> tuple[Result, Result]:
    ontology = assembled.by_graph().get(ns.GRAPH_ONTOLOGY, [])
    return both(triples_of(assembled.quads), triples_of(ontology))


def parse(turtle: str) -> list[ox.Triple]:
    return list(ox.parse((PREFIXES + turtle).encode(), format=ox.RdfFormat.TURTLE))


def tiny(ontology: str, data: str) -> tuple[Result, Result]:
    schema = parse(ontology)
    return both(schema + parse(data), schema)


def kg(name: str) -> str:
    return f"<{ns.KG}{name}>"


def o(name: str) -> str:
    return f"<{ns.HRKG}{name}>"


TYPE = f"<{ns.RDF_TYPE}>"


# --------------------------------------------------------------------------- whole projects


def test_same_inferences_as_owlrl_on_the_real_project(
    real_assembled: Assembled, real_base: rdflib.Graph, real_inferred: rdflib.Graph
) -> None:
    ontology = triples_of(real_assembled.by_graph()[ns.GRAPH_ONTOLOGY])
    inferred, clashes = run(rules_worker, triples_of(real_assembled.quads), ontology)
    reference = {
        str(ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o)))  # type: ignore[arg-type]
        for s, p, o in real_inferred
    }
    assert len(reference) > 500
    assert inferred == reference
    assert clashes == []


def test_same_inferences_as_owlrl_on_the_fixture_kg() -> None:
    reference, rules = assembled_both(assemble(FIXTURE))
    assert len(reference[0]) > 3
    assert rules == reference


def test_same_inferences_as_owlrl_on_a_scaled_project(real_assembled: Assembled) -> None:
    quads = scaled_quads(real_assembled.quads, copies=5)
    assert len(quads) > 2 * len(real_assembled.quads)
    ontology = real_assembled.by_graph()[ns.GRAPH_ONTOLOGY]
    reference, rules = both(triples_of(quads), triples_of(ontology))
    assert any("-copy-4>" in t for t in reference[0])  # the copies are reasoned over too
    assert rules == reference


def test_a_build_with_owlrl_writes_the_same_dumps(fixture_build: Path, tmp_path: Path) -> None:
    from hrkg.cli import main

    out = tmp_path / "dist"
    args = ["build", "--project", str(FIXTURE.root), "--out", str(out), "--quiet"]
    assert main([*args, "--reasoner", "owlrl"]) == 0
    assert (out / "hrkg-inferred.nt").read_bytes().count(b"\n") > 3
    for dump in ["hrkg.nq", "hrkg-inferred.nt", "hrkg.jsonld"]:  # fixture_build: the rules
        assert (out / dump).read_bytes() == (fixture_build / dump).read_bytes(), dump


# --------------------------------------------------------------------------- rule kinds

ONTOLOGY = """
o:A a owl:Class . o:B a owl:Class ; rdfs:subClassOf o:A . o:C a owl:Class ; rdfs:subClassOf o:B .
o:E a owl:Class ; owl:equivalentClass o:B .
o:p a owl:ObjectProperty ; rdfs:subPropertyOf o:q ; rdfs:domain o:C ; rdfs:range o:E .
o:q a owl:ObjectProperty ; owl:equivalentProperty o:r .
o:r a owl:ObjectProperty ; rdfs:subPropertyOf o:s .
o:s a owl:ObjectProperty .
"""
ANNOTATIONS = """
o:note a owl:AnnotationProperty . <https://w3id.org/hrkg/ontology> a owl:Ontology ;
    owl:versionInfo "1" .
"""

CASES: dict[str, tuple[str, str, list[str]]] = {
    "subclass chain and equivalent class": (
        ONTOLOGY,
        "kg:x a o:C .",
        [f"{kg('x')} {TYPE} {o('A')}", f"{kg('x')} {TYPE} {o('E')}"],
    ),
    "subproperty, equivalent property, domain and range": (
        ONTOLOGY,
        "kg:x o:p kg:y .",
        [
            f"{kg('x')} {o('s')} {kg('y')}",
            f"{kg('x')} {TYPE} {o('A')}",
            f"{kg('y')} {TYPE} {o('B')}",
        ],
    ),
    "inverse": (
        "o:has a owl:ObjectProperty ; owl:inverseOf o:of . o:of a owl:ObjectProperty .",
        "kg:x o:has kg:y . kg:z o:of kg:w .",
        [f"{kg('y')} {o('of')} {kg('x')}", f"{kg('w')} {o('has')} {kg('z')}"],
    ),
    "property chain of two and of three": (
        """o:both owl:propertyChainAxiom ( o:a o:b ) .
           o:three owl:propertyChainAxiom ( o:a o:b o:a ) .""",
        "kg:x o:a kg:y . kg:y o:b kg:z . kg:z o:a kg:w . kg:y o:b kg:v .",
        [f"{kg('x')} {o('both')} {kg('z')}", f"{kg('x')} {o('three')} {kg('w')}"],
    ),
    "symmetric and transitive": (
        "o:near a owl:SymmetricProperty . o:in a owl:TransitiveProperty .",
        "kg:x o:near kg:y . kg:a o:in kg:b . kg:b o:in kg:c . kg:c o:in kg:d .",
        [f"{kg('y')} {o('near')} {kg('x')}", f"{kg('a')} {o('in')} {kg('d')}"],
    ),
    "union membership and a union domain": (
        """o:U owl:unionOf ( o:A o:B ) . o:A a owl:Class . o:B a owl:Class .
           o:p rdfs:domain [ a owl:Class ; owl:unionOf ( o:A o:B ) ; rdfs:subClassOf o:Top ] .""",
        "kg:x a o:A . kg:y o:p kg:z .",
        [f"{kg('x')} {TYPE} {o('U')}", f"{kg('y')} {TYPE} {o('Top')}"],
    ),
    "functional property with two values": (
        "o:agent a owl:ObjectProperty , owl:FunctionalProperty ; rdfs:range o:Actor .",
        """kg:p o:agent kg:a , kg:b . kg:a o:name kg:n . kg:q o:agent kg:a .
           kg:other o:knows kg:b .""",
        [
            f"{kg('a')} <{ns.OWL}sameAs> {kg('b')}",
            f"{kg('b')} {o('name')} {kg('n')}",
            f"{kg('other')} {o('knows')} {kg('a')}",
        ],
    ),
    "functional datatype property with two literal values": (
        "o:date a owl:DatatypeProperty , owl:FunctionalProperty ; rdfs:range xsd:date .",
        """kg:e o:date "2024-01-01"^^xsd:date , "2024-01-02"^^xsd:date .
           kg:f o:date "2024-01-01"^^xsd:date .""",
        [f'{kg("f")} {o("date")} "2024-01-02"^^<{ns.XSD}date>'],
    ),
    "inverse functional property": (
        "o:key a owl:ObjectProperty , owl:InverseFunctionalProperty .",
        "kg:a o:key kg:k . kg:b o:key kg:k . kg:a o:label kg:l .",
        [f"{kg('b')} <{ns.OWL}sameAs> {kg('a')}", f"{kg('b')} {o('label')} {kg('l')}"],
    ),
    "schema axioms about the KG's own classes and concepts": (
        """kg:Local a owl:Class ; rdfs:subClassOf kg:Wider . kg:Wider a owl:Class .
           kg:prop a owl:ObjectProperty ; rdfs:subPropertyOf kg:wider ; rdfs:domain kg:Local .""",
        "kg:x kg:prop kg:y .",
        [
            f"{kg('Local')} <{ns.RDFS}subClassOf> <{ns.OWL}Thing>",
            f"{kg('Local')} <{ns.OWL}equivalentClass> {kg('Local')}",
            f"{kg('prop')} <{ns.RDFS}domain> {kg('Wider')}",
            f"{kg('x')} {TYPE} {kg('Wider')}",
        ],
    ),
    "annotations and the ontology header change nothing": (
        ANNOTATIONS + ONTOLOGY,
        "kg:x a o:C ; o:note kg:y .",
        [f"{kg('x')} {TYPE} {o('B')}"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rule_kind_agrees_with_owlrl(case: str) -> None:
    ontology, data, expected = CASES[case]
    reference, rules = tiny(ontology, data)
    for triple in expected:  # the case exercises its rule at all
        assert triple in reference[0], triple
    assert rules == reference


def test_disjoint_clashes_agree_with_owlrl() -> None:
    ontology = """
        [] a owl:AllDisjointClasses ; owl:members ( o:Person o:State o:Place ) .
        o:Statement owl:disjointWith o:Talks .
        o:speaker rdfs:range o:Person . o:host rdfs:range o:State ."""
    data = (
        "kg:x o:speaker kg:r . kg:y o:host kg:r . kg:t a o:Statement , o:Talks . kg:ok a o:Place ."
    )
    reference, rules = tiny(ontology, data)
    assert [c.resource for c in reference[1]] == [f"{ns.KG}r", f"{ns.KG}t"]
    assert rules == reference


# --------------------------------------------------------------------------- random graphs


CHARACTERISTICS = ["Symmetric", "Transitive", "Functional", "InverseFunctional"]


def random_graph(seed: int) -> tuple[str, str]:
    """A small random ontology (every supported axiom kind) and data over a few terms."""
    rnd = random.Random(seed)
    classes = [f"o:C{i}" for i in range(5)]
    props = [f"o:p{i}" for i in range(5)]
    nodes = [f"kg:n{i}" for i in range(6)]
    axioms = []
    for _ in range(6):
        kind = rnd.choice(
            ["sub", "eqc", "subp", "eqp", "dom", "rng", "inv", "chain", "char", "union"]
        )
        c1, c2 = rnd.sample(classes, 2)
        p1, p2, p3 = rnd.sample(props, 3)
        axioms.append(
            {
                "sub": f"{c1} rdfs:subClassOf {c2} .",
                "eqc": f"{c1} owl:equivalentClass {c2} .",
                "subp": f"{p1} rdfs:subPropertyOf {p2} .",
                "eqp": f"{p1} owl:equivalentProperty {p2} .",
                "dom": f"{p1} rdfs:domain {c1} .",
                "rng": f"{p1} rdfs:range {c1} .",
                "inv": f"{p1} owl:inverseOf {p2} .",
                "chain": f"{p1} owl:propertyChainAxiom ( {p2} {p3} ) .",
                "char": f"{p1} a owl:{rnd.choice(CHARACTERISTICS)}Property .",
                "union": f"{c1} owl:unionOf ( {c2} {rnd.choice(classes)} ) .",
            }[kind]
        )
    axioms += [f"{c} a owl:Class ." for c in classes] + [
        f"{p} a owl:ObjectProperty ." for p in props
    ]
    data = [f"{rnd.choice(nodes)} {rnd.choice(props)} {rnd.choice(nodes)} ." for _ in range(8)] + [
        f"{rnd.choice(nodes)} a {rnd.choice(classes)} ." for _ in range(3)
    ]
    return "\n".join(axioms), "\n".join(data)


@pytest.mark.parametrize("seed", range(40))
def test_random_small_graphs_agree_with_owlrl(seed: int) -> None:
    reference, rules = tiny(*random_graph(seed))
    assert rules == reference


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("axiom", "named"),
    [
        ("o:Event owl:hasKey ( o:date ) .", "owl:hasKey"),
        (
            "o:Speaker owl:equivalentClass [ a owl:Restriction ; owl:onProperty o:speaks ;"
            " owl:someValuesFrom o:Statement ] .",
            "owl:Restriction",
        ),
        ("o:Both owl:intersectionOf ( o:A o:B ) .", "owl:intersectionOf"),
        ("o:p a owl:IrreflexiveProperty .", "owl:IrreflexiveProperty"),
        ("o:p rdfs:subPropertyOf rdfs:subClassOf .", "rdfs:subClassOf"),
    ],
)
def test_an_unsupported_axiom_is_refused_by_name(axiom: str, named: str) -> None:
    with pytest.raises(UnsupportedAxiom, match=named):
        run(rules_worker, parse(axiom + " kg:x o:p kg:y ."), parse(axiom))


def test_the_build_reports_an_unsupported_axiom_as_a_failure() -> None:
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(ns.GRAPH_ONTOLOGY))
        for t in parse("o:Event owl:hasKey ( o:date ) .")
    ]
    job = start_closure(quads, quads, "rules")  # all of it is ontology
    with pytest.raises(BuildFailed, match="owl:hasKey"):
        collect_closure(job, Steps(quiet=True))


def test_equality_of_a_class_is_refused() -> None:
    ontology = "o:agent a owl:FunctionalProperty . o:A a owl:Class ."
    with pytest.raises(UnsupportedAxiom, match="equality"):
        run(rules_worker, parse(ontology + "kg:x o:agent o:A , kg:b ."), parse(ontology))
