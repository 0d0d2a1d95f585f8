"""The compiled rules (`hrkg.pipeline.rules`) run to a fixpoint over the data, in linear time.

Each triple is looked at once when it is first added (semi-naive evaluation): its
consequences come from table lookups, and the few rules that join two triples (property
chains, transitive, functional and inverse-functional properties, owl:sameAs) find their
partners in hash indexes kept only for the predicates that need them. Equality is rare, so
the subject and object indexes it needs are built the first time an owl:sameAs appears.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from hrkg.pipeline.rules import SAME_AS, TYPE, Fact, RuleSet, Term, UnsupportedAxiom, describe

Index = defaultdict[Term, set[Term]]


class Fixpoint:
    """The closure of a set of triples under one rule set; `facts` holds the result."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.facts: set[Fact] = set()
        self.derived: list[Fact] = []  # the facts not among the data given to `run`
        self.types: Index = defaultdict(set)  # resource -> its classes
        self.todo: list[Fact] = []
        joined = {p for _, links in rules.chains for p in links}
        joined |= rules.transitive | rules.functional | rules.inverse_functional
        self.out: dict[Term, Index] = {p: defaultdict(set) for p in joined}
        self.into: dict[Term, Index] = {p: defaultdict(set) for p in joined}
        self.chains = {p: rules.chains_with(p) for p in joined}
        self.same: Index = defaultdict(set)  # x -> every y with x owl:sameAs y, x != y
        self.same_into: Index = defaultdict(set)  # y -> every such x
        self.predicates: set[Term] = set()
        self.by_subject: defaultdict[Term, list[tuple[Term, Term]]] | None = None
        self.by_object: defaultdict[Term, list[tuple[Term, Term]]] | None = None

    def run(self, data: Iterable[Fact], schema: Iterable[Fact] = ()) -> list[Fact]:
        """Close `data` and the (closed) `schema`; returns the facts in neither."""
        for fact in data:
            self.add(fact)
        self.derived = []
        for fact in schema:
            self.add(fact)
        while self.todo:
            self.apply(self.todo.pop())
        return self.derived

    def add(self, fact: Fact) -> None:
        if fact in self.facts:
            return
        self.facts.add(fact)
        self.todo.append(fact)
        self.derived.append(fact)
        s, p, o = fact
        self.predicates.add(p)
        if p in self.out:
            self.out[p][s].add(o)
            self.into[p][o].add(s)
        if p == SAME_AS and s != o:
            self.same[s].add(o)
            self.same_into[o].add(s)
        if self.by_subject is not None and self.by_object is not None:
            self.by_subject[s].append((p, o))
            self.by_object[o].append((s, p))

    def apply(self, fact: Fact) -> None:
        """Every rule with `fact` as one premise (the other premises come from the indexes)."""
        s, p, o = fact
        if p == TYPE:
            self.types[s].add(o)
            for c in self.rules.superclasses.get(o, ()):  # cax-sco, cax-eqc, cls-uni
                self.add((s, TYPE, c))
        else:
            self.property_rules(s, p, o)
        if self.same:  # eq-rep-s, eq-rep-o
            for other in tuple(self.same.get(s, ())):
                self.add((other, p, o))
            for other in tuple(self.same.get(o, ())):
                self.add((s, p, other))

    def property_rules(self, s: Term, p: Term, o: Term) -> None:
        rules, add = self.rules, self.add
        for q in rules.superproperties.get(p, ()):  # prp-spo1, prp-eqp
            add((s, q, o))
        for c in rules.domains.get(p, ()):  # prp-dom
            add((s, TYPE, c))
        for c in rules.ranges.get(p, ()):  # prp-rng
            add((o, TYPE, c))
        for q in rules.inverses.get(p, ()):  # prp-inv1, prp-inv2
            add((o, q, s))
        if p in rules.symmetric:  # prp-symp
            add((o, p, s))
        if p in self.out:
            self.joins(s, p, o)
        if p == SAME_AS and s != o:
            self.equate(s, o)

    def joins(self, s: Term, p: Term, o: Term) -> None:
        """The rules that join `s p o` with another triple found in the indexes."""
        rules, add, out, into = self.rules, self.add, self.out[p], self.into[p]
        if p in rules.transitive:  # prp-trp
            for z in tuple(out.get(o, ())):
                add((s, p, z))
            for w in tuple(into.get(s, ())):
                add((w, p, o))
        if p in rules.functional:  # prp-fp
            for y in tuple(out.get(s, ())):
                if y != o:
                    add((o, SAME_AS, y))
        if p in rules.inverse_functional:  # prp-ifp
            for x in tuple(into.get(o, ())):
                if x != s:
                    add((s, SAME_AS, x))
        for head, links in self.chains[p]:  # prp-spo2
            self.chain(s, p, o, head, links)

    def chain(self, s: Term, p: Term, o: Term, head: Term, links: tuple[Term, ...]) -> None:
        """`head` between every start and end of a chain through `s p o` at any position."""
        for i, link in enumerate(links):
            if link == p:
                starts = self.walk({s}, links[i - 1 :: -1] if i else (), self.into)
                ends = self.walk({o}, links[i + 1 :], self.out)
                for start in starts:
                    for end in ends:
                        self.add((start, head, end))

    @staticmethod
    def walk(nodes: set[Term], links: Iterable[Term], index: dict[Term, Index]) -> set[Term]:
        """The nodes reached from `nodes` by following `links` in order through `index`."""
        for link in links:
            nodes = {n for node in nodes for n in index[link].get(node, ())}
            if not nodes:
                break
        return nodes

    def equate(self, x: Term, y: Term) -> None:
        """eq-sym, eq-trans and the first half of eq-rep-s / eq-rep-o for a new x sameAs y."""
        for term in (x, y):
            if term in self.rules.schema_terms or term in self.predicates:
                raise UnsupportedAxiom(
                    f"{describe((x, SAME_AS, y))}: equality of a class or property "
                    "is not compiled (use --reasoner owlrl)"
                )
        add = self.add
        add((y, SAME_AS, x))
        for z in tuple(self.same.get(y, ())):
            if z != x:
                add((x, SAME_AS, z))
        for w in tuple(self.same_into.get(x, ())):
            if w != y:
                add((w, SAME_AS, y))
        if self.by_subject is None or self.by_object is None:
            self.by_subject, self.by_object = defaultdict(list), defaultdict(list)
            for s, p, o in self.facts:
                self.by_subject[s].append((p, o))
                self.by_object[o].append((s, p))
        for p, o in tuple(self.by_subject.get(x, ())):
            add((y, p, o))
        for s, p in tuple(self.by_object.get(x, ())):
            add((s, p, y))
