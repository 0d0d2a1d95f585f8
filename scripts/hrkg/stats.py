"""`hrkg stats`: triples per named graph and instances per class, read from dist/store.

The counting lives in the stored query queries/15-statistics.rq (one place for the SPARQL);
this command only arranges its rows into two tables.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from hrkg.namespaces import GRAPH, GRAPH_INFERRED
from hrkg.paths import DIST_DIR, QUERIES_DIR

STATISTICS_QUERY = QUERIES_DIR / "15-statistics.rq"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dist", type=Path, default=DIST_DIR, help="built distribution folder")


def run(args: argparse.Namespace) -> int:
    from hrkg.query import open_store
    from hrkg.report import table
    from hrkg.sparql import load_query, run_oxigraph

    result = run_oxigraph(open_store(args.dist), load_query(STATISTICS_QUERY))
    column = {name: i for i, name in enumerate(result.columns)}
    graphs: list[tuple[str, int]] = []
    classes: Counter[str] = Counter()
    for row in result.rows:
        graph, measure = row[column["graph"]], row[column["measure"]]
        count = int(row[column["count"]])
        if measure == "triples":
            graphs.append((graph.replace(GRAPH, ""), count))
        elif graph != GRAPH_INFERRED:
            classes[row[column["class"]]] += count
    print(table(["graph", "triples"], graphs))
    print(f"\ntotal: {sum(n for _, n in graphs)} quads\n")
    ordered = sorted(classes.items(), key=lambda item: (-item[1], item[0]))
    print(table(["class (asserted, summed over graphs)", "instances"], ordered))
    return 0
