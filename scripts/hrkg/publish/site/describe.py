"""The content of one resource's page: its names, its facts grouped by meaning in both
directions (an actor's positions, events, statements, claims, designations …), its evidence
in context, and every remaining triple, so nothing of the graph is left off a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hrkg import rdf as ns
from hrkg.publish.site import urls
from hrkg.publish.site.evidence import InContext, SourceText, in_context, in_paragraphs, span_of
from hrkg.publish.site.graph import (
    ORG,
    PROV,
    RDF_TYPE,
    RDFS,
    SKOS,
    SiteGraph,
    Term,
    local_name,
)
from hrkg.publish.site.values import Namer, Value, name, sort_by_name, text, when

H = ns.HRKG
OWL_INVERSE = "http://www.w3.org/2002/07/owl#inverseOf"
Stance = tuple[str, str]  # (statement-to-claim property, stance concept IRI or "")
WIKIDATA = ns.WIKIDATA_ENTITY
DERIVED = PROV + "wasDerivedFrom"
# properties whose values the header of a page shows (not repeated in the field list)
HEADER = {RDF_TYPE, RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel"}


@dataclass
class Section:
    """A table of facts with one meaning ("Positions held", "Claims it denies" …)."""

    title: str
    anchor: str
    columns: list[str]
    rows: list[list[list[Value]]] = field(default_factory=list)
    note: str = ""


@dataclass
class QuoteBlock:
    """Verbatim words with who said them and when (always shown together)."""

    text: str
    lang: str
    by: list[Value]
    caption: str = "Quoted words of"


@dataclass
class Page:
    path: str
    iri: str
    title: str
    kinds: list[Value]
    names: list[str]
    matches: list[Value]
    lead: list[Value]
    fields: list[tuple[str, list[Value]]]
    quotes: list[QuoteBlock]
    wording: QuoteBlock | None
    sections: list[Section]
    evidence: list[InContext]
    quotes_only: list[tuple[str, str, Value]]  # evidence without local text: quote, iri, source
    facts_in: list[tuple[str, list[Value]]]


class Describer:
    """Builds Page objects for one graph and one set of source texts."""

    def __init__(self, graph: SiteGraph, sources: dict[str, SourceText]) -> None:
        self.graph = graph
        self.sources = sources
        self._labels: dict[str, str] = {}
        self.inverses = self._inverses()
        self.claim_stances: list[Stance] = self._stances()

    # --- helpers ------------------------------------------------------------------------

    def _inverses(self) -> dict[str, str]:
        """owl:inverseOf both ways (hrkg:assertedBy for hrkg:asserts …), from the ontology."""
        pairs = {}
        for (subject, predicate), objects in self.graph.by_sp.items():
            if predicate == OWL_INVERSE and subject.is_iri:
                for obj in objects:
                    pairs[subject.value] = obj.value
                    pairs[obj.value] = subject.value
        return pairs

    def _stances(self) -> list[Stance]:
        """Every (property, stance concept) by which statements take a stance on claims:
        asserts and denies, and weaker ones (hrkg:entertains with the statement's
        hrkg:stance, such as suspects or doubts), named by their SKOS concept."""
        found = set()
        for claim in self.graph.instances(H + "Claim"):
            for statement, predicate in self._statements_of(claim):
                found.add((predicate, self.stance_concept(statement, predicate)))
        return sorted(
            found, key=lambda s: (s[0] != H + "asserts", s[0] != H + "denies", self.verb(s), s)
        )

    def _statements_of(self, claim: str) -> list[tuple[str, str]]:
        """(statement, statement-to-claim property) for every statement about the claim."""
        found = set()
        for predicate, subject in self.graph.into.get(Term("iri", claim), []):
            if subject.is_iri and self.graph.is_a(subject.value, H + "Statement"):
                found.add((subject.value, predicate))
        for predicate, obj in self.graph.out.get(Term("iri", claim), []):
            forward = self.inverses.get(predicate)
            if forward and obj.is_iri and self.graph.is_a(obj.value, H + "Statement"):
                found.add((obj.value, forward))
        return sorted(found)

    def stance_concept(self, statement: str, predicate: str) -> str:
        """The statement's hrkg:stance for a weaker stance; '' for asserts and denies."""
        if predicate in (H + "asserts", H + "denies"):
            return ""
        return self.graph.one(statement, H + "stance") or ""

    def verb(self, stance: Stance) -> str:
        """'asserts', 'denies', or the stance concept's label ('suspects', 'doubts' …)."""
        predicate, concept = stance
        return self.graph.label(concept) if concept else self.prop_label(predicate)

    def stance_anchor(self, stance: Stance) -> str:
        predicate, concept = stance
        return local_name(predicate) + (f"-{local_name(concept)}" if concept else "")

    def claims_of(self, statement: str, stance: Stance) -> list[str]:
        """The claims a statement takes `stance` on (either direction of the property)."""
        predicate, concept = stance
        if self.stance_concept(statement, predicate) != concept:
            return []
        found = set(self.graph.iris(statement, predicate))
        inverse = self.inverses.get(predicate)
        if inverse:
            found |= {
                c
                for c in self.graph.subjects(inverse, statement)
                if self.graph.is_a(c, H + "Claim")
            }
        return sorted(found)

    def stating(self, claim: str, stance: Stance) -> list[str]:
        """Statements that take `stance` on `claim`."""
        predicate, concept = stance
        return sorted(
            {
                s
                for s, p in self._statements_of(claim)
                if p == predicate and self.stance_concept(s, p) == concept
            }
        )

    def prop_label(self, predicate: str) -> str:
        known = self._labels.get(predicate)
        if known is None:
            known = self._labels[predicate] = self._prop_label(predicate)
        return known

    def _prop_label(self, predicate: str) -> str:
        label = self.graph.label(predicate)
        if not (
            self.graph.objects(predicate, RDFS + "label")
            or self.graph.objects(predicate, SKOS + "prefLabel")
        ):
            for prefix, base in ns.PREFIXES.items():
                if predicate.startswith(base):
                    return f"{prefix}:{predicate[len(base) :]}"
        return label

    def evidence_refs(self, n: Namer, fact: str) -> list[Value]:
        """Links to the evidence pages of a fact, named by paragraph (¶12) or 'quote'."""
        refs: dict[str, Value] = {}
        for iri in self.graph.iris(fact, DERIVED):
            span = span_of(self.graph, iri)
            shown = in_context(span, self.sources)
            label = f"¶{shown.paragraph}" if shown else "quote"
            if label not in refs or label == "quote":
                refs.setdefault(
                    label if label != "quote" else iri,
                    Value("link", label, n.href(urls.page_of(iri)), title=span.exact or iri),
                )
        return sorted(refs.values(), key=lambda v: (len(v.text), v.text))

    def row_date(self, row: list[list[Value]]) -> str:
        """The sort key of the date of the event a row's first cell links to."""
        first = row[0][0] if row and row[0] else None
        return when(self.graph, first.title).sort_key if first and first.title else "9999"

    def record(self, n: Namer, iri: str) -> Value:
        """A short link to a node's own page (participations, positions …)."""
        return Value("link", "record", n.href(urls.page_of(iri)), title=name(self.graph, iri))

    def links(self, n: Namer, iris: list[str]) -> list[Value]:
        return [n.link(i) for i in sort_by_name(self.graph, iris)]

    def date_cell(self, iri: str) -> list[Value]:
        return [Value("date", when(self.graph, iri).describe())]

    def speakers(self, n: Namer, statement: str) -> list[Value]:
        return self.links(n, self.graph.iris(statement, H + "speaker"))

    # --- the page -----------------------------------------------------------------------

    def page(self, iri: str) -> Page:
        g = self.graph
        path = urls.file_of(iri)
        n = Namer(g, path)
        kinds = [n.link(t) for t in g.types(iri)]
        names = [v for v in g.alt_labels(iri)]
        matches = [
            Value("ext", f"Wikidata {m[len(WIKIDATA) :]}", m)
            if m.startswith(WIKIDATA)
            else n.link(m)
            for m in g.iris(iri, SKOS + "exactMatch")
        ]
        lead = [
            n.term(t)
            for p in (H + "summary", RDFS + "comment", SKOS + "definition")
            for t in g.objects(iri, p)
        ]
        sections: list[Section] = []
        quotes: list[QuoteBlock] = []
        wording = None
        if g.is_a(iri, H + "Statement"):
            quotes = self.statement_quotes(n, iri)
            sections += self.statement_sections(n, iri)
        if g.is_a(iri, H + "Claim"):
            wording = self.claim_wording(n, iri)
            sections += self.claim_sections(n, iri)
        if g.is_a(iri, H + "Event"):
            sections += self.event_sections(n, iri)
        if g.is_a(iri, H + "Actor") or g.is_a(iri, H + "Place"):
            sections += self.actor_sections(n, iri)
        if g.is_a(iri, H + "WeaponSystem"):
            sections += self.weapon_sections(n, iri)
        if g.is_a(iri, H + "Evidence") or g.is_a(iri, H + "ExcludedPassage"):
            sections += self.evidence_sections(n, iri)
        if SKOS + "ConceptScheme" in g.types(iri):
            sections += self.scheme_sections(n, iri)
        evidence, quotes_only = self.evidence_views(n, iri)
        return Page(
            path,
            iri,
            name(g, iri),
            kinds,
            names,
            matches,
            lead,
            self.fields(n, iri),
            quotes,
            wording,
            [s for s in sections if s.rows],
            evidence,
            quotes_only,
            self.facts_in(n, iri),
        )

    def fields(self, n: Namer, iri: str) -> list[tuple[str, list[Value]]]:
        """The resource's own triples but those the page shows elsewhere: names and types at
        the top, texts, quotes and wording, evidence, participations in their tables.

        A label the heading does not use (it holds a contested word) is listed, as a quote.
        """
        shown = HEADER | {
            H + "summary",
            RDFS + "comment",
            SKOS + "definition",
            H + "quote",
            H + "wording",
            SKOS + "exactMatch",
            H + "hasParticipation",
        }
        if name(self.graph, iri) != self.graph.label(iri):
            shown = shown - {RDFS + "label", SKOS + "prefLabel"}
        if self.graph.is_a(iri, H + "Evidence") or self.graph.iris(iri, DERIVED):
            shown = shown | {DERIVED, "http://www.w3.org/ns/oa#hasSelector"}
        return self.facts_out(n, iri, skip=shown)

    def facts_out(
        self, n: Namer, iri: str, skip: set[str] | None = None
    ) -> list[tuple[str, list[Value]]]:
        groups: dict[str, list[Value]] = {}
        for predicate, obj in self.graph.out.get(Term("iri", iri), []):
            if skip and predicate in skip:
                continue
            groups.setdefault(predicate, []).append(n.term(obj, predicate))
        return [(self.prop_label(p), v) for p, v in groups.items()]

    def facts_in(self, n: Namer, iri: str) -> list[tuple[str, list[Value]]]:
        """Triples with the resource as object, by property; unnamed subjects (selectors,
        OWL lists) are counted, not listed one by one."""
        groups: dict[str, list[Value]] = {}
        unnamed: dict[str, list[Term]] = {}
        for predicate, subject in self.graph.into.get(Term("iri", iri), []):
            if subject.kind == "bnode":
                unnamed.setdefault(predicate, []).append(subject)
            else:
                groups.setdefault(predicate, []).append(n.term(subject))
        for predicate, nodes in unnamed.items():
            groups.setdefault(predicate, []).append(
                n.term(nodes[0]) if len(nodes) == 1 else text(f"{len(nodes)} unnamed nodes")
            )
        return [(self.prop_label(p), groups[p]) for p in sorted(groups)]

    def evidence_views(
        self, n: Namer, iri: str
    ) -> tuple[list[InContext], list[tuple[str, str, Value]]]:
        is_evidence = self.graph.is_a(iri, H + "Evidence")
        spans = [
            span_of(self.graph, e)
            for e in ([iri] if is_evidence else self.graph.iris(iri, DERIVED))
        ]
        shown = in_paragraphs(spans, self.sources)
        placed = {s.iri for view in shown for s in view.spans}
        quotes = []
        for span in spans:
            if span.iri in placed or span.exact is None:
                continue
            source = span.source
            url = self.graph.one(source, H + "url") if source else None
            target = (
                Value("ext", url, url)
                if url
                else (n.link(source) if source else text("source not named"))
            )
            quotes.append((span.exact, span.iri, target))
        return shown, quotes

    # --- statements ---------------------------------------------------------------------

    def statement_quotes(self, n: Namer, iri: str) -> list[QuoteBlock]:
        by = [*self.speakers(n, iri), Value("date", when(self.graph, iri).describe())]
        quotes = self.graph.objects(iri, H + "quote")

        def position(words: str) -> tuple[int, str]:
            for source in self.sources.values():
                found = source.text.find(words)
                if found >= 0:
                    return found, words
            return len(words) + 10**9, words

        return [
            QuoteBlock(t.value, t.language, by)
            for t in sorted(quotes, key=lambda t: position(t.value))
        ]

    def statement_sections(self, n: Namer, iri: str) -> list[Section]:
        out = []
        for stance in self.claim_stances:
            claims = self.claims_of(iri, stance)
            section = Section(
                f"Claims it {self.verb(stance)}",
                f"claims-{self.stance_anchor(stance)}",
                ["claim", "evidence"],
            )
            for claim in sort_by_name(self.graph, claims):
                section.rows.append([[n.link(claim)], self.evidence_refs(n, claim)])
            out.append(section)
        return out

    # --- claims -------------------------------------------------------------------------

    def claim_wording(self, n: Namer, iri: str) -> QuoteBlock | None:
        words = self.graph.objects(iri, H + "wording")
        if not words:
            return None
        # asserting, suspecting or considering possible puts a claim forward; doubting and
        # denying do not
        forward = [
            s
            for stance in self.claim_stances
            if stance[0] != H + "denies" and not stance[1].endswith("/doubts")
            for s in self.stating(iri, stance)
        ]
        caption = "The claim as recorded from its source; it is attributed, not endorsed."
        if forward:
            return QuoteBlock(
                words[0].value,
                words[0].language,
                self.links(n, forward),
                f"{caption} Put forward by:",
            )
        deniers = [s for stance in self.claim_stances for s in self.stating(iri, stance)]
        return QuoteBlock(
            words[0].value,
            words[0].language,
            self.links(n, deniers),
            f"{caption} No recorded statement puts it forward; doubted or denied by:",
        )

    def claim_sections(self, n: Namer, iri: str) -> list[Section]:
        out = []
        for stance in self.claim_stances:
            section = Section(
                f"Who {self.verb(stance)} it",
                f"by-{self.stance_anchor(stance)}",
                ["statement", "speaker", "date", "evidence"],
            )
            for statement in sort_by_name(self.graph, self.stating(iri, stance)):
                section.rows.append(
                    [
                        [n.link(statement)],
                        self.speakers(n, statement),
                        self.date_cell(statement),
                        self.evidence_refs(n, statement),
                    ]
                )
            out.append(section)
        return out

    # --- events -------------------------------------------------------------------------

    def event_sections(self, n: Namer, iri: str) -> list[Section]:
        g = self.graph
        people = Section(
            "Participants",
            "participants",
            ["participant", "role", "on behalf of", "evidence", "record"],
        )
        for participation in g.iris(iri, H + "hasParticipation"):
            people.rows.append(
                [
                    self.links(n, g.iris(participation, H + "participantAgent")),
                    self.links(n, g.iris(participation, H + "participantRole")),
                    self.links(n, g.iris(participation, H + "onBehalfOf")),
                    self.evidence_refs(n, participation),
                    [self.record(n, participation)],
                ]
            )
        people.rows.sort(key=lambda row: [v.text for v in row[0]])
        parts = Section("Parts of this event", "parts", ["event", "date"])
        for part in sort_by_name(g, g.subjects(H + "partOf", iri)):
            parts.rows.append([[n.link(part)], self.date_cell(part)])
        said = Section(
            "Statements about it or responding to it",
            "statements-about",
            ["statement", "speaker", "date"],
        )
        about = [
            s
            for p in (H + "about", H + "respondsTo")
            for s in g.subjects(p, iri)
            if g.is_a(s, H + "Statement")
        ]
        for statement in sort_by_name(g, about):
            said.rows.append(
                [[n.link(statement)], self.speakers(n, statement), self.date_cell(statement)]
            )
        return [people, parts, said]

    # --- actors -------------------------------------------------------------------------

    def actor_sections(self, n: Namer, iri: str) -> list[Section]:
        """An actor's page: positions, designations, events, statements, claims."""
        return [
            *self.actor_position_sections(n, iri),
            *self.actor_designation_sections(n, iri),
            *self.actor_event_sections(n, iri),
            *self.actor_statement_sections(n, iri),
            *self.actor_claim_sections(n, iri),
        ]

    def actor_position_sections(self, n: Namer, iri: str) -> list[Section]:
        """Positions it holds, and positions held in it."""
        g = self.graph
        out = []
        held = Section(
            "Positions held", "positions", ["role", "organization", "posted to", "date", "evidence"]
        )
        for position in g.subjects(ORG + "member", iri):
            held.rows.append(
                [
                    self.links(n, g.iris(position, ORG + "role")),
                    self.links(n, g.iris(position, ORG + "organization")),
                    self.links(n, g.iris(position, H + "postedTo")),
                    self.date_cell(position),
                    self.evidence_refs(n, position),
                ]
            )
        out.append(held)
        members = Section(
            "Positions in this organization", "members", ["member", "role", "date", "evidence"]
        )
        for position in g.subjects(ORG + "organization", iri):
            members.rows.append(
                [
                    self.links(n, g.iris(position, ORG + "member")),
                    self.links(n, g.iris(position, ORG + "role")),
                    self.date_cell(position),
                    self.evidence_refs(n, position),
                ]
            )
        out.append(members)
        return out

    def actor_designation_sections(self, n: Namer, iri: str) -> list[Section]:
        """Designations it issues and receives (explicit non-designations too)."""
        g = self.graph
        out = []
        for predicate, title, other in (
            (H + "authority", "Designations it issues", H + "designatedActor"),
            (H + "designatedActor", "Designations it receives", H + "authority"),
        ):
            section = Section(
                title,
                local_name(predicate),
                [
                    "designation",
                    "designated actor" if other.endswith("Actor") else "authority",
                    "category (the authority's term)",
                    "status",
                    "date",
                    "evidence",
                ],
            )
            for designation in sort_by_name(g, g.subjects(predicate, iri)):
                section.rows.append(
                    [
                        [n.link(designation)],
                        self.links(n, g.iris(designation, other)),
                        [
                            Value("quote", g.label(c), n.href(urls.page_of(c)))
                            for c in g.iris(designation, H + "designationCategory")
                        ],
                        self.links(n, g.iris(designation, H + "designationStatus")),
                        self.date_cell(designation),
                        self.evidence_refs(n, designation),
                    ]
                )
            out.append(section)

        return out

    def actor_event_sections(self, n: Namer, iri: str) -> list[Section]:
        """Events it took part in, was represented at, hosted, organized or located."""
        g = self.graph
        out = []
        events = Section(
            "Events taken part in", "events", ["event", "role", "on behalf of", "date", "evidence"]
        )
        for participation in g.subjects(H + "participantAgent", iri):
            for event in g.subjects(H + "hasParticipation", participation):
                events.rows.append(
                    [
                        [n.link(event)],
                        self.links(n, g.iris(participation, H + "participantRole")),
                        self.links(n, g.iris(participation, H + "onBehalfOf")),
                        self.date_cell(event),
                        self.evidence_refs(n, participation),
                    ]
                )
        events.rows.sort(key=lambda row: (self.row_date(row), [v.text for v in row[0]]))
        out.append(events)
        represented = Section(
            "Events it was represented at",
            "represented",
            ["event", "participant", "role", "date", "evidence"],
        )
        for participation in g.subjects(H + "onBehalfOf", iri):
            for event in g.subjects(H + "hasParticipation", participation):
                represented.rows.append(
                    [
                        [n.link(event)],
                        self.links(n, g.iris(participation, H + "participantAgent")),
                        self.links(n, g.iris(participation, H + "participantRole")),
                        self.date_cell(event),
                        self.evidence_refs(n, participation),
                    ]
                )
        represented.rows.sort(key=lambda row: (self.row_date(row), [v.text for v in row[0]]))
        out.append(represented)
        for predicate, title in (
            (H + "host", "Events it hosted"),
            (H + "organizer", "Events it organized"),
            (H + "location", "Events at this place"),
            (H + "destination", "Visits to this place"),
        ):
            section = Section(title, local_name(predicate), ["event", "date", "evidence"])
            for event in sort_by_name(g, g.subjects(predicate, iri)):
                section.rows.append(
                    [[n.link(event)], self.date_cell(event), self.evidence_refs(n, event)]
                )
            out.append(section)

        return out

    def actor_statement_sections(self, n: Namer, iri: str) -> list[Section]:
        """Statements it made, made on its behalf, addressed to, through or about it."""
        g = self.graph
        out = []
        statements = [s for s in g.subjects(H + "speaker", iri)]
        made = Section(
            "Statements made", "statements", ["statement", "date", "medium", "outlet", "evidence"]
        )
        for statement in sorted(statements, key=lambda s: (when(g, s).sort_key, s)):
            made.rows.append(
                [
                    [n.link(statement)],
                    self.date_cell(statement),
                    self.links(n, g.iris(statement, H + "medium")),
                    self.links(n, g.iris(statement, H + "outlet")),
                    self.evidence_refs(n, statement),
                ]
            )
        out.append(made)
        for predicate, title in (
            (H + "onBehalfOf", "Statements made on its behalf"),
            (H + "addressee", "Statements addressed to it"),
            (H + "outlet", "Statements published through it"),
            (H + "about", "Statements about it"),
        ):
            section = Section(
                title, f"statements-{local_name(predicate)}", ["statement", "speaker", "date"]
            )
            found = [s for s in g.subjects(predicate, iri) if g.is_a(s, H + "Statement")]
            for statement in sorted(found, key=lambda s: (when(g, s).sort_key, s)):
                section.rows.append(
                    [[n.link(statement)], self.speakers(n, statement), self.date_cell(statement)]
                )
            out.append(section)

        return out

    def actor_claim_sections(self, n: Namer, iri: str) -> list[Section]:
        """Claims its statements take a stance on, and claims about it."""
        g = self.graph
        out = []
        statements = [s for s in g.subjects(H + "speaker", iri)]
        for stance in self.claim_stances:
            section = Section(
                f"Claims it {self.verb(stance)} in its statements",
                f"claims-{self.stance_anchor(stance)}",
                ["claim", "statement", "date"],
            )
            for statement in statements:
                for claim in sort_by_name(g, self.claims_of(statement, stance)):
                    section.rows.append(
                        [[n.link(claim)], [n.link(statement)], self.date_cell(statement)]
                    )
            out.append(section)
        for predicate, title in (
            (H + "claimSubject", "Claims with it as subject"),
            (H + "claimObject", "Claims with it as object"),
            (H + "claimRecipient", "Claims with it as recipient"),
            (H + "about", "Claims about it"),
        ):
            section = Section(
                title,
                f"claims-as-{local_name(predicate)}",
                ["claim", *[self.stance_column(p) for p in self.claim_stances]],
            )
            found = [c for c in g.subjects(predicate, iri) if g.is_a(c, H + "Claim")]
            for claim in sort_by_name(g, found):
                section.rows.append(
                    [
                        [n.link(claim)],
                        *[
                            [v for s in self.stating(claim, p) for v in self.speakers(n, s)]
                            for p in self.claim_stances
                        ],
                    ]
                )
            out.append(section)

        return out

    def stance_column(self, stance: Stance) -> str:
        return f"who {self.verb(stance)}"

    # --- weapons, evidence, vocabularies -------------------------------------------------

    def weapon_sections(self, n: Namer, iri: str) -> list[Section]:
        g = self.graph
        section = Section(
            "Claims about this weapon system",
            "weapon-claims",
            ["claim", *[self.stance_column(p) for p in self.claim_stances]],
        )
        found = [c for p in (H + "claimObject", H + "about") for c in g.subjects(p, iri)]
        for claim in sort_by_name(g, found):
            section.rows.append(
                [
                    [n.link(claim)],
                    *[
                        [v for s in self.stating(claim, p) for v in self.speakers(n, s)]
                        for p in self.claim_stances
                    ],
                ]
            )
        return [section]

    def evidence_sections(self, n: Namer, iri: str) -> list[Section]:
        section = Section("Facts derived from this evidence", "facts", ["fact", "kind"])
        for fact in sort_by_name(self.graph, self.graph.subjects(DERIVED, iri)):
            section.rows.append([[n.link(fact)], [n.link(t) for t in self.graph.types(fact)]])
        return [section]

    def scheme_sections(self, n: Namer, iri: str) -> list[Section]:
        section = Section("Concepts", "concepts", ["concept", "definition"])
        for concept in sort_by_name(self.graph, self.graph.subjects(SKOS + "inScheme", iri)):
            section.rows.append(
                [
                    [n.link(concept)],
                    [n.term(t) for t in self.graph.objects(concept, SKOS + "definition")],
                ]
            )
        return [section]
