"""What a page cell holds (links, text, attributed quotes, dates) and the site's own words
for resources: neutral display names, dates that say how precise they are.

Templates decide how each kind of value looks; nothing here is HTML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hrkg import rdf as ns
from hrkg.publish.site import urls
from hrkg.publish.site.graph import RDF_TYPE, SKOS, SiteGraph, Term, is_contested, local_name

H = ns.HRKG
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
QUOTED_PROPERTIES = {H + "quote", H + "wording", "http://www.w3.org/ns/oa#exact"}


@dataclass(frozen=True)
class Value:
    """One thing shown in a cell. kind: link, text, quote (attributed words), ext (a link
    leaving the site), date."""

    kind: str
    text: str
    href: str = ""
    lang: str = ""
    title: str = ""


def text(value: str) -> Value:
    return Value("text", value)


def day(value: str) -> str:
    """'2023-10-26' as '26 October 2023' (no locale: the same bytes everywhere)."""
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        return value
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


@dataclass(frozen=True)
class When:
    """A resource's date as the graph gives it: a day, bounds, or nothing."""

    date: str | None = None
    start: str | None = None
    end: str | None = None
    not_before: str | None = None
    not_after: str | None = None
    as_of: str | None = None
    note: str | None = None

    @property
    def kind(self) -> str:
        """point (one day), range (a lower and an upper bound), open (one bound) or undated."""
        if self.date:
            return "point"
        low, high = self.lower, self.upper
        if low and high:
            return "point" if low == high and self.start and self.end else "range"
        if low or high or self.as_of:
            return "open"
        return "undated"

    @property
    def lower(self) -> str | None:
        return self.date or self.start or self.not_before

    @property
    def upper(self) -> str | None:
        return self.date or self.end or self.not_after

    @property
    def sort_key(self) -> str:
        return self.lower or self.upper or self.as_of or "9999"

    def describe(self) -> str:
        """The date in words, saying which bounds are known and which are not."""
        if self.date:
            return day(self.date)
        parts = []
        if self.start:
            parts.append(f"from {day(self.start)}")
        if self.not_before:
            parts.append(f"not before {day(self.not_before)}")
        if self.end:
            parts.append(f"until {day(self.end)}")
        if self.not_after:
            parts.append(f"not after {day(self.not_after)}")
        if self.as_of:
            parts.append(f"as of {day(self.as_of)}")
        return ", ".join(parts) if parts else "undated"


def when(graph: SiteGraph, iri: str) -> When:
    get = graph.one
    return When(
        get(iri, H + "date"),
        get(iri, H + "startDate"),
        get(iri, H + "endDate"),
        get(iri, H + "notBefore"),
        get(iri, H + "notAfter"),
        get(iri, H + "asOf"),
        get(iri, H + "dateNote"),
    )


class Namer:
    """Display names and links for one page: neutral words, links relative to the page."""

    def __init__(self, graph: SiteGraph, page: str) -> None:
        self.graph = graph
        self.page = page

    def at(self, page: str) -> Namer:
        return Namer(self.graph, page)

    def href(self, target: str) -> str:
        return urls.relative(self.page, target)

    def link(self, iri: str) -> Value:
        """A link to the page of `iri`; an IRI the graph does not describe links out."""
        if not self.graph.out.get(Term("iri", iri)):
            return Value("ext", prefixed(iri), iri)
        return Value("link", name(self.graph, iri), self.href(urls.page_of(iri)), title=iri)

    def term(self, term: Term, predicate: str = "") -> Value:
        """Any RDF term as a value: IRIs linked, contested or quoted literals as quotes."""
        if term.is_iri:
            return self.link(term.value)
        if term.kind == "bnode":
            return text("(an unnamed node: " + bnode_summary(self.graph, term) + ")")
        if predicate in QUOTED_PROPERTIES or is_contested(term.value):
            return Value("quote", term.value, lang=term.language)
        if term.datatype.endswith("#date"):
            return Value("date", day(term.value))
        if term.datatype.endswith("#anyURI"):
            return Value("ext", term.value, term.value)
        return Value("text", term.value, lang=term.language)


def prefixed(iri: str) -> str:
    """'owl:Class' for an IRI in a known namespace, else the IRI itself."""
    for prefix, base in ns.PREFIXES.items():
        rest = iri[len(base) :]
        if iri.startswith(base) and rest and "/" not in rest and "#" not in rest:
            return f"{prefix}:{rest}"
    return iri


def list_members(graph: SiteGraph, node: Term) -> list[Term]:
    """The members of an RDF list (rdf:first / rdf:rest), in order."""
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    members: list[Term] = []
    seen = set()
    while node.kind == "bnode" and node not in seen:
        seen.add(node)
        members += graph.objects(node, rdf + "first")
        rest = graph.objects(node, rdf + "rest")
        if not rest:
            break
        node = rest[0]
    return members


def bnode_summary(graph: SiteGraph, node: Term) -> str:
    """A few words for an unnamed node: an OWL union or list by its members, else its kind."""
    owl = "http://www.w3.org/2002/07/owl#"
    for predicate, words in (
        (owl + "unionOf", "one of"),
        (owl + "members", "all of"),
        (owl + "propertyChainAxiom", "the chain"),
    ):
        lists = graph.objects(node, predicate)
        if lists:
            members = [
                name(graph, m.value) if m.is_iri else "…" for m in list_members(graph, lists[0])
            ]
            return f"{words} " + ", ".join(members)
    if graph.objects(node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"):
        return "a list of " + ", ".join(
            name(graph, m.value) if m.is_iri else "…" for m in list_members(graph, node)
        )
    types = [name(graph, t.value) for t in graph.objects(node, RDF_TYPE) if t.is_iri]
    return ", ".join(types) if types else "details in the downloads"


def type_label(graph: SiteGraph, iri: str) -> str:
    """The label of the most specific asserted type (the ontology's rdfs:label)."""
    types = graph.types(iri)
    return graph.label(types[0]) if types else "resource"


def name(graph: SiteGraph, iri: str) -> str:
    """A resource's name as the site's own words: its label unless the label judges.

    Designations are named by their parties (their labels carry the category, which is the
    authority's word); other labels with a contested word fall back to their type.
    """
    known = graph.names.get(iri)
    if known is None:
        known = graph.names[iri] = make_name(graph, iri)
    return known


def make_name(graph: SiteGraph, iri: str) -> str:
    if graph.is_a(iri, H + "Designation"):
        authority = graph.one(iri, H + "authority")
        actor = graph.one(iri, H + "designatedActor")
        if authority and actor:
            return f"Designation by {name(graph, authority)} of {name(graph, actor)}"
    if graph.is_a(iri, H + "Participation"):
        agent = graph.one(iri, H + "participantAgent")
        events = graph.subjects(H + "hasParticipation", iri)
        if agent and events:
            return f"Participation of {name(graph, agent)} in {name(graph, events[0])}"
    if graph.is_a(iri, H + "Evidence") or graph.is_a(iri, H + "ExcludedPassage"):
        return evidence_name(graph, iri)
    label = graph.label(iri)
    if not is_contested(label):
        return label
    if graph.is_a(iri, H + "DesignationList"):
        keeper = graph.one(iri, H + "keptBy")
        return f"Designation list kept by {name(graph, keeper)}" if keeper else "Designation list"
    if SKOS + "Concept" in graph.types(iri):
        scheme = graph.one(iri, SKOS + "inScheme")
        return f"a concept of {name(graph, scheme)}" if scheme else "a concept"
    local = local_name(iri)
    kind = type_label(graph, iri)
    return kind if is_contested(local) else f"{kind} {local}"


def evidence_name(graph: SiteGraph, iri: str) -> str:
    """'Evidence from <source>, characters 9991–10144' (the words themselves are a quote)."""
    oa = "http://www.w3.org/ns/oa#"
    kind = "Passage left without facts" if graph.is_a(iri, H + "ExcludedPassage") else "Evidence"
    source = graph.one(iri, oa + "hasSource")
    where = f" from {name(graph, source)}" if source else ""
    for selector in graph.objects(iri, oa + "hasSelector"):
        start, end = graph.one(selector, oa + "start"), graph.one(selector, oa + "end")
        if start is not None and end is not None:
            return f"{kind}{where}, characters {start}–{end}"
    return f"{kind}{where} ({local_name(iri)})"


def sort_by_name(graph: SiteGraph, iris: list[str]) -> list[str]:
    return sorted(set(iris), key=lambda i: (name(graph, i).casefold(), i))
