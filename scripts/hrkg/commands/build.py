"""`hrkg build`: the whole pipeline into dist/ (atomic: a failure leaves dist/ as it was)."""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg.commands.common import dist_of, fail, project_of
from hrkg.text import Steps, cpu_seconds

if TYPE_CHECKING:
    from hrkg.pipeline.build import Options
    from hrkg.project import Project

HELP = "parse, validate, reason, query-test and write dist/ (atomic)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, default=None, help="output folder (default: the project's dist/)"
    )
    parser.add_argument(
        "--reasoner",
        choices=("rules", "owlrl"),
        default="rules",
        help="the OWL 2 RL closure: compiled rules (default, fast) or owlrl (the reference)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="validate every part again and leave the cache (.hrkg-cache/) alone",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=positive_int,
        default=None,
        help="processes working at once (default: the number of cores)",
    )
    parser.add_argument(
        "--timings",
        type=Path,
        default=None,
        metavar="FILE.json",
        help="also write each step's wall and CPU seconds as JSON (written on failure too)",
    )


def write_timings(
    path: Path, steps: Steps, code: int, wall: float, cpu: float, triples: dict[str, int]
) -> None:
    """The run's step times as JSON, written whole or not at all (a temporary file renamed)."""
    record = {
        "exit": code,
        "wall_s": round(wall, 4),
        "cpu_s": round(cpu, 4),
        "steps": steps.records(),
        "triples_per_graph": triples,
    }
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def positive_int(text: str) -> int:
    """argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def run(args: argparse.Namespace) -> int:
    from hrkg.pipeline.build import Options

    project = project_of(args)
    out = dist_of(args, project, "out")
    steps = Steps(quiet=args.quiet)
    start, start_cpu = time.perf_counter(), cpu_seconds()
    options = Options(
        cache=not args.no_cache, reasoner=args.reasoner, jobs=args.jobs or Options().jobs
    )
    code, triples = build_into(project, out, steps, options)
    if args.timings is not None:
        wall, cpu = time.perf_counter() - start, cpu_seconds() - start_cpu
        try:
            write_timings(args.timings, steps, code, wall, cpu, triples)
        except OSError as err:
            return fail("build", f"{args.timings}: {err.strerror or err} (timings not written)")
    return code


def build_into(
    project: Project, out: Path, steps: Steps, options: Options
) -> tuple[int, dict[str, int]]:
    """Run the build and print its summary: the exit code and the triples per graph built."""
    from hrkg.pipeline.build import BuildFailed, build, summary

    try:
        outcome = build(project, out, steps, options)
    except BuildFailed as err:
        fail("build", err)
        return fail("build", f"FAILED; {out} left as it was", err.code), {}
    except OSError as err:  # a full disk, a read-only folder: one line naming the path
        where = project.relative(Path(err.filename)) if err.filename else out
        return fail("build", f"{where}: {err.strerror or err}; {out} left as it was"), {}
    print(summary(outcome, steps.timings, steps.cpu))
    print(f"\nbuilt {project.relative(out)}")
    return 0, outcome.triples_per_graph
