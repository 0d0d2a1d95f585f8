"""`hrkg docs`: the ontology and vocabulary documentation (pyLODE) into dist/docs."""

from __future__ import annotations

import argparse
from pathlib import Path

from hrkg.commands.common import dist_of, fail, project_of

HELP = "render the ontology documentation"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for index.html, vocabularies.html and vocab/ "
        "(default: the project's dist/docs)",
    )


def run(args: argparse.Namespace) -> int:
    from hrkg.publish.docs import VOCAB_PAGE, render_docs

    project = project_of(args)
    out = args.out.resolve() if args.out else dist_of(args, project, "dist") / "docs"
    ontology = project.ontology_dir / "hrkg.ttl"
    vocab_files = sorted(project.vocab_dir.glob("*.ttl"))
    try:
        index = render_docs(ontology, vocab_files, out)
    except Exception as err:  # pyLODE raises plain exceptions on bad input: report, don't trace
        return fail("docs", f"{type(err).__name__}: {err}")
    print(
        f"hrkg docs: wrote {index} and {index.parent / VOCAB_PAGE} "
        f"({len(vocab_files)} vocabularies)"
    )
    return 0
