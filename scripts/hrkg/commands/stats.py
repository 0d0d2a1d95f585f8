"""`hrkg stats`: triples per named graph and instances per class, read from dist/store.

The counting lives in the stored query queries/15-statistics.rq (one place for the SPARQL);
this command only arranges its rows into two tables.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from hrkg.commands.common import dist_of, project_of
from hrkg.rdf import GRAPH, GRAPH_INFERRED

HELP = "triples per graph and per class"
STATISTICS_QUERY = "15-statistics.rq"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dist",
        type=Path,
        default=None,
        help="built distribution folder (default: the project's dist/)",
    )


def run(args: argparse.Namespace) -> int:
    from hrkg.commands.query import built_store
    from hrkg.queries.catalog import load_query
    from hrkg.queries.run import run_oxigraph
    from hrkg.text import table

    project = project_of(args)
    store = built_store(project, dist_of(args, project))
    result = run_oxigraph(store, load_query(project.queries_dir / STATISTICS_QUERY))
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
