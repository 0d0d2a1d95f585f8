"""Query results in the standard formats, written by pyoxigraph's own serialisers.

SELECT and ASK answers: SPARQL 1.1 Query Results JSON, XML, CSV and TSV. CONSTRUCT and DESCRIBE
answers: Turtle (with the project's prefixes), N-Triples and JSON-LD. Parameters are bound as
RDF terms exactly as for the table output (hrkg.sparql.bind_params), never pasted into text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hrkg.queries.catalog import QueryFile
from hrkg.rdf import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph as ox

SOLUTION_FORMATS = ("json", "xml", "sparql-csv", "sparql-tsv")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")


def raw_query(
    store: ox.Store,
    q: QueryFile,
    params: dict[str, str] | None = None,
    allowed_services: Sequence[str] = (),
) -> object:
    """The engine's own answer object (QuerySolutions, QueryBoolean or QueryTriples)."""
    from hrkg.queries.run import engine_answer

    return engine_answer(store, q, params, allowed_services)


def serialize(
    store: ox.Store,
    q: QueryFile,
    fmt: str,
    params: dict[str, str] | None = None,
    allowed_services: Sequence[str] = (),
) -> bytes:
    """The answer in `fmt`; ValueError when the format does not fit the query form."""
    import pyoxigraph as ox

    graph = q.form in ("CONSTRUCT", "DESCRIBE")
    if graph and fmt not in GRAPH_FORMATS:
        raise ValueError(
            f"a {q.form} answer is a graph: use --format {', '.join(GRAPH_FORMATS)} or table"
        )
    if not graph and fmt not in SOLUTION_FORMATS:
        raise ValueError(
            f"a {q.form} answer is not a graph: --format {fmt} is for CONSTRUCT and DESCRIBE"
        )
    answer = raw_query(store, q, params, allowed_services)
    if graph:
        triples = list(answer)  # type: ignore[call-overload]
        if fmt == "ntriples":
            return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
        rdf_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.JSON_LD
        used = {p: iri for p, iri in PREFIXES.items()}
        return ox.serialize(triples, format=rdf_format, prefixes=used) or b""
    results_format = {
        "json": ox.QueryResultsFormat.JSON,
        "xml": ox.QueryResultsFormat.XML,
        "sparql-csv": ox.QueryResultsFormat.CSV,
        "sparql-tsv": ox.QueryResultsFormat.TSV,
    }[fmt]
    return answer.serialize(format=results_format) or b""  # type: ignore[attr-defined]
