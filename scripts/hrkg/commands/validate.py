"""`hrkg validate`: parse, SHACL and the quality checks only (fast, for authors)."""

from __future__ import annotations

import argparse

from hrkg.commands.common import fail, project_of
from hrkg.text import Steps

HELP = "parse, SHACL-validate and run the quality checks (fast, for authors)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")


def run(args: argparse.Namespace) -> int:
    from hrkg.pipeline.build import BuildFailed, summary, validate

    steps = Steps(quiet=args.quiet)
    try:
        outcome = validate(project_of(args), steps)
    except BuildFailed as err:
        return fail("validate", err, err.code)
    print(summary(outcome, steps.timings))
    print("\nvalid")
    return 0
