"""The graph's facts in Wikidata's RDF model, for the entities linked to Wikidata items.

`wikidata_view(quads)` takes the quads the build has and returns the view: truthy `wdt:`
triples, `p:`/`ps:`/`pq:` statement nodes in normal rank, and references
(`prov:wasDerivedFrom` → `pr:P854` URL, `pr:P1683` quotation, `pr:P248` stated in, `pr:P813`
retrieved where an annotated property gives it), so a query written for the Wikidata Query
Service runs unchanged on it. Every fact-level node (one with `prov:wasDerivedFrom`) that gets
no Wikidata form is counted in the report with the reason, never silently dropped.

Rules, all driven by the ontology's annotations (hrkg.publish.wikidata.mapping):
- a node whose class matches `wd:Pn` is one statement of Pn: the item holding it is the value
  of its `p:Pn` property, the statement value that of its `ps:Pn` property; both need items;
  its concept values must each confirm Pn or mark normal rank, or it has no Wikidata form (a
  designation whose status is "not designated" stays out, and is counted);
  its other properties matching `wd:Px`/`pq:Px` become qualifiers;
- a node that has an item gets a statement for each of its properties matching `wd:Px`;
- references come from the node's evidence and the nodes the evidence points to (selectors,
  the source document), through their properties matching `pr:Px`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from hrkg import rdf as ns
from hrkg.publish.wikidata.mapping import (
    PQ,
    PR,
    PROV_DERIVED,
    PS,
    RDF_TYPE,
    RDFS_LABEL,
    WD,
    WDT,
    WIKIBASE,
    Mapping,
    P,
    linked_items,
    read_mapping,
)

GRAPH_WIKIDATA = ns.GRAPH + "wikidata"
STATEMENT_BASE = ns.KG + "wikidata/statement/"
REFERENCE_BASE = ns.KG + "wikidata/reference/"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_DATE = XSD + "date"
XSD_DATETIME = XSD + "dateTime"
SKIPPED = {RDF_TYPE, RDFS_LABEL, PROV_DERIVED}
DCTERMS_LANGUAGE = "http://purl.org/dc/terms/language"


@dataclass(frozen=True)
class Value:
    """A statement, qualifier or reference value: an item (QID), a URL or a literal."""

    qid: str | None = None
    literal: ox.Literal | None = None
    url: str | None = None

    def term(self) -> ox.NamedNode | ox.Literal:
        if self.qid is not None:
            return ox.NamedNode(WD + self.qid)
        if self.url is not None:
            return ox.NamedNode(self.url)
        assert self.literal is not None
        return self.literal


@dataclass(frozen=True)
class Reference:
    """One reference: its node IRI and (Pid, value) pairs."""

    iri: str
    values: tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class Statement:
    """One Wikidata-shaped statement derived from one fact of the graph."""

    iri: str
    source: str  # the graph's node it expresses
    subject: str  # QID
    pid: str
    value: Value
    qualifiers: tuple[tuple[str, Value], ...]
    references: tuple[Reference, ...]


@dataclass(frozen=True)
class Unmapped:
    """A fact-level node with no Wikidata form, and why."""

    node: str
    kind: str
    reason: str
    fitting: tuple[str, ...] = ()  # Wikidata properties its values would fit, given an item


@dataclass
class View:
    """The view's statements, the facts left out, and details of expressed facts not carried."""

    statements: list[Statement] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)

    def triples(self) -> list[ox.Triple]:
        """The view in Wikidata's RDF binding, sorted, without duplicates."""
        out: set[ox.Triple] = set()
        for st in self.statements:
            item, node = ox.NamedNode(WD + st.subject), ox.NamedNode(st.iri)
            value = st.value.term()
            out.add(ox.Triple(item, ox.NamedNode(WDT + st.pid), value))
            out.add(ox.Triple(item, ox.NamedNode(P + st.pid), node))
            out.add(ox.Triple(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(WIKIBASE + "Statement")))
            out.add(
                ox.Triple(
                    node, ox.NamedNode(WIKIBASE + "rank"), ox.NamedNode(WIKIBASE + "NormalRank")
                )
            )
            out.add(ox.Triple(node, ox.NamedNode(PS + st.pid), value))
            for pid, qualifier in st.qualifiers:
                out.add(ox.Triple(node, ox.NamedNode(PQ + pid), qualifier.term()))
            for ref in st.references:
                ref_node = ox.NamedNode(ref.iri)
                out.add(ox.Triple(node, ox.NamedNode(PROV_DERIVED), ref_node))
                out.add(
                    ox.Triple(
                        ref_node, ox.NamedNode(RDF_TYPE), ox.NamedNode(WIKIBASE + "Reference")
                    )
                )
                for pid, ref_value in ref.values:
                    out.add(ox.Triple(ref_node, ox.NamedNode(PR + pid), ref_value.term()))
        return sorted(out, key=str)

    def quads(self) -> list[ox.Quad]:
        """The same triples in the named graph https://w3id.org/hrkg/graph/wikidata."""
        graph = ox.NamedNode(GRAPH_WIKIDATA)
        return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in self.triples()]

    def report(self) -> list[tuple[str, int, str]]:
        """(fact kind, how many facts, why it has no Wikidata form), most frequent first; the
        reason names the Wikidata properties its details would fit if it had an item."""
        counts = Counter((u.kind, u.reason) for u in self.unmapped)
        fitting: dict[tuple[str, str], set[str]] = defaultdict(set)
        for u in self.unmapped:
            fitting[(u.kind, u.reason)].update(u.fitting)
        rows = []
        for (kind, reason), n in counts.items():
            pids = sorted(fitting[(kind, reason)], key=lambda pid: int(pid[1:]))
            if pids:
                reason += f" (its details would fit {', '.join(pids)})"
            rows.append((kind, n, reason))
        return sorted(rows, key=lambda r: (-r[1], r[0], r[2]))


def _local(iri: str) -> str:
    return iri[len(ns.KG) :] if iri.startswith(ns.KG) else re.sub(r"[^A-Za-z0-9-]+", "-", iri)


def _tagged(term: ox.Literal, language: str | None) -> ox.Literal:
    """A plain quotation from a source in one known language gets that language (Wikidata's
    quotations are monolingual text)."""
    if language and term.language is None and term.datatype.value == XSD + "string":
        return ox.Literal(term.value, language=language)
    return term


def _literal_value(term: ox.Literal) -> Value:
    """Days become Wikidata's time values (xsd:dateTime at midnight UTC, as WDQS has them);
    xsd:anyURI becomes an IRI, as Wikidata writes URL values."""
    if term.datatype.value == XSD + "anyURI":
        return Value(url=term.value)
    if term.datatype.value == XSD_DATE:
        return Value(
            literal=ox.Literal(f"{term.value}T00:00:00Z", datatype=ox.NamedNode(XSD_DATETIME))
        )
    return Value(literal=term)


class _Graph:
    """Outgoing edges by subject, without the inferred graph (the view says what was stated)."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self.out: dict[str, list[tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal]]]
        self.out = defaultdict(list)
        for quad in quads:
            graph = quad.graph_name
            if isinstance(graph, ox.NamedNode) and graph.value == ns.GRAPH_INFERRED:
                continue
            key = _key(quad.subject)
            edge = (quad.predicate.value, quad.object)
            # the same triple may be stated in two graphs (an entity typed in two files)
            if (
                key is not None
                and not isinstance(quad.object, ox.Triple)
                and edge not in self.out[key]
            ):
                self.out[key].append(edge)  # type: ignore[arg-type]

    def objects(
        self, subject: str, predicate: str
    ) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        return [o for p, o in self.out.get(subject, []) if p == predicate]


def _key(term: object) -> str | None:
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return None


def wikidata_view(quads: list[ox.Quad]) -> View:
    """Build the Wikidata-shaped view of the graph from the quads the build holds."""
    mapping = read_mapping(quads)
    items = linked_items(quads)
    graph = _Graph(quads)
    view = View()
    facts = sorted(
        s
        for s, edges in graph.out.items()
        if not s.startswith("_:") and any(p == PROV_DERIVED for p, _ in edges)
    )
    for node in facts:
        classes = [o.value for o in graph.objects(node, RDF_TYPE) if isinstance(o, ox.NamedNode)]
        cls = mapping.most_specific(classes)
        kind = mapping.label(cls) if cls else "untyped node"
        pid = _class_pid(mapping, cls)
        if pid is not None:
            _nary(view, graph, mapping, items, node, kind, pid)
        elif node in items:
            _direct(view, graph, mapping, items, node, kind)
        else:
            fitting = tuple(
                sorted(
                    {
                        t.pid
                        for prop, _o in graph.out[node]
                        if prop not in SKIPPED
                        for t in mapping.targets(prop, "wd", "pq")
                    }
                )
            )
            view.unmapped.append(
                Unmapped(
                    node,
                    kind,
                    "it has no Wikidata item and its class matches no Wikidata property",
                    fitting,
                )
            )
    return view


def _class_pid(mapping: Mapping, cls: str | None) -> str | None:
    if cls is None:
        return None
    for candidate in [cls, *sorted(mapping.superclasses.get(cls, set()))]:
        if candidate in mapping.class_pid:
            return mapping.class_pid[candidate]
    return None


def _concept_fits(mapping: Mapping, pid: str, concept: str) -> bool:
    """A concept value (a status, a category) that the statement wd:P<pid> can express."""
    return pid in mapping.concept_pids.get(concept, set()) or concept in mapping.normal_rank


def _ends_problem(
    mapping: Mapping,
    items: dict[str, str],
    pid: str,
    holder: tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal] | None,
    value: tuple[str, ox.NamedNode | ox.BlankNode | ox.Literal] | None,
) -> str | None:
    """Why a statement's two ends (p: holder, ps: value) cannot be written, or None."""
    for role, found in (("p", holder), ("ps", value)):
        if found is None:
            return f"no property of it matches {role}:{pid}"
    for prop, obj in (holder, value):  # type: ignore[misc]
        if not (isinstance(obj, ox.NamedNode) and obj.value in items):
            return f"its {mapping.label(prop)} has no Wikidata item"
    return None


def _nary(
    view: View,
    graph: _Graph,
    mapping: Mapping,
    items: dict[str, str],
    node: str,
    kind: str,
    pid: str,
) -> None:
    """One statement from an n-ary node whose class matches wd:P<pid>."""
    holder = value = None
    qualifiers: list[tuple[str, Value]] = []
    dropped: Counter[str] = Counter()
    for prop, obj in sorted(graph.out[node], key=lambda e: (e[0], str(e[1]))):
        if prop in SKIPPED:
            continue
        roles = {(t.role, t.pid) for t in mapping.property_targets.get(prop, [])}
        if ("p", pid) in roles or ("ps", pid) in roles:
            role = "p" if ("p", pid) in roles else "ps"
            if (holder if role == "p" else value) is not None:
                view.unmapped.append(
                    Unmapped(node, kind, f"more than one value matches {role}:{pid}")
                )
                return
            if role == "p":
                holder = (prop, obj)
            else:
                value = (prop, obj)
        elif isinstance(obj, ox.NamedNode) and obj.value in mapping.concepts:
            if not _concept_fits(mapping, pid, obj.value):
                concept = mapping.label(obj.value)
                reason = f"{mapping.label(prop)} {concept!r} has no Wikidata form"
                view.unmapped.append(
                    Unmapped(node, f"{kind} ({mapping.label(prop)}: {concept})", reason)
                )
                return
        elif (qualifier := _qualifier(mapping, items, prop, obj)) is not None:
            qualifiers.append(qualifier)
        else:
            dropped[f"{mapping.label(prop)} on {kind}"] += 1
    problem = _ends_problem(mapping, items, pid, holder, value)
    if problem is not None:
        view.unmapped.append(Unmapped(node, kind, problem))
        return
    assert holder is not None and value is not None
    subject_qid, value_qid = items[holder[1].value], items[value[1].value]
    view.dropped.update(dropped)
    view.statements.append(
        Statement(
            STATEMENT_BASE + _local(node),
            node,
            subject_qid,
            pid,
            Value(qid=value_qid),
            tuple(qualifiers),
            _references(graph, mapping, items, node),
        )
    )


def _qualifier(
    mapping: Mapping,
    items: dict[str, str],
    prop: str,
    obj: ox.NamedNode | ox.BlankNode | ox.Literal,
) -> tuple[str, Value] | None:
    targets = mapping.targets(prop, "wd", "pq")
    if not targets:
        return None
    if isinstance(obj, ox.Literal):
        return targets[0].pid, _literal_value(obj)
    if isinstance(obj, ox.NamedNode) and obj.value in items:
        return targets[0].pid, Value(qid=items[obj.value])
    return None


def _direct(
    view: View, graph: _Graph, mapping: Mapping, items: dict[str, str], node: str, kind: str
) -> None:
    """Statements for the properties of a linked entity that match wd:P…."""
    references = _references(graph, mapping, items, node)
    found = False
    for prop, obj in sorted(graph.out[node], key=lambda e: (e[0], str(e[1]))):
        targets = mapping.targets(prop, "wd")
        if prop in SKIPPED or not targets:
            continue
        pid = targets[0].pid
        if isinstance(obj, ox.Literal):
            value = _literal_value(obj)
        elif isinstance(obj, ox.NamedNode) and obj.value in items:
            value = Value(qid=items[obj.value])
        else:
            view.dropped[f"{mapping.label(prop)} on {kind} (value has no Wikidata item)"] += 1
            continue
        found = True
        view.statements.append(
            Statement(
                f"{STATEMENT_BASE}{_local(node)}-{pid}-{_local(str(obj))}"[:200],
                node,
                items[node],
                pid,
                value,
                (),
                references,
            )
        )
    if not found:
        view.unmapped.append(
            Unmapped(node, kind, "none of its properties matches a Wikidata property")
        )


def _references(
    graph: _Graph, mapping: Mapping, items: dict[str, str], node: str
) -> tuple[Reference, ...]:
    """One reference per evidence node: its pr: values and those of the nodes it points to."""
    refs = []
    for evidence in sorted(
        o.value for o in graph.objects(node, PROV_DERIVED) if isinstance(o, ox.NamedNode)
    ):
        values: set[tuple[str, Value]] = set()
        around = [evidence] + [
            k for _p, o in graph.out.get(evidence, []) if (k := _key(o)) is not None
        ]
        languages = {
            o.value
            for s in around
            for o in graph.objects(s, DCTERMS_LANGUAGE)
            if isinstance(o, ox.Literal)
        }
        language = languages.pop() if len(languages) == 1 else None
        for subject in around:
            for prop, obj in graph.out.get(subject, []):
                for target in mapping.targets(prop, "pr"):
                    if isinstance(obj, ox.Literal):
                        values.add((target.pid, _literal_value(_tagged(obj, language))))
            if subject != evidence and subject in items and mapping.derived_from_pid:
                values.add((mapping.derived_from_pid, Value(qid=items[subject])))
        if values:
            ordered = tuple(sorted(values, key=lambda v: (int(v[0][1:]), str(v[1].term()))))
            refs.append(Reference(REFERENCE_BASE + _local(evidence), ordered))
    return tuple(refs)
