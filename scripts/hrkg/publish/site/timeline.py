"""The timeline: events and statements placed as the graph dates them.

A day is a point; a lower and an upper bound make a range that says "not before / not after";
an item with one bound only, or none, is listed apart and never put on an invented day.
Positions on the axis are percentages computed here, so the page needs no script to show
them (a script only filters by actor).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hrkg import namespaces as ns
from hrkg.publish.site.graph import SiteGraph, local_name
from hrkg.publish.site.values import When, name, type_label, when

H = ns.HRKG
ACTOR_LINKS = (H + "speaker", H + "onBehalfOf", H + "addressee", H + "host", H + "organizer")


@dataclass
class Item:
    iri: str
    name: str
    kind: str
    when: When
    actors: list[str]
    left: str = ""
    width: str = ""


@dataclass
class Timeline:
    placed: list[Item] = field(default_factory=list)
    open: list[Item] = field(default_factory=list)
    undated: list[Item] = field(default_factory=list)
    years: list[tuple[int, str]] = field(default_factory=list)  # (year, left %)
    actors: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)


def actors_of(graph: SiteGraph, event: str) -> list[str]:
    """Slugs of the actors taking part in an event or statement (for the actor filter)."""
    found = {a for p in ACTOR_LINKS for a in graph.iris(event, p)}
    for participation in graph.iris(event, H + "hasParticipation"):
        found |= set(graph.iris(participation, H + "participantAgent"))
        found |= set(graph.iris(participation, H + "onBehalfOf"))
    return sorted(local_name(a) for a in found if a.startswith(ns.KG))


def build_timeline(graph: SiteGraph) -> Timeline:
    timeline = Timeline()
    items = []
    for event in graph.instances(H + "Event"):
        if not event.startswith(ns.KG):
            continue
        items.append(Item(event, name(graph, event), type_label(graph, event),
                          when(graph, event), actors_of(graph, event)))
    items.sort(key=lambda i: (i.when.sort_key, i.name.casefold(), i.iri))
    for item in items:
        kind = item.when.kind
        getattr(timeline, {"point": "placed", "range": "placed", "open": "open"}.get(
            kind, "undated")).append(item)
    if timeline.placed:
        first = min(dt.date.fromisoformat(i.when.lower or "") for i in timeline.placed)
        last = max(dt.date.fromisoformat(i.when.upper or "") for i in timeline.placed)
        start, end = dt.date(first.year, 1, 1), dt.date(last.year + 1, 1, 1)
        total = (end - start).days

        def percent(day: dt.date) -> float:
            return (day - start).days / total * 100

        for item in timeline.placed:
            low = dt.date.fromisoformat(item.when.lower or "")
            high = dt.date.fromisoformat(item.when.upper or "") + dt.timedelta(days=1)
            item.left = f"{percent(low):.3f}"
            item.width = f"{percent(high) - percent(low):.3f}"
        timeline.years = [(year, f"{percent(dt.date(year, 1, 1)):.3f}")
                          for year in range(start.year, end.year)]
    slugs = sorted({a for i in items for a in i.actors})
    timeline.actors = sorted(((s, name(graph, ns.KG + s)) for s in slugs),
                             key=lambda pair: pair[1].casefold())
    return timeline
