"""The data dictionary of the export: every table, every column, what it means, how it maps.

One place for what an analyst needs to read a table without guessing: a title and a
description for each column, its datatype, the ontology property it comes from (propertyUrl),
whether it names a resource (valueUrl: full IRIs), list separators, primary and foreign keys.
csv-metadata.json (W3C CSV on the Web) is written from these specs; the rows themselves come
from export/queries/<table>.rq (shipped with the package), whose `# Columns:` must list the
same columns in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HRKG = "https://w3id.org/hrkg/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ORG = "http://www.w3.org/ns/org#"
OA = "http://www.w3.org/ns/oa#"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"

LIST = " ; "  # separator of lists of IRIs
TEXTS = " | "  # separator of lists of texts (quotes, labels, speech-act kinds)


@dataclass(frozen=True)
class Column:
    """One column: `iri` columns hold full IRIs; `about` makes the cell describe another column's
    resource (a label of the location, say) instead of the row's."""

    name: str
    title: str
    description: str
    datatype: str = "string"
    property: str | None = None
    iri: bool = False
    separator: str | None = None
    required: bool = False
    about: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    about: str  # the column naming the row's resource
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())  # (column, table, column)

    @property
    def file(self) -> str:
        return f"{self.name}.csv"


def iri(
    name: str,
    title: str,
    description: str,
    prop: str | None = None,
    *,
    required: bool = False,
    separator: str | None = None,
) -> Column:
    return Column(
        name, title, description, "anyURI", prop, iri=True, required=required, separator=separator
    )


def label(of: str, title: str, concept: bool = False) -> Column:
    """The human label of the resource in column `of` (rdfs:label, or skos:prefLabel)."""
    return Column(
        f"{of}_label",
        title,
        f"Label of the {of.replace('_', ' ')} (in English).",
        property=SKOS_PREF if concept else RDFS_LABEL,
        about=of,
    )


def text(
    name: str,
    title: str,
    description: str,
    prop: str | None = None,
    *,
    separator: str | None = None,
) -> Column:
    return Column(name, title, description, "string", prop, separator=separator)


def day(name: str, title: str, description: str, prop: str | None = None) -> Column:
    return Column(name, title, description, "date", prop)


def dates(prefix_description: str) -> tuple[Column, ...]:
    """The date columns shared by events and statements: as given, then derived start/end."""
    return (
        day(
            "date",
            "date",
            f"The day {prefix_description}, when the source gives one.",
            HRKG + "date",
        ),
        day(
            "start_date", "start date", "First day of a span the source gives.", HRKG + "startDate"
        ),
        day("end_date", "end date", "Last day of a span the source gives.", HRKG + "endDate"),
        day(
            "not_before",
            "not before",
            "Earliest possible day, for a vague or partial date "
            "(a month, a year, 'a few days ago'); see date_note.",
            HRKG + "notBefore",
        ),
        day(
            "not_after",
            "not after",
            "Latest possible day, for a vague or partial date; see date_note.",
            HRKG + "notAfter",
        ),
        day(
            "start",
            "start (sortable)",
            "Derived for sorting: date, else start_date, else not_before. Not a fact of its own.",
        ),
        day(
            "end",
            "end (sortable)",
            "Derived for sorting: date, else end_date, else not_after. Not a fact of its own.",
        ),
        iri(
            "precision",
            "date precision",
            "How precise the date is (day, month, year, "
            "bounded): a concept of the date-precision scheme.",
            HRKG + "datePrecision",
        ),
    )


SOURCE = iri("source", "source document", "The source document the row is taken from.")
DATE_NOTE = text(
    "date_note", "date note", "Why the date is what it is, or why there is none.", HRKG + "dateNote"
)

TABLES: tuple[Table, ...] = (
    Table(
        "events",
        "Events",
        "Meetings, visits, talks and legislative acts, one row per event (statements and armed "
        "conflicts have their own tables). Dates as the source gives them, bounds in their own "
        "columns.",
        "event",
        (
            iri("event", "event", "The event's IRI.", required=True),
            text("label", "label", "Neutral name of the event.", RDFS_LABEL),
            iri(
                "kind",
                "kind",
                "Most specific class (hrkg:Meeting, hrkg:Visit, hrkg:Talks, "
                "hrkg:LegislativeAct); two for an event of two kinds.",
                RDF_TYPE,
                separator=LIST,
            ),
            text("kind_label", "kind (label)", "Label of the kind(s).", separator=TEXTS),
            iri(
                "status",
                "status",
                "Occurred, recurring or possible (event-status scheme).",
                HRKG + "eventStatus",
            ),
            *dates("of the event"),
            iri("location", "location", "Where the event took place.", HRKG + "location"),
            label("location", "location (label)"),
            iri("host", "host", "The actor that hosted the event.", HRKG + "host"),
            label("host", "host (label)"),
            text(
                "participants",
                "participants",
                "Each participant's label with its role in "
                "brackets; details in participations.csv.",
                separator=TEXTS,
            ),
            iri("part_of", "part of", "The larger event this one belongs to.", HRKG + "partOf"),
            text(
                "summary", "summary", "Neutral summary in the graph's own words.", HRKG + "summary"
            ),
            DATE_NOTE,
            SOURCE,
        ),
        ("event",),
    ),
    Table(
        "participations",
        "Participations",
        "Who took part in which event, in which role, on whose behalf: one row per "
        "participation (the n-ary link of event, agent and role).",
        "participation",
        (
            iri("participation", "participation", "The participation's IRI.", required=True),
            iri("event", "event", "The event (events.csv).", required=True),
            Column(
                "event_label",
                "event (label)",
                "Label of the event.",
                property=RDFS_LABEL,
                about="event",
            ),
            iri(
                "participant",
                "participant",
                "The actor taking part (entities.csv).",
                HRKG + "participantAgent",
                required=True,
            ),
            label("participant", "participant (label)"),
            iri(
                "role",
                "role",
                "Its role (participant-role scheme: host, delegate, visitor, "
                "interlocutor, mediator, head of delegation).",
                HRKG + "participantRole",
            ),
            label("role", "role (label)", concept=True),
            iri(
                "on_behalf_of",
                "on behalf of",
                "The actor it took part for, when the source says so.",
                HRKG + "onBehalfOf",
            ),
            label("on_behalf_of", "on behalf of (label)"),
        ),
        ("participation",),
        (("event", "events", "event"), ("participant", "entities", "entity")),
    ),
    Table(
        "statements",
        "Statements",
        "Speech acts: who said what, when, on whose behalf, through which medium and outlet, "
        "with the source's exact words. One row per statement.",
        "statement",
        (
            iri("statement", "statement", "The statement's IRI.", required=True),
            text("label", "label", "Neutral name of the statement.", RDFS_LABEL),
            *dates("the statement was made"),
            iri(
                "speaker",
                "speaker",
                "Who spoke (entities.csv); an unnamed report stays with an unnamed speaker. "
                "Several when the sources reporting the statement name different speakers.",
                HRKG + "speaker",
                required=True,
                separator=LIST,
            ),
            text("speaker_label", "speaker (label)", "Labels of the speakers.", separator=TEXTS),
            iri(
                "on_behalf_of",
                "on behalf of",
                "The actor(s) the speaker spoke for.",
                HRKG + "onBehalfOf",
                separator=LIST,
            ),
            text(
                "on_behalf_of_label",
                "on behalf of (label)",
                "Labels of the actors spoken for.",
                separator=TEXTS,
            ),
            iri(
                "medium",
                "medium",
                "Interview, press statement, report, article … (medium scheme).",
                HRKG + "medium",
            ),
            label("medium", "medium (label)", concept=True),
            iri(
                "outlet",
                "outlet",
                "The media outlet or channel it was published in.",
                HRKG + "outlet",
            ),
            label("outlet", "outlet (label)"),
            text(
                "kinds",
                "speech-act kinds",
                "What the statement does: denial, accusation, "
                "gratitude … (labels of the speech-act scheme).",
                separator=TEXTS,
            ),
            text(
                "summary", "summary", "Neutral summary in the graph's own words.", HRKG + "summary"
            ),
            text(
                "quotes",
                "quotes",
                "The source's exact words (each at most about 30 words).",
                HRKG + "quote",
                separator=TEXTS,
            ),
            DATE_NOTE,
            SOURCE,
        ),
        ("statement",),
        (("speaker", "entities", "entity"),),
    ),
    Table(
        "claims",
        "Claims and stances",
        "Claims as asserted or denied by statements: one row per claim and statement. A claim "
        "is what the claimant said, never a fact of the graph.",
        "claim",
        (
            iri("claim", "claim", "The claim's IRI.", required=True),
            text("label", "label", "Short neutral name of the claim.", RDFS_LABEL),
            text(
                "wording",
                "wording",
                "The claim in words, with the claimant's contested terms marked as theirs.",
                HRKG + "wording",
            ),
            iri(
                "relation",
                "relation",
                "What the claim says of its subject (claim-relation "
                "scheme: supplies weapons to, uses weapon system, assessment …).",
                HRKG + "claimRelation",
            ),
            label("relation", "relation (label)", concept=True),
            iri("subject", "subject", "Who or what the claim is about.", HRKG + "claimSubject"),
            label("subject", "subject (label)"),
            iri(
                "objects",
                "objects",
                "The claim's object(s): a weapon system, a category, an actor.",
                HRKG + "claimObject",
                separator=LIST,
            ),
            iri(
                "recipient",
                "recipient",
                "The recipient, for a claim of supply.",
                HRKG + "claimRecipient",
            ),
            label("recipient", "recipient (label)"),
            text(
                "stance",
                "stance",
                "asserted or denied: what the statement does with the claim.",
                None,
            ),
            iri(
                "statement",
                "statement",
                "The statement that asserts or denies the claim (statements.csv).",
                required=True,
            ),
            iri("claimant", "claimant", "The statement's speaker.", None),
            label("claimant", "claimant (label)"),
            iri("on_behalf_of", "on behalf of", "The actor the claimant spoke for."),
            label("on_behalf_of", "on behalf of (label)"),
            day("start", "start (sortable)", "The statement's date, start or lower bound."),
            day("end", "end (sortable)", "The statement's date, end or upper bound."),
        ),
        ("claim", "statement"),
        (("statement", "statements", "statement"),),
    ),
    Table(
        "designations",
        "Designations",
        "Which authority designates which actor in which category, with which status, "
        "including 'not designated' where the source says an authority explicitly does not.",
        "designation",
        (
            iri("designation", "designation", "The designation's IRI.", required=True),
            text("label", "label", "Neutral name of the designation.", RDFS_LABEL),
            iri(
                "authority",
                "authority",
                "The state or organization that designates.",
                HRKG + "authority",
                required=True,
            ),
            label("authority", "authority (label)"),
            iri(
                "designated",
                "designated actor",
                "The actor designated (or not).",
                HRKG + "designatedActor",
                required=True,
            ),
            label("designated", "designated actor (label)"),
            iri(
                "category",
                "category",
                "The category (designation-category scheme).",
                HRKG + "designationCategory",
            ),
            label("category", "category (label)", concept=True),
            iri(
                "status",
                "status",
                "designated or not designated (designation-status scheme).",
                HRKG + "designationStatus",
            ),
            label("status", "status (label)", concept=True),
            iri("list", "list", "The list the designation refers to.", HRKG + "onList"),
            label("list", "list (label)"),
            day("as_of", "as of", "The day the status is reported for.", HRKG + "asOf"),
            day("not_before", "not before", "Earliest possible day.", HRKG + "notBefore"),
            day("not_after", "not after", "Latest possible day.", HRKG + "notAfter"),
            DATE_NOTE,
        ),
        ("designation",),
        (("authority", "entities", "entity"), ("designated", "entities", "entity")),
    ),
    Table(
        "positions",
        "Positions",
        "Who held which role in which organization or state (W3C ORG memberships), as of the "
        "day the source gives the title.",
        "position",
        (
            iri("position", "position", "The position's IRI.", required=True),
            text("label", "label", "Neutral name of the position.", RDFS_LABEL),
            iri("member", "member", "The person.", ORG + "member", required=True),
            label("member", "member (label)"),
            iri(
                "organization",
                "organization",
                "The organization, unit or state.",
                ORG + "organization",
                required=True,
            ),
            label("organization", "organization (label)"),
            iri("role", "role", "The role (role scheme).", ORG + "role"),
            label("role", "role (label)", concept=True),
            iri("posted_to", "posted to", "Where the person was posted.", HRKG + "postedTo"),
            label("posted_to", "posted to (label)"),
            day("as_of", "as of", "The day the source gives the title for.", HRKG + "asOf"),
            day("not_before", "not before", "Earliest possible day.", HRKG + "notBefore"),
            day("not_after", "not after", "Latest possible day.", HRKG + "notAfter"),
            DATE_NOTE,
        ),
        ("position",),
        (("member", "entities", "entity"), ("organization", "entities", "entity")),
    ),
    Table(
        "weapon_systems",
        "Weapon systems",
        "Weapon systems named in the sources, with category and origin of the design. Who is "
        "said to hold, use or supply them are claims (claims.csv).",
        "weapon",
        (
            iri("weapon", "weapon system", "The weapon system's IRI.", required=True),
            text("label", "label", "Name of the system.", RDFS_LABEL),
            text(
                "alt_labels",
                "other names",
                "Other names and designations.",
                SKOS_ALT,
                separator=TEXTS,
            ),
            iri(
                "category",
                "category",
                "Weapon category (weapon-category scheme).",
                HRKG + "weaponCategory",
            ),
            label("category", "category (label)", concept=True),
            iri(
                "origin",
                "country of origin",
                "Where the design comes from.",
                HRKG + "countryOfOrigin",
            ),
            label("origin", "country of origin (label)"),
            iri(
                "derived_from",
                "derived from",
                "The design this one is a version of.",
                HRKG + "derivedFrom",
            ),
            label("derived_from", "derived from (label)"),
            iri("wikidata", "Wikidata item", "Confirmed Wikidata item, if any.", SKOS_EXACT),
        ),
        ("weapon",),
        (("weapon", "entities", "entity"),),
    ),
    Table(
        "entities",
        "Entities",
        "The curated actors, places, weapon systems, treaties and conflicts, with their names "
        "and Wikidata links (only links confirmed by evidence).",
        "entity",
        (
            iri("entity", "entity", "The entity's IRI.", required=True),
            text("label", "label", "Preferred name (the source's spelling).", RDFS_LABEL),
            iri("kind", "kind", "Its class (hrkg:Person, hrkg:State …).", RDF_TYPE),
            Column(
                "kind_label",
                "kind (label)",
                "Label of the class.",
                property=RDFS_LABEL,
                about="kind",
            ),
            text(
                "alt_labels",
                "other names",
                "Spelling variants and other names.",
                SKOS_ALT,
                separator=TEXTS,
            ),
            iri("wikidata", "Wikidata item", "Confirmed Wikidata item, if any.", SKOS_EXACT),
            text("qid", "Wikidata QID", "The item's identifier alone (Q159)."),
            text("comment", "description", "What the entity is.", RDFS_COMMENT),
        ),
        ("entity",),
    ),
    Table(
        "evidence",
        "Evidence",
        "The exact words behind each fact and their place in the source text: one row per "
        "fact and evidence span.",
        "fact",
        (
            iri(
                "fact",
                "fact",
                "The event, statement, participation, position, designation or claim.",
                required=True,
            ),
            text("fact_label", "fact (label)", "Label of the fact.", RDFS_LABEL),
            iri(
                "evidence",
                "evidence",
                "The evidence span (a Web Annotation specific resource).",
                PROV_DERIVED,
                required=True,
            ),
            Column(
                "exact",
                "exact words",
                "The source's exact words.",
                "string",
                OA + "exact",
                about="evidence",
            ),
            Column(
                "start",
                "start offset",
                "Character offset where the words begin "
                "(Python string index into the source text).",
                "integer",
                OA + "start",
                about="evidence",
            ),
            Column(
                "end",
                "end offset",
                "Character offset where they end (exclusive).",
                "integer",
                OA + "end",
                about="evidence",
            ),
            iri("source", "source document", "The source document."),
            Column(
                "source_label",
                "source (label)",
                "Label of the source document.",
                property=RDFS_LABEL,
                about="source",
            ),
            Column(
                "source_url",
                "source URL",
                "Where the source document was read.",
                "anyURI",
                HRKG + "url",
                about="source",
            ),
        ),
        ("fact", "evidence"),
    ),
)
