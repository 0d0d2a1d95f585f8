"""The graph in Wikidata's model: a Wikidata-shaped view and QuickStatements for editors.

`wikidata_view(quads)` → `View` (its `.quads()` in the named graph
https://w3id.org/hrkg/graph/wikidata, `.triples()`, `.report()`); `write_wikidata(view, out)`
writes `hrkg-wikidata.nt`, the QuickStatements file and the report of what has no Wikidata
form into a distribution folder.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from hrkg.publish.wikidata.quickstatements import quickstatements
from hrkg.publish.wikidata.view import GRAPH_WIKIDATA, View, wikidata_view

__all__ = ["GRAPH_WIKIDATA", "View", "report_text", "wikidata_view", "write_wikidata"]

VIEW_FILE = "hrkg-wikidata.nt"
QS_FILE = "hrkg-wikidata.qs.tsv"
REPORT_FILE = "hrkg-wikidata-report.md"


def report_text(view: View) -> str:
    """A Markdown report: what the view holds, and each fact kind with no Wikidata form."""
    lines = [
        "# The graph in Wikidata's model: what fits and what does not",
        "",
        f"{len(view.statements)} statement(s) in Wikidata's model (named graph "
        f"{GRAPH_WIKIDATA}, file {VIEW_FILE}); {len(view.unmapped)} fact(s) with no Wikidata "
        "form, by kind:",
        "",
        "| fact kind | facts | why it has no Wikidata form |",
        "|---|---|---|",
    ]
    lines += [f"| {kind} | {count} | {reason} |" for kind, count, reason in view.report()]
    if view.dropped:
        lines += [
            "",
            "Details of expressed facts that the Wikidata statement does not carry:",
            "",
            "| detail | times |",
            "|---|---|",
        ]
        lines += [f"| {detail} | {n} |" for detail, n in sorted(view.dropped.items())]
    return "\n".join(lines) + "\n"


def write_wikidata(view: View, out: Path) -> None:
    """Write the view (N-Triples), the QuickStatements proposal and the report into `out`."""
    data = ox.serialize(view.triples(), format=ox.RdfFormat.N_TRIPLES)
    (out / VIEW_FILE).write_bytes(data or b"")
    (out / QS_FILE).write_text(quickstatements(view), encoding="utf-8")
    (out / REPORT_FILE).write_text(report_text(view), encoding="utf-8")
