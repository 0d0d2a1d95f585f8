"""`hrkg build`: the whole pipeline into dist/ (atomic: a failure leaves dist/ as it was)."""

from __future__ import annotations

import argparse
from pathlib import Path

from hrkg.commands.common import dist_of, fail, project_of
from hrkg.text import Steps

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
    from hrkg.pipeline.build import BuildFailed, Options, build, summary

    project = project_of(args)
    out = dist_of(args, project, "out")
    steps = Steps(quiet=args.quiet)
    try:
        options = Options(
            cache=not args.no_cache, reasoner=args.reasoner, jobs=args.jobs or Options().jobs
        )
        outcome = build(project, out, steps, options)
    except BuildFailed as err:
        fail("build", err)
        return fail("build", f"FAILED; {out} left as it was", err.code)
    except OSError as err:  # a full disk, a read-only folder: one line naming the path
        where = project.relative(Path(err.filename)) if err.filename else out
        return fail("build", f"{where}: {err.strerror or err}; {out} left as it was")
    print(summary(outcome, steps.timings))
    print(f"\nbuilt {project.relative(out)}")
    return 0
