"""`hrkg export`: CSV tables for spreadsheets, pandas and R, with a CSVW data dictionary.

Writes events, participations, statements, claims (with stances), designations, positions,
weapon systems, entities and evidence as CSV files, and csv-metadata.json (W3C CSV on the Web)
describing every column: title, description, datatype, the ontology property it maps to, keys.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hrkg.commands.common import dist_of, project_of


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, default=None, help="folder to write (default: DIST/export)"
    )
    parser.add_argument(
        "--dist",
        type=Path,
        default=None,
        help="built distribution folder (default: the project's dist/)",
    )


def run(args: argparse.Namespace) -> int:
    project = project_of(args)
    from hrkg.commands.query import built_store
    from hrkg.publish.export.write import ExportError, export
    from hrkg.text import print_table

    out = args.out or dist_of(args, project) / "export"
    try:
        counts = export(built_store(project, dist_of(args, project)), out)
    except ExportError as err:
        print(f"hrkg export: {err}", file=sys.stderr)
        return 1
    print_table(["table", "rows"], [(f"{name}.csv", n) for name, n in counts.items()])
    print(f"wrote {out}/ (described by csv-metadata.json)")
    return 0
