"""Cost of the build's meta-checks (hrkg.pipeline.meta): on the real project, and the data
checks (one scan, references, dates) on a synthetic dataset of a million quads.

Median of runs, CPU seconds beside wall seconds. Appends (or replaces) its section of
bench/RESULTS.md. Run: python bench/meta_checks.py [--quads N] [--runs R].
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from results import write_section

from hrkg import rdf as ns
from hrkg.project import Project

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- meta_checks.py: begin -->", "<!-- meta_checks.py: end -->"


def synthetic(count: int) -> list[ox.Quad]:
    """`count` quads, four per node: a type, a label, a date and a kg: reference."""
    graph = ox.NamedNode(ns.source_graph("synthetic"))
    kind = ox.NamedNode(ns.HRKG + "Event")
    typed, label = ox.NamedNode(ns.RDF_TYPE), ox.NamedNode(ns.RDFS + "label")
    date, about = ox.NamedNode(ns.HRKG + "date"), ox.NamedNode(ns.HRKG + "about")
    xsd_date = ox.NamedNode(ns.XSD_DATE)
    nodes = count // 4
    quads = []
    for i in range(nodes):
        node = ox.NamedNode(f"{ns.KG}event-{i}")
        day = f"20{i % 30:02d}-{i % 12 + 1:02d}-{i % 28 + 1:02d}"
        quads += [
            ox.Quad(node, typed, kind, graph),
            ox.Quad(node, label, ox.Literal(f"event {i}", language="en"), graph),
            ox.Quad(node, date, ox.Literal(day, datatype=xsd_date), graph),
            ox.Quad(node, about, ox.NamedNode(f"{ns.KG}event-{(i + 1) % nodes}"), graph),
        ]
    return quads


def timed(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `runs` calls."""
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    from hrkg.checks.dates import date_problems
    from hrkg.checks.declared import read_declared
    from hrkg.checks.locate import Locator
    from hrkg.checks.references import reference_problems
    from hrkg.checks.scan import scan
    from hrkg.pipeline.assemble import assemble
    from hrkg.pipeline.meta import check_meta

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quads", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    project = Project(ROOT)
    assembled = assemble(project)
    graphs = assembled.by_graph()
    real = timed(lambda: check_meta(project, assembled, graphs), args.runs)

    quads = synthetic(args.quads)
    declared, _ = read_declared(project.settings(), project.config_file, Locator())

    def data_checks() -> None:
        found = scan(quads)
        assert not reference_problems(found, declared, {}, Locator())
        assert not date_problems(found, {}, Locator())

    data = timed(data_checks, args.runs)
    rows = [
        (f"all meta-checks, real project ({len(assembled.quads):,} quads)", real),
        (f"scan + references + dates, synthetic ({len(quads):,} quads)", data),
    ]
    lines = [
        BEGIN,
        "",
        "## Meta-checks before SHACL (hrkg.pipeline.meta)",
        "",
        f"Python {platform.python_version()}, {platform.machine()}, 2 shared cores; "
        f"median of {args.runs} runs, in process. Reproduce with `python bench/meta_checks.py`.",
        "",
        "| work | wall s | CPU s |",
        "|---|---:|---:|",
        *(f"| {name} | {wall:.3f} | {cpu:.3f} |" for name, (wall, cpu) in rows),
        "",
        "One pass over the quads, sets of IRIs and the first quad of each distinct finding; "
        "no rdflib graph, no re-parsing of sources (the shapes files, a few kB, are re-read).",
        "",
        END,
        "",
    ]
    print("\n".join(lines))
    write_section(BEGIN, END, lines)


if __name__ == "__main__":
    main()
