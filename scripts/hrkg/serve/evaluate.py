"""Answering one query on a pyoxigraph store (inside a worker process).

Every answer is serialised by pyoxigraph itself; a SELECT answer is cut at the row limit
while pyoxigraph streams it (see solutions_reply), so a huge answer is never built. XML
cannot carry a carriage return as a raw character (parsers turn it into a line feed) nor
most control characters at all: the first is written as a character reference, the second
makes the XML answer Not Acceptable with a message.

The dataset follows the SPARQL 1.1 Protocol: default-graph-uri / named-graph-uri replace the
query's own; else the query's FROM / FROM NAMED apply; only when neither names a dataset is
the default graph the union of all named graphs.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from hrkg.serve import negotiation as neg

_XML_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class Job:
    """One query as the worker needs it (picklable)."""

    query: str
    accept: str | None = None
    format: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    protocol_dataset: bool = False
    union_default: bool = True
    base_iri: str | None = None
    limit: int = 10_000


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes
    truncated: bool = False
    headers: dict[str, str] = field(default_factory=dict)
    generation: int = 0  # the store generation that answered (set by the worker pool)


def text_reply(status: int, message: str, **headers: str) -> Reply:
    return Reply(
        status,
        "text/plain; charset=utf-8",
        (message.rstrip() + "\n").encode(),
        headers=dict(headers),
    )


def query_options(job: Job) -> dict[str, Any]:
    import pyoxigraph as ox

    options: dict[str, Any] = {"base_iri": job.base_iri}
    if job.protocol_dataset:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    elif job.union_default:
        options["use_default_graph_as_union"] = True
    return options


def evaluate(store: Any, job: Job) -> Reply:
    """Run one query and serialise the answer as negotiated."""
    import pyoxigraph as ox

    try:
        result = store.query(job.query, **query_options(job))
    except SyntaxError as err:
        return text_reply(400, f"Query parse error: {err}")
    except (OSError, ValueError, RuntimeError) as err:
        return text_reply(400, f"Query failed: {err}")
    try:
        if isinstance(result, ox.QueryBoolean):
            return boolean_reply(result, job)
        if isinstance(result, ox.QuerySolutions):
            return solutions_reply(result, job)
        return graph_reply(result, job)
    except neg.NotAcceptable as err:
        return text_reply(406, str(err))
    except (OSError, ValueError, RuntimeError) as err:
        return text_reply(500, f"Query failed while reading results: {err}")


RESULT_FORMATS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
RDF_FORMATS = {
    "turtle": "TURTLE",
    "ntriples": "N_TRIPLES",
    "rdfxml": "RDF_XML",
    "jsonld": "JSON_LD",
}


def _results_format(key: str) -> Any:
    import pyoxigraph as ox

    return getattr(ox.QueryResultsFormat, RESULT_FORMATS[key])


def boolean_reply(result: Any, job: Job) -> Reply:
    chosen = neg.choose(neg.BOOLEAN, job.accept, job.format)
    return finish(chosen, result.serialize(format=_results_format(chosen.key)) or b"")


class _Enough(Exception):
    """Raised inside pyoxigraph's serialiser to stop it: the lines wanted are in."""


class _LineCut(io.RawIOBase):
    """A sink keeping the first `lines` lines written to it, then stopping the writer."""

    def __init__(self, lines: int) -> None:
        self.wanted, self.seen = lines, 0
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        count = chunk.count(b"\n")
        if self.seen + count < self.wanted:
            self.seen += count
            self.parts.append(chunk)
            return len(chunk)
        end = -1
        for _ in range(self.wanted - self.seen):
            end = chunk.index(b"\n", end + 1)
        self.parts.append(chunk[: end + 1])
        self.seen = self.wanted
        raise _Enough

    def text(self) -> bytes:
        return b"".join(self.parts)


def solutions_reply(solutions: Any, job: Job) -> Reply:
    """Rows cut at the limit without leaving Rust: pyoxigraph writes TSV (one line per row,
    every term in full) into a sink that stops it after the header and limit + 1 rows; the
    first `limit` rows are parsed back and written in the format negotiated."""
    import pyoxigraph as ox

    chosen = neg.choose(neg.SOLUTIONS, job.accept, job.format)
    sink = _LineCut(job.limit + 2)  # the header, `limit` rows, and one to see if there is more
    with contextlib.suppress(_Enough):
        solutions.serialize(output=sink, format=ox.QueryResultsFormat.TSV)
    lines = sink.text().split(b"\n")[:-1]
    truncated = len(lines) > job.limit + 1
    tsv = b"".join(line + b"\n" for line in lines[: job.limit + 1])
    if chosen.key == "tsv":
        body = tsv
    else:
        parsed = ox.parse_query_results(tsv, ox.QueryResultsFormat.TSV)
        body = parsed.serialize(format=_results_format(chosen.key)) or b""
    reply = finish(chosen, body)
    reply.truncated = truncated
    return reply


def graph_reply(triples: Any, job: Job) -> Reply:
    import pyoxigraph as ox

    from hrkg.rdf import PREFIXES

    chosen = neg.choose(neg.GRAPH, job.accept, job.format)
    found = list(islice(triples, job.limit + 1))
    rdf_format = getattr(ox.RdfFormat, RDF_FORMATS[chosen.key])
    prefixes = PREFIXES if chosen.key in ("turtle", "rdfxml") else None
    body = ox.serialize(found[: job.limit], format=rdf_format, prefixes=prefixes) or b""
    reply = finish(chosen, body)
    reply.truncated = len(found) > job.limit
    return reply


def finish(chosen: neg.Format, body: bytes) -> Reply:
    """The reply; XML forms get CR as a character reference, or a 406 for control chars."""
    if chosen.key in ("xml", "rdfxml"):
        bad = _XML_FORBIDDEN.search(body)
        if bad:
            raise neg.NotAcceptable(
                f"Not Acceptable: the answer holds the control character U+{bad.group(0)[0]:04X}"
                ", which XML 1.0 cannot carry. Ask for JSON, TSV or Turtle instead."
            )
        body = body.replace(b"\r", b"&#13;")
    return Reply(200, chosen.content_type, body)
