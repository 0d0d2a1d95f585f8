"""`hrkg site`: render the Linked Data site from an already built store into <out>/site/.

`hrkg build` does this as one of its steps; this command re-renders the pages alone (after
editing a template, say) from dist/store, without rebuilding the graph.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hrkg.commands.common import dist_of, project_of

HELP = "render the Linked Data site"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="distribution folder holding store/ and the dumps; the site goes "
        "into OUT/site (default: the project's dist/)",
    )
    parser.add_argument(
        "--store", type=Path, default=None, help="pyoxigraph store to read (default: OUT/store)"
    )
    parser.add_argument(
        "--sources-dir",
        type=Path,
        default=None,
        help="folder of the source texts, for evidence in context (default: "
        "../shared/sources, or $HRKG_SOURCES_DIR)",
    )


def run(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    from hrkg.publish.site import render_site

    project = project_of(args)
    out = dist_of(args, project, "out")
    store_path: Path = args.store or out / "store"
    if not (store_path / "CURRENT").exists():
        print(f"hrkg site: no store at {store_path}: run `hrkg build` first", file=sys.stderr)
        return 2
    sources: Path = args.sources_dir or project.sources_dir
    if not sources.is_dir():
        print(
            f"hrkg site: no source texts at {sources}; evidence is shown as quotes only",
            file=sys.stderr,
        )
    store = ox.Store.read_only(str(store_path))
    report = render_site(store, out, sources)
    print(
        f"hrkg site: {report.pages} pages, {report.files} files, "
        f"{report.bytes / 1_000_000:.1f} MB in {report.site_dir} ({report.seconds:.2f} s, "
        f"{report.cpu_seconds:.2f} s CPU)"
    )
    return 0
