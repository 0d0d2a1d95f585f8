"""Parameters of stored queries, checked against their declared kind and bound as RDF terms.

The terms are only ever passed to the engines as bindings (pyoxigraph `substitutions`,
rdflib `initBindings`), never pasted into query text, so a value cannot inject SPARQL.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeAlias

from hrkg.rdf import XSD_DATE, XSD_INTEGER, expand

if TYPE_CHECKING:
    import pyoxigraph as ox

PARAM_KINDS = ("iri", "date", "string", "integer")


class Declared(Protocol):
    """What binding needs of a query: its name (for messages) and declared parameters."""

    @property
    def name(self) -> str: ...

    @property
    def params(self) -> tuple[Param, ...]: ...


class ParamError(ValueError):
    """A parameter value that is unknown or not of its declared kind."""


@dataclass(frozen=True)
class Param:
    """One declared parameter: `# Param: name = default (kind)`; default None = optional."""

    name: str
    default: str | None
    kind: str


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d+$")


def expand_iri(value: str) -> str:
    """A CURIE with a known prefix (kg:slug) or an absolute IRI (<…> optional); else ParamError."""
    iri = expand(value)
    if iri is None:
        raise ParamError(f"not an IRI or known CURIE: {value.strip()!r}")
    return iri


def bind_value(kind: str, value: str) -> ox.NamedNode | ox.Literal:
    """One parameter value as an RDF term, checked against its kind."""
    import pyoxigraph as ox

    if kind == "iri":
        iri = expand_iri(value)
        try:
            return ox.NamedNode(iri)
        except ValueError as err:
            raise ParamError(f"not a valid IRI: {value!r} ({err})") from None
    if kind == "date":
        try:
            if not _DATE.match(value):
                raise ValueError("not YYYY-MM-DD")
            dt.date.fromisoformat(value)
        except ValueError:
            raise ParamError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None
        return ox.Literal(value, datatype=ox.NamedNode(XSD_DATE))
    if kind == "integer":
        if not _INTEGER.match(value.strip()):
            raise ParamError(f"not an integer: {value!r}")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD_INTEGER))
    if kind == "string":
        return ox.Literal(value)
    raise ParamError(f"unknown parameter kind {kind!r}")


Term: TypeAlias = "ox.NamedNode | ox.Literal"


def bind_params(query: Declared, given: dict[str, str] | None = None) -> dict[str, Term]:
    """Terms for every parameter given or defaulted; unknown names and bad values raise ParamError.

    The result is only ever passed to the engines as bindings, never pasted into query text.
    """
    given = {k.lstrip("?$"): v for k, v in (given or {}).items()}
    declared = {p.name for p in query.params}
    unknown = sorted(set(given) - declared)
    if unknown:
        raise ParamError(
            f"{query.name}: unknown parameter(s) {', '.join(unknown)}"
            f" (declared: {', '.join(sorted(declared)) or 'none'})"
        )
    bound: dict[str, Term] = {}
    for p in query.params:
        value = given.get(p.name, p.default)
        if value is None:
            continue
        try:
            bound[p.name] = bind_value(p.kind, value)
        except ParamError as err:
            raise ParamError(f"{query.name}: parameter {p.name!r} ({p.kind}): {err}") from None
    return bound
