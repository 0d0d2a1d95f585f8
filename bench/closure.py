"""The closure step at scale: owlrl (the reference) against the compiled rules, in Python hash
indexes and as SPARQL updates in pyoxigraph, on the article copied N times as N sources
(tests/scaled_copies.py). CPU seconds beside wall seconds, median of runs, peak memory of
the process.

    .venv/bin/python bench/closure.py [--copies 3,11,40] [--rules-only 415] [--runs 3]

Prints a Markdown table; a measurement, not a test (the equality is tests/test_rules.py's).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hrkg import rdf as ns  # noqa: E402
from hrkg.pipeline.assemble import assemble  # noqa: E402
from hrkg.pipeline.reason import closure_worker  # noqa: E402
from hrkg.pipeline.reason_rules import facts_of, rules_worker, split_input  # noqa: E402
from hrkg.pipeline.rules import TYPE, compile_rules  # noqa: E402
from hrkg.project import Project  # noqa: E402
from scaled_copies import scaled_quads  # noqa: E402

Worker = Callable[[bytes, bytes], object]


def nt(quads: list[ox.Quad]) -> bytes:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def sparql_worker(triples_nt: bytes, ontology_nt: bytes) -> int:
    """The same tables as SPARQL INSERTs over a pyoxigraph store, repeated to a fixpoint
    (equality and blank-node classes left out — SPARQL VALUES cannot hold blank nodes —
    so this is SPARQL's best case)."""
    parse = ox.RdfFormat.N_TRIPLES
    base = facts_of(ox.parse(triples_nt, format=parse))  # type: ignore[arg-type]
    ontology = facts_of(ox.parse(ontology_nt, format=parse))  # type: ignore[arg-type]
    reasoned, _ = split_input(base, ontology)
    rules = compile_rules(reasoned).rules
    store = ox.Store()
    store.bulk_extend(
        [ox.Quad(s, p, o) for s, p, o in reasoned]  # type: ignore[arg-type]
    )

    def values(pairs: list[tuple[object, object]]) -> str:
        rows = [(a, b) for a, b in pairs if not isinstance(a, ox.BlankNode)]
        rows = [(a, b) for a, b in rows if not isinstance(b, ox.BlankNode)]
        return " ".join(f"({a} {b})" for a, b in rows) or "(UNDEF UNDEF)"

    def table(t: dict[object, frozenset[object]]) -> list[tuple[object, object]]:
        return [(k, v) for k, vs in t.items() for v in vs]

    supers = values(table(rules.superproperties))
    updates = [
        f"INSERT {{ ?x a ?d }} WHERE {{ VALUES (?c ?d) {{ {values(table(rules.superclasses))} }}"
        " ?x a ?c }",
        f"INSERT {{ ?x ?q ?y }} WHERE {{ VALUES (?p ?q) {{ {supers} }} ?x ?p ?y }}",
        f"INSERT {{ ?x a ?c }} WHERE {{ VALUES (?p ?c) {{ {values(table(rules.domains))} }}"
        " ?x ?p ?y }",
        f"INSERT {{ ?y a ?c }} WHERE {{ VALUES (?p ?c) {{ {values(table(rules.ranges))} }}"
        " ?x ?p ?y }",
        f"INSERT {{ ?y ?q ?x }} WHERE {{ VALUES (?p ?q) {{ {values(table(rules.inverses))} }}"
        " ?x ?p ?y }",
        *(f"INSERT {{ ?y {p} ?x }} WHERE {{ ?x {p} ?y }}" for p in rules.symmetric),
        *(
            f"INSERT {{ ?x {head} ?z }} WHERE {{ ?x {links[0]} ?y . ?y {links[1]} ?z }}"
            for head, links in rules.chains
        ),
    ]
    size = -1
    while size != len(store):
        size = len(store)
        for update in updates:
            store.update(update)
    return sum(1 for _ in store.quads_for_pattern(None, TYPE, None))


def measure(worker: Worker, data: bytes, ontology: bytes, runs: int) -> tuple[float, float]:
    cpu, wall = [], []
    for _ in range(runs):
        c, w = time.process_time(), time.perf_counter()
        worker(data, ontology)
        cpu.append(time.process_time() - c)
        wall.append(time.perf_counter() - w)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", default="3,11,40")
    parser.add_argument("--rules-only", default="415")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--owlrl-runs", type=int, default=1)
    args = parser.parse_args()
    assembled = assemble(Project(ROOT))
    ontology = nt(assembled.by_graph()[ns.GRAPH_ONTOLOGY])
    print("| triples | engine | CPU s | wall s |\n|---:|---|---:|---:|")
    plan = [(int(n), True) for n in args.copies.split(",") if n]
    plan += [(int(n), False) for n in args.rules_only.split(",") if n]
    for copies, with_owlrl in plan:
        quads = scaled_quads(assembled.quads, copies)
        data = nt(quads)
        engines: list[tuple[str, Worker, int]] = [
            ("rules (Python hash indexes)", rules_worker, args.runs),
            ("rules (pyoxigraph SPARQL)", sparql_worker, args.runs),
        ]
        if with_owlrl:
            engines.append(("owlrl", closure_worker, args.owlrl_runs))
        for name, worker, runs in engines:
            cpu, wall = measure(worker, data, ontology, runs)
            print(f"| {len(quads):,} | {name} | {cpu:.2f} | {wall:.2f} |", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of the process: {peak:.0f} MB")


if __name__ == "__main__":
    main()
