"""The ontology (ontology/hrkg.ttl) and its SKOS vocabularies (ontology/vocab/*.ttl).

What is checked here: the contract's terms are all present under their agreed names, every term
is annotated once, the header is complete, the axioms the other parts of the project rely on
(inverses, functional properties, disjointness, the participant property chain) are there and
work under the owlrl closure, and a structural OWL 2 DL sanity check that needs no Java.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path

import owlrl
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Literal, Namespace, URIRef
from rdflib.collection import Collection

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "hrkg.ttl"
VOCAB_DIR = ROOT / "ontology" / "vocab"
SHAPES = ROOT / "shapes"
VOCAB_FILES = sorted(VOCAB_DIR.glob("*.ttl"))

ONTOLOGY_IRI = URIRef("https://w3id.org/hrkg/ontology")
HRKG = Namespace("https://w3id.org/hrkg/ontology#")
KG = Namespace("https://w3id.org/hrkg/id/")
VOCAB = "https://w3id.org/hrkg/vocab/"
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
VANN = Namespace("http://purl.org/vocab/vann/")
WD = Namespace("http://www.wikidata.org/entity/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # plain: rdflib's XSD warns under pytest
ERRNS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")  # owlrl's error messages

# The contract's term list: other parts of the project are written against these exact names.
CLASSES = [
    "Actor",
    "ArmedConflict",
    "ArmedWing",
    "Claim",
    "Designation",
    "DesignationList",
    "Event",
    "Evidence",
    "ExcludedPassage",
    "GovernmentBody",
    "InformalGroup",
    "InternationalOrganization",
    "LegislativeAct",
    "Legislature",
    "MediaOutlet",
    "Meeting",
    "MilitaryForce",
    "Organization",
    "CitedReport",
    "OrganizationalUnit",
    "Participation",
    "Person",
    "Place",
    "PoliticalOrganization",
    "Position",
    "SourceDocument",
    "State",
    "Statement",
    "Talks",
    "Treaty",
    "Visit",
    "WeaponSystem",
]
OBJECT_PROPERTIES = [
    "about",
    "addressee",
    "assertedBy",
    "asserts",
    "authority",
    "claimObject",
    "claimRecipient",
    "claimRelation",
    "claimSubject",
    "concerns",
    "countryOfOrigin",
    "datePrecision",
    "deniedBy",
    "denies",
    "derivedFrom",
    "designatedActor",
    "designationCategory",
    "designationStatus",
    "destination",
    "eventStatus",
    "hasParticipation",
    "host",
    "keptBy",
    "location",
    "medium",
    "onBehalfOf",
    "onList",
    "organizer",
    "outlet",
    "partOf",
    "participant",
    "participantAgent",
    "participantRole",
    "postedTo",
    "produced",
    "producedBy",
    "publisher",
    "respondsTo",
    "speaker",
    "speechActKind",
    "weaponCategory",
    # issue 10: stances weaker than assertion, state institutions, places, disagreeing sources
    "entertains",
    "entertainedBy",
    "stance",
    "organOf",
    "basedIn",
    "differsFrom",
]
DATATYPE_PROPERTIES = [
    "asOf",
    "date",
    "dateNote",
    "endDate",
    "exclusionReason",
    "notAfter",
    "notBefore",
    "quote",
    "startDate",
    "summary",
    "url",
    "wording",
    "asOfNotBefore",
    "differenceNote",
]

SCHEMES: dict[str, set[str]] = {
    "designation-status": {"designated", "not-designated", "delisted"},
    "designation-category": {"terrorist-organization"},
    "speech-act": {
        "gratitude",
        "demand",
        "denial",
        "accusation",
        "warning",
        "assessment",
        "affirmation",
        "hope",
        "announcement",
        "question",
        "readiness",
    },
    "medium": {
        "press-statement",
        "interview",
        "social-media-post",
        "radio-interview",
        "official-briefing",
        "report",
        "joint-statement",
        "article",
    },
    "participant-role": {
        "host",
        "head-of-delegation",
        "delegate",
        "mediator",
        "interlocutor",
        "visitor",
    },
    "weapon-category": {
        "anti-tank-guided-missile",
        "man-portable-air-defence-system",
        "small-arms",
        "ammunition",
    },
    "role": {
        "deputy-head-of-political-bureau",
        "member-of-political-bureau",
        "representative",
        "spokesperson",
        "deputy-foreign-minister",
        "ambassador",
        "official",
        "expert",
    },
    "event-status": {"occurred", "planned", "possible", "recurring"},
    "claim-relation": {
        "supplies-weapons-to",
        "uses-weapon-system",
        "possesses-weapon-system",
        "supplied-weapon-system-to",
        "helped-establish-factory-for",
        "is-aligned-with",
        "has-representative-office-in",
        "assessment",
        "reached-place",
        "member-of",
    },
    "stance": {"suspects", "considers-possible", "doubts"},
    "date-precision": {"day", "month", "year", "bounded"},
}

DISJOINT_SETS = [
    {"Person", "Organization", "State", "InformalGroup"},
    {
        "Actor",
        "Event",
        "WeaponSystem",
        "Treaty",
        "Claim",
        "Designation",
        "Position",
        "Participation",
        "SourceDocument",
        "Evidence",
    },
    {"Place", "Person", "Organization", "InformalGroup", "Event", "WeaponSystem"},
    {"Meeting", "Statement", "LegislativeAct", "ArmedConflict"},
    {"Visit", "Statement"},
    {"Talks", "Statement"},
]


def contested_words() -> list[str]:
    """The contested words, read from the neutrality check itself (one list, not two)."""
    check = ROOT / "queries" / "checks" / "contested-label-unattributed-violation.rq"
    match = re.search(r'REGEX\(\?unquoted, "([^"]+)", "i"\)', check.read_text(encoding="utf-8"))
    assert match, "the neutrality check no longer has its REGEX of contested words"
    return match.group(1).split("|")


CONTESTED_WORDS = contested_words()

# Datatypes OWL 2 DL knows without declaration (the OWL 2 datatype map, subset we might use).
OWL2_DATATYPE_MAP = {
    RDFS.Literal,
    RDF.PlainLiteral,
    RDF.XMLLiteral,
    XSD.string,
    XSD.anyURI,
    XSD.boolean,
    XSD.integer,
    XSD.nonNegativeInteger,
    XSD.decimal,
    XSD.double,
    XSD.float,
    XSD.dateTime,
    XSD.dateTimeStamp,
}
BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def vocab() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in VOCAB_FILES:
        graph.parse(path, format="turtle")
    return graph


def merged(*graphs: rdflib.Graph) -> rdflib.Graph:
    out = rdflib.Graph()
    for graph in graphs:
        for triple in graph:
            out.add(triple)
    return out


def close(graph: rdflib.Graph) -> rdflib.Graph:
    """The OWL 2 RL closure of a copy of `graph`, with the settings the build uses."""
    expanded = merged(graph)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(expanded)
    return expanded


def owlrl_errors(graph: rdflib.Graph) -> list[str]:
    return sorted(str(m) for m in graph.objects(None, ERRNS.error))


def hrkg_terms(graph: rdflib.Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {
        s
        for kind in kinds
        for s in graph.subjects(RDF.type, kind)
        if isinstance(s, URIRef) and str(s).startswith(str(HRKG))
    }


def english(values: Iterable[rdflib.term.Node]) -> list[Literal]:
    return [v for v in values if isinstance(v, Literal) and (v.language or "").lower() == "en"]


def disjoint_pairs(ontology: rdflib.Graph) -> set[tuple[URIRef, URIRef]]:
    """The product's reader of disjointness axioms (hrkg.rdf), as URIRefs."""
    from hrkg.rdf import disjoint_pairs as read_pairs

    return {(URIRef(a), URIRef(b)) for a, b in read_pairs(ontology)}


def disjoint_clashes(
    graph: rdflib.Graph, ontology: rdflib.Graph
) -> set[tuple[URIRef, URIRef, URIRef]]:
    """(resource, class, class) for every resource typed with two classes declared disjoint."""
    clashes = set()
    for first, second in disjoint_pairs(ontology):
        for resource in graph.subjects(RDF.type, first):
            if isinstance(resource, URIRef) and (resource, RDF.type, second) in graph:
                clashes.add((resource, first, second))
    return clashes


# ---------------------------------------------------------------- terms and annotations


def test_every_contract_term_is_declared_with_its_kind(ontology: rdflib.Graph) -> None:
    for name in CLASSES:
        assert (HRKG[name], RDF.type, OWL.Class) in ontology, name
    for name in OBJECT_PROPERTIES:
        assert (HRKG[name], RDF.type, OWL.ObjectProperty) in ontology, name
    for name in DATATYPE_PROPERTIES:
        assert (HRKG[name], RDF.type, OWL.DatatypeProperty) in ontology, name


def test_no_contract_term_missing_and_no_undeclared_term(ontology: rdflib.Graph) -> None:
    """No contract term is missing or renamed, and every hrkg: IRI mentioned is declared."""
    contract = {HRKG[n] for n in CLASSES + OBJECT_PROPERTIES + DATATYPE_PROPERTIES}
    mentioned = {
        node
        for triple in ontology
        for node in triple
        if isinstance(node, URIRef) and str(node).startswith(str(HRKG))
    }
    declared_terms = hrkg_terms(ontology)
    assert contract - declared_terms == set(), "contract terms missing or renamed"
    assert mentioned - declared_terms == set(), "hrkg: IRIs mentioned but not declared"


def test_every_term_has_one_english_label_and_definition(ontology: rdflib.Graph) -> None:
    terms = hrkg_terms(ontology)
    assert len(terms) == len(CLASSES) + len(OBJECT_PROPERTIES) + len(DATATYPE_PROPERTIES)
    for term in sorted(terms):
        labels = english(ontology.objects(term, RDFS.label))
        definitions = english(ontology.objects(term, SKOS.definition))
        assert len(labels) == 1, f"{term}: {labels}"
        assert len(definitions) == 1, f"{term}: {definitions}"
        for comment in ontology.objects(term, RDFS.comment):
            assert str(comment).strip().lower() != str(definitions[0]).strip().lower(), term


def test_class_and_property_naming(ontology: rdflib.Graph) -> None:
    for name in CLASSES:
        assert name[0].isupper() and "-" not in name and "_" not in name, name
    for name in OBJECT_PROPERTIES + DATATYPE_PROPERTIES:
        assert name[0].islower() and "-" not in name and "_" not in name, name


def test_no_term_encodes_a_contested_label(ontology: rdflib.Graph) -> None:
    for term in hrkg_terms(ontology):
        texts = [str(term)]
        texts += [str(v) for p in (RDFS.label, SKOS.definition) for v in ontology.objects(term, p)]
        for text in texts:
            for word in CONTESTED_WORDS:
                assert word not in text.lower(), f"{term}: {text!r} contains {word!r}"
    assert {"terroris", "puppet", "regime", "siege"} <= set(CONTESTED_WORDS)


def test_ontology_header(ontology: rdflib.Graph) -> None:
    ont = ONTOLOGY_IRI
    assert (ont, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(ont, OWL.versionIRI) == URIRef("https://w3id.org/hrkg/ontology/0.2.0")
    assert str(ontology.value(ont, OWL.versionInfo)) == "0.2.0"
    assert ontology.value(ont, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert str(ontology.value(ont, DCTERMS.creator)) == "hamas-russia-kg contributors"
    assert ontology.value(ont, DCTERMS.created) == Literal("2026-11-25", datatype=XSD.date)
    assert isinstance(ontology.value(ont, DCTERMS.modified), Literal)
    assert english(ontology.objects(ont, DCTERMS.title))
    assert english(ontology.objects(ont, DCTERMS.description))
    assert str(ontology.value(ont, VANN.preferredNamespacePrefix)) == "hrkg"
    assert str(ontology.value(ont, VANN.preferredNamespaceUri)) == str(HRKG)


# ---------------------------------------------------------------- axioms


def test_inverses_and_functional_properties(ontology: rdflib.Graph) -> None:
    for prop, inverse in (
        ("producedBy", "produced"),
        ("assertedBy", "asserts"),
        ("deniedBy", "denies"),
    ):
        assert (HRKG[prop], OWL.inverseOf, HRKG[inverse]) in ontology
    for prop in ("participantAgent", "designationStatus", "date"):
        assert (HRKG[prop], RDF.type, OWL.FunctionalProperty) in ontology


def test_disjointness_matches_the_contract(ontology: rdflib.Graph) -> None:
    expected = set()
    for group in DISJOINT_SETS:
        for a, b in combinations(sorted(group), 2):
            expected.add((HRKG[a], HRKG[b]) if a < b else (HRKG[b], HRKG[a]))
    assert disjoint_pairs(ontology) == expected


def test_alignment_superclasses(ontology: rdflib.Graph) -> None:
    foaf = Namespace("http://xmlns.com/foaf/0.1/")
    org = Namespace("http://www.w3.org/ns/org#")
    oa = Namespace("http://www.w3.org/ns/oa#")
    expected = {
        "Actor": PROV.Agent,
        "Person": foaf.Person,
        "Organization": org.Organization,
        "OrganizationalUnit": org.OrganizationalUnit,
        "Place": PROV.Location,
        "Event": PROV.Activity,
        "Participation": PROV.Association,
        "Position": org.Membership,
        "SourceDocument": foaf.Document,
        "Evidence": oa.SpecificResource,
        "ExcludedPassage": oa.SpecificResource,
        "Claim": PROV.Entity,
    }
    for name, parent in expected.items():
        assert (HRKG[name], RDFS.subClassOf, parent) in ontology, name
    assert (HRKG.participant, RDFS.subPropertyOf, PROV.wasAssociatedWith) in ontology
    assert (HRKG.speaker, RDFS.subPropertyOf, PROV.wasAssociatedWith) in ontology
    assert (HRKG.publisher, RDFS.subPropertyOf, DCTERMS.publisher) in ontology


def test_wikidata_mappings_are_annotations(ontology: rdflib.Graph) -> None:
    mappings = {
        HRKG.participant: WD.P710,
        HRKG.date: WD.P585,
        HRKG.startDate: WD.P580,
        HRKG.endDate: WD.P582,
        HRKG.location: WD.P276,
        HRKG.organizer: WD.P664,
        HRKG.quote: WD.P1683,
        HRKG.Designation: WD.P3461,
        HRKG.countryOfOrigin: WD.P495,
        HRKG.Person: WD.Q5,
    }
    for term, target in mappings.items():
        assert (term, SKOS.closeMatch, target) in ontology, term
    for prop in (SKOS.closeMatch, SKOS.exactMatch):
        assert (prop, RDF.type, OWL.AnnotationProperty) in ontology
    # no mapping axioms that would pull Wikidata into the logic
    for wikidata_term in set(ontology.objects()):
        if str(wikidata_term).startswith(str(WD)):
            for _s, p in ontology.subject_predicates(wikidata_term):
                assert p in (SKOS.closeMatch, SKOS.exactMatch), (p, wikidata_term)


def test_property_chain_is_declared(ontology: rdflib.Graph) -> None:
    chain = ontology.value(HRKG.participant, OWL.propertyChainAxiom)
    assert chain is not None
    assert list(Collection(ontology, chain)) == [HRKG.hasParticipation, HRKG.participantAgent]


# ---------------------------------------------------------------- reasoning


SAMPLE_DATA = """
@prefix hrkg: <https://w3id.org/hrkg/ontology#> .
@prefix kg:   <https://w3id.org/hrkg/id/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
kg:meeting a hrkg:Meeting ;
    hrkg:date "2024-03-01"^^xsd:date ;
    hrkg:summary "A meeting."@en ;
    hrkg:eventStatus <https://w3id.org/hrkg/vocab/event-status/occurred> ;
    hrkg:location kg:moscow ;
    hrkg:hasParticipation kg:participation-meeting-hamas .
kg:participation-meeting-hamas a hrkg:Participation ;
    hrkg:participantAgent kg:hamas ;
    hrkg:participantRole <https://w3id.org/hrkg/vocab/participant-role/delegate> .
kg:hamas a hrkg:PoliticalOrganization .
kg:moscow a hrkg:Place .
kg:russia a hrkg:State .
kg:visit a hrkg:Visit , hrkg:Talks .
"""


def sample_graph(extra: str = "") -> rdflib.Graph:
    return rdflib.Graph().parse(data=SAMPLE_DATA + extra, format="turtle")


def test_owlrl_closes_ontology_and_vocab_without_error(
    ontology: rdflib.Graph, vocab: rdflib.Graph
) -> None:
    base = merged(ontology, vocab)
    expanded = close(base)
    assert len(expanded) > len(base)
    assert owlrl_errors(expanded) == []
    assert disjoint_clashes(expanded, ontology) == set()


def test_property_chain_infers_participant(ontology: rdflib.Graph, vocab: rdflib.Graph) -> None:
    base = merged(ontology, vocab, sample_graph())
    assert (KG.meeting, HRKG.participant, KG.hamas) not in base
    expanded = close(base)
    assert owlrl_errors(expanded) == []
    assert (KG.meeting, HRKG.participant, KG.hamas) in expanded
    assert (KG.meeting, PROV.wasAssociatedWith, KG.hamas) in expanded
    assert (KG.hamas, RDF.type, PROV.Agent) in expanded
    # a state is both an actor and a place; a visit can be talks: neither is a clash
    assert (KG.russia, RDF.type, HRKG.Place) in expanded
    assert disjoint_clashes(expanded, ontology) == set()


def test_inverse_properties_are_inferred(ontology: rdflib.Graph) -> None:
    data = """
    @prefix hrkg: <https://w3id.org/hrkg/ontology#> .
    @prefix kg:   <https://w3id.org/hrkg/id/> .
    kg:statement a hrkg:Statement ; hrkg:denies kg:claim .
    kg:claim a hrkg:Claim .
    kg:meeting a hrkg:Meeting ; hrkg:produced kg:statement .
    """
    expanded = close(merged(ontology, rdflib.Graph().parse(data=data, format="turtle")))
    assert (KG.claim, HRKG.deniedBy, KG.statement) in expanded
    assert (KG.statement, HRKG.producedBy, KG.meeting) in expanded


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        pytest.param(
            "kg:mistake a hrkg:Person , hrkg:Organization .",
            {(KG.mistake, HRKG.Organization, HRKG.Person)},
            id="person-organization",
        ),
        pytest.param(
            "kg:mistake a hrkg:PoliticalOrganization , hrkg:State .",
            {
                (KG.mistake, HRKG.Organization, HRKG.State),
                (KG.mistake, HRKG.Organization, HRKG.Place),
            },
            id="inferred-via-subclass",
        ),
        pytest.param(
            "kg:mistake a hrkg:Statement , hrkg:Visit .",
            {(KG.mistake, HRKG.Statement, HRKG.Visit)},
            id="statement-visit",
        ),
        pytest.param(
            "kg:mistake a hrkg:Event . kg:x hrkg:speaker kg:mistake .",
            {(KG.mistake, HRKG.Actor, HRKG.Event)},
            id="inferred-via-range",
        ),
    ],
)
def test_seeded_mistake_is_a_disjoint_clash(
    ontology: rdflib.Graph,
    vocab: rdflib.Graph,
    extra: str,
    expected: set[tuple[URIRef, URIRef, URIRef]],
) -> None:
    base = merged(ontology, vocab, sample_graph(extra))
    expanded = close(base)
    assert disjoint_clashes(expanded, ontology) == expected
    assert owlrl_errors(expanded), "owlrl should report the inconsistency too"


def test_seeded_mistake_not_visible_without_closure(ontology: rdflib.Graph) -> None:
    data = sample_graph("kg:mistake a hrkg:PoliticalOrganization , hrkg:State .")
    assert disjoint_clashes(merged(ontology, data), ontology) == set()


# ---------------------------------------------------------------- OWL 2 DL sanity (no Java)


PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


def declared(graph: rdflib.Graph, kind: URIRef) -> set[URIRef]:
    return {s for s in graph.subjects(RDF.type, kind) if isinstance(s, URIRef)}


def test_no_property_has_two_kinds(ontology: rdflib.Graph) -> None:
    for first, second in combinations(PROPERTY_KINDS, 2):
        both = declared(ontology, first) & declared(ontology, second)
        assert both == set(), f"declared both {first} and {second}: {both}"
    classes = declared(ontology, OWL.Class)
    datatypes = declared(ontology, RDFS.Datatype)
    assert classes & datatypes == set()
    for kind in PROPERTY_KINDS:
        assert classes & declared(ontology, kind) == set()


def test_every_property_used_is_declared(ontology: rdflib.Graph, vocab: rdflib.Graph) -> None:
    graph = merged(ontology, vocab)
    known = set().union(*(declared(ontology, kind) for kind in PROPERTY_KINDS))
    for predicate in set(graph.predicates()):
        if str(predicate).startswith(BUILTIN_NAMESPACES):
            continue
        assert predicate in known, f"{predicate} is used but has no declared property type"


def test_every_class_mentioned_in_axioms_is_declared(ontology: rdflib.Graph) -> None:
    classes = declared(ontology, OWL.Class)
    mentioned: set[URIRef] = set()
    for p in (RDFS.subClassOf, OWL.disjointWith):
        for s, o in ontology.subject_objects(p):
            mentioned.update(n for n in (s, o) if isinstance(n, URIRef))
    for node in ontology.subjects(RDF.type, OWL.AllDisjointClasses):
        members = ontology.value(node, OWL.members)
        assert members is not None
        mentioned.update(c for c in Collection(ontology, members) if isinstance(c, URIRef))
    for union in ontology.objects(None, OWL.unionOf):
        mentioned.update(c for c in Collection(ontology, union) if isinstance(c, URIRef))
    for prop in declared(ontology, OWL.ObjectProperty):
        for p in (RDFS.domain, RDFS.range):
            mentioned.update(o for o in ontology.objects(prop, p) if isinstance(o, URIRef))
    for prop in declared(ontology, OWL.DatatypeProperty):
        mentioned.update(o for o in ontology.objects(prop, RDFS.domain) if isinstance(o, URIRef))
    assert mentioned - classes == set()


def test_datatype_property_ranges_are_datatypes(ontology: rdflib.Graph) -> None:
    datatypes = declared(ontology, RDFS.Datatype) | OWL2_DATATYPE_MAP
    for prop in declared(ontology, OWL.DatatypeProperty):
        for rng in ontology.objects(prop, RDFS.range):
            assert rng in datatypes, f"{prop} has range {rng}, not a known datatype"
    classes = declared(ontology, OWL.Class)
    for prop in declared(ontology, OWL.ObjectProperty):
        for rng in ontology.objects(prop, RDFS.range):
            assert isinstance(rng, BNode) or rng in classes, f"{prop} has range {rng}"


def test_axiom_properties_link_properties_of_the_same_kind(ontology: rdflib.Graph) -> None:
    object_props = declared(ontology, OWL.ObjectProperty)
    for s, o in ontology.subject_objects(OWL.inverseOf):
        assert s in object_props and o in object_props
    for s, o in ontology.subject_objects(RDFS.subPropertyOf):
        kinds = {k for k in PROPERTY_KINDS if (s, RDF.type, k) in ontology}
        assert kinds and all((o, RDF.type, k) in ontology for k in kinds), (s, o)
    for s, chain in ontology.subject_objects(OWL.propertyChainAxiom):
        assert s in object_props
        assert all(p in object_props for p in Collection(ontology, chain))


def test_simple_property_restrictions(ontology: rdflib.Graph) -> None:
    """A property that is the super-property of a chain is not simple: it may not be functional
    (OWL 2 DL global restrictions), and neither may any of its super-properties' subproperties
    be given cardinality restrictions (the ontology has none)."""
    composite = set(ontology.subjects(OWL.propertyChainAxiom, None))
    changed = True
    while changed:  # super-properties of non-simple properties are non-simple too
        supers = {o for s in composite for o in ontology.objects(s, RDFS.subPropertyOf)}
        changed = not supers <= composite
        composite |= supers
    functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
    assert composite & functional == set()
    for restriction_property in (
        OWL.cardinality,
        OWL.maxCardinality,
        OWL.minCardinality,
        OWL.qualifiedCardinality,
        OWL.maxQualifiedCardinality,
    ):
        assert not list(ontology.subjects(restriction_property, None))


def test_no_class_or_property_used_as_an_individual(
    ontology: rdflib.Graph, vocab: rdflib.Graph
) -> None:
    """Punning a class or property as an individual is legal in OWL 2 DL but here it would be a
    mistake; only annotations (labels, mappings, isDefinedBy) may have terms as subject/object."""
    graph = merged(ontology, vocab)
    terms = set().union(*(declared(ontology, k) for k in (OWL.Class, *PROPERTY_KINDS)))
    logical = declared(ontology, OWL.ObjectProperty) | declared(ontology, OWL.DatatypeProperty)
    for s, p, o in graph:
        if p in logical:
            assert s not in terms and o not in terms, (s, p, o)
        if p == RDF.type and not str(o).startswith(BUILTIN_NAMESPACES):
            assert s not in terms, f"{s} is a term typed with the class {o}"


def test_ontology_subjects_are_in_alphabetical_order_per_section() -> None:
    import re

    text = ONTOLOGY_FILE.read_text(encoding="utf-8")
    sections = re.split(r"^#{20,}\n#\s+(.+)\n#{20,}\n", text, flags=re.MULTILINE)
    titles = sections[1::2]
    assert titles[:4] == ["Ontology header", "Classes", "Disjointness", "Object properties"]
    for body in sections[2::2]:
        names = re.findall(r"^hrkg:(\w+)\n", body, flags=re.MULTILINE)
        assert names == sorted(names)


# ---------------------------------------------------------------- vocabularies


def test_every_contract_scheme_has_a_file() -> None:
    assert {p.stem for p in VOCAB_FILES} == set(SCHEMES)


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in VOCAB_FILES])
def test_vocabulary_file(path: Path) -> None:
    graph = rdflib.Graph().parse(path, format="turtle")
    scheme = URIRef(VOCAB + path.stem)
    assert list(graph.subjects(RDF.type, SKOS.ConceptScheme)) == [scheme]
    assert english(graph.objects(scheme, DCTERMS.title))
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert {str(c) for c in concepts} == {f"{scheme}/{slug}" for slug in SCHEMES[path.stem]}
    assert set(graph.objects(scheme, SKOS.hasTopConcept)) == concepts
    for node in (scheme, *concepts):
        assert len(english(graph.objects(node, SKOS.prefLabel))) == 1, node
        assert len(list(graph.objects(node, SKOS.prefLabel))) == 1, node
        assert len(english(graph.objects(node, SKOS.definition))) == 1, node
    for concept in concepts:
        assert set(graph.objects(concept, SKOS.inScheme)) == {scheme}
        assert set(graph.objects(concept, SKOS.topConceptOf)) == {scheme}


RELEASED_TERMS = Path(__file__).parent / "fixtures" / "released" / "terms-0.1.0.txt"


def released_terms() -> set[str]:
    lines = RELEASED_TERMS.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def missing_released_terms(graph: rdflib.Graph, released: set[str]) -> set[str]:
    """Released terms no longer described: deleting a term breaks its users (deprecate it)."""
    described = {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
    return released - described


def undocumented_deprecations(graph: rdflib.Graph) -> set[str]:
    """Terms marked owl:deprecated without a skos:historyNote saying why and what replaces them."""
    deprecated = {s for s in graph.subjects(OWL.deprecated, Literal(True))}
    return {str(s) for s in deprecated if (s, SKOS.historyNote, None) not in graph}


def ontology_and_vocabularies() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in [ONTOLOGY_FILE, *sorted(VOCAB_DIR.glob("*.ttl"))]:
        graph.parse(path, format="turtle")
    return graph


def test_no_released_term_was_deleted() -> None:
    graph = ontology_and_vocabularies()
    released = released_terms()
    assert len(released) > 100
    assert missing_released_terms(graph, released) == set()
    assert undocumented_deprecations(graph) == set()


def test_deleting_a_released_term_is_caught() -> None:
    graph = ontology_and_vocabularies()
    term = URIRef("https://w3id.org/hrkg/ontology#Designation")
    graph.remove((term, None, None))
    assert missing_released_terms(graph, released_terms()) == {str(term)}
    graph.add((term, OWL.deprecated, Literal(True)))
    assert undocumented_deprecations(graph) == {str(term)}


def test_ontology_shapes_and_schemes_carry_the_release_version_and_licence() -> None:
    """One version: pyproject.toml's (the installed metadata); the Turtle headers must agree."""
    from hrkg import __version__

    licence = URIRef("https://creativecommons.org/licenses/by/4.0/")
    headers = rdflib.Graph()
    for path in [ONTOLOGY_FILE, *sorted(VOCAB_DIR.glob("*.ttl")), *sorted(SHAPES.glob("*.ttl"))]:
        headers.parse(path, format="turtle")
    owners = set(headers.subjects(RDF.type, OWL.Ontology))
    owners |= set(headers.subjects(RDF.type, SKOS.ConceptScheme))
    assert len(owners) >= 13  # the ontology, the shapes graph, every concept scheme
    for owner in owners:
        assert str(headers.value(owner, OWL.versionInfo)) == __version__, owner
        assert headers.value(owner, DCTERMS.license) == licence, owner
