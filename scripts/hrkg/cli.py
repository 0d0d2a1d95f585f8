"""The `hrkg` command: one subcommand per module of hrkg.commands, imported lazily.

Only argparse and the chosen subcommand's module load at start-up, so `hrkg --help` answers at
once; rdflib, pyshacl, owlrl and pyoxigraph are imported by the step that needs them.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

# name: one-line help (the module hrkg.commands.<name> has add_arguments and run)
COMMANDS: dict[str, str] = {
    "build": "parse, validate, reason, query-test and write dist/ (atomic)",
    "validate": "parse, SHACL-validate and run the quality checks (fast, for authors)",
    "query": "run a stored query or a .rq file",
    "find": "find entities by name, spelling variant, slug or Wikidata QID",
    "export": "CSV tables with a CSVW data dictionary, for spreadsheets, pandas and R",
    "stats": "triples per graph and per class",
    "coverage": "which facts cite each paragraph of each source",
    "docs": "render the ontology documentation",
    "site": "render the Linked Data site (a page per resource, timeline, network, search)",
    "wikidata": "check the Wikidata links; write QuickStatements for Wikidata editors",
    "load": "load the dumps into a triple store",
    "serve": "serve a read-only SPARQL endpoint",
}


def parser() -> argparse.ArgumentParser:
    from hrkg import __version__

    top = argparse.ArgumentParser(
        prog="hrkg",
        description="Build, validate, query and publish the hamas-russia-kg knowledge graph.",
        epilog="Run 'hrkg COMMAND --help' for a command's options. Every command works on the "
        "project around the current directory, or on --project DIR.",
    )
    top.add_argument("--version", action="version", version=f"hrkg {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for name, text in COMMANDS.items():
        sub.add_parser(name, help=text, description=text, add_help=False)
    return top


def command_parser(name: str) -> tuple[argparse.ArgumentParser, object]:
    """The parser of one subcommand and its module."""
    from hrkg.commands.common import add_project_argument

    module = importlib.import_module(f"hrkg.commands.{name}")
    sub = argparse.ArgumentParser(prog=f"hrkg {name}", description=COMMANDS[name])
    module.add_arguments(sub)
    add_project_argument(sub)
    return sub, module


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in COMMANDS:
        parser().parse_args(args_list or ["--help"])
        return 2
    name = args_list[0]
    sub, module = command_parser(name)
    args = sub.parse_args(args_list[1:])
    try:
        code: int = module.run(args)  # type: ignore[attr-defined]
    except KeyboardInterrupt:
        print(f"hrkg {name}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) closed the pipe: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return code


if __name__ == "__main__":
    sys.exit(main())
