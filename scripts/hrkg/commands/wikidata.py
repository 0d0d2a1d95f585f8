"""`hrkg wikidata`: every Wikidata link checked against the recorded evidence."""

from __future__ import annotations

import argparse

from hrkg.commands.common import project_of

HELP = "check the Wikidata links"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from hrkg.checks.wikidata import add_arguments as add_check_arguments

    add_check_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from hrkg.checks.wikidata import run as run_check

    args.root = project_of(args).root
    return run_check(args)
