"""`hrkg build` and `hrkg validate`: the pipeline of DESIGN.md, atomic and deterministic.

parse → assemble → SHACL → quality checks → owlrl closure → stored queries → dist/.
Any failure leaves the existing dist/ untouched: the new one is built in a temporary
sibling folder and swapped in only when every step passed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hrkg import namespaces as ns
from hrkg.paths import DEFAULT_PROJECT, DIST_DIR, Project
from hrkg.report import Steps, table

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib

    from hrkg.assemble import Assembled

EXIT_OK, EXIT_FAILED, EXIT_SYNTAX = 0, 1, 2


class BuildFailed(Exception):
    """A step found problems; `code` is the exit code, the message says what and where."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Outcome:
    """What a pipeline run found and produced, for the summary table."""

    triples_per_graph: dict[str, int] = field(default_factory=dict)
    violations: int = 0
    warnings: int = 0
    checks_run: int = 0
    check_warnings: int = 0
    inferred: int = 0
    queries_run: int = 0
    queries_compared: int = 0


@dataclass
class Pipeline:
    """One run over one project; each method is a step and raises BuildFailed on problems."""

    project: Project
    steps: Steps
    outcome: Outcome = field(default_factory=Outcome)
    assembled: Assembled | None = None
    shapes: rdflib.Graph | None = None
    store: ox.Store | None = None
    docs: Background | None = None
    reasoning: Background | None = None
    scratch: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="hrkg-build-")))
    docs_key: str = ""
    docs_cached: Path | None = None

    def start_docs(self, previous: Path) -> None:
        """Render the ontology docs in a second process while the other steps run.

        Pages rendered from the same ontology, vocabularies and renderer are taken from the
        previous distribution instead (their key is stored beside them).
        """
        ontology = sorted(self.project.ontology_dir.glob("*.ttl"))
        if not ontology:
            return
        vocab = sorted(self.project.vocab_dir.glob("*.ttl"))
        self.docs_key = docs_key([*ontology, *vocab])
        cached = previous / "docs"
        key_file = cached / DOCS_KEY_FILE
        if key_file.exists() and key_file.read_text() == self.docs_key:
            self.docs_cached = cached
            return
        self.docs = Background.start(render_docs_worker, ontology[0], vocab,
                                     self.scratch / "docs")

    def start_reasoning(self) -> None:
        """Start the owlrl closure in a worker process; `reason` collects it."""
        import pyoxigraph as ox

        from hrkg.reason import closure_worker

        assert self.assembled is not None
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in self.assembled.quads]
        ontology = [
            ox.Triple(q.subject, q.predicate, q.object)
            for q in self.assembled.graph_quads(ns.GRAPH_ONTOLOGY)
        ]
        self.reasoning = Background.start(
            closure_worker,
            ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES),
            ox.serialize(ontology, format=ox.RdfFormat.N_TRIPLES),
        )

    def close(self) -> None:
        """Stop the workers and remove the scratch folder (also after a failure)."""
        for job in (self.docs, self.reasoning):
            if job is not None:
                job.close()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def parse(self) -> None:
        from hrkg.assemble import ParseError, assemble, parse_shapes

        with self.steps.step("parse", "parsing Turtle (ontology, vocab, data, shapes)"):
            try:
                self.assembled = assemble(self.project)
                self.shapes = parse_shapes(self.project)
            except ParseError as err:
                raise BuildFailed(f"syntax error: {err}", EXIT_SYNTAX) from None
            self.outcome.triples_per_graph = self.assembled.triples_per_graph()

    def validate_shapes(self) -> None:
        from hrkg.assemble import to_rdflib_graph
        from hrkg.validate import ShapesError, format_report, shacl_validate

        assert self.assembled is not None and self.shapes is not None
        with self.steps.step("shacl", "validating with SHACL (pyshacl, inference off)"):
            ontology = to_rdflib_graph(self.assembled.graph_quads(ns.GRAPH_ONTOLOGY))
            data = to_rdflib_graph(
                [q for q in self.assembled.quads if q.graph_name.value != ns.GRAPH_ONTOLOGY]  # type: ignore[union-attr]
            )
            try:
                results = shacl_validate(data, ontology, self.shapes)
            except ShapesError as err:
                raise BuildFailed(f"SHACL could not run the shapes: {err}") from None
        violations = [r for r in results if r.severity == "Violation"]
        others = [r for r in results if r.severity != "Violation"]
        self.outcome.violations, self.outcome.warnings = len(violations), len(others)
        root = self.project.root
        if others:
            from collections import Counter

            from hrkg.validate import short

            print(f"SHACL warnings ({len(others)}), by shape:", file=sys.stderr)
            per_shape = Counter(short(r.source_shape) for r in others)
            print(table(["shape", "warnings"], sorted(per_shape.items())), file=sys.stderr)
            print(format_report(others, self.assembled.subject_files, root), file=sys.stderr)
        if violations:
            report = format_report(violations, self.assembled.subject_files, root)
            raise BuildFailed(f"SHACL: {len(violations)} violation(s)\n{report}")

    def memory_store(self) -> ox.Store:
        from hrkg.assemble import to_store

        assert self.assembled is not None
        if self.store is None:
            self.store = to_store(self.assembled.quads)
        return self.store

    def run_checks(self) -> None:
        from hrkg.sparql import QueryFileError, discover, format_table, run_oxigraph

        with self.steps.step("checks", "running quality checks (queries/checks)"):
            try:
                checks = discover(self.project.checks_dir, "*-violation.rq")
            except QueryFileError as err:
                raise BuildFailed(f"malformed check query: {err}") from None
            store = self.memory_store()
            failures = []
            for check in checks:
                try:
                    result = run_oxigraph(store, check)
                except ValueError as err:  # e.g. a SERVICE call: the build calls nobody
                    raise BuildFailed(f"{check.path.name}: {err}") from None
                self.outcome.checks_run += 1
                if not result.rows:
                    continue
                text = f"{check.path.name} ({check.title}): {len(result.rows)} row(s)\n"
                text += format_table(result)
                if (check.severity or "Error").lower() == "warning":
                    self.outcome.check_warnings += len(result.rows)
                    print(f"check warning: {text}", file=sys.stderr)
                else:
                    failures.append(text)
            failures += self.coverage_failures() + self.wikidata_failures()
        if failures:
            raise BuildFailed("quality checks failed:\n" + "\n\n".join(failures))

    def coverage_failures(self) -> list[str]:
        """Every paragraph of every source text must be cited or excluded (hrkg coverage).

        A data file whose source text is not at hand (a clone without ../shared/sources) is
        reported and skipped: the build still works for a user who only has the data.
        """
        import rdflib

        from hrkg.assemble import to_rdflib_graph
        from hrkg.coverage import CoverageError, compute_coverage, error_lines, span_problems
        from hrkg.paths import shared_sources_dir

        assert self.assembled is not None
        failures = []
        for path in sorted(self.project.sources_data_dir.glob("*.ttl")):
            slug = path.stem
            text_path = shared_sources_dir() / f"{slug}.txt"
            graph = to_rdflib_graph(self.assembled.graph_quads(ns.source_graph(slug)))
            document = ns.KG + f"source-{slug}"
            if (rdflib.URIRef(document), None, None) not in graph:
                failures.append(f"{path.relative_to(self.project.root)}: no {document} "
                                "(each data/sources/<slug>.ttl describes kg:source-<slug>)")
                continue
            if not text_path.exists():
                print(f"coverage of {slug} not checked: no source text at {text_path}",
                      file=sys.stderr)
                continue
            self.outcome.checks_run += 1
            text = text_path.read_text(encoding="utf-8")
            try:
                rows = compute_coverage(graph, text, document)
                problems = span_problems(graph, text, document)
            except CoverageError as err:
                failures.append(f"coverage of {slug}: {err}")
                continue
            lines = error_lines(slug, rows, problems)
            if lines:
                failures.append(f"coverage of {path.relative_to(self.project.root)}:\n"
                                + "\n".join(f"  {line}" for line in lines))
        return failures

    def wikidata_failures(self) -> list[str]:
        """Every Wikidata link must be confirmed in data/entities/wikidata-evidence.tsv."""
        from hrkg.wikidata import check_links

        self.outcome.checks_run += 1
        problems = check_links(self.project.root)
        return ["Wikidata links:\n" + "\n".join(f"  {p}" for p in problems)] if problems else []

    def reason(self) -> None:
        import pyoxigraph as ox

        from hrkg.assemble import quad_sort_key
        from hrkg.validate import short

        assert self.assembled is not None
        if self.reasoning is None:
            self.start_reasoning()
        assert self.reasoning is not None
        with self.steps.step("reason", "computing the OWL 2 RL closure (owlrl)"):
            inferred_nt, clashes = self.reasoning.result()
        if clashes:
            lines = [f"  {short(c.resource)} is both {short(c.first)} and {short(c.second)}"
                     for c in clashes]
            raise BuildFailed("resources in two disjoint classes:\n" + "\n".join(lines))
        graph = ox.NamedNode(ns.GRAPH_INFERRED)
        quads = [
            ox.Quad(t.subject, t.predicate, t.object, graph)
            for t in ox.parse(inferred_nt, format=ox.RdfFormat.N_TRIPLES)
        ]
        self.assembled.quads = sorted(self.assembled.quads + quads, key=quad_sort_key)
        self.outcome.inferred = len(quads)
        self.outcome.triples_per_graph = self.assembled.triples_per_graph()
        self.store = None

    def run_queries(self) -> None:
        from hrkg.sparql import QueryFileError, compare, discover, read_expected, run_oxigraph

        with self.steps.step("queries", "running stored queries against expected answers"):
            try:
                queries = [q for q in discover(self.project.queries_dir) if not q.online_only]
            except QueryFileError as err:
                raise BuildFailed(f"malformed stored query: {err}") from None
            store = self.memory_store()
            problems = []
            for query in queries:
                try:
                    result = run_oxigraph(store, query)
                except Exception as err:  # a query that cannot run is a build failure
                    problems.append(f"{query.path.name}: {err}")
                    continue
                self.outcome.queries_run += 1
                expected_path = self.project.expected_dir / f"{query.name}.csv"
                if expected_path.exists():
                    self.outcome.queries_compared += 1
                    diffs = compare(result, read_expected(expected_path))
                    if diffs:
                        problems.append(f"{query.path.name} differs from {expected_path.name}:\n"
                                        + "\n".join(f"  {d}" for d in diffs))
        if problems:
            raise BuildFailed("stored queries failed:\n" + "\n".join(problems))

    def write(self, out: Path) -> None:
        from hrkg.assemble import to_store
        from hrkg.dumps import write_dumps, write_void

        assert self.assembled is not None
        with self.steps.step("write", f"writing dumps and the store into {out.name}/"):
            out.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
            try:
                write_dumps(self.assembled.quads, staging)
                issued = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
                write_void(self.assembled.quads, staging, issued)
                store = to_store(self.assembled.quads, staging / "store")
                del store
                self.write_docs(staging)
                swap_in(staging, out)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise

    def write_docs(self, staging: Path) -> None:
        target = staging / "docs"
        if self.docs_cached is not None:
            shutil.copytree(self.docs_cached, target)
        elif self.docs is not None:
            with self.steps.step("docs", "waiting for the ontology docs (pyLODE)"):
                shutil.move(str(self.docs.result()), target)
            (target / DOCS_KEY_FILE).write_text(self.docs_key)


@dataclass
class Background:
    """A function running in a worker process while the pipeline goes on.

    The closure and the pyLODE pages each take about as long as all other steps together and
    need nothing from them but the parsed input, so they run on the machine's other core.
    """

    executor: concurrent.futures.ProcessPoolExecutor
    future: concurrent.futures.Future[Any]

    @classmethod
    def start(cls, function: Callable[..., Any], *args: Any) -> Background:
        import multiprocessing
        import threading

        # fork reuses the imported libraries (0.4 s saved); it is only safe while this
        # process has no other thread that could hold a lock the child inherits
        method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
        executor = concurrent.futures.ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context(method)
        )
        return cls(executor, executor.submit(function, *args))

    def result(self) -> Any:
        try:
            return self.future.result()
        finally:
            self.close()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


DOCS_KEY_FILE = ".source-key"


def docs_key(inputs: list[Path]) -> str:
    """A digest of everything the pages depend on: inputs, renderer code and pyLODE version."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(version("pylode").encode())
    for path in [*inputs, Path(__file__).with_name("docs.py")]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def render_docs_worker(ontology: Path, vocab: list[Path], out: Path) -> Path:
    from hrkg.docs import render_docs

    render_docs(ontology, vocab, out)
    return out


def swap_in(staging: Path, out: Path) -> None:
    """Replace `out` by `staging` with renames, so readers never see a half-written folder."""
    old = None
    if out.exists():
        old = out.parent / f".{out.name}-old-{os.getpid()}"
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def summary(outcome: Outcome, timings: dict[str, float]) -> str:
    from hrkg.validate import short

    graphs = table(
        ["graph", "triples"],
        [(short(g).replace(ns.GRAPH, ""), n) for g, n in outcome.triples_per_graph.items()],
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
        ],
    )
    times = table(["step", "seconds"], [(k, f"{v:.2f}") for k, v in timings.items()])
    return f"{graphs}\n\n{facts}\n\n{times}"


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=DIST_DIR, help="output folder (default: dist)")
    parser.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")


def add_validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")


def project_of(args: argparse.Namespace) -> Project:
    return Project(args.root.resolve()) if args.root else DEFAULT_PROJECT


def run_build(args: argparse.Namespace) -> int:
    pipeline = Pipeline(project_of(args), Steps(quiet=args.quiet))
    try:
        pipeline.start_docs(previous=args.out.resolve())
        pipeline.parse()
        pipeline.start_reasoning()
        pipeline.validate_shapes()
        pipeline.run_checks()
        pipeline.reason()
        pipeline.run_queries()
        pipeline.write(args.out.resolve())
    except BuildFailed as err:
        print(f"hrkg build: {err}", file=sys.stderr)
        print(f"hrkg build: FAILED; {args.out} left as it was", file=sys.stderr)
        return err.code
    finally:
        pipeline.close()
    print(summary(pipeline.outcome, pipeline.steps.timings))
    print(f"\nbuilt {args.out}")
    return EXIT_OK


def run_validate(args: argparse.Namespace) -> int:
    pipeline = Pipeline(project_of(args), Steps(quiet=args.quiet))
    try:
        pipeline.parse()
        pipeline.validate_shapes()
        pipeline.run_checks()
    except BuildFailed as err:
        print(f"hrkg validate: {err}", file=sys.stderr)
        return err.code
    finally:
        pipeline.close()
    print(summary(pipeline.outcome, pipeline.steps.timings))
    print("\nvalid")
    return EXIT_OK
