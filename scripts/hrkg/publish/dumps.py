"""Write the distribution: RDF dumps in several syntaxes, VoID/DCAT metadata, the store.

Quads arrive sorted and with stable blank-node labels, so every dump except the `issued`
timestamp in void.ttl is byte-identical between builds of the same input.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hrkg import __version__
from hrkg import rdf as ns
from hrkg.publish.jsonld import context, stream_jsonld, write_jsonld
from hrkg.rdf import RDF_TYPE

if TYPE_CHECKING:
    import pyoxigraph as ox

    from hrkg.rdf import Term

DATA_LICENSE = "https://creativecommons.org/licenses/by/4.0/"


@dataclass(frozen=True)
class Dump:
    """One file of the distribution and its media type."""

    name: str
    media_type: str


DUMPS = (
    Dump("hrkg.trig", "application/trig"),
    Dump("hrkg.nq", "application/n-quads"),
    Dump("hrkg.ttl", "text/turtle"),
    Dump("hrkg.nt", "application/n-triples"),
    Dump("hrkg.jsonld", "application/ld+json"),
    Dump("hrkg-inferred.nt", "application/n-triples"),
)
CONTEXT_FILE = "hrkg.context.jsonld"


def merged_triples(quads: list[ox.Quad]) -> list[ox.Triple]:
    """The union of all graphs as sorted, duplicate-free triples."""
    import pyoxigraph as ox

    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def jsonld_context() -> dict[str, object]:
    """hrkg.context.jsonld: the context hrkg.jsonld is compacted with."""
    return {"@context": context()}


def compact_jsonld(quads: list[ox.Quad]) -> str:
    """The text of hrkg.jsonld (see hrkg.publish.jsonld; the build writes it to the file)."""
    text = io.StringIO()
    stream_jsonld(quads, text)
    return text.getvalue()


def write_dumps(quads: list[ox.Quad], out: Path) -> None:
    """Write every dump of DUMPS (plus the JSON-LD context file) into `out`."""
    import pyoxigraph as ox

    prefixes = dict(sorted(ns.PREFIXES.items()))
    triples = merged_triples(quads)
    ox.serialize(quads, str(out / "hrkg.trig"), ox.RdfFormat.TRIG, prefixes=prefixes)
    ox.serialize(quads, str(out / "hrkg.nq"), ox.RdfFormat.N_QUADS)
    ox.serialize(triples, str(out / "hrkg.ttl"), ox.RdfFormat.TURTLE, prefixes=prefixes)
    ox.serialize(triples, str(out / "hrkg.nt"), ox.RdfFormat.N_TRIPLES)
    write_jsonld(quads, out / "hrkg.jsonld")
    inferred = [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in quads
        if q.graph_name.value == ns.GRAPH_INFERRED  # type: ignore[union-attr]
    ]
    ox.serialize(inferred, str(out / "hrkg-inferred.nt"), ox.RdfFormat.N_TRIPLES)
    (out / CONTEXT_FILE).write_text(json.dumps(jsonld_context(), indent=2) + "\n", "utf-8")


def void_description(quads: list[ox.Quad], issued: str) -> list[ox.Triple]:
    """VoID + DCAT description: triples per graph, class and property partitions, licence."""
    import pyoxigraph as ox

    void = "http://rdfs.org/ns/void#"
    dcat = "http://www.w3.org/ns/dcat#"
    dct = "http://purl.org/dc/terms/"
    xsd = "http://www.w3.org/2001/XMLSchema#"
    dataset = ox.NamedNode(ns.BASE + "dataset")

    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    def integer(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=n(xsd + "integer"))

    out: list[ox.Triple] = []

    def add(s: ox.NamedNode | ox.BlankNode, p: str, o: Term) -> None:
        out.append(ox.Triple(s, n(p), o))

    merged = merged_triples(quads)
    add(dataset, RDF_TYPE, n(void + "Dataset"))
    add(dataset, RDF_TYPE, n(dcat + "Dataset"))
    add(dataset, dct + "title", ox.Literal("hamas-russia-kg", language="en"))
    add(
        dataset,
        dct + "description",
        ox.Literal(
            "A sourced, neutral knowledge graph of the relations between Russia and Hamas "
            "and the political actors around them.",
            language="en",
        ),
    )
    add(dataset, dct + "license", n(DATA_LICENSE))
    add(dataset, dcat + "version", ox.Literal(__version__))
    add(dataset, dct + "issued", ox.Literal(issued, datatype=n(xsd + "dateTime")))
    add(dataset, void + "triples", integer(len(merged)))
    add(dataset, void + "uriSpace", ox.Literal(ns.KG))
    add(dataset, void + "vocabulary", n(ns.ONTOLOGY_IRI))
    for dump in DUMPS:
        dist = n(f"{ns.BASE}dataset/distribution/{dump.name}")
        add(dataset, dcat + "distribution", dist)
        add(dataset, void + "dataDump", n(f"{ns.BASE}dataset/{dump.name}"))
        add(dist, RDF_TYPE, n(dcat + "Distribution"))
        add(dist, dcat + "downloadURL", n(f"{ns.BASE}dataset/{dump.name}"))
        add(dist, dcat + "mediaType", ox.Literal(dump.media_type))
        add(dist, dct + "license", n(DATA_LICENSE))
    graphs = Counter(q.graph_name.value for q in quads)  # type: ignore[union-attr]
    for graph, count in sorted(graphs.items()):
        subset = n(graph)
        add(dataset, void + "subset", subset)
        add(subset, RDF_TYPE, n(void + "Dataset"))
        add(subset, void + "triples", integer(count))
    classes = Counter(str(t.object.value) for t in merged if t.predicate.value == RDF_TYPE)  # type: ignore[union-attr]
    for index, (cls, count) in enumerate(sorted(classes.items())):
        part = ox.BlankNode(f"class{index}")
        add(dataset, void + "classPartition", part)
        add(part, void + "class", n(cls))
        add(part, void + "entities", integer(count))
    properties = Counter(t.predicate.value for t in merged)
    for index, (prop, count) in enumerate(sorted(properties.items())):
        part = ox.BlankNode(f"property{index}")
        add(dataset, void + "propertyPartition", part)
        add(part, void + "property", n(prop))
        add(part, void + "triples", integer(count))
    return out


def write_void(quads: list[ox.Quad], out: Path, issued: str) -> None:
    import pyoxigraph as ox

    prefixes = dict(sorted(ns.PREFIXES.items()))
    ox.serialize(
        void_description(quads, issued),
        str(out / "void.ttl"),
        ox.RdfFormat.TURTLE,
        prefixes=prefixes,
    )
