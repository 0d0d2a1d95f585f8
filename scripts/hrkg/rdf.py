"""RDF basics in one place: the project's IRIs and prefixes, shortening and expanding IRIs,
and conversion between pyoxigraph (parsing, storing, querying) and rdflib (pyshacl, owlrl).

Everything else imports its namespaces and term conversions from here (docs/design.md).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph as ox
    import rdflib

    Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


BASE = "https://w3id.org/hrkg/"
HRKG = BASE + "ontology#"
ONTOLOGY_IRI = BASE + "ontology"
KG = BASE + "id/"
VOCAB = BASE + "vocab/"
GRAPH = BASE + "graph/"
SHAPES = BASE + "shapes#"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

GRAPH_ONTOLOGY = GRAPH + "ontology"
GRAPH_VOCAB = GRAPH + "vocab"
GRAPH_ENTITIES = GRAPH + "entities"
GRAPH_INFERRED = GRAPH + "inferred"


def source_graph(slug: str) -> str:
    """The named graph holding everything taken from one source document."""
    return f"{GRAPH}source/{slug}"


# The prefixes of reports, query results and dumps: the project's own namespaces, its
# vocabularies' schemes and the standards it uses.
PREFIXES: dict[str, str] = {
    "hrkg": HRKG,
    "kg": KG,
    "hv": VOCAB,
    "dsta": "https://w3id.org/hrkg/vocab/designation-status/",
    "dcatg": "https://w3id.org/hrkg/vocab/designation-category/",
    "sak": "https://w3id.org/hrkg/vocab/speech-act/",
    "med": "https://w3id.org/hrkg/vocab/medium/",
    "prole": "https://w3id.org/hrkg/vocab/participant-role/",
    "wcat": "https://w3id.org/hrkg/vocab/weapon-category/",
    "role": "https://w3id.org/hrkg/vocab/role/",
    "evst": "https://w3id.org/hrkg/vocab/event-status/",
    "crel": "https://w3id.org/hrkg/vocab/claim-relation/",
    "dprec": "https://w3id.org/hrkg/vocab/date-precision/",
    "stance": "https://w3id.org/hrkg/vocab/stance/",
    "hrkgsh": "https://w3id.org/hrkg/shapes#",
    "wd": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": "http://purl.org/dc/terms/",
    "vann": "http://purl.org/vocab/vann/",
    "schema": "https://schema.org/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
}

# The standard namespaces the code refers to (the same strings as in PREFIXES).
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
XSD = PREFIXES["xsd"]
SH = PREFIXES["sh"]
SKOS = PREFIXES["skos"]
OA = PREFIXES["oa"]
PROV = PREFIXES["prov"]
DCTERMS = PREFIXES["dcterms"]
DCAT = PREFIXES["dcat"]
VOID = PREFIXES["void"]
RDF_TYPE = RDF + "type"
RDF_LANGSTRING = RDF + "langString"
XSD_STRING = XSD + "string"
XSD_DATE = XSD + "date"
XSD_INTEGER = XSD + "integer"
SKOS_EXACT_MATCH = SKOS + "exactMatch"
PROV_DERIVED = PROV + "wasDerivedFrom"
DCTERMS_TITLE = DCTERMS + "title"

# --------------------------------------------------------------------------- IRIs and CURIEs

# Longest namespace wins when shortening, so `dsta:` beats `hv:`.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_CURIE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):([A-Za-z0-9_][A-Za-z0-9_.\-/]*)?$")


def shorten(iri: str) -> str:
    """`kg:slug` and other known prefixes; unknown namespaces stay full IRIs."""
    for prefix, base in _BY_LENGTH:
        if iri.startswith(base) and len(iri) > len(base):
            local = iri[len(base) :]
            if _LOCAL.fullmatch(local) and not local.endswith("."):
                return f"{prefix}:{local}"
    return iri


def expand(value: str) -> str | None:
    """A CURIE with a known prefix (kg:slug) or an absolute IRI (<…> optional); else None."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    curie = _CURIE.match(value)
    if curie and curie.group(1) in PREFIXES:
        return PREFIXES[curie.group(1)] + (curie.group(2) or "")
    if _IRI.match(value) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://|^urn:", value):
        return value
    return None


# --------------------------------------------------------------------------- pyoxigraph <-> rdflib


def to_rdflib(term: Term) -> rdflib.term.Node:
    """Convert one pyoxigraph term to its rdflib twin."""
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))
    raise TypeError(f"unsupported term {term!r}")


def from_rdflib(term: rdflib.term.Node) -> Term:
    """Convert one rdflib term to its pyoxigraph twin."""
    import pyoxigraph as ox
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(re.sub(r"[^A-Za-z0-9_]", "_", str(term)))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def to_rdflib_graph(quads: list[ox.Quad]) -> rdflib.Graph:
    """Merge quads into one rdflib Graph (the form pyshacl and owlrl take)."""
    import rdflib

    graph = rdflib.Graph()
    for q in quads:
        graph.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return graph


def to_rdflib_dataset(quads: list[ox.Quad]) -> rdflib.Dataset:
    """An rdflib Dataset with the same named graphs; its default graph is their union."""
    import rdflib

    dataset = rdflib.Dataset(default_union=True)
    for q in quads:
        graph = rdflib.URIRef(q.graph_name.value)  # type: ignore[union-attr]
        triple = (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        dataset.graph(graph).add(triple)
    return dataset


def to_store(quads: list[ox.Quad], path: Path | None = None) -> ox.Store:
    """A pyoxigraph store (in memory, or on disk at `path`) holding the quads."""
    import pyoxigraph as ox

    store = ox.Store(str(path)) if path is not None else ox.Store()
    store.bulk_extend(quads)
    if path is not None:
        store.flush()
    return store


def quad_sort_key(q: ox.Quad) -> tuple[str, str, str, str]:
    """The order of quads in every dump: graph, subject, predicate, object."""
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def graph_name(q: ox.Quad) -> str:
    """The IRI of a quad's named graph ('' for the default graph)."""
    return getattr(q.graph_name, "value", "")


# --------------------------------------------------------------------------- ontology axioms


def disjoint_pairs(ontology: rdflib.Graph) -> set[tuple[str, str]]:
    """Every pair of classes the ontology declares disjoint (disjointWith, AllDisjointClasses),
    each pair as (smaller IRI, larger IRI)."""
    from itertools import combinations

    import rdflib
    from rdflib.collection import Collection

    owl = rdflib.Namespace(OWL)
    pairs: set[tuple[str, str]] = set()
    for a, b in ontology.subject_objects(owl.disjointWith):
        first, second = sorted((str(a), str(b)))
        pairs.add((first, second))
    for node in ontology.subjects(rdflib.RDF.type, owl.AllDisjointClasses):
        members = ontology.value(node, owl.members)
        if members is None:
            continue
        classes = sorted(str(c) for c in Collection(ontology, members))
        pairs.update(combinations(classes, 2))
    return pairs
