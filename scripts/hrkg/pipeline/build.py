"""`hrkg build` and `hrkg validate` as steps that take values and return values.

parse → assemble → SHACL → quality checks → owlrl closure → stored queries → dist/
(docs/design.md). Any failure raises BuildFailed and leaves the existing dist/ untouched:
the new one is written into a staging sibling and swapped in only when every step passed.
The closure and the ontology pages run in worker processes beside the other steps.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from collections import Counter
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg import rdf as ns
from hrkg.pipeline.assemble import Assembled
from hrkg.pipeline.workers import Background
from hrkg.project import Project
from hrkg.text import Steps, table

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib

    from hrkg.pipeline.shacl_parts import PartsReport
    from hrkg.publish.wikidata.view import View

EXIT_OK, EXIT_FAILED, EXIT_SYNTAX = 0, 1, 2


class BuildFailed(Exception):
    """A step found problems; `code` is the exit code, the message says what and where."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Parsed:
    """The parsed input of one build: the assembled quads (also grouped by named graph, once,
    for the steps that work per graph) and the shapes graph."""

    assembled: Assembled
    shapes: rdflib.Graph
    graphs: dict[str, list[ox.Quad]]


@dataclass(frozen=True)
class Outcome:
    """What a run found and produced, for the summary table."""

    triples_per_graph: dict[str, int]
    violations: int = 0
    warnings: int = 0
    checks_run: int = 0
    check_warnings: int = 0
    inferred: int = 0
    queries_run: int = 0
    queries_compared: int = 0
    wikidata: dict[str, int] = field(default_factory=dict)  # linked / unconfirmed / no-item …


# --------------------------------------------------------------------------- steps


def parse(project: Project, steps: Steps) -> Parsed:
    from hrkg.pipeline.assemble import ParseError, assemble, parse_shapes

    with steps.step("parse", "parsing Turtle (ontology, vocab, data, shapes)"):
        try:
            assembled = assemble(project)
            return Parsed(assembled, parse_shapes(project), assembled.by_graph())
        except ParseError as err:
            raise BuildFailed(f"syntax error: {err}", EXIT_SYNTAX) from None


@dataclass(frozen=True)
class Options:
    """How to run a build: the per-part cache, the reasoner, how many processes at once."""

    cache: bool = True
    reasoner: str = "rules"  # or "owlrl", the reference
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)


WARNINGS_SHOWN = 40  # more SHACL warnings than this: counts per shape, the list in a file


def validate_shapes(
    project: Project, parsed: Parsed, store: ox.Store, options: Options, steps: Steps
) -> tuple[int, int]:
    """SHACL with inference off, part by part (cached); returns (violations, warnings), raises
    on any violation."""
    from hrkg.pipeline.shacl import ShapesError, format_report
    from hrkg.pipeline.shacl_parts import validate_parts

    graphs = parsed.graphs
    with steps.step("meta", "checking that validation checks what the project declares"):
        from hrkg.pipeline.meta import MetaFailed, check_meta

        try:
            check_meta(project, parsed.assembled, graphs)
        except MetaFailed as err:
            raise BuildFailed(str(err), EXIT_SYNTAX if err.syntax else EXIT_FAILED) from None
    cache = project.cache_dir / "shacl" if options.cache else None
    with steps.step("shacl", "validating with SHACL (pyshacl, inference off, by parts)"):
        try:
            results, parts = validate_parts(
                graphs, parsed.shapes, store, cache, options.jobs, part_local_sparql(project)
            )
        except ShapesError as err:
            raise BuildFailed(f"SHACL could not run the shapes: {err}") from None
        except BrokenProcessPool:  # a worker killed from outside (out of memory, a signal)
            raise BuildFailed("SHACL: a validation worker died; run again (or --jobs 1)") from None
        steps.note(parts_line(parts))
    from hrkg.checks.wikidata import no_item_iris

    no_item = no_item_iris(project.root)  # recorded as having no Wikidata item
    violations = [r for r in results if r.severity == "Violation"]
    others = [
        r
        for r in results
        if r.severity != "Violation" and not (r.path == ns.SKOS_EXACT_MATCH and r.focus in no_item)
    ]
    files = parsed.assembled.subject_files
    if others:
        print(f"SHACL warnings ({len(others)}), by shape:", file=sys.stderr)
        per_shape = Counter(ns.shorten(r.source_shape) for r in others)
        print(table(["shape", "warnings"], sorted(per_shape.items())), file=sys.stderr)
        report = format_report(others, files, project.root)
        if len(others) <= WARNINGS_SHOWN:
            print(report, file=sys.stderr)
        else:
            path = project.cache_dir / "reports" / "shacl-warnings.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(report + "\n", encoding="utf-8")
            print(f"the {len(others)} warnings in full: {project.relative(path)}", file=sys.stderr)
    if violations:
        report = format_report(violations, files, project.root)
        raise BuildFailed(f"SHACL: {len(violations)} violation(s)\n{report}")
    return len(violations), len(others)


def part_local_sparql(project: Project) -> frozenset[str]:
    """The shapes whose SPARQL the project declares part-local ([tool.hrkg.part-local-sparql]:
    prefixed shape name -> the reason), as full IRIs."""
    declared = project.settings().get("part-local-sparql", {})
    return frozenset(ns.expand(name) or name for name in declared)


def parts_line(parts: PartsReport) -> str:
    """One line on what the partitioned validation did (and why, when it validated all)."""
    line = f"{parts.parts} part(s): {parts.validated} validated, {parts.cached} from the cache"
    if parts.shared_changed:
        line += " (shared inputs or code changed)"  # shapes, ontology, entities, vocabularies
    if parts.whole_reason:
        line += f"; validated as one part because {parts.whole_reason}"
    return line


def run_checks(
    project: Project, parsed: Parsed, store: ox.Store, options: Options, steps: Steps
) -> tuple[int, int]:
    """Check queries, coverage and Wikidata links; returns (checks run, warning rows)."""
    from hrkg.cache import ContentCache
    from hrkg.checks.coverage import coverage_failures
    from hrkg.checks.violations import run_violation_checks
    from hrkg.checks.wikidata import check_parsed_links
    from hrkg.queries.catalog import QueryFileError

    with steps.step("checks", "running quality checks (queries/checks)"):
        try:
            report = run_violation_checks(store, project.checks_dir)
        except QueryFileError as err:
            raise BuildFailed(f"malformed check query: {err}", EXIT_SYNTAX) from None
        except ValueError as err:  # e.g. a SERVICE call: the build calls nobody
            raise BuildFailed(f"check query refused: {err}") from None
        for warning in report.warnings:
            print(f"check warning: {warning}", file=sys.stderr)
        cache = ContentCache(project.cache_dir / "coverage") if options.cache else None
        coverage, sources_checked = coverage_failures(project, parsed.graphs, cache)
        links = check_parsed_links(
            parsed.assembled.quads, parsed.assembled.subject_files, project.root
        )
        failures = report.failures + coverage
        if links:
            failures.append("Wikidata links:\n" + "\n".join(f"  {p}" for p in links))
    if failures:
        raise BuildFailed("quality checks failed:\n" + "\n\n".join(failures))
    return report.run + sources_checked + 1, report.warning_rows


def start_closure(
    quads: list[ox.Quad], ontology_quads: list[ox.Quad], reasoner: str = "rules"
) -> Background:
    """Start the closure of all quads, with the ontology's, in a worker (docs/design.md)."""
    import pyoxigraph as ox

    from hrkg.pipeline.reason import closure_worker
    from hrkg.pipeline.reason_rules import rules_worker

    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    ontology = [ox.Triple(q.subject, q.predicate, q.object) for q in ontology_quads]
    return Background.start(
        rules_worker if reasoner == "rules" else closure_worker,
        ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
        ox.serialize(ontology, format=ox.RdfFormat.N_TRIPLES),
    )


def collect_closure(job: Background, steps: Steps) -> list[ox.Quad]:
    """The inferred quads (graph `inferred`); raises on resources in two disjoint classes."""
    import pyoxigraph as ox

    from hrkg.pipeline.rules import UnsupportedAxiom

    with steps.step("reason", "computing the OWL 2 RL closure"):
        try:
            inferred_nt, clashes = job.result()
        except UnsupportedAxiom as err:
            raise BuildFailed(f"the compiled closure cannot reason over: {err}") from None
    if clashes:
        lines = [
            f"  {ns.shorten(c.resource)} is both {ns.shorten(c.first)} and {ns.shorten(c.second)}"
            for c in clashes
        ]
        raise BuildFailed("resources in two disjoint classes:\n" + "\n".join(lines))
    graph = ox.NamedNode(ns.GRAPH_INFERRED)
    return [
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in ox.parse(inferred_nt, format=ox.RdfFormat.N_TRIPLES)
    ]


def wikidata_view(quads: list[ox.Quad], steps: Steps) -> View:
    """The graph in Wikidata's model (named graph …/graph/wikidata), built after the closure so
    it is not reasoned over."""
    from hrkg.publish.wikidata import wikidata_view as view_of

    with steps.step("wikidata", "building the Wikidata view"):
        return view_of(quads)


def run_queries(project: Project, store: ox.Store, steps: Steps) -> tuple[int, int]:
    """Every offline stored query against its expected answer; returns (run, compared)."""
    from hrkg.queries.catalog import QueryFileError, discover
    from hrkg.queries.results import ExpectedFileError, compare, read_expected
    from hrkg.queries.run import run_oxigraph

    with steps.step("queries", "running stored queries against expected answers"):
        try:
            queries = [q for q in discover(project.queries_dir) if not q.online_only]
        except QueryFileError as err:
            raise BuildFailed(f"malformed stored query: {err}", EXIT_SYNTAX) from None
        problems = []
        run = compared = 0
        for query in queries:
            try:
                result = run_oxigraph(store, query)
            except Exception as err:  # a query that cannot run is a build failure
                problems.append(f"{query.path.name}: {err}")
                continue
            run += 1
            expected_path = project.expected_dir / f"{query.name}.csv"
            if not expected_path.exists():
                continue
            compared += 1
            try:
                expected = read_expected(expected_path)
            except ExpectedFileError as err:
                raise BuildFailed(f"malformed expected answer: {err}", EXIT_SYNTAX) from None
            diffs = compare(result, expected)
            if diffs:
                problems.append(
                    f"{query.path.name} differs from {expected_path.name}:\n"
                    + "\n".join(f"  {d}" for d in diffs)
                )
    if problems:
        raise BuildFailed("stored queries failed:\n" + "\n".join(problems))
    return run, compared


# --------------------------------------------------------------------------- docs


DOCS_KEY_FILE = ".source-key"


@dataclass(frozen=True)
class DocsPlan:
    """Where the ontology pages come from: the previous dist/ (same inputs) or a worker."""

    key: str
    cached: Path | None
    job: Background | None


def plan_docs(project: Project, previous: Path, scratch: Path) -> DocsPlan | None:
    """Reuse the previous pages when ontology, vocabularies and renderer are unchanged."""
    from hrkg.publish.docs import docs_key, render_docs_worker

    ontology = sorted(project.ontology_dir.glob("*.ttl"))
    if not ontology:
        return None
    vocab = sorted(project.vocab_dir.glob("*.ttl"))
    key = docs_key([*ontology, *vocab])
    key_file = previous / "docs" / DOCS_KEY_FILE
    if key_file.is_file() and key_file.read_text() == key:
        return DocsPlan(key, previous / "docs", None)
    job = Background.start(render_docs_worker, ontology[0], vocab, scratch / "docs")
    return DocsPlan(key, None, job)


def write_docs(plan: DocsPlan | None, target: Path, steps: Steps) -> None:
    if plan is None:
        return
    if plan.cached is not None:
        shutil.copytree(plan.cached, target)
        return
    assert plan.job is not None
    with steps.step("docs", "waiting for the ontology docs (pyLODE)"):
        try:
            rendered = plan.job.result()
        except Exception as err:  # DocsError names the file; anything else is pyLODE's own
            raise BuildFailed(f"the ontology docs could not be made: {err}") from None
        shutil.move(str(rendered), target)
    (target / DOCS_KEY_FILE).write_text(plan.key)


# --------------------------------------------------------------------------- write


def write_dist(
    quads: list[ox.Quad],
    out: Path,
    docs: DocsPlan | None,
    wikidata: View | None,
    sources_dir: Path,
    steps: Steps,
) -> None:
    """Dumps, VoID, the store, the docs and the Wikidata files into a staging folder, then
    swapped in as `out`."""
    from hrkg.publish.dumps import write_dumps, write_void
    from hrkg.publish.export.write import write_tables
    from hrkg.publish.manifest import write_manifest
    from hrkg.publish.site import render_site
    from hrkg.publish.swap import staging_dir, swap_in
    from hrkg.publish.wikidata import write_wikidata
    from hrkg.rdf import to_store

    with steps.step("write", f"writing dumps and the store into {out.name}/"):
        staging = staging_dir(out)
        try:
            write_dumps(quads, staging)
            issued = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
            write_void(quads, staging, issued)
            write_manifest(quads, staging)
            store = to_store(quads, staging / "store")
            write_tables(store, staging / "export")
            with steps.step("site", "rendering the Linked Data site into site/"):
                render_site(store, staging, sources_dir)
            del store
            write_docs(docs, staging / "docs", steps)
            if wikidata is not None:
                write_wikidata(wikidata, staging)
            swap_in(staging, out)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise


# --------------------------------------------------------------------------- whole runs


def build(project: Project, out: Path, steps: Steps, options: Options | None = None) -> Outcome:
    """The whole pipeline into `out`, one build of `out` at a time (hrkg.publish.lock)."""
    from hrkg.publish.lock import held

    with held(out, "build"):
        return build_locked(project, out, steps, options or Options())


def build_locked(project: Project, out: Path, steps: Steps, options: Options) -> Outcome:
    """The whole pipeline into `out`; raises BuildFailed (and leaves `out` as it was)."""
    from hrkg.checks.wikidata import link_counts
    from hrkg.rdf import quad_sort_key, to_store

    scratch = Path(tempfile.mkdtemp(prefix="hrkg-build-"))
    docs: DocsPlan | None = None
    closure: Background | None = None
    try:
        docs = plan_docs(project, out, scratch)
        parsed = parse(project, steps)
        closure = start_closure(
            parsed.assembled.quads, parsed.graphs.get(ns.GRAPH_ONTOLOGY, []), options.reasoner
        )
        input_store = to_store(parsed.assembled.quads)
        violations, warnings = validate_shapes(project, parsed, input_store, options, steps)
        checks_run, check_warnings = run_checks(project, parsed, input_store, options, steps)
        del input_store
        inferred = collect_closure(closure, steps)
        closed = sorted(parsed.assembled.quads + inferred, key=quad_sort_key)
        wikidata = wikidata_view(closed, steps)
        quads = sorted(closed + wikidata.quads(), key=quad_sort_key)
        store = to_store(quads)
        queries_run, compared = run_queries(project, store, steps)
        write_dist(quads, out, docs, wikidata, project.sources_dir, steps)
    finally:
        for job in (closure, docs.job if docs else None):
            if job is not None:
                job.close()
        shutil.rmtree(scratch, ignore_errors=True)
    return Outcome(
        triples_per_graph=Assembled(quads).triples_per_graph(),
        violations=violations,
        warnings=warnings,
        checks_run=checks_run,
        check_warnings=check_warnings,
        inferred=len(inferred),
        queries_run=queries_run,
        queries_compared=compared,
        wikidata={
            **link_counts(project.root),
            "statements": len(wikidata.statements),
            "facts without Wikidata form": len(wikidata.unmapped),
        },
    )


def validate(project: Project, steps: Steps, options: Options | None = None) -> Outcome:
    """Parse, SHACL and the quality checks only (fast, for authors)."""
    from hrkg.rdf import to_store

    parsed = parse(project, steps)
    store = to_store(parsed.assembled.quads)
    options = options or Options()
    violations, warnings = validate_shapes(project, parsed, store, options, steps)
    checks_run, check_warnings = run_checks(project, parsed, store, options, steps)
    return Outcome(
        triples_per_graph=parsed.assembled.triples_per_graph(),
        violations=violations,
        warnings=warnings,
        checks_run=checks_run,
        check_warnings=check_warnings,
    )


def summary(
    outcome: Outcome, timings: dict[str, float], cpu: dict[str, float] | None = None
) -> str:
    """The tables printed at the end of a run: graphs, findings, step times (and CPU times)."""
    graphs = table(
        ["graph", "triples"],
        [(g.replace(ns.GRAPH, ""), n) for g, n in outcome.triples_per_graph.items()],
    )
    facts = table(
        ["measure", "value"],
        [
            ("SHACL violations", outcome.violations),
            ("SHACL warnings", outcome.warnings),
            ("quality checks run", outcome.checks_run),
            ("check warnings", outcome.check_warnings),
            ("inferred triples", outcome.inferred),
            ("stored queries run", outcome.queries_run),
            ("compared with expected", outcome.queries_compared),
            *((f"Wikidata: {k}", v) for k, v in outcome.wikidata.items()),
        ],
    )
    if cpu is None:
        times = table(["step", "seconds"], [(k, f"{v:.2f}") for k, v in timings.items()])
    else:
        rows = [(k, f"{v:.2f}", f"{cpu.get(k, 0.0):.2f}") for k, v in timings.items()]
        times = table(["step", "seconds", "CPU s"], rows)
    return f"{graphs}\n\n{facts}\n\n{times}"
