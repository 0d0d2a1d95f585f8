"""One pass over the assembled quads, collecting what the data meta-checks need.

At a million quads the pass costs about a second (bench/ has the measure); it keeps sets of
IRIs and the first quad of each distinct finding, never a graph of the whole dataset, so the
reference and date checks (hrkg.checks.references, hrkg.checks.dates) cost no further pass.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hrkg import rdf as ns

if TYPE_CHECKING:
    import pyoxigraph as ox

DATE_TYPES = frozenset(
    ns.XSD + t for t in ("date", "dateTime", "dateTimeStamp", "gYearMonth", "gYear")
)


@dataclass
class Scan:
    """What the data holds: described IRIs, kg: objects, typed classes and date literals.

    Each finding keeps its first quad (to locate it) and a count of its uses.
    """

    described: set[str] = field(default_factory=set)
    kg_objects: dict[str, ox.Quad] = field(default_factory=dict)
    types: dict[str, ox.Quad] = field(default_factory=dict)  # rdf:type objects outside ontology
    dates: dict[tuple[str, str], ox.Quad] = field(default_factory=dict)  # (datatype, lexical)
    uses: Counter[str | tuple[str, str]] = field(default_factory=Counter)


def scan(quads: Iterable[ox.Quad]) -> Scan:
    """Collect the subjects, kg: objects, rdf:type classes and date literals in one pass."""
    import pyoxigraph as ox

    found = Scan()
    described, kg_objects, types, dates, uses = (
        found.described,
        found.kg_objects,
        found.types,
        found.dates,
        found.uses,
    )
    named, literal = ox.NamedNode, ox.Literal
    date_types = {ox.NamedNode(t) for t in DATE_TYPES}
    rdf_type = ox.NamedNode(ns.RDF_TYPE)
    ontology = ox.NamedNode(ns.GRAPH_ONTOLOGY)
    for q in quads:
        s, p, o, g = q
        if type(s) is named:
            described.add(s.value)
        if type(o) is named:
            value = o.value
            if value.startswith(ns.KG):
                if value not in kg_objects:
                    kg_objects[value] = q
                uses[value] += 1
            if p == rdf_type and g != ontology and value not in types:
                types[value] = q
        elif type(o) is literal and o.datatype in date_types:
            key = (o.datatype.value, o.value)
            if key not in dates:
                dates[key] = q
            uses[key] += 1
    return found
