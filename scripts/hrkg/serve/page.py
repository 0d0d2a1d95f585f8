"""The query page: YASGUI (served from this machine) and the stored queries as JSON.

The list is read with the query catalogue's parser, which checks syntax without running a
query, so a stored query with a SERVICE clause (the Wikidata enrichment) calls nobody.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hrkg.serve.evaluate import Reply, text_reply

WEBUI_DIR = Path(__file__).resolve().parent / "webui"
STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".map": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".txt": "text/plain",
}


def stored_queries(folder: Path) -> list[dict[str, Any]]:
    """The stored queries for the page: title, question, parameters, and the text with
    the parameters' defaults bound (edit the VALUES line to ask about something else)."""
    from hrkg.queries.catalog import QueryFileError, load_query
    from hrkg.queries.inline import with_defaults

    out = []
    for path in sorted(folder.glob("*.rq")):
        try:
            query = load_query(path)
            text = with_defaults(query)
        except (QueryFileError, ValueError, OSError) as err:
            out.append(
                {
                    "name": path.stem,
                    "title": path.stem,
                    "question": f"(broken: {err})",
                    "params": [],
                    "onlineOnly": False,
                    "needsInferred": False,
                    "query": path.read_text("utf-8", "replace"),
                }
            )
            continue
        out.append(
            {
                "name": query.name,
                "title": query.title,
                "question": query.question,
                "params": [
                    f"{p.name} = {p.default} ({p.kind})" if p.default else f"{p.name} ({p.kind})"
                    for p in query.params
                ],
                "onlineOnly": query.online_only,
                "needsInferred": query.needs_inferred,
                "query": text,
            }
        )
    return out


def queries_reply(folder: Path | None) -> Reply:
    """The stored queries as JSON for the page (none when the server was given no folder)."""
    body = json.dumps(stored_queries(folder) if folder else [], indent=1).encode()
    return Reply(200, "application/json", body)


def static_reply(relative: str) -> Reply:
    """A file below webui/, never outside it (`relative` is already percent-decoded)."""
    root = WEBUI_DIR.resolve()
    target = (root / relative).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return text_reply(404, "Not found.")
    kind = STATIC_TYPES.get(target.suffix, "application/octet-stream")
    return Reply(200, kind, target.read_bytes())
