"""OWL 2 RL closure with owlrl, trimmed to what is new about the KG's own resources.

owlrl adds thousands of axiomatic triples (datatype declarations, `x owl:sameAs x`, typing of
every term as rdfs:Resource); those are noise to a user, so the `inferred` graph keeps only new
triples whose subject is a resource or concept of this KG.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hrkg import rdf as ns
from hrkg.rdf import OWL, RDF_TYPE, RDFS, disjoint_pairs

if TYPE_CHECKING:
    import rdflib

NOISE_OBJECTS = {OWL + "Thing", RDFS + "Resource", OWL + "NamedIndividual"}
OWN_SUBJECTS = (ns.KG, ns.VOCAB)


@dataclass(frozen=True)
class DisjointClash:
    """A resource that the closure puts in two classes declared disjoint."""

    resource: str
    first: str
    second: str


def closure(graph: rdflib.Graph) -> rdflib.Graph:
    """Expand a copy of `graph` to its OWL 2 RL closure (the input is left untouched)."""
    import owlrl
    import rdflib

    expanded = rdflib.Graph()
    for triple in graph:
        expanded.add(triple)
    # improved_datatypes re-checks every literal against its datatype: SHACL already does that,
    # and it costs a third of the closure's time.
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics,
        improved_datatypes=False,
        axiomatic_triples=False,
        datatype_axioms=False,
    ).expand(expanded)
    return expanded


def is_noise(subject: str, predicate: str, obj: str) -> bool:
    """An inference about an IRI `subject` (with a non-blank object) that the `inferred` graph
    leaves out: not about the KG's own resources, a self-sameAs, or axiomatic typing.

    Shared by both closures (owlrl's and the compiled rules'), so they keep the same triples.
    """
    if not subject.startswith(OWN_SUBJECTS):
        return True
    if predicate == OWL + "sameAs" and subject == obj:
        return True
    return predicate == RDF_TYPE and obj in NOISE_OBJECTS


def new_own_triples(base: rdflib.Graph, expanded: rdflib.Graph) -> rdflib.Graph:
    """Triples of `expanded` not in `base`, about the KG's resources, without axiomatic noise."""
    import rdflib

    kept = rdflib.Graph()
    for s, p, o in expanded:
        if not isinstance(s, rdflib.URIRef) or isinstance(o, rdflib.BNode):
            continue
        if (s, p, o) in base or is_noise(str(s), str(p), str(o)):
            continue
        kept.add((s, p, o))
    return kept


def clashes_of(types: dict[str, set[str]], pairs: set[tuple[str, str]]) -> list[DisjointClash]:
    """Each resource whose `types` hold both classes of a disjoint pair, sorted (one pass over
    the resources, whatever the number of pairs)."""
    disjoint: dict[str, set[str]] = {}
    for first, second in pairs:
        disjoint.setdefault(first, set()).add(second)
    clashes = [
        DisjointClash(resource, first, second)
        for resource, classes in types.items()
        for first in classes & disjoint.keys()
        for second in disjoint[first] & classes
    ]
    return sorted(clashes, key=lambda c: (c.resource, c.first, c.second))


def disjoint_clashes(expanded: rdflib.Graph, ontology: rdflib.Graph) -> list[DisjointClash]:
    """Resources typed, after closure, with two classes that cannot overlap."""
    import rdflib

    types: dict[str, set[str]] = {}
    for s, o in expanded.subject_objects(rdflib.RDF.type):
        if isinstance(s, rdflib.URIRef):
            types.setdefault(str(s), set()).add(str(o))
    return clashes_of(types, disjoint_pairs(ontology))


def reasoning_input(base: rdflib.Graph, ontology: rdflib.Graph) -> rdflib.Graph:
    """`base` without literal-valued triples whose predicate the ontology says nothing about.

    No OWL 2 RL rule derives anything but noise (literal self-sameAs, literal typing) from a
    label, a quote or an offset unless the ontology gives its predicate a domain, range,
    super-property or characteristic; skipping them saves a tenth of the closure's time.
    """
    import rdflib

    described = set(ontology.subjects())
    kept = rdflib.Graph()
    for s, p, o in base:
        if isinstance(o, rdflib.Literal) and p not in described and (s, p, o) not in ontology:
            continue
        kept.add((s, p, o))
    return kept


def closure_worker(triples_nt: bytes, ontology_nt: bytes) -> tuple[bytes, list[DisjointClash]]:
    """Closure, clashes and trimmed inferences for N-Triples input (runs in a worker process).

    Blank-node labels survive the round trip, so the result joins the parent's quads.
    """
    import pyoxigraph as ox

    from hrkg.rdf import from_rdflib, to_rdflib_graph

    def graph(data: bytes) -> rdflib.Graph:
        parsed = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        return to_rdflib_graph([ox.Quad(t.subject, t.predicate, t.object) for t in parsed])

    base, ontology = graph(triples_nt), graph(ontology_nt)
    expanded = closure(reasoning_input(base, ontology))
    clashes = disjoint_clashes(expanded, ontology)
    inferred = [
        ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o))  # type: ignore[arg-type]
        for s, p, o in new_own_triples(base, expanded)
    ]
    return ox.serialize(inferred, format=ox.RdfFormat.N_TRIPLES) or b"", clashes
