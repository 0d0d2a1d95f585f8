"""The index pages' content: actors by kind, events, statements, claims by stance, the
designation matrix, weapon systems by origin, sources, the search entries and the downloads.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hrkg import rdf as ns
from hrkg.publish.site import urls
from hrkg.publish.site.describe import Describer, Section
from hrkg.publish.site.graph import RDFS, SKOS, SiteGraph, local_name
from hrkg.publish.site.values import Namer, Value, name, sort_by_name, text, type_label, when

if TYPE_CHECKING:
    from hrkg.publish.site.network import Edge

H = ns.HRKG
OA = "http://www.w3.org/ns/oa#"


def own(iris: list[str]) -> list[str]:
    """Only the project's resources (those with a page under id/)."""
    return [i for i in iris if i.startswith(ns.KG)]


def by_date(graph: SiteGraph, iris: list[str]) -> list[str]:
    return sorted(iris, key=lambda i: (when(graph, i).sort_key, name(graph, i).casefold(), i))


def listings(graph: SiteGraph, d: Describer) -> list[tuple[str, str, str, list[Section]]]:
    """(path, title, intro, sections) of each list page."""
    return [
        actors(graph, d),
        events(graph, d),
        statements(graph, d),
        claims(graph, d),
        weapons(graph, d),
        sources(graph, d),
    ]


def actors(graph: SiteGraph, d: Describer) -> tuple[str, str, str, list[Section]]:
    n = Namer(graph, "actors.html")
    kinds: dict[str, list[str]] = defaultdict(list)
    for actor in own(graph.instances(H + "Actor")):
        kinds[type_label(graph, actor)].append(actor)
    sections = []
    for kind in sorted(kinds, key=str.casefold):
        section = Section(
            f"{kind} ({len(kinds[kind])})",
            "kind-" + kind.replace(" ", "-"),
            ["name", "also known as", "Wikidata"],
        )
        for actor in sort_by_name(graph, kinds[kind]):
            matches = [
                Value("ext", m[len(ns.WIKIDATA_ENTITY) :], m)
                for m in graph.iris(actor, SKOS + "exactMatch")
            ]
            section.rows.append(
                [
                    [n.link(actor)],
                    [text("; ".join(graph.alt_labels(actor)))] if graph.alt_labels(actor) else [],
                    matches,
                ]
            )
        sections.append(section)
    return (
        "actors.html",
        "Actors by kind",
        "Every person, organization, state and informal group the sources name.",
        sections,
    )


def events(graph: SiteGraph, d: Describer) -> tuple[str, str, str, list[Section]]:
    n = Namer(graph, "events.html")
    section = Section("Events", "events", ["event", "kind", "date", "place", "status"])
    found = [e for e in own(graph.instances(H + "Event")) if not graph.is_a(e, H + "Statement")]
    for event in by_date(graph, found):
        places = graph.iris(event, H + "location") + graph.iris(event, H + "destination")
        section.rows.append(
            [
                [n.link(event)],
                [text(type_label(graph, event))],
                [Value("date", when(graph, event).describe())],
                [n.link(p) for p in sorted(set(places))],
                [n.link(s) for s in graph.iris(event, H + "eventStatus")],
            ]
        )
    return (
        "events.html",
        "Events",
        "Meetings, visits, talks, acts and conflicts, by date; "
        "the date column says how precise each date is.",
        [section],
    )


def statements(graph: SiteGraph, d: Describer) -> tuple[str, str, str, list[Section]]:
    n = Namer(graph, "statements.html")
    section = Section(
        "Statements", "statements", ["statement", "speaker", "date", "medium", "claims"]
    )
    for statement in by_date(graph, own(graph.instances(H + "Statement"))):
        stances = [
            f"{len(d.claims_of(statement, s))} {d.verb(s)}"
            for s in d.claim_stances
            if d.claims_of(statement, s)
        ]
        section.rows.append(
            [
                d.speakers(n, statement),
                [Value("date", when(graph, statement).describe())],
                [n.link(m) for m in graph.iris(statement, H + "medium")],
                [text(", ".join(stances))] if stances else [],
            ]
        )
        section.rows[-1].insert(0, [n.link(statement)])
    return (
        "statements.html",
        "Statements",
        "What was said or published, by whom and when, "
        "with the number of claims each statement takes a stance on.",
        [section],
    )


def claims(graph: SiteGraph, d: Describer) -> tuple[str, str, str, list[Section]]:
    n = Namer(graph, "claims.html")
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for claim in own(graph.instances(H + "Claim")):
        stance = tuple(d.verb(s) for s in d.claim_stances if d.stating(claim, s))
        groups[stance].append(claim)
    sections = []
    for stance in sorted(groups, key=lambda s: (len(s), s)):
        title = (
            "No statement takes a stance"
            if not stance
            else "Stances taken: " + " and ".join(stance)
        )
        section = Section(
            title,
            "stance-" + ("-".join(stance) or "none").replace(" ", "-"),
            ["claim", *[d.stance_column(p) for p in d.claim_stances]],
        )
        for claim in sort_by_name(graph, groups[stance]):
            section.rows.append(
                [
                    [n.link(claim)],
                    *[
                        [v for s in d.stating(claim, p) for v in d.speakers(n, s)]
                        for p in d.claim_stances
                    ],
                ]
            )
        sections.append(section)
    return (
        "claims.html",
        "Claims by stance",
        "Propositions recorded with the statements that assert, deny or otherwise take a "
        "stance on them. A claim is never a fact of the graph.",
        sections,
    )


def weapons(graph: SiteGraph, d: Describer) -> tuple[str, str, str, list[Section]]:
    n = Namer(graph, "weapons.html")
    origins: dict[str, list[str]] = defaultdict(list)
    for weapon in own(graph.instances(H + "WeaponSystem")):
        for origin in graph.iris(weapon, H + "countryOfOrigin") or [""]:
            origins[origin].append(weapon)
    sections = []
    for origin in sort_by_name(graph, [o for o in origins if o]) + ([""] if "" in origins else []):
        title = f"Origin: {name(graph, origin)}" if origin else "Origin not recorded"
        section = Section(
            title,
            "origin-" + (local_name(origin) if origin else "none"),
            ["weapon system", "category", "derived from", "claims"],
        )
        for weapon in sort_by_name(graph, origins[origin]):
            about = [c for p in (H + "claimObject", H + "about") for c in graph.subjects(p, weapon)]
            section.rows.append(
                [
                    [n.link(weapon)],
                    [n.link(c) for c in graph.iris(weapon, H + "weaponCategory")],
                    [n.link(w) for w in graph.iris(weapon, H + "derivedFrom")],
                    [text(str(len(set(about))))],
                ]
            )
        sections.append(section)
    return (
        "weapons.html",
        "Weapon systems by origin",
        "Weapon systems the sources mention, grouped by country of origin; who is reported "
        "to hold them is on each page, as claims with their claimants.",
        sections,
    )


def sources(graph: SiteGraph, d: Describer) -> tuple[str, str, str, list[Section]]:
    n = Namer(graph, "sources.html")
    section = Section(
        "Sources", "sources", ["source", "publisher", "address", "evidence spans", "text shown"]
    )
    for document in sort_by_name(graph, own(graph.instances(H + "SourceDocument"))):
        spans = graph.subjects(OA + "hasSource", document)
        url = graph.one(document, H + "url")
        section.rows.append(
            [
                [n.link(document)],
                [n.link(p) for p in graph.iris(document, H + "publisher")],
                [Value("ext", url, url)] if url else [],
                [text(str(len(spans)))],
                [
                    text(
                        "yes, with every cited span marked"
                        if document in d.sources
                        else "no (quotes and address only)"
                    )
                ],
            ]
        )
    return ("sources.html", "Sources", "The documents every fact is derived from.", [section])


def designation_matrix(graph: SiteGraph, n: Namer) -> dict[str, Any]:
    """Rows: designated actors; columns: authorities; cells: the designations between them."""
    designations = own(graph.instances(H + "Designation"))
    authorities = sort_by_name(
        graph, [a for x in designations for a in graph.iris(x, H + "authority")]
    )
    actors_ = sort_by_name(
        graph, [a for x in designations for a in graph.iris(x, H + "designatedActor")]
    )
    rows = []
    for actor in actors_:
        cells = []
        for authority in authorities:
            items = []
            for x in designations:
                if actor in graph.iris(x, H + "designatedActor") and authority in graph.iris(
                    x, H + "authority"
                ):
                    status = graph.one(x, H + "designationStatus")
                    items.append(
                        {
                            "href": n.href(urls.page_of(x)),
                            "status": graph.label(status) if status else "status not recorded",
                            "status_key": local_name(status) if status else "unknown",
                            "category": [
                                Value("quote", graph.label(c))
                                for c in graph.iris(x, H + "designationCategory")
                            ],
                            "date": when(graph, x).describe()
                            if when(graph, x).kind != "undated"
                            else "",
                        }
                    )
            cells.append(
                {
                    "entries": items,
                    "status_key": items[0]["status_key"]
                    if len(items) == 1
                    else ("several" if items else "none"),
                }
            )
        rows.append({"actor": n.link(actor), "cells": cells})
    listing = Section(
        "Every designation",
        "all",
        ["designation", "authority", "designated actor", "status", "list", "date"],
    )
    for x in sort_by_name(graph, designations):
        listing.rows.append(
            [
                [n.link(x)],
                [n.link(a) for a in graph.iris(x, H + "authority")],
                [n.link(a) for a in graph.iris(x, H + "designatedActor")],
                [n.link(s) for s in graph.iris(x, H + "designationStatus")],
                [n.link(s) for s in graph.iris(x, H + "onList")],
                [Value("date", when(graph, x).describe())],
            ]
        )
    return {"authorities": [n.link(a) for a in authorities], "rows": rows, "listing": listing}


def edge_table(graph: SiteGraph, n: Namer, found: list[Edge]) -> Section:
    section = Section("Every edge", "edges", ["from", "edge", "to", "fact behind it"])
    for edge in found:
        kind = f"{edge.kind} ({edge.detail})" if edge.detail else edge.kind
        section.rows.append(
            [[n.link(edge.source)], [text(kind)], [n.link(edge.target)], [n.link(edge.fact)]]
        )
    return section


def search_entries(graph: SiteGraph) -> list[dict[str, Any]]:
    """Every named resource with a page: its display name, other names and kind."""
    entries = []
    for iri in graph.subject_iris():
        path = urls.page_of(iri)
        if "#" in path or not (
            graph.objects(iri, RDFS + "label") or graph.objects(iri, SKOS + "prefLabel")
        ):
            continue
        shown = name(graph, iri)
        alt = graph.alt_labels(iri)
        label = graph.label(iri)
        names = [shown, *alt] + ([label] if label != shown else [])
        entries.append(
            {
                "href": path,
                "name": shown,
                "alt": alt,
                "names": names,
                "kind": type_label(graph, iri),
            }
        )
    entries.sort(key=lambda e: (str(e["name"]).casefold(), str(e["href"])))
    return entries


DUMP_WORDS = {
    "hrkg.trig": "all named graphs (TriG)",
    "hrkg.nq": "all named graphs (N-Quads)",
    "hrkg.ttl": "the graphs merged (Turtle)",
    "hrkg.nt": "the graphs merged (N-Triples)",
    "hrkg.jsonld": "the graphs merged (JSON-LD)",
    "hrkg.context.jsonld": "the JSON-LD context of hrkg.jsonld",
    "hrkg-inferred.nt": "the OWL 2 RL inferences (N-Triples)",
    "void.ttl": "VoID and DCAT description of the dataset",
}


def downloads(out_dir: Path, page: str) -> list[dict[str, str]]:
    """The dumps present in the distribution folder, with their sizes and media types."""
    from hrkg.publish.dumps import CONTEXT_FILE, DUMPS

    media = {d.name: d.media_type for d in DUMPS}
    media[CONTEXT_FILE] = "application/ld+json"
    media["void.ttl"] = "text/turtle"
    out = []
    for file_name in media:
        path = out_dir / file_name
        if not path.is_file():
            continue
        out.append(
            {
                "name": file_name,
                "href": urls.relative(page, f"../{file_name}"),
                "what": DUMP_WORDS.get(file_name, ""),
                "media": media[file_name],
                "size": size(path.stat().st_size),
            }
        )
    return out


def size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 1_000_000 else f"{count / 1000:.1f} kB"


def counts(graph: SiteGraph) -> list[tuple[str, int, str]]:
    return [
        ("Actors", len(own(graph.instances(H + "Actor"))), "actors.html"),
        (
            "Events",
            len(
                [e for e in own(graph.instances(H + "Event")) if not graph.is_a(e, H + "Statement")]
            ),
            "events.html",
        ),
        ("Statements", len(own(graph.instances(H + "Statement"))), "statements.html"),
        ("Claims", len(own(graph.instances(H + "Claim"))), "claims.html"),
        ("Designations", len(own(graph.instances(H + "Designation"))), "designations.html"),
        ("Weapon systems", len(own(graph.instances(H + "WeaponSystem"))), "weapons.html"),
        ("Sources", len(own(graph.instances(H + "SourceDocument"))), "sources.html"),
    ]
