"""The timeline: events and statements placed as the graph dates them.

A day is a point; a lower and an upper bound make a range that says "not before / not after";
an item with one bound only, or none, is listed apart and never put on an invented day.
Positions on the axis are percentages computed here, so the page needs no script to show
them (a script only filters by actor).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hrkg import rdf as ns
from hrkg.publish.site.graph import SiteGraph, local_name
from hrkg.publish.site.values import MONTHS as MONTH_NAMES
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


@dataclass
class Axis:
    """Placed items on one scale: (item, left %, width %), with ticks (label, left %)."""

    title: str
    anchor: str
    rows: list[tuple[Item, str, str]] = field(default_factory=list)
    ticks: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Timeline:
    placed: list[Item] = field(default_factory=list)
    open: list[Item] = field(default_factory=list)
    undated: list[Item] = field(default_factory=list)
    axes: list[Axis] = field(default_factory=list)
    actors: list[tuple[str, str]] = field(default_factory=list)  # (slug, name)


def place(items: list[Item], start: dt.date, end: dt.date) -> list[tuple[Item, str, str]]:
    """Left and width, in % of [start, end), of each item's span (its upper day included)."""
    total = (end - start).days
    rows = []
    for item in items:
        low = dt.date.fromisoformat(item.when.lower or "")
        high = dt.date.fromisoformat(item.when.upper or "") + dt.timedelta(days=1)
        left = (low - start).days / total * 100
        rows.append((item, f"{left:.3f}", f"{(high - low).days / total * 100:.3f}"))
    return rows


def close_up(items: list[Item]) -> Axis | None:
    """The last year of a long timeline, month by month, where items crowd together."""
    last = max(dt.date.fromisoformat(i.when.upper or "") for i in items)
    recent = [i for i in items if (last - dt.date.fromisoformat(i.when.lower or "")).days <= 366]
    first = min(dt.date.fromisoformat(i.when.lower or "") for i in items)
    if len(recent) < 2 or len(recent) == len(items) or (last - first).days < 3 * 365:
        return None
    low = min(dt.date.fromisoformat(i.when.lower or "") for i in recent)
    start = dt.date(low.year, low.month, 1)
    end = dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    axis = Axis(
        f"Close-up: {MONTH_NAMES[start.month - 1]} {start.year} to "
        f"{MONTH_NAMES[last.month - 1]} {last.year}",
        "close-up",
        place(recent, start, end),
    )
    month = start
    total = (end - start).days
    while month < end:
        label = MONTH_NAMES[month.month - 1][:3] + (
            f" {month.year}" if month.month in (1,) or month == start else ""
        )
        axis.ticks.append((label, f"{(month - start).days / total * 100:.3f}"))
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return axis


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
        items.append(
            Item(
                event,
                name(graph, event),
                type_label(graph, event),
                when(graph, event),
                actors_of(graph, event),
            )
        )
    items.sort(key=lambda i: (i.when.sort_key, i.name.casefold(), i.iri))
    for item in items:
        kind = item.when.kind
        getattr(
            timeline, {"point": "placed", "range": "placed", "open": "open"}.get(kind, "undated")
        ).append(item)
    if timeline.placed:
        first = min(dt.date.fromisoformat(i.when.lower or "") for i in timeline.placed)
        last = max(dt.date.fromisoformat(i.when.upper or "") for i in timeline.placed)
        start, end = dt.date(first.year, 1, 1), dt.date(last.year + 1, 1, 1)
        total = (end - start).days
        whole = Axis(
            f"Dated items ({len(timeline.placed)})", "placed", place(timeline.placed, start, end)
        )
        whole.ticks = [
            (str(year), f"{(dt.date(year, 1, 1) - start).days / total * 100:.3f}")
            for year in range(start.year, end.year)
        ]
        timeline.axes.append(whole)
        detail = close_up(timeline.placed)
        if detail is not None:
            timeline.axes.append(detail)
    slugs = sorted({a for i in items for a in i.actors})
    timeline.actors = sorted(
        ((s, name(graph, ns.KG + s)) for s in slugs), key=lambda pair: pair[1].casefold()
    )
    return timeline
