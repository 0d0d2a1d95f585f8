"""`hrkg find NAME`: curated entities by label, alternative label, slug or Wikidata QID.

Accents, case and punctuation are ignored ("ben-zvi" finds Alexander Ben Zvi); when nothing
matches exactly or partially, the closest spellings are shown as suggestions. Exit 0 when
something was found (a suggestion included), 1 when nothing comes close.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hrkg.commands.common import dist_of, project_of


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name",
        nargs="+",
        help="a name, spelling variant, slug, kg:slug or QID (wd:Q159); several words are one name",
    )
    parser.add_argument("--limit", type=int, default=10, help="at most this many matches")
    parser.add_argument("--format", choices=["table", "csv", "json"], default="table")
    parser.add_argument(
        "--dist",
        type=Path,
        default=None,
        help="built distribution folder (default: the project's dist/)",
    )


COLUMNS = ("entity", "label", "kind", "wikidata", "match", "name")


def run(args: argparse.Namespace) -> int:
    project = project_of(args)
    from hrkg.commands.query import built_store
    from hrkg.queries.lookup import Index
    from hrkg.text import print_table

    text = " ".join(args.name)
    index = Index.from_store(built_store(project, dist_of(args, project)))
    matches = index.find(text, limit=args.limit)
    rows = [
        (
            m.entity.curie,
            m.entity.label,
            m.entity.kind,
            f"wd:{m.entity.qid}" if m.entity.qid else "",
            m.how,
            m.name,
        )
        for m in matches
    ]
    if not matches:
        print(f"hrkg find: nothing is called {text!r} or spelt like it", file=sys.stderr)
        return 1
    if args.format == "json":
        print(
            json.dumps(
                [dict(zip(COLUMNS, r, strict=True)) for r in rows], ensure_ascii=False, indent=2
            )
        )
    elif args.format == "csv":
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    else:
        if matches[0].how == "closest":
            print(f"no entity is called {text!r}; the closest spellings:", file=sys.stderr)
        print_table(list(COLUMNS), rows)
    return 0
