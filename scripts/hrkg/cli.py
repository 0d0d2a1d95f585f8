"""The `hrkg` command: one subcommand per job, each in its own module, imported lazily.

Only argparse and the light subcommand modules load at start-up, so `hrkg --help` answers at
once; rdflib, pyshacl, owlrl and pyoxigraph are imported by the step that needs them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from hrkg import __version__

# name: (module, add-arguments function, run function, one-line help)
COMMANDS: dict[str, tuple[str, str, str, str]] = {
    "build": ("hrkg.build", "add_build_arguments", "run_build",
              "parse, validate, reason, query-test and write dist/ (atomic)"),
    "validate": ("hrkg.build", "add_validate_arguments", "run_validate",
                 "parse, SHACL-validate and run the quality checks (fast, for authors)"),
    "query": ("hrkg.query", "add_arguments", "run", "run a stored query or a .rq file"),
    "stats": ("hrkg.stats", "add_arguments", "run", "triples per graph and per class"),
    "coverage": ("hrkg.coverage", "add_arguments", "run",
                 "which facts cite each paragraph of each source"),
    "docs": ("hrkg.docs", "add_arguments", "run", "render the ontology documentation"),
    "wikidata": ("hrkg.wikidata", "add_arguments", "run", "check the Wikidata links"),
    "load": ("hrkg.load", "add_arguments", "run", "load the dumps into a triple store"),
    "serve": ("hrkg.serve.app", "add_arguments", "run", "serve a read-only SPARQL endpoint"),
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="hrkg",
        description="Build, validate, query and publish the hamas-russia-kg knowledge graph.",
        epilog="Run 'hrkg COMMAND --help' for a command's options.",
    )
    top.add_argument("--version", action="version", version=f"hrkg {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_module, _adder, _runner, text) in COMMANDS.items():
        sub.add_parser(name, help=text, description=text, add_help=False)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    top = parser()
    if not args_list or args_list[0] not in COMMANDS:
        top.parse_args(args_list or ["--help"])
        return 2
    name = args_list[0]
    module_name, adder, runner, text = COMMANDS[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError as err:
        print(f"hrkg {name}: not available ({err})", file=sys.stderr)
        return 2
    sub = argparse.ArgumentParser(prog=f"hrkg {name}", description=text)
    getattr(module, adder)(sub)
    args = sub.parse_args(args_list[1:])
    try:
        code: int = getattr(module, runner)(args)
    except KeyboardInterrupt:
        print(f"hrkg {name}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) closed the pipe: stop quietly, as Unix tools do
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return code


if __name__ == "__main__":
    sys.exit(main())
