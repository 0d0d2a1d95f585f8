"""What `hrkg query` prints: a fitted table, the table model as CSV/TSV, or a standard format.

`table`, `csv` and `tsv` show the normalised cells of hrkg.sparql (kg:slug IRIs, lexical
literals): the shape of tests/expected/*.csv and of `hrkg export`. `json` and `xml` are the
SPARQL 1.1 results formats, `sparql-csv`/`sparql-tsv` their CSV/TSV, and `turtle`, `ntriples`,
`jsonld` serialise CONSTRUCT/DESCRIBE graphs; all of those come from pyoxigraph's serialisers.
An empty answer says so on stderr, and names the stored questions that do have an answer for
the same entity (asking 07-claims-about for Maria Zakharova points to 16-claims-by).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from hrkg.queries.formats import GRAPH_FORMATS, SOLUTION_FORMATS, serialize

if TYPE_CHECKING:
    import pyoxigraph as ox

    from hrkg.queries.catalog import QueryFile
    from hrkg.queries.results import Result

TABLE_FORMATS = ("table", "csv", "tsv")
FORMATS = TABLE_FORMATS + SOLUTION_FORMATS + GRAPH_FORMATS


def write_table_model(result: Result, delimiter: str) -> None:
    writer = csv.writer(sys.stdout, delimiter=delimiter, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows(result.rows)


def emit(
    store: ox.Store,
    query: QueryFile,
    params: dict[str, str],
    fmt: str,
    truncate: bool = False,
    allowed_services: Sequence[str] = (),
) -> int:
    """Print the answer in `fmt`; 2 when the format does not fit the query form."""
    from hrkg.queries.run import run_oxigraph
    from hrkg.text import print_table

    if fmt not in TABLE_FORMATS:
        try:
            data = serialize(store, query, fmt, params, allowed_services)
        except ValueError as err:
            print(f"hrkg query: {err}", file=sys.stderr)
            return 2
        sys.stdout.buffer.write(data)
        if not data.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
        sys.stdout.flush()
        return 0
    result = run_oxigraph(store, query, params, allowed_services)
    if fmt == "csv":
        write_table_model(result, ",")
    elif fmt == "tsv":
        write_table_model(result, "\t")
    else:
        print_table(
            list(result.columns), [[c for c in row] for row in result.rows], truncate=truncate
        )
        print(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    if not result.rows:
        print(empty_hint(store, query, params), file=sys.stderr)
    return 0


def empty_hint(store: ox.Store, query: QueryFile, params: dict[str, str]) -> str:
    """Why the answer may be empty, and which stored questions answer for the same entity."""
    from hrkg.queries.catalog import discover
    from hrkg.queries.run import run_oxigraph

    iris: dict[str, str] = {}
    for p in query.params:
        value = params.get(p.name, p.default)
        if p.kind == "iri" and value:
            iris[p.name] = value
    if len(iris) != 1:
        return f"hrkg query: {query.name}: no rows."
    (value,) = iris.values()
    others = []
    for other in discover(query.path.parent):  # the stored questions beside this one
        iri_params = [p for p in other.params if p.kind == "iri"]
        if other.name == query.name or other.online_only or len(iri_params) != 1:
            continue
        answer = run_oxigraph(store, other, {iri_params[0].name: value})
        if answer.rows:
            others.append(
                f"  hrkg query {other.name} --param {iri_params[0].name}="
                f"{_short(value)}   ({len(answer.rows)} rows: {other.title})"
            )
    text = f"hrkg query: {query.name}: no rows for {_short(value)}."
    if others:
        text += " Questions that do have an answer for it:\n" + "\n".join(others)
    return text


def _short(value: str) -> str:
    from hrkg.rdf import shorten

    return shorten(value.strip("<>"))
