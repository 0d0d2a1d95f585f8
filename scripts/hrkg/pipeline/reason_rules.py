"""The closure step with the compiled rules: the same input, kept inferences and clashes as
`hrkg.pipeline.reason` gets from owlrl, without rdflib (docs/design.md)."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import pyoxigraph as ox

from hrkg.pipeline.fixpoint import Fixpoint
from hrkg.pipeline.reason import DisjointClash, clashes_of, is_noise
from hrkg.pipeline.rules import Fact, Term, compile_rules, disjoint_pairs, term_value


def facts_of(triples: Iterable[ox.Triple]) -> list[Fact]:
    return [(t.subject, t.predicate, t.object) for t in triples]  # type: ignore[misc]


def split_input(base: list[Fact], ontology: list[Fact]) -> tuple[list[Fact], set[Fact]]:
    """(reasoned, skipped): `reason.reasoning_input`'s cut — literal-valued triples whose
    predicate the ontology says nothing about are not reasoned over."""
    described = {s for s, _, _ in ontology}
    in_ontology = set(ontology)
    reasoned: list[Fact] = []
    skipped: set[Fact] = set()
    for fact in base:
        literal, predicate = isinstance(fact[2], ox.Literal), fact[1]
        if literal and predicate not in described and fact not in in_ontology:
            skipped.add(fact)
            continue
        reasoned.append(fact)
    return reasoned, skipped


def kept(derived: list[Fact], skipped: set[Fact]) -> list[ox.Triple]:
    """The derived triples that `reason.new_own_triples` keeps (the build sorts them)."""
    out = []
    for s, p, o in derived:
        if not isinstance(s, ox.NamedNode) or isinstance(o, ox.BlankNode):
            continue
        if (s, p, o) in skipped or is_noise(s.value, p.value, o.value):
            continue
        out.append(ox.Triple(s, p, o))  # type: ignore[arg-type]
    return out


def clashes(types: dict[Term, set[Term]], pairs: set[tuple[str, str]]) -> list[DisjointClash]:
    """`reason.clashes_of` on the IRIs typed with at least two classes of the pairs."""
    disjoint = {c for pair in pairs for c in pair}
    named: dict[str, set[str]] = {}
    for resource, classes in types.items():
        if isinstance(resource, ox.NamedNode) and len(classes) > 1:
            relevant = {term_value(c) for c in classes} & disjoint
            if len(relevant) > 1:
                named[resource.value] = relevant
    return clashes_of(named, pairs)


def rules_closure(
    base: list[Fact], ontology: list[Fact]
) -> tuple[list[ox.Triple], list[DisjointClash]]:
    """Compile the rules from the input's schema triples, run them, trim like owlrl's path.

    Raises `rules.UnsupportedAxiom` for an axiom the rules do not cover.
    """
    with no_gc():
        reasoned, skipped = split_input(base, ontology)
        compiled = compile_rules(reasoned)
        fixpoint = Fixpoint(compiled.rules)
        derived = fixpoint.run(reasoned, compiled.schema)
        return kept(derived, skipped), clashes(fixpoint.types, disjoint_pairs(ontology))


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector off: these millions of tuples hold no cycles, and its
    full passes over them cost more than the rules (3x on parsing, superlinear in size)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def rules_worker(triples_nt: bytes, ontology_nt: bytes) -> tuple[bytes, list[DisjointClash]]:
    """`reason.closure_worker`'s twin: N-Triples in, the kept inferences and clashes out."""

    def parse(data: bytes) -> list[Fact]:
        return facts_of(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))

    with no_gc():
        base, ontology = parse(triples_nt), parse(ontology_nt)
    inferred, clashes = rules_closure(base, ontology)
    return ox.serialize(inferred, format=ox.RdfFormat.N_TRIPLES) or b"", clashes
