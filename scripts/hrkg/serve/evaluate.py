"""Answering one query on a pyoxigraph store (inside a worker process).

Every answer is serialised by pyoxigraph itself. A SELECT answer cut at the row limit goes
through a SPARQL JSON document built with the json module and parsed back by pyoxigraph (its
serialisers only take a live result). XML cannot carry a carriage return as a raw character
(parsers turn it into a line feed) nor most control characters at all: the first is written
as a character reference, the second makes the XML answer Not Acceptable with a message.

The dataset follows the SPARQL 1.1 Protocol: default-graph-uri / named-graph-uri replace the
query's own; else the query's FROM / FROM NAMED apply; only when neither names a dataset is
the default graph the union of all named graphs.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from hrkg.serve import negotiation as neg

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
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


def text_reply(status: int, message: str, **headers: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message.rstrip() + "\n").encode(),
                 headers=dict(headers))


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
RDF_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "rdfxml": "RDF_XML",
               "jsonld": "JSON_LD"}


def _results_format(key: str) -> Any:
    import pyoxigraph as ox

    return getattr(ox.QueryResultsFormat, RESULT_FORMATS[key])


def boolean_reply(result: Any, job: Job) -> Reply:
    chosen = neg.choose(neg.BOOLEAN, job.accept, job.format)
    return finish(chosen, result.serialize(format=_results_format(chosen.key)) or b"")


def solutions_reply(solutions: Any, job: Job) -> Reply:
    import pyoxigraph as ox

    chosen = neg.choose(neg.SOLUTIONS, job.accept, job.format)
    names = [v.value for v in solutions.variables]
    rows = list(islice(solutions, job.limit + 1))
    truncated = len(rows) > job.limit
    bindings = [{n: term_json(row[n]) for n in names if row[n] is not None}
                for row in rows[:job.limit]]
    document = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode()
    parsed = ox.parse_query_results(document, ox.QueryResultsFormat.JSON)
    reply = finish(chosen, parsed.serialize(format=_results_format(chosen.key)) or b"")
    reply.truncated = truncated
    return reply


def graph_reply(triples: Any, job: Job) -> Reply:
    import pyoxigraph as ox

    from hrkg.namespaces import PREFIXES

    chosen = neg.choose(neg.GRAPH, job.accept, job.format)
    found = list(islice(triples, job.limit + 1))
    rdf_format = getattr(ox.RdfFormat, RDF_FORMATS[chosen.key])
    prefixes = PREFIXES if chosen.key in ("turtle", "rdfxml") else None
    body = ox.serialize(found[:job.limit], format=rdf_format, prefixes=prefixes) or b""
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
                ", which XML 1.0 cannot carry. Ask for JSON, TSV or Turtle instead.")
        body = body.replace(b"\r", b"&#13;")
    return Reply(200, chosen.content_type, body)



def term_json(term: Any) -> dict[str, Any]:
    """A pyoxigraph term in the SPARQL 1.1 JSON results form (RDF-star triples included)."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANGSTRING):
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject),
                                            "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    raise ValueError(f"unexpected term {term!r}")
