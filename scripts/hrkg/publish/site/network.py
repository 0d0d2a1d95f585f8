"""The actor network: who met, hosted, addressed, accused, denied or designated whom.

An "accused" edge needs a statement whose only speech act (besides a denial it makes through
hrkg:denies) is an accusation; a statement that also affirms or thanks gives the weaker
"asserted a claim about", since the graph does not say which of its claims accuse.
Statements without an accusation give no such edge (the article's own assessments would
otherwise join everyone to everyone).

Every edge names the fact behind it (an event, a statement or a designation), so the picture
and the table beside it lead to the evidence. Accusations and denials are read from the
statements' speech acts and the claims they assert or deny, never from the claims as facts.
The layout is a fixed number of force-directed steps from a circle: the same graph gives the
same coordinates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations

from hrkg import rdf as ns
from hrkg.publish.site.graph import SiteGraph
from hrkg.publish.site.values import name

H = ns.HRKG
VOCAB = ns.VOCAB
HOST_ROLE = VOCAB + "participant-role/host"
ACCUSATION = VOCAB + "speech-act/accusation"
GATHERINGS = (H + "Meeting", H + "Talks", H + "Visit")
DENIAL = VOCAB + "speech-act/denial"
KINDS = (
    "met",
    "hosted",
    "addressed",
    "accused",
    "denied a claim about",
    "designation",
    "asserted a claim about",
)
SIZE = 900.0


@dataclass(frozen=True, order=True)
class Edge:
    source: str
    target: str
    kind: str
    fact: str
    detail: str = ""


@dataclass
class Network:
    nodes: list[tuple[str, str, float, float]] = field(default_factory=list)  # iri, name, x, y
    edges: list[Edge] = field(default_factory=list)
    size: float = SIZE

    def position(self, iri: str) -> tuple[float, float]:
        for node, _name, x, y in self.nodes:
            if node == iri:
                return x, y
        raise KeyError(iri)


def participants(graph: SiteGraph, event: str) -> tuple[list[str], list[str]]:
    """(hosts, others) of an event, from hrkg:host and the participations' roles."""
    hosts = set(graph.iris(event, H + "host"))
    others = set()
    for participation in graph.iris(event, H + "hasParticipation"):
        agents = graph.iris(participation, H + "participantAgent")
        if HOST_ROLE in graph.iris(participation, H + "participantRole"):
            hosts |= set(agents)
        else:
            others |= set(agents)
    return sorted(hosts), sorted(others - hosts)


def edges(graph: SiteGraph) -> list[Edge]:
    """Every typed edge of the network, each linked to the fact behind it."""
    found = meeting_edges(graph) | statement_edges(graph) | designation_edges(graph)
    return sorted(found, key=lambda e: (KINDS.index(e.kind), e.source, e.target, e.fact))


def meeting_edges(graph: SiteGraph) -> set[Edge]:
    """Hosts and guests of gatherings, and who met whom there."""
    found: set[Edge] = set()
    for event in graph.instances(H + "Event"):
        if not any(graph.is_a(event, kind) for kind in GATHERINGS):
            continue
        hosts, others = participants(graph, event)
        for host in hosts:
            for guest in others:
                found.add(Edge(host, guest, "hosted", event))
        for left, right in combinations(others, 2):
            found.add(Edge(left, right, "met", event))
    return found


def claim_subjects(graph: SiteGraph, claims: list[str], speaker: str) -> list[str]:
    """The actors the claims are about, the speaker left out."""
    return [
        subject
        for claim in claims
        for subject in graph.iris(claim, H + "claimSubject")
        if subject != speaker and graph.is_a(subject, H + "Actor")
    ]


def statement_edges(graph: SiteGraph) -> set[Edge]:
    """Who addressed, accused (or asserted a claim about) and denied a claim about whom."""
    found: set[Edge] = set()
    for statement in graph.instances(H + "Statement"):
        denied = graph.iris(statement, H + "denies")
        # "accused" only where accusation is the statement's one speech act left once its
        # denials are accounted for; otherwise the edge says no more than the assertion
        acts = set(graph.iris(statement, H + "speechActKind"))
        if denied:
            acts.discard(DENIAL)
        kind = "accused" if acts == {ACCUSATION} else "asserted a claim about"
        asserted = graph.iris(statement, H + "asserts") if ACCUSATION in acts else []
        for speaker in graph.iris(statement, H + "speaker"):
            for addressee in graph.iris(statement, H + "addressee"):
                found.add(Edge(speaker, addressee, "addressed", statement))
            for subject in claim_subjects(graph, asserted, speaker):
                found.add(Edge(speaker, subject, kind, statement))
            for subject in claim_subjects(graph, denied, speaker):
                found.add(Edge(speaker, subject, "denied a claim about", statement))
    return found


def designation_edges(graph: SiteGraph) -> set[Edge]:
    """Authority to designated actor, labelled with the designation's status."""
    found: set[Edge] = set()
    for designation in graph.instances(H + "Designation"):
        status = graph.one(designation, H + "designationStatus")
        label = graph.label(status) if status else ""
        for authority in graph.iris(designation, H + "authority"):
            for actor in graph.iris(designation, H + "designatedActor"):
                found.add(Edge(authority, actor, "designation", designation, label))
    return found


def layout(
    nodes: list[str], links: list[tuple[str, str]], steps: int = 150
) -> dict[str, tuple[float, float]]:
    """Fruchterman–Reingold from a circle, a fixed number of steps, rounded: deterministic."""
    count = max(len(nodes), 1)
    centre = SIZE / 2
    pos = {
        n: [
            centre + 0.4 * SIZE * math.cos(2 * math.pi * i / count),
            centre + 0.4 * SIZE * math.sin(2 * math.pi * i / count),
        ]
        for i, n in enumerate(nodes)
    }
    k = 0.8 * math.sqrt(SIZE * SIZE / count)
    temperature = SIZE / 10
    pairs = sorted(set(links))
    for _ in range(steps):
        move = {n: [0.0, 0.0] for n in nodes}
        for a, b in combinations(nodes, 2):
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            dist = max(math.hypot(dx, dy), 0.01)
            force = k * k / dist
            move[a][0] += dx / dist * force
            move[a][1] += dy / dist * force
            move[b][0] -= dx / dist * force
            move[b][1] -= dy / dist * force
        for a, b in pairs:
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            dist = max(math.hypot(dx, dy), 0.01)
            force = dist * dist / k
            move[a][0] -= dx / dist * force
            move[a][1] -= dy / dist * force
            move[b][0] += dx / dist * force
            move[b][1] += dy / dist * force
        for n in nodes:
            dx, dy = move[n]
            # a weak pull to the centre keeps unconnected parts on the canvas
            dx += (centre - pos[n][0]) * 0.05 * k / 10
            dy += (centre - pos[n][1]) * 0.05 * k / 10
            dist = max(math.hypot(dx, dy), 0.01)
            step = min(dist, temperature)
            pos[n][0] = min(SIZE - 130, max(130, pos[n][0] + dx / dist * step))
            pos[n][1] = min(SIZE - 30, max(30, pos[n][1] + dy / dist * step))
        temperature *= 0.97
    return {n: (round(p[0], 1), round(p[1], 1)) for n, p in pos.items()}


def build_network(graph: SiteGraph) -> Network:
    found = edges(graph)
    nodes = sorted({e.source for e in found} | {e.target for e in found})
    positions = layout(nodes, [(e.source, e.target) for e in found])
    network = Network(edges=found)
    network.nodes = [(n, name(graph, n), *positions[n]) for n in nodes]
    return network
