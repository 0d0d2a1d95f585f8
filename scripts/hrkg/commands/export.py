"""`hrkg export`: CSV tables for spreadsheets, pandas and R, with a CSVW data dictionary.

Writes events, participations, statements, claims (with stances), designations, positions,
weapon systems, entities and evidence as CSV files, and csv-metadata.json (W3C CSV on the Web)
describing every column: title, description, datatype, the ontology property it maps to, keys.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hrkg.paths import DIST_DIR


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None,
                        help="folder to write (default: DIST/export)")
    parser.add_argument("--dist", type=Path, default=DIST_DIR, help="built distribution folder")


def run(args: argparse.Namespace) -> int:
    from hrkg.publish.export.write import ExportError, export
    from hrkg.query import open_store
    from hrkg.text import print_table

    out = args.out or args.dist / "export"
    try:
        counts = export(open_store(args.dist), out)
    except ExportError as err:
        print(f"hrkg export: {err}", file=sys.stderr)
        return 1
    print_table(["table", "rows"], [(f"{name}.csv", n) for name, n in counts.items()])
    print(f"wrote {out}/ (described by csv-metadata.json)")
    return 0
