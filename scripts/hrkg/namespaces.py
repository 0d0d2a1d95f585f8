"""The project's IRIs in one place (see DESIGN.md, "Names")."""

from __future__ import annotations

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
    "hrkg": "https://w3id.org/hrkg/ontology#",
    "kg": "https://w3id.org/hrkg/id/",
    "hv": "https://w3id.org/hrkg/vocab/",
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
