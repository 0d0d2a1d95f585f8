"""The ontology's OWL 2 RL consequences compiled once into a small rule set (docs/design.md).

owlrl re-applies every OWL 2 RL rule to every triple in every cycle; but the ontology is fixed
per build, so its schema rules (scm-*) can be run once on the few hundred schema triples, and
what they mean for the data read off as tables: the superclasses of each class, the
super-properties, domains, ranges and inverses of each property, its characteristics, and the
property chains. `hrkg.pipeline.fixpoint` runs those tables over the data.

A construct the compiler does not know is refused with `UnsupportedAxiom` naming the triple:
a closure that silently differs from owlrl's would be worse than none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from hrkg.rdf import OWL, RDF, RDFS, XSD, shorten

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Fact = tuple[Term, Term, Term]


def iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


TYPE, FIRST, REST, NIL = iri(RDF + "type"), iri(RDF + "first"), iri(RDF + "rest"), iri(RDF + "nil")
SUBCLASS, SUBPROPERTY = iri(RDFS + "subClassOf"), iri(RDFS + "subPropertyOf")
DOMAIN, RANGE = iri(RDFS + "domain"), iri(RDFS + "range")
SAME_AS, THING, NOTHING = iri(OWL + "sameAs"), iri(OWL + "Thing"), iri(OWL + "Nothing")
CLASS = iri(OWL + "Class")
EQUIVALENT_CLASS, EQUIVALENT_PROPERTY = (
    iri(OWL + "equivalentClass"),
    iri(OWL + "equivalentProperty"),
)
INVERSE_OF, CHAIN, UNION_OF = (
    iri(OWL + "inverseOf"),
    iri(OWL + "propertyChainAxiom"),
    iri(OWL + "unionOf"),
)
DISJOINT_WITH, MEMBERS = iri(OWL + "disjointWith"), iri(OWL + "members")
ALL_DISJOINT_CLASSES = iri(OWL + "AllDisjointClasses")
FUNCTIONAL, INVERSE_FUNCTIONAL = (
    iri(OWL + "FunctionalProperty"),
    iri(OWL + "InverseFunctionalProperty"),
)
SYMMETRIC, TRANSITIVE = iri(OWL + "SymmetricProperty"), iri(OWL + "TransitiveProperty")
PROPERTY_TYPES = {iri(OWL + "ObjectProperty"), iri(OWL + "DatatypeProperty"), iri(RDF + "Property")}

# Predicates the compiler reads (the rest of the schema vocabulary is refused or inert).
SCHEMA_PREDICATES = {
    SUBCLASS,
    SUBPROPERTY,
    DOMAIN,
    RANGE,
    EQUIVALENT_CLASS,
    EQUIVALENT_PROPERTY,
    INVERSE_OF,
    CHAIN,
    UNION_OF,
    DISJOINT_WITH,
    MEMBERS,
}
CHARACTERISTICS = {FUNCTIONAL, INVERSE_FUNCTIONAL, SYMMETRIC, TRANSITIVE}
# Types that make their subject part of the schema; no OWL 2 RL rule of owlrl's reads the
# inert ones (annotations, ontology headers, datatypes, rdfs:Class).
META_CLASSES = {CLASS, ALL_DISJOINT_CLASSES, *PROPERTY_TYPES, *CHARACTERISTICS}
INERT_TYPES = {
    iri(OWL + name)
    for name in (
        "AnnotationProperty",
        "Ontology",
        "OntologyProperty",
        "NamedIndividual",
        "Thing",
        "DeprecatedClass",
        "DeprecatedProperty",
    )
} | {iri(RDFS + "Datatype"), iri(RDFS + "Class")}
INERT_OWL_PREDICATES = {
    iri(OWL + name)
    for name in (
        "versionInfo",
        "versionIRI",
        "imports",
        "priorVersion",
        "backwardCompatibleWith",
        "incompatibleWith",
        "deprecated",
    )
}
BUILT_IN = (RDF, RDFS, OWL, XSD)


class UnsupportedAxiom(Exception):
    """An axiom whose OWL 2 RL consequences the compiled closure does not compute."""


@dataclass
class RuleSet:
    """What the schema means for the data, as lookup tables (all sets hold IRIs or blank nodes).

    `superclasses[c]` and `superproperties[p]` are transitive and exclude c / p itself;
    `chains` maps each property to the chains (head, links) it occurs in.
    """

    superclasses: dict[Term, frozenset[Term]] = field(default_factory=dict)
    superproperties: dict[Term, frozenset[Term]] = field(default_factory=dict)
    domains: dict[Term, frozenset[Term]] = field(default_factory=dict)
    ranges: dict[Term, frozenset[Term]] = field(default_factory=dict)
    inverses: dict[Term, frozenset[Term]] = field(default_factory=dict)
    symmetric: frozenset[Term] = frozenset()
    transitive: frozenset[Term] = frozenset()
    functional: frozenset[Term] = frozenset()
    inverse_functional: frozenset[Term] = frozenset()
    chains: list[tuple[Term, tuple[Term, ...]]] = field(default_factory=list)
    schema_terms: frozenset[Term] = frozenset()  # every term an axiom mentions

    def chains_with(self, prop: Term) -> list[tuple[Term, tuple[Term, ...]]]:
        return [(head, links) for head, links in self.chains if prop in links]


@dataclass(frozen=True)
class Compiled:
    """The rule set and the schema's own closure (input schema triples plus scm-* results)."""

    rules: RuleSet
    schema: set[Fact]


def describe(fact: Fact) -> str:
    return " ".join(shorten(t.value) if isinstance(t, ox.NamedNode) else str(t) for t in fact)


def refuse(fact: Fact, why: str) -> UnsupportedAxiom:
    return UnsupportedAxiom(f"{describe(fact)}: {why} (use --reasoner owlrl)")


def is_builtin(term: Term) -> bool:
    return isinstance(term, ox.NamedNode) and term.value.startswith(BUILT_IN)


def screen(fact: Fact) -> bool:
    """True for a schema triple; raises on vocabulary the compiler does not handle."""
    s, p, o = fact
    if p == TYPE:
        if o in META_CLASSES:
            return True
        if o in INERT_TYPES:
            return False
        if isinstance(o, ox.NamedNode) and o.value.startswith(OWL):
            raise refuse(fact, "this OWL construct is not compiled")
        if isinstance(o, ox.NamedNode) and o.value.startswith(XSD):
            raise refuse(fact, "typing a resource with a datatype is not compiled")
        return False
    if p in SCHEMA_PREDICATES:
        if is_builtin(s):
            raise refuse(fact, "axioms about the RDF/RDFS/OWL vocabulary are not compiled")
        return True
    if p == SAME_AS and isinstance(o, ox.Literal):
        raise refuse(fact, "owl:sameAs with a literal is not compiled")
    owl_term = isinstance(p, ox.NamedNode) and p.value.startswith(OWL)
    if owl_term and p != SAME_AS and p not in INERT_OWL_PREDICATES:
        raise refuse(fact, "this OWL construct is not compiled")
    return False


def rdf_list(head: Term, rest: dict[Term, Term], first: dict[Term, Term]) -> list[Term]:
    items: list[Term] = []
    seen: set[Term] = set()
    while head != NIL:
        if head in seen or head not in first or head not in rest:
            raise UnsupportedAxiom(f"{head}: a malformed RDF list in the ontology")
        seen.add(head)
        items.append(first[head])
        head = rest[head]
    return items


def schema_closure(schema: set[Fact], lists: dict[Term, list[Term]]) -> set[Fact]:
    """owlrl's scm-* rules (and cls-thing/cls-nothing) to a fixpoint on the schema triples.

    Written as owlrl writes them (including its `c1 != c2` guards), so the schema triples
    about the KG's own resources come out the same.
    """
    closed = set(schema) | {(THING, TYPE, CLASS), (NOTHING, TYPE, CLASS)}
    while True:
        by_pred: dict[Term, set[tuple[Term, Term]]] = defaultdict(set)
        for s, p, o in closed:
            by_pred[p].add((s, o))
        new = declarations(by_pred) | hierarchies(by_pred) | domains_and_ranges(by_pred)
        for union, head in by_pred[UNION_OF]:  # scm-uni
            new |= {(member, SUBCLASS, union) for member in lists[head]}
        new -= closed
        if not new:
            return closed
        closed |= new


def declarations(by_pred: dict[Term, set[tuple[Term, Term]]]) -> set[Fact]:
    """scm-cls, scm-op, scm-dp."""
    new: set[Fact] = set()
    for s, o in by_pred[TYPE]:
        if o == CLASS:
            new |= {(s, SUBCLASS, s), (s, EQUIVALENT_CLASS, s)}
            new |= {(s, SUBCLASS, THING), (NOTHING, SUBCLASS, s)}
        elif o in PROPERTY_TYPES:
            new |= {(s, SUBPROPERTY, s), (s, EQUIVALENT_PROPERTY, s)}
    return new


def hierarchies(by_pred: dict[Term, set[tuple[Term, Term]]]) -> set[Fact]:
    """scm-sco, scm-eqc1, scm-eqc2 and their property twins scm-spo, scm-eqp1, scm-eqp2."""
    new: set[Fact] = set()
    for pred, equivalence in ((SUBCLASS, EQUIVALENT_CLASS), (SUBPROPERTY, EQUIVALENT_PROPERTY)):
        relation = by_pred[pred]
        up = successors(relation)
        for a, b in relation:
            if a != b:
                new |= {(a, pred, c) for c in up.get(b, ()) if c != a}
            # owlrl guards scm-spo's eqp conclusion with p1 != p2, scm-sco's not
            if (b, a) in relation and (a != b or pred == SUBCLASS):
                new.add((a, equivalence, b))
        for a, b in by_pred[equivalence]:
            if a != b:
                new |= {(a, pred, b), (b, pred, a)}
    return new


def domains_and_ranges(by_pred: dict[Term, set[tuple[Term, Term]]]) -> set[Fact]:
    """scm-dom1, scm-dom2, scm-rng1, scm-rng2."""
    new: set[Fact] = set()
    sub_of = successors(by_pred[SUBCLASS])
    subp_into = predecessors(by_pred[SUBPROPERTY])
    for prop_rel in (DOMAIN, RANGE):
        for prop, c1 in by_pred[prop_rel]:
            new |= {(prop, prop_rel, c2) for c2 in sub_of.get(c1, ()) if c2 != c1}
            new |= {(p1, prop_rel, c1) for p1 in subp_into.get(prop, ()) if p1 != prop}
    return new


def successors(pairs: Iterable[tuple[Term, Term]]) -> dict[Term, set[Term]]:
    out: dict[Term, set[Term]] = defaultdict(set)
    for a, b in pairs:
        out[a].add(b)
    return out


def predecessors(pairs: Iterable[tuple[Term, Term]]) -> dict[Term, set[Term]]:
    return successors((b, a) for a, b in pairs)


def reachable(start: Term, edges: dict[Term, set[Term]]) -> frozenset[Term]:
    """Everything reachable from `start` in one or more steps, without `start` itself."""
    found: set[Term] = set()
    todo = list(edges.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in found:
            found.add(node)
            todo.extend(edges.get(node, ()))
    found.discard(start)
    return frozenset(found)


def compile_rules(facts: Iterable[Fact]) -> Compiled:
    """Screen every triple, close the schema, and read the rule tables off the closure."""
    schema: set[Fact] = set()
    first: dict[Term, Term] = {}
    rest: dict[Term, Term] = {}
    for fact in facts:
        if screen(fact):
            schema.add(fact)
        elif fact[1] == FIRST:
            first[fact[0]] = fact[2]
        elif fact[1] == REST:
            rest[fact[0]] = fact[2]
    lists = {o: rdf_list(o, rest, first) for s, p, o in schema if p in (UNION_OF, CHAIN, MEMBERS)}
    closed = schema_closure(schema, lists)
    return Compiled(rule_tables(closed, lists), closed)


def rule_tables(closed: set[Fact], lists: dict[Term, list[Term]]) -> RuleSet:
    by_pred: dict[Term, set[tuple[Term, Term]]] = defaultdict(set)
    for s, p, o in closed:
        by_pred[p].add((s, o))
    class_edges = successors(by_pred[SUBCLASS])
    property_edges = successors(by_pred[SUBPROPERTY])
    for a, b in by_pred[EQUIVALENT_CLASS]:
        class_edges[a].add(b)
        class_edges[b].add(a)
    for a, b in by_pred[EQUIVALENT_PROPERTY]:
        property_edges[a].add(b)
        property_edges[b].add(a)
    inverse_pairs = by_pred[INVERSE_OF] | {(b, a) for a, b in by_pred[INVERSE_OF]}
    typed = by_pred[TYPE]
    rules = RuleSet(
        superclasses={c: reachable(c, class_edges) for c in class_edges},
        superproperties={p: reachable(p, property_edges) for p in property_edges},
        domains=frozen(successors(by_pred[DOMAIN])),
        ranges=frozen(successors(by_pred[RANGE])),
        inverses=frozen(successors(inverse_pairs)),
        symmetric=frozenset(s for s, o in typed if o == SYMMETRIC),
        transitive=frozenset(s for s, o in typed if o == TRANSITIVE),
        functional=frozenset(s for s, o in typed if o == FUNCTIONAL),
        inverse_functional=frozenset(s for s, o in typed if o == INVERSE_FUNCTIONAL),
        chains=[(head, tuple(lists[links])) for head, links in sorted(by_pred[CHAIN], key=str)],
        schema_terms=frozenset(t for fact in closed for t in fact)
        | frozenset(t for items in lists.values() for t in items),
    )
    check_conclusions(rules)
    return rules


def frozen(table: dict[Term, set[Term]]) -> dict[Term, frozenset[Term]]:
    return {k: frozenset(v) for k, v in table.items()}


def check_conclusions(rules: RuleSet) -> None:
    """Refuse a rule set whose data rules could add schema triples (they would change the
    rules while they run: owlrl would follow, the compiled tables would not)."""
    derived_properties = {p for sups in rules.superproperties.values() for p in sups}
    derived_properties |= {p for invs in rules.inverses.values() for p in invs}
    derived_properties |= {head for head, _ in rules.chains}
    derived_classes = {c for sups in rules.superclasses.values() for c in sups}
    derived_classes |= {c for cs in (*rules.domains.values(), *rules.ranges.values()) for c in cs}
    for prop in sorted(derived_properties, key=str):
        if prop in SCHEMA_PREDICATES or prop in (SAME_AS, FIRST, REST):
            raise UnsupportedAxiom(
                f"{describe_term(prop)} would be concluded from data: not compiled"
            )
    for cls in sorted(derived_classes, key=str):
        if cls in META_CLASSES:
            raise UnsupportedAxiom(
                f"{describe_term(cls)} would be concluded from data: not compiled"
            )


def describe_term(term: Term) -> str:
    return shorten(term.value) if isinstance(term, ox.NamedNode) else str(term)


def disjoint_pairs(ontology: Iterable[Fact]) -> set[tuple[str, str]]:
    """Every pair of classes the ontology declares disjoint, as (smaller IRI, larger IRI) —
    the same pairs as `hrkg.rdf.disjoint_pairs`, from pyoxigraph terms."""
    from itertools import combinations

    facts = list(ontology)
    first = {s: o for s, p, o in facts if p == FIRST}
    rest = {s: o for s, p, o in facts if p == REST}
    members = {s: o for s, p, o in facts if p == MEMBERS}
    pairs: set[tuple[str, str]] = set()
    for s, p, o in facts:
        if p == DISJOINT_WITH:
            a, b = sorted((term_value(s), term_value(o)))
            pairs.add((a, b))
        elif p == TYPE and o == ALL_DISJOINT_CLASSES and s in members:
            classes = sorted(term_value(c) for c in rdf_list(members[s], rest, first))
            pairs.update(combinations(classes, 2))
    return pairs


def term_value(term: Term) -> str:
    return term.value if isinstance(term, ox.NamedNode) else str(term)
