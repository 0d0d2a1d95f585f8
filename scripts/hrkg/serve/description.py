"""The SPARQL 1.1 Service Description, answered to a GET on the endpoint without a query.

It states what the endpoint does as RDF: its URL, SPARQL 1.1 Query only (read-only), the
result formats, the dataset (named graphs of the store) and the rule for the default graph:
the union of the named graphs, only when the query names no dataset of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hrkg.serve import negotiation as neg
from hrkg.serve.evaluate import Reply

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"
DCT_TITLE = "http://purl.org/dc/terms/title"
RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
)
DEFAULT_GRAPH_NOTE = (
    "The default graph is the union (RDF merge) of all named graphs only when the request "
    "names no dataset: a query with FROM or FROM NAMED, or a request with default-graph-uri "
    "or named-graph-uri, gets exactly the dataset it names."
)
SERVICE_NOTE = (
    "Read-only: SPARQL Update and Graph Store writes are refused (403). Relative IRIs in a "
    "query resolve against the endpoint URL. SERVICE is refused unless the server was "
    "started with --allow-service for that endpoint."
)


def description_triples(
    endpoint: str, graphs: Iterable[str], allowed_services: Iterable[str] = ()
) -> list[Any]:
    import pyoxigraph as ox

    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    service, dataset, default = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    a = iri(RDF_TYPE)
    out = [
        ox.Triple(service, a, iri(SD + "Service")),
        ox.Triple(service, iri(SD + "endpoint"), iri(endpoint)),
        ox.Triple(service, iri(SD + "supportedLanguage"), iri(SD + "SPARQL11Query")),
        ox.Triple(service, iri(SD + "feature"), iri(SD + "UnionDefaultGraph")),
        ox.Triple(service, iri(DCT_TITLE), ox.Literal("hamas-russia-kg SPARQL endpoint")),
        ox.Triple(service, iri(RDFS_COMMENT), ox.Literal(SERVICE_NOTE, language="en")),
        ox.Triple(service, iri(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, a, iri(SD + "Dataset")),
        ox.Triple(dataset, iri(SD + "defaultGraph"), default),
        ox.Triple(default, a, iri(SD + "Graph")),
        ox.Triple(default, iri(RDFS_COMMENT), ox.Literal(DEFAULT_GRAPH_NOTE, language="en")),
    ]
    if list(allowed_services):
        out.append(ox.Triple(service, iri(SD + "feature"), iri(SD + "BasicFederatedQuery")))
    out += [
        ox.Triple(service, iri(SD + "resultFormat"), iri(FORMATS + name)) for name in RESULT_FORMATS
    ]
    for name in sorted(graphs):
        named, graph = ox.BlankNode(), ox.BlankNode()
        out += [
            ox.Triple(dataset, iri(SD + "namedGraph"), named),
            ox.Triple(named, a, iri(SD + "NamedGraph")),
            ox.Triple(named, iri(SD + "name"), iri(name)),
            ox.Triple(named, iri(SD + "graph"), graph),
            ox.Triple(graph, a, iri(SD + "Graph")),
        ]
    return out


def description_reply(
    endpoint: str,
    graphs: Iterable[str],
    accept: str | None,
    format_param: str | None,
    allowed_services: Iterable[str] = (),
) -> Reply:
    """The description serialised as negotiated (Turtle unless asked otherwise)."""
    import pyoxigraph as ox

    from hrkg.serve.evaluate import RDF_FORMATS, text_reply

    try:
        chosen = neg.choose(neg.GRAPH, accept, format_param)
    except neg.NotAcceptable as err:
        return text_reply(406, str(err))
    triples = description_triples(endpoint, graphs, allowed_services)
    prefixes = (
        {"sd": SD, "formats": FORMATS, "rdfs": RDFS_COMMENT[:-7], "dcterms": DCT_TITLE[:-5]}
        if chosen.key == "turtle"
        else None
    )
    body = (
        ox.serialize(
            triples, format=getattr(ox.RdfFormat, RDF_FORMATS[chosen.key]), prefixes=prefixes
        )
        or b""
    )
    return Reply(200, chosen.content_type, body)
