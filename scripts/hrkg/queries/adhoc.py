"""Queries without the stored-query header: from a file, from stdin (`-`) or inline (`-e`).

Stored queries document themselves (Title, Question, Param …); a query typed at the prompt or
kept in a scratch file should not need to. It still gets a syntax check naming line and
column, and its `--param NAME=VALUE` values are bound as RDF terms like any other parameter:
the kind is read from the value (a date, an integer, an IRI or CURIE, else a string).
"""

from __future__ import annotations

import re
from pathlib import Path

from hrkg.queries.catalog import QueryFile, QueryFileError, checked_form
from hrkg.queries.params import Param, ParamError, expand_iri
from hrkg.queries.syntax import has_order_by

_HEADER = re.compile(r"^\s*#\s?Title:", re.IGNORECASE)


def has_header(text: str) -> bool:
    """A stored-query file opens with `# Title:` (blank lines and other comments aside)."""
    for line in text.splitlines():
        if not line.strip():
            continue
        if _HEADER.match(line):
            return True
        if not line.lstrip().startswith("#"):
            return False
    return False


def guess_kind(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "date"
    if re.fullmatch(r"[+-]?\d+", value):
        return "integer"
    try:
        expand_iri(value)
    except ParamError:
        return "string"
    return "iri"


def adhoc_query(text: str, name: str, params: dict[str, str] | None = None) -> QueryFile:
    """A QueryFile for headerless text; each given parameter becomes an optional Param."""
    path = Path(name)
    if not text.strip():
        raise QueryFileError(path, 1, "empty query")
    form = checked_form(path, text)
    declared = tuple(Param(k.lstrip("?$"), None, guess_kind(v)) for k, v in (params or {}).items())
    for param in declared:
        if not re.search(rf"[?$]{param.name}\b", text):
            raise QueryFileError(path, 1, f"--param {param.name}: not a variable of the query")
    return QueryFile(
        path=path,
        name=name,
        title="ad-hoc query",
        question="",
        severity=None,
        params=declared,
        columns=(),
        needs_inferred=False,
        online_only=False,
        text=text,
        form=form,
        ordered=has_order_by(text),
    )


def read_query(
    name: str | None, inline: str | None, params: dict[str, str], resolve_name: object = None
) -> QueryFile:
    """The query to run: `-e TEXT`, `-` (stdin), a stored name, or a file with or without header.

    `resolve_name` maps a stored-query name to its path (hrkg.query.resolve); a file whose text
    opens with `# Title:` is read as a stored query, with its header checked.
    """
    import sys

    from hrkg.queries.catalog import load_query

    if inline is not None:
        return adhoc_query(inline, "<-e>", params)
    if name == "-":
        return adhoc_query(sys.stdin.read(), "<stdin>", params)
    assert name is not None
    path = Path(name)
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        return load_query(path) if has_header(text) else adhoc_query(text, str(path), params)
    assert callable(resolve_name)
    return load_query(resolve_name(name))
