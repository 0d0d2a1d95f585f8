"""`hrkg stats`: triples per named graph and instances per class, read from dist/store."""

from __future__ import annotations

import argparse
from pathlib import Path

from hrkg.paths import DIST_DIR

GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
CLASS_COUNTS = (
    "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?c } "
    "FILTER(?g != <https://w3id.org/hrkg/graph/inferred>) } GROUP BY ?c ORDER BY DESC(?n) ?c"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dist", type=Path, default=DIST_DIR, help="built distribution folder")


def run(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    from hrkg.query import open_store
    from hrkg.report import table
    from hrkg.validate import short

    store = open_store(args.dist)

    def rows(query: str) -> list[tuple[str, int]]:
        solutions = store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        return [(short(r[0].value), int(r[1].value)) for r in solutions]

    graphs, classes = rows(GRAPH_COUNTS), rows(CLASS_COUNTS)
    print(table(["graph", "triples"], graphs))
    print(f"\ntotal: {sum(n for _, n in graphs)} quads\n")
    print(table(["class (asserted)", "instances"], classes))
    return 0
